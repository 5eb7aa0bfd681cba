import { InvalidInputError, readKeyPairInputs } from '../../../handler/lifecycle/inputs';
import { CLOUD_NAMES, CloudName, KEY_SOURCES, TRIGGER_KEYS } from '../../../src/contract';
import { testKey } from '../../constructs/helpers';

/**
 * A public key that was a token at synth (a Terraform variable, a file read at plan time) reaches the handler
 * unchecked: the handler applies the constructs' own rule to it before any cloud call.
 */
const REGIONS: Record<CloudName, string> = { alicloud: 'cn-hangzhou', tencentcloud: 'ap-guangzhou', ucloud: 'cn-bj2' };

function importTriggers(cloud: CloudName, publicKey: string): Record<string, string> {
  return {
    [TRIGGER_KEYS.cloud]: cloud,
    [TRIGGER_KEYS.region]: REGIONS[cloud],
    [TRIGGER_KEYS.keyPairName]: 'imported_key',
    [TRIGGER_KEYS.keySource]: KEY_SOURCES.import,
    [TRIGGER_KEYS.publicKey]: publicKey,
    [TRIGGER_KEYS.owner]: 'cdktf-keypair/test',
  };
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
