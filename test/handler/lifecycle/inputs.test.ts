import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '../../../handler/invalid-input-error';
import { readKeyPairInputs, readRecordedKeyPair } from '../../../handler/lifecycle/inputs';
import { CLOUD_NAMES, CloudName, HANDLER_ENV, KEY_SOURCES, ownerValue, RECORD_KEYS, TRIGGER_KEYS } from '../../../src/contract';
import { testKey } from '../../constructs/helpers';
import { REGIONS } from '../../support/regions';
import { keyPairTriggers } from '../../support/triggers';

/**
 * A public key that was a token at synth (a Terraform variable, a file read at plan time) reaches the handler
 * unchecked: the handler applies the constructs' own rule to it before any cloud call.
 */
function importTriggers(cloud: CloudName, publicKey: string): Record<string, string> {
  return keyPairTriggers({ cloud, name: 'imported_key', source: KEY_SOURCES.import, publicKey, owner: ownerValue(randomUUID(), '0123456789abcdef') });
}

/** The InvalidInputError message readKeyPairInputs throws, or a failure when it accepts the triggers. */
function refusal(triggers: Record<string, string>): string {
  try {
    readKeyPairInputs(triggers);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as Error).message;
  }
  throw new Error('expected the inputs to be refused');
}

describe('readKeyPairInputs: the public key to import', () => {
  test.each(CLOUD_NAMES)('%s: an RSA key as read from a .pub file is taken as given (trimmed, comment kept)', (cloud) => {
    // GIVEN
    const key = testKey('rsa');
    // WHEN
    const inputs = readKeyPairInputs(importTriggers(cloud, `  ${key.publicKeyFile}`));
    // THEN
    expect(inputs.publicKey).toBe(key.publicKeyFile.trim());
  });

  test.each([
    ['tencentcloud', 'ed25519', /^Tencent Cloud CVM imports ssh-rsa keys only; this public key is ssh-ed25519$/],
    ['ucloud', 'ecdsa', /^UCloud UHost imports ssh-rsa keys only; this public key is ecdsa-sha2-nistp256$/],
    ['ucloud', 'dsa', /^UCloud UHost imports ssh-rsa keys only; this public key is ssh-dss$/],
    ['alicloud', 'ed25519', /^Alibaba Cloud ECS imports ssh-rsa, ssh-dss, ecdsa-sha2-nistp256\/384\/521 keys only; this public key is ssh-ed25519$/],
  ] as const)('%s: a %s key is refused, naming the types the cloud imports', (cloud, algorithm, expected) => {
    expect(refusal(importTriggers(cloud, testKey(algorithm).publicKeyFile))).toMatch(expected);
  });

  test.each(CLOUD_NAMES)('%s: a private key pasted as the public key is refused without quoting it', (cloud) => {
    // GIVEN
    const pem = testKey('rsa').privateKeyPem;
    // WHEN
    const message = refusal(importTriggers(cloud, pem));
    // THEN
    expect(message).toMatch(/^the public key to import is not valid: this is a private key: pass the public key/);
    for (const line of pem.split('\n').filter((text) => text.length > 20 && !text.startsWith('-----'))) expect(message).not.toContain(line);
  });

  test('a malformed key is refused with the shape it should have', () => {
    expect(refusal(importTriggers('alicloud', 'ssh-rsa AAAA$$$$'))).toMatch(
      /^the public key to import is not valid: the ssh-rsa key's second field is not base64; expected one line in OpenSSH format/,
    );
  });
});

describe('readKeyPairInputs: the owner', () => {
  test('an ownership value is <deployment uuid>/<hex>, kept as given', () => {
    const owner = ownerValue(randomUUID(), '0123456789abcdef');
    expect(readKeyPairInputs({ ...importTriggers('alicloud', testKey('rsa').publicKeyFile), [TRIGGER_KEYS.owner]: owner }).owner).toBe(owner);
  });

  test.each([
    ['the format of earlier versions (the construct path alone)', 'cdktf-keypair/0123456789abcdef'],
    ['no deployment', '/0123456789abcdef'],
    ['a deployment that is no UUID', 'deployment/0123456789abcdef'],
    ['an upper-case UUID', `${randomUUID().toUpperCase()}/0123456789abcdef`],
    ['no construct hash', `${randomUUID()}/`],
    ['a construct hash that is no hex', `${randomUUID()}/stack-bastion`],
    ['an identity not yet known (a Terraform expression)', '${terraform_data.cdktf_keypair_identity.id}/0123456789abcdef'],
  ])('%s is refused: it would match no tag and prove nothing', (_title, owner) => {
    expect(refusal({ ...importTriggers('alicloud', testKey('rsa').publicKeyFile), [TRIGGER_KEYS.owner]: owner })).toMatch(/"owner" is not an ownership value \(<deployment uuid>\/<hex>\)/);
  });

  test('a missing owner is refused', () => {
    const triggers = importTriggers('ucloud', testKey('rsa').publicKeyFile);
    delete triggers[TRIGGER_KEYS.owner];
    expect(refusal(triggers)).toBe('"owner" is missing');
  });
});

describe('readKeyPairInputs: the replacement key', () => {
  test.each(CLOUD_NAMES)('%s: accepted and ignored: the step works on the same pair with or without it', (cloud) => {
    // GIVEN the triggers of a pair, and the same with a replacementKey (any string)
    const triggers = importTriggers(cloud, testKey('rsa').publicKeyFile);
    // WHEN
    const withKey = readKeyPairInputs({ ...triggers, [TRIGGER_KEYS.replacementKey]: 'rotated-2026-03' });
    // THEN
    expect(withKey).toEqual(readKeyPairInputs(triggers));
    expect(JSON.stringify(withKey)).not.toContain('rotated');
  });
});

describe('readRecordedKeyPair: what the stack registry recorded', () => {
  test('the id and fingerprint the registry passes', () => {
    const text = JSON.stringify({ [RECORD_KEYS.keyPairId]: 'uhostkp-abc', [RECORD_KEYS.fingerprint]: 'aa:bb', delete_timeout_seconds: '300' });
    expect(readRecordedKeyPair(text)).toEqual({ keyPairId: 'uhostkp-abc', fingerprint: 'aa:bb' });
  });

  test.each([
    ['no variable (every step but the registry\'s)', undefined],
    ['an empty variable', ''],
    ['an entry whose read found nothing (no id)', JSON.stringify({ [RECORD_KEYS.keyPairId]: '', [RECORD_KEYS.fingerprint]: '' })],
  ])('%s: no record', (_title, text) => {
    expect(readRecordedKeyPair(text)).toBeUndefined();
  });

  test('a record that is no JSON object is refused, naming the variable', () => {
    expect(() => readRecordedKeyPair('[1]')).toThrow(new InvalidInputError(`${HANDLER_ENV.record} is not a JSON object`));
  });
});

describe('readKeyPairInputs: the private key secret', () => {
  function secretTriggers(extra: Record<string, string> = {}): Record<string, string> {
    return keyPairTriggers({ cloud: 'ucloud', name: 'kept_key', owner: ownerValue(randomUUID(), '0123456789abcdef') }, {
      [TRIGGER_KEYS.secretStore]: 'tencentcloud-ssm',
      [TRIGGER_KEYS.secretName]: 'kept-key',
      ...extra,
    });
  }

  test('a secret alone is a destination; its region defaults to the pair\'s; the recovery window defaults to 0', () => {
    const inputs = readKeyPairInputs(secretTriggers());
    expect(inputs.privateKeyFile).toBeUndefined();
    expect(inputs.privateKeySecret).toEqual({ store: 'tencentcloud-ssm', name: 'kept-key', region: REGIONS.ucloud, recoveryWindowDays: 0 });
  });

  test('the store\'s region, key and a recovery window the store takes', () => {
    const inputs = readKeyPairInputs(
      secretTriggers({ [TRIGGER_KEYS.secretRegion]: 'ap-shanghai', [TRIGGER_KEYS.secretEncryptionKeyId]: 'kms-key-1' }),
      undefined,
      '30',
    );
    expect(inputs.privateKeySecret).toEqual({ store: 'tencentcloud-ssm', name: 'kept-key', region: 'ap-shanghai', encryptionKeyId: 'kms-key-1', recoveryWindowDays: 30 });
  });

  test.each([
    ['a secret name without its store', { [TRIGGER_KEYS.secretStore]: '' }, /"private_key_secret_name" is set without "private_key_secret_store"/],
    ['a KMS name SSM refuses', { [TRIGGER_KEYS.secretName]: 'kept/key' }, /Tencent Cloud SSM secret name "kept\/key" is not valid/],
    ['an encryption key with a space', { [TRIGGER_KEYS.secretEncryptionKeyId]: 'kms key' }, /"private_key_secret_encryption_key_id" "kms key" is not valid/],
  ])('refuses %s', (_title, extra, message) => {
    expect(refusal(secretTriggers(extra))).toMatch(message);
  });

  test.each([['-1'], ['31'], ['1.5'], ['7 days']])('refuses the recovery window %s', (text) => {
    expect(() => readKeyPairInputs(secretTriggers(), undefined, text)).toThrow(
      new RegExp(`${HANDLER_ENV.secretRecoveryWindowDays}: Tencent Cloud SSM takes a recovery window of 0 days \\(delete at once\\) or 1 to 30 days`),
    );
  });
});
