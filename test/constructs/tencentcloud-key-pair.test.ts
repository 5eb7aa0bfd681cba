import 'cdktf/lib/testing/adapters/jest';
import { constructionError, synthKeyPair, testKey } from './helpers';
import { KeyAlgorithm, KeySource, TencentcloudKeyPair } from '../../src';
import { NAME_RULES, SCOPE_RULES, TAG_RULES, TRIGGER_KEYS } from '../../src/contract';

const REGION = 'ap-guangzhou';
const tagRules = TAG_RULES.tencentcloud!;

describe('TencentcloudKeyPair', () => {
  test('synthesizes a null_resource, the stack\'s two reads and two outputs', () => {
    const { json, triggers } = synthKeyPair((stack) => new TencentcloudKeyPair(stack, 'ci', { region: REGION, keyPairName: 'ci_runner', privateKeyFile: 'ci.pem' }));
    expect(Object.keys(json.resource.null_resource)).toHaveLength(1);
    expect(Object.keys(json.data.external)).toEqual(['cdktf_keypair_read', 'cdktf_keypair_read_after_apply']);
    expect(Object.keys(json.output).sort()).toEqual(['ci_fingerprint', 'ci_key_pair_id']);
    expect(triggers).toMatchObject({ [TRIGGER_KEYS.cloud]: 'tencentcloud', [TRIGGER_KEYS.keyPairName]: 'ci_runner' });
    expect(triggers).not.toHaveProperty(TRIGGER_KEYS.scope);
  });

  describe('names: digits, letters and underscores, up to 25 characters, for every key source', () => {
    test.each(['ci-runner', 'ci runner', 'x'.repeat(26), '', '密钥'])('name %j is refused with the rule', (keyPairName) => {
      const cloud = constructionError((stack) => new TencentcloudKeyPair(stack, 'ci', { region: REGION, keyPairName, privateKeyFile: 'ci.pem' }));
      const imported = constructionError((stack) =>
        new TencentcloudKeyPair(stack, 'ci', { region: REGION, keyPairName, keySource: KeySource.importPublicKey(testKey('rsa').publicKeyFile) }),
      );
      expect(cloud).toContain(NAME_RULES.tencentcloud.create.description);
      expect(imported).toContain(NAME_RULES.tencentcloud.import.description);
    });

    test.each(['1', 'CI_runner_2', 'x'.repeat(25)])('name %j is accepted', (keyPairName) => {
      expect(() => synthKeyPair((stack) => new TencentcloudKeyPair(stack, 'ci', { region: REGION, keyPairName, privateKeyFile: 'ci.pem' }))).not.toThrow();
    });
  });

  describe('key types: ssh-rsa only', () => {
    test('imports an RSA public key', () => {
      const { triggers } = synthKeyPair((stack) =>
        new TencentcloudKeyPair(stack, 'ci', { region: REGION, keySource: KeySource.importPublicKey(testKey('rsa').publicKeyFile) }),
      );
      expect(triggers).toMatchObject({ [TRIGGER_KEYS.keySource]: 'import', [TRIGGER_KEYS.publicKey]: testKey('rsa').canonical });
    });

    test.each(['dsa', 'ecdsa', 'ed25519'] as const)('refuses to import a %s public key', (algorithm) => {
      const message = constructionError((stack) =>
        new TencentcloudKeyPair(stack, 'ci', { region: REGION, keySource: KeySource.importPublicKey(testKey(algorithm).publicKeyFile) }),
      );
      expect(message).toMatch(/Tencent Cloud CVM imports ssh-rsa keys only; this public key is /);
    });

    test('generates RSA keys locally', () => {
      const { triggers } = synthKeyPair((stack) =>
        new TencentcloudKeyPair(stack, 'ci', { region: REGION, keySource: KeySource.generateLocally(KeyAlgorithm.RSA), privateKeyFile: 'ci.pem' }),
      );
      expect(triggers[TRIGGER_KEYS.keyAlgorithm]).toBe('rsa');
    });

    test.each([KeyAlgorithm.ECDSA, KeyAlgorithm.ED25519])('refuses to generate %s keys locally', (algorithm) => {
      const message = constructionError((stack) =>
        new TencentcloudKeyPair(stack, 'ci', { region: REGION, keySource: KeySource.generateLocally(algorithm), privateKeyFile: 'ci.pem' }),
      );
      expect(message).toMatch(new RegExp(`a key generated locally must be KeyAlgorithm.RSA; got ${algorithm}`));
    });
  });

  describe('project id', () => {
    test.each([[0, '0'], [1234567, '1234567']])('project %p becomes the scope trigger %j', (projectId, scope) => {
      const { triggers } = synthKeyPair((stack) => new TencentcloudKeyPair(stack, 'ci', { region: REGION, projectId, privateKeyFile: 'ci.pem' }));
      expect(triggers[TRIGGER_KEYS.scope]).toBe(scope);
    });

    test.each([-1, 1.5, Number.NaN, 1e21])('project %p is refused with the rule', (projectId) => {
      const message = constructionError((stack) => new TencentcloudKeyPair(stack, 'ci', { region: REGION, projectId, privateKeyFile: 'ci.pem' }));
      expect(message).toContain(SCOPE_RULES.tencentcloud.description);
    });
  });

  describe('tags', () => {
    test('are handed to the create step', () => {
      const { create } = synthKeyPair((stack) =>
        new TencentcloudKeyPair(stack, 'ci', { region: REGION, privateKeyFile: 'ci.pem', tags: { 'team:name': 'infra @ hq', '项目': '值' } }),
      );
      expect(JSON.parse(create.environment.CDKTF_KEYPAIR_TAGS)).toEqual({ 'team:name': 'infra @ hq', '项目': '值' });
    });

    test.each([
      ['a key starting with qcloud', { qcloudTeam: 'x' }, tagRules.key.description],
      ['a key starting with tencent', { 'Tencent:x': 'x' }, tagRules.key.description],
      ['a key starting with project', { projectName: 'x' }, tagRules.key.description],
      ['a key with #', { 'team#1': 'x' }, tagRules.key.description],
      ['a key of 128 characters', { ['k'.repeat(128)]: 'x' }, tagRules.key.description],
      ['a value with a comma', { team: 'a,b' }, tagRules.value.description],
      ['a value of 256 characters', { team: 'v'.repeat(256) }, tagRules.value.description],
    ])('refuses %s with the rule', (_, tags, rule) => {
      const message = constructionError((stack) => new TencentcloudKeyPair(stack, 'ci', { region: REGION, privateKeyFile: 'ci.pem', tags }));
      expect(message).toContain(rule);
    });

    test('counts cdktf-keypair\'s own tags: 48 of your own at most', () => {
      const tags = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`tag${index}`, 'x']));
      expect(() => synthKeyPair((stack) => new TencentcloudKeyPair(stack, 'ci', { region: REGION, privateKeyFile: 'ci.pem', tags: tags(48) }))).not.toThrow();
      const message = constructionError((stack) => new TencentcloudKeyPair(stack, 'ci', { region: REGION, privateKeyFile: 'ci.pem', tags: tags(49) }));
      expect(message).toContain(
        'Tencent Cloud CVM allows 50 tags per key pair, cdktf-keypair\'s cdktf-keypair:owner and cdktf-keypair:tags-revision included: at most 48 of your own; got 49',
      );
    });

    test.each(['cdktf-keypair:owner', 'cdktf-keypair:tags-revision'])('refuses the reserved tag key %s', (key) => {
      const message = constructionError((stack) => new TencentcloudKeyPair(stack, 'ci', { region: REGION, privateKeyFile: 'ci.pem', tags: { [key]: 'x' } }));
      expect(message).toContain(`tag key ${key} is reserved`);
    });
  });
});
