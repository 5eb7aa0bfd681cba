import 'cdktf/lib/testing/adapters/jest';
import { TerraformVariable, Token } from 'cdktf';
import { constructionError, keyPairIn, newStack, synthJson, synthKeyPair } from './helpers';
import {
  AlicloudKeyPair,
  KeyAlgorithm,
  KeyPairCarrier,
  KeySource,
  PrivateKeySecret,
  TencentcloudKeyPair,
  UcloudKeyPair,
} from '../../src';
import { HANDLER_ENV, SECRET_STORES, TRIGGER_KEYS } from '../../src/contract';

const REGISTRY = 'cdktf_keypair_registry';
const SECRET_TRIGGER_KEYS: string[] = [
  TRIGGER_KEYS.secretStore,
  TRIGGER_KEYS.secretName,
  TRIGGER_KEYS.secretRegion,
  TRIGGER_KEYS.secretEncryptionKeyId,
];

describe('a private key kept in a secret store', () => {
  test('Alibaba Cloud KMS: the store, name and region are triggers; the window is the steps\' environment', () => {
    // WHEN
    const synthesized = synthKeyPair((stack) =>
      new AlicloudKeyPair(stack, 'bastion', {
        region: 'cn-hangzhou',
        keyPairName: 'bastion',
        privateKeySecret: PrivateKeySecret.alicloud({ secretName: 'team/bastion-key', encryptionKeyId: 'key-hzz63f7c1b2abcdef' }),
      }),
    );
    // THEN
    expect(synthesized.triggers).toEqual({
      [TRIGGER_KEYS.cloud]: 'alicloud',
      [TRIGGER_KEYS.region]: 'cn-hangzhou',
      [TRIGGER_KEYS.keyPairName]: 'bastion',
      [TRIGGER_KEYS.keySource]: 'cloud',
      [TRIGGER_KEYS.secretStore]: SECRET_STORES.alicloudKms,
      [TRIGGER_KEYS.secretName]: 'team/bastion-key',
      // the key pair's region: the pair is on the store's cloud
      [TRIGGER_KEYS.secretRegion]: 'cn-hangzhou',
      [TRIGGER_KEYS.secretEncryptionKeyId]: 'key-hzz63f7c1b2abcdef',
      [TRIGGER_KEYS.owner]: expect.stringMatching(/^\$\{terraform_data\.cdktf_keypair_identity\.id\}\/[0-9a-f]{16}$/),
    });
    // the default window, 0 (delete at once), on both steps of the carrier
    expect(synthesized.create.environment[HANDLER_ENV.secretRecoveryWindowDays]).toBe('0');
    expect(synthesized.destroy.environment[HANDLER_ENV.secretRecoveryWindowDays]).toBe('0');
    // the read describes the pair with the same triggers
    expect(synthesized.readFields[TRIGGER_KEYS.secretName]).toBe('team/bastion-key');
  });

  test('Tencent Cloud SSM: kmsKeyId is the encryption key trigger; a window of 7 days reaches every delete step', () => {
    // WHEN
    const synthesized = synthKeyPair((stack) =>
      new TencentcloudKeyPair(stack, 'ci', {
        region: 'ap-guangzhou',
        privateKeyFile: 'keys/ci.pem',
        privateKeySecret: PrivateKeySecret.tencentcloud({ secretName: 'ci-runner', region: 'ap-shanghai', kmsKeyId: '23e80852-1e38-11e9-b129-5cb9019b4b01', recoveryWindowDays: 7 }),
      }),
    );
    // THEN
    expect(synthesized.triggers).toMatchObject({
      [TRIGGER_KEYS.secretStore]: SECRET_STORES.tencentcloudSsm,
      [TRIGGER_KEYS.secretName]: 'ci-runner',
      [TRIGGER_KEYS.secretRegion]: 'ap-shanghai',
      [TRIGGER_KEYS.secretEncryptionKeyId]: '23e80852-1e38-11e9-b129-5cb9019b4b01',
    });
    expect(synthesized.create.environment[HANDLER_ENV.secretRecoveryWindowDays]).toBe('7');
    expect(synthesized.destroy.environment[HANDLER_ENV.secretRecoveryWindowDays]).toBe('7');
    // the stack registry's destroy step (a construct removed from the app): the current literal, else the recorded one
    const registry = synthesized.json.resource.terraform_data[REGISTRY];
    const destroy = registry.provisioner[0]['local-exec'];
    expect(destroy.environment[HANDLER_ENV.secretRecoveryWindowDays]).toBe('${lookup({"ci" = "7"}, each.key, lookup(self.input, "secret_recovery_window_days", "0"))}');
    expect(synthesized.json.locals[REGISTRY].ci.input).toMatchObject({ secret_recovery_window_days: '7' });
    // no window in any trigger
    expect(JSON.stringify(synthesized.triggers)).not.toMatch(/"7"/);
  });

  test('the secret store\'s region defaults to the key pair\'s only on the store\'s cloud; elsewhere it is the one given', () => {
    const secretRegion = (build: Parameters<typeof synthKeyPair>[0]) => synthKeyPair(build).triggers[TRIGGER_KEYS.secretRegion];
    expect(secretRegion((stack) => new AlicloudKeyPair(stack, 'a', { region: 'cn-beijing', privateKeySecret: PrivateKeySecret.alicloud({ secretName: 'a' }) }))).toBe('cn-beijing');
    expect(secretRegion((stack) => new TencentcloudKeyPair(stack, 't', { region: 'ap-beijing', privateKeySecret: PrivateKeySecret.tencentcloud({ secretName: 't' }) }))).toBe('ap-beijing');
    expect(secretRegion((stack) => new AlicloudKeyPair(stack, 'a', { region: 'cn-beijing', privateKeySecret: PrivateKeySecret.alicloud({ secretName: 'a', region: 'cn-shanghai' }) }))).toBe('cn-shanghai');
    expect(secretRegion((stack) => new TencentcloudKeyPair(stack, 't', { region: 'ap-beijing', privateKeySecret: PrivateKeySecret.alicloud({ secretName: 't', region: 'cn-hangzhou' }) }))).toBe('cn-hangzhou');
    // UCloud has no store: either store, with its region
    expect(secretRegion((stack) => new UcloudKeyPair(stack, 'u', { region: 'cn-bj2', privateKeySecret: PrivateKeySecret.alicloud({ secretName: 'u', region: 'cn-beijing' }) }))).toBe('cn-beijing');
    expect(secretRegion((stack) => new UcloudKeyPair(stack, 'u', { region: 'cn-bj2', privateKeySecret: PrivateKeySecret.tencentcloud({ secretName: 'u', region: 'ap-beijing' }) }))).toBe('ap-beijing');
  });

  test('a cross-cloud store without its region is refused, naming the rule', () => {
    const message = constructionError((stack) => new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeySecret: PrivateKeySecret.alicloud({ secretName: 'edge' }) }));
    expect(message).toMatch(/privateKeySecret: region is required: a secret takes the key pair's region only when the key pair is on the store's cloud/);
  });

  test('both destinations: the file and the secret, each with its triggers and attributes', () => {
    // WHEN
    const stack = newStack();
    const keyPair = new AlicloudKeyPair(stack, 'bastion', {
      region: 'cn-hangzhou',
      keySource: KeySource.generateLocally(KeyAlgorithm.RSA),
      privateKeyFile: '/keys/bastion.pem',
      privateKeySecret: PrivateKeySecret.alicloud({ secretName: 'bastion' }),
    });
    const { triggers } = keyPairIn(synthJson(stack), keyPair);
    // THEN
    expect(triggers).toMatchObject({ [TRIGGER_KEYS.privateKeyFile]: '/keys/bastion.pem', [TRIGGER_KEYS.secretName]: 'bastion', [TRIGGER_KEYS.keySource]: 'generate' });
    expect(keyPair.privateKeyFile).toBe('/keys/bastion.pem');
    expect(keyPair.privateKeySecretName).toBe('bastion');
    expect(keyPair.privateKeySecretStore).toBe('alicloud-kms');
  });

  test('the secret alone: no file, no file trigger', () => {
    const stack = newStack();
    const keyPair = new TencentcloudKeyPair(stack, 'ci', { region: 'ap-guangzhou', privateKeySecret: PrivateKeySecret.tencentcloud({ secretName: 'ci' }) });
    const { triggers } = keyPairIn(synthJson(stack), keyPair);
    expect(triggers).not.toHaveProperty(TRIGGER_KEYS.privateKeyFile);
    expect(triggers).not.toHaveProperty(TRIGGER_KEYS.secretEncryptionKeyId);
    expect(keyPair.privateKeyFile).toBeUndefined();
    expect(keyPair.privateKeySecretStore).toBe('tencentcloud-ssm');
  });

  test('without privateKeySecret: no secret trigger, no window in the carrier\'s steps or the registry\'s record', () => {
    const synthesized = synthKeyPair((stack) => new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem' }));
    expect(Object.keys(synthesized.triggers).filter((key) => SECRET_TRIGGER_KEYS.includes(key))).toEqual([]);
    expect(synthesized.create.environment).not.toHaveProperty(HANDLER_ENV.secretRecoveryWindowDays);
    expect(synthesized.destroy.environment).not.toHaveProperty(HANDLER_ENV.secretRecoveryWindowDays);
    expect(Object.keys(synthesized.json.locals[REGISTRY].edge.input).sort()).toEqual(['delete_timeout_seconds', 'recorded_fingerprint', 'recorded_key_pair_id']);
  });

  test('tokens pass synth (the handler checks them): name, region, key id and window', () => {
    // GIVEN
    const stack = newStack();
    const name = new TerraformVariable(stack, 'secret_name', { type: 'string' });
    const region = new TerraformVariable(stack, 'secret_region', { type: 'string' });
    const keyId = new TerraformVariable(stack, 'key_id', { type: 'string' });
    const days = new TerraformVariable(stack, 'days', { type: 'number' });
    // WHEN
    const keyPair = new UcloudKeyPair(stack, 'edge', {
      region: 'cn-bj2',
      privateKeySecret: PrivateKeySecret.alicloud({
        secretName: name.stringValue,
        region: region.stringValue,
        encryptionKeyId: keyId.stringValue,
        recoveryWindowDays: days.numberValue,
      }),
    });
    const json = synthJson(stack);
    const synthesized = keyPairIn(json, keyPair);
    // THEN
    expect(Token.isUnresolved(keyPair.privateKeySecretName)).toBe(true);
    expect(synthesized.triggers).toMatchObject({
      [TRIGGER_KEYS.secretName]: '${tostring(var.secret_name)}',
      [TRIGGER_KEYS.secretRegion]: '${tostring(var.secret_region)}',
      [TRIGGER_KEYS.secretEncryptionKeyId]: '${tostring(var.key_id)}',
    });
    // The create step takes the token, as a string; a destroy step may reference nothing but its own resource,
    // so the carrier's keeps the secret restorable for the longest window every store takes (30 days) ...
    expect(synthesized.create.environment[HANDLER_ENV.secretRecoveryWindowDays]).toBe('${tostring(var.days)}');
    expect(synthesized.destroy.environment[HANDLER_ENV.secretRecoveryWindowDays]).toBe('30');
    // ... and the registry's entry records the token's value (as a string, what the handler reads)
    expect(json.locals[REGISTRY].edge.input.secret_recovery_window_days).toBe('${tostring(var.days)}');
    expect(json.resource.terraform_data[REGISTRY].provisioner[0]['local-exec'].environment[HANDLER_ENV.secretRecoveryWindowDays]).toMatch(/^\$\{lookup\(\{\}, each\.key/);
  });

  test('changing recoveryWindowDays changes the steps\' environment, never the triggers: the key pair stays', () => {
    // GIVEN
    const build = (recoveryWindowDays?: number, carrier?: KeyPairCarrier) =>
      synthKeyPair((stack) =>
        new TencentcloudKeyPair(stack, 'ci', { region: 'ap-guangzhou', carrier, privateKeySecret: PrivateKeySecret.tencentcloud({ secretName: 'ci', recoveryWindowDays }) }),
      );
    for (const carrier of [KeyPairCarrier.NULL_RESOURCE, KeyPairCarrier.TERRAFORM_DATA]) {
      // WHEN
      const [unset, none, week] = [build(undefined, carrier), build(0, carrier), build(7, carrier)];
      // THEN
      expect(none.triggers).toEqual(unset.triggers);
      expect(week.triggers).toEqual(unset.triggers);
      expect(week.json.locals[REGISTRY].ci.triggers).toEqual(unset.json.locals[REGISTRY].ci.triggers);
      expect(week.presence.triggers_replace).toEqual(unset.presence.triggers_replace);
      expect([unset, week].map(({ destroy }) => destroy.environment[HANDLER_ENV.secretRecoveryWindowDays])).toEqual(['0', '7']);
    }
  });

  test.each([
    ['Alibaba KMS', 0, () => PrivateKeySecret.alicloud({ secretName: 'b', recoveryWindowDays: 0 })],
    ['Alibaba KMS', 7, () => PrivateKeySecret.alicloud({ secretName: 'b', recoveryWindowDays: 7 })],
    ['Alibaba KMS', 30, () => PrivateKeySecret.alicloud({ secretName: 'b', recoveryWindowDays: 30 })],
    ['Tencent SSM', 1, () => PrivateKeySecret.tencentcloud({ secretName: 'b', region: 'ap-guangzhou', recoveryWindowDays: 1 })],
    ['Tencent SSM', 30, () => PrivateKeySecret.tencentcloud({ secretName: 'b', region: 'ap-guangzhou', recoveryWindowDays: 30 })],
  ])('%s takes a recovery window of %p days', (_store, days, secret) => {
    const { destroy } = synthKeyPair((stack) => new AlicloudKeyPair(stack, 'b', { region: 'cn-hangzhou', privateKeySecret: secret() }));
    expect(destroy.environment[HANDLER_ENV.secretRecoveryWindowDays]).toBe(String(days));
  });

  test.each([
    ['Alibaba KMS', () => PrivateKeySecret.alicloud({ secretName: 'b', encryptionKeyId: ' ' }), /privateKeySecret: encryptionKeyId is empty/],
    ['Tencent SSM', () => PrivateKeySecret.tencentcloud({ secretName: 'b', region: 'ap-guangzhou', kmsKeyId: '' }), /privateKeySecret: kmsKeyId is empty/],
  ])('%s: an empty encryption key id is refused, naming the prop', (_store, secret, expected) => {
    expect(constructionError((stack) => new AlicloudKeyPair(stack, 'b', { region: 'cn-hangzhou', privateKeySecret: secret() }))).toMatch(expected);
  });

  test('a missing secretName is refused (JavaScript callers have no type check)', () => {
    const message = constructionError((stack) => new AlicloudKeyPair(stack, 'b', { region: 'cn-hangzhou', privateKeySecret: PrivateKeySecret.alicloud({} as any) }));
    expect(message).toMatch(/privateKeySecret: secretName is required/);
  });

  test('every secret problem is reported at once, with the key pair\'s', () => {
    const message = constructionError((stack) =>
      new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', keyPairName: '', privateKeySecret: PrivateKeySecret.tencentcloud({ secretName: '_edge', recoveryWindowDays: 31 }) }),
    );
    expect(message.split('\n  - ')).toHaveLength(5); // header + key pair name, secret name, region, window
  });
});
