import 'cdktf/lib/testing/adapters/jest';
import { constructionError, synthKeyPair, testKey } from './helpers';
import { AlicloudKeyPair, KeyAlgorithm, KeySource } from '../../src';
import { NAME_RULES, OWNERSHIP_TAG_KEY, RESERVED_TAG_KEYS, SCOPE_RULES, TAG_RULES, TAGS_REVISION_TAG_KEY, TRIGGER_KEYS } from '../../src/contract';

const REGION = 'cn-hangzhou';
const tagRules = TAG_RULES.alicloud!;

describe('AlicloudKeyPair', () => {
  test('synthesizes a null_resource, the stack\'s two reads and two outputs', () => {
    // WHEN
    const { json, triggers } = synthKeyPair((stack) =>
      new AlicloudKeyPair(stack, 'bastion', { region: REGION, keyPairName: 'bastion', privateKeyFile: 'b.pem', resourceGroupId: 'rg-aek2z3ry2lmkgjq' }),
    );
    // THEN
    expect(Object.keys(json.resource.null_resource)).toHaveLength(1);
    expect(Object.keys(json.data.external)).toEqual(['cdktf_keypair_read', 'cdktf_keypair_read_after_apply']);
    expect(Object.keys(json.output).sort()).toEqual(['bastion_fingerprint', 'bastion_key_pair_id']);
    expect(triggers).toMatchObject({ [TRIGGER_KEYS.cloud]: 'alicloud', [TRIGGER_KEYS.scope]: 'rg-aek2z3ry2lmkgjq' });
  });

  describe('names: CreateKeyPair\'s rule for cloud-generated pairs, ImportKeyPair\'s for the others', () => {
    test.each(['a', '1bastion', 'bastion.key', 'http://bastion', 'bastion key', 'b'.repeat(129), '密钥对'])(
      'cloud-generated name %j is refused with CreateKeyPair\'s rule',
      (keyPairName) => {
        const message = constructionError((stack) => new AlicloudKeyPair(stack, 'bastion', { region: REGION, keyPairName, privateKeyFile: 'b.pem' }));
        expect(message).toContain(NAME_RULES.alicloud.create.description);
      },
    );

    test.each(['ab', 'bastion:prod_1-a', 'b'.repeat(128)])('cloud-generated name %j is accepted', (keyPairName) => {
      const { triggers } = synthKeyPair((stack) => new AlicloudKeyPair(stack, 'bastion', { region: REGION, keyPairName, privateKeyFile: 'b.pem' }));
      expect(triggers[TRIGGER_KEYS.keyPairName]).toBe(keyPairName);
    });

    test.each(['bastion.key', '密钥对'])('imported and locally generated name %j is accepted (ImportKeyPair is broader)', (keyPairName) => {
      expect(() =>
        synthKeyPair((stack) => new AlicloudKeyPair(stack, 'a', { region: REGION, keyPairName, keySource: KeySource.importPublicKey(testKey('rsa').publicKeyFile) })),
      ).not.toThrow();
      expect(() =>
        synthKeyPair((stack) =>
          new AlicloudKeyPair(stack, 'b', { region: REGION, keyPairName, keySource: KeySource.generateLocally(KeyAlgorithm.RSA), privateKeyFile: 'b.pem' }),
        ),
      ).not.toThrow();
    });

    test.each(['1key', 'https://key', 'key pair'])('imported name %j is refused with ImportKeyPair\'s rule', (keyPairName) => {
      const message = constructionError((stack) =>
        new AlicloudKeyPair(stack, 'a', { region: REGION, keyPairName, keySource: KeySource.importPublicKey(testKey('rsa').publicKeyFile) }),
      );
      expect(message).toContain(NAME_RULES.alicloud.import.description);
    });
  });

  describe('key types', () => {
    test.each(['rsa', 'dsa', 'ecdsa'] as const)('imports a %s public key, without its comment', (algorithm) => {
      const { triggers } = synthKeyPair((stack) =>
        new AlicloudKeyPair(stack, 'a', { region: REGION, keySource: KeySource.importPublicKey(testKey(algorithm).publicKeyFile) }),
      );
      expect(triggers[TRIGGER_KEYS.publicKey]).toBe(testKey(algorithm).canonical);
    });

    test('refuses to import an Ed25519 key, naming the types it imports', () => {
      const message = constructionError((stack) =>
        new AlicloudKeyPair(stack, 'a', { region: REGION, keySource: KeySource.importPublicKey(testKey('ed25519').publicKeyFile) }),
      );
      expect(message).toMatch(/Alibaba Cloud ECS imports ssh-rsa, ssh-dss, ecdsa-sha2-nistp256\/384\/521 keys only; this public key is ssh-ed25519/);
    });

    test('refuses a malformed public key', () => {
      const message = constructionError((stack) => new AlicloudKeyPair(stack, 'a', { region: REGION, keySource: KeySource.importPublicKey('ssh-rsa AAAA') }));
      expect(message).toMatch(/the public key to import is not valid: the ssh-rsa key's data is malformed/);
    });

    test.each([KeyAlgorithm.RSA, KeyAlgorithm.ECDSA])('generates %s keys locally', (algorithm) => {
      const { triggers } = synthKeyPair((stack) =>
        new AlicloudKeyPair(stack, 'a', { region: REGION, keySource: KeySource.generateLocally(algorithm), privateKeyFile: 'a.pem' }),
      );
      expect(triggers[TRIGGER_KEYS.keyAlgorithm]).toBe(algorithm);
    });

    test('refuses to generate an Ed25519 key locally', () => {
      const message = constructionError((stack) =>
        new AlicloudKeyPair(stack, 'a', { region: REGION, keySource: KeySource.generateLocally(KeyAlgorithm.ED25519), privateKeyFile: 'a.pem' }),
      );
      expect(message).toMatch(/a key generated locally must be KeyAlgorithm.RSA or KeyAlgorithm.ECDSA; got ed25519/);
    });
  });

  describe('resource group', () => {
    test.each(['default', 'rg-', 'RG-abc', 'rg-ABC'])('resource group id %j is refused with the rule', (resourceGroupId) => {
      const message = constructionError((stack) => new AlicloudKeyPair(stack, 'a', { region: REGION, resourceGroupId, privateKeyFile: 'a.pem' }));
      expect(message).toContain(SCOPE_RULES.alicloud.description);
    });
  });

  describe('tags', () => {
    test('are handed to the create step, cdktf-keypair\'s own tags left to the handler', () => {
      const { create } = synthKeyPair((stack) => new AlicloudKeyPair(stack, 'a', { region: REGION, privateKeyFile: 'a.pem', tags: { team: 'infra', empty: '' } }));
      expect(JSON.parse(create.environment.CDKTF_KEYPAIR_TAGS)).toEqual({ team: 'infra', empty: '' });
    });

    test.each([
      ['a key starting with aliyun', { aliyunTeam: 'x' }, tagRules.key.description],
      ['a key starting with acs:', { 'acs:team': 'x' }, tagRules.key.description],
      ['an empty key', { '': 'x' }, tagRules.key.description],
      ['a key with a URL', { 'see http://x': 'x' }, tagRules.key.description],
      ['a value starting with acs:', { team: 'acs:x' }, tagRules.value.description],
      ['a value with a URL', { team: 'https://wiki' }, tagRules.value.description],
      ['a value of 129 characters', { team: 'x'.repeat(129) }, tagRules.value.description],
    ])('refuses %s with the rule', (_, tags, rule) => {
      const message = constructionError((stack) => new AlicloudKeyPair(stack, 'a', { region: REGION, privateKeyFile: 'a.pem', tags }));
      expect(message).toContain(rule);
    });

    test.each([OWNERSHIP_TAG_KEY, TAGS_REVISION_TAG_KEY])('refuses the reserved tag key %s', (key) => {
      const message = constructionError((stack) => new AlicloudKeyPair(stack, 'a', { region: REGION, privateKeyFile: 'a.pem', tags: { [key]: 'mine' } }));
      expect(message).toContain(`tag key ${key} is reserved: cdktf-keypair sets it on the key pairs it creates`);
    });

    test('counts cdktf-keypair\'s own tags: 18 of your own at most', () => {
      const tags = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`tag${index}`, 'x']));
      const ownTags = tagRules.maxTags - RESERVED_TAG_KEYS.length;
      expect(ownTags).toBe(18);
      expect(() => synthKeyPair((stack) => new AlicloudKeyPair(stack, 'a', { region: REGION, privateKeyFile: 'a.pem', tags: tags(ownTags) }))).not.toThrow();
      const message = constructionError((stack) => new AlicloudKeyPair(stack, 'a', { region: REGION, privateKeyFile: 'a.pem', tags: tags(ownTags + 1) }));
      expect(message).toContain(
        'Alibaba Cloud ECS allows 20 tags per key pair, cdktf-keypair\'s cdktf-keypair:owner and cdktf-keypair:tags-revision included: at most 18 of your own; got 19',
      );
    });
  });
});
