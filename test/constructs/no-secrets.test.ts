import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'node:fs';
import { Testing } from 'cdktf';
import { newStack, testKey } from './helpers';
import { AlicloudKeyPair, KeyAlgorithm, KeyPairCarrier, KeySource, PrivateKeySecret, TencentcloudKeyPair, UcloudKeyPair } from '../../src';
import { HANDLER_ENV, TRIGGER_KEYS } from '../../src/contract';
import { filesUnder } from '../support/files';

/**
 * Credentials as the handler reads them at deploy time (the variables the clouds' Terraform providers
 * read), with values no test would write by chance: synth runs with them set, and none may show up.
 */
const CREDENTIALS: Readonly<Record<string, string>> = {
  ALICLOUD_ACCESS_KEY: 'LTAI5tCanaryAccessKeyId01',
  ALICLOUD_SECRET_KEY: 'canary-alicloud-secret-6b0f7d0a9e',
  ALICLOUD_SECURITY_TOKEN: 'canary-alicloud-sts-token-2c51',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'canary-alibaba-secret-99d1e2',
  TENCENTCLOUD_SECRET_ID: 'AKIDcanarySecretId0123456789',
  TENCENTCLOUD_SECRET_KEY: 'canary-tencent-secret-key-3f4e',
  TENCENTCLOUD_SECURITY_TOKEN: 'canary-tencent-token-71aa',
  UCLOUD_PUBLIC_KEY: 'canary-ucloud-public-key-5e6f',
  UCLOUD_PRIVATE_KEY: 'canary-ucloud-private-key-8a9b',
  UCLOUD_SECURITY_TOKEN: 'canary-ucloud-token-c0d1',
};

describe('the synthesized configuration holds no secret', () => {
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const [name, value] of Object.entries(CREDENTIALS)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test('every cloud, key source and carrier: no credential, no private key in any JSON written', () => {
    // GIVEN a stack with every combination, the imported keys' private halves known to the test
    const stack = newStack();
    const imports = { alicloud: testKey('ecdsa'), tencentcloud: testKey('rsa'), ucloud: testKey('rsa') };
    for (const carrier of [KeyPairCarrier.NULL_RESOURCE, KeyPairCarrier.TERRAFORM_DATA]) {
      const suffix = carrier === KeyPairCarrier.NULL_RESOURCE ? 'n' : 'd';
      new AlicloudKeyPair(stack, `ali-cloud-${suffix}`, { region: 'cn-hangzhou', privateKeyFile: 'a.pem', carrier, tags: { team: 'infra' } });
      new AlicloudKeyPair(stack, `ali-import-${suffix}`, { region: 'cn-hangzhou', keySource: KeySource.importPublicKey(imports.alicloud.publicKeyFile), carrier });
      new AlicloudKeyPair(stack, `ali-local-${suffix}`, { region: 'cn-hangzhou', keySource: KeySource.generateLocally(KeyAlgorithm.ECDSA), privateKeyFile: 'b.pem', carrier });
      new TencentcloudKeyPair(stack, `tc-cloud-${suffix}`, { region: 'ap-guangzhou', privateKeyFile: 'c.pem', carrier, projectId: 0 });
      new TencentcloudKeyPair(stack, `tc-import-${suffix}`, { region: 'ap-guangzhou', keySource: KeySource.importPublicKey(imports.tencentcloud.publicKeyFile), carrier });
      new TencentcloudKeyPair(stack, `tc-local-${suffix}`, { region: 'ap-guangzhou', keySource: KeySource.generateLocally(KeyAlgorithm.RSA), privateKeyFile: 'd.pem', carrier });
      new UcloudKeyPair(stack, `uc-cloud-${suffix}`, { region: 'cn-bj2', privateKeyFile: 'e.pem', carrier, endpoint: 'https://api.ucloud.cn' });
      new UcloudKeyPair(stack, `uc-import-${suffix}`, { region: 'cn-bj2', keySource: KeySource.importPublicKey(imports.ucloud.publicKeyFile), carrier });
      new UcloudKeyPair(stack, `uc-local-${suffix}`, { region: 'cn-bj2', keySource: KeySource.generateLocally(KeyAlgorithm.RSA), privateKeyFile: 'f.pem', carrier });
    }

    // WHEN synthesized as `cdktf synth` writes it
    const outdir = Testing.fullSynth(stack);
    try {
      const jsonFiles = filesUnder(outdir).filter((file) => file.endsWith('.json'));
      const written = jsonFiles.map((file) => fs.readFileSync(file, 'utf8')).join('\n');

      // THEN
      expect(jsonFiles.some((file) => file.endsWith('cdk.tf.json'))).toBe(true);
      expect(written).toContain(imports.tencentcloud.canonical); // the scan sees the key material that belongs there
      for (const [name, value] of Object.entries(CREDENTIALS)) {
        expect({ name, found: written.includes(value) }).toEqual({ name, found: false });
      }
      expect(written).not.toMatch(/PRIVATE KEY/);
      for (const key of Object.values(imports)) {
        expect(key.privateParts.length).toBeGreaterThan(0);
        for (const part of key.privateParts) expect(written).not.toContain(part);
      }
      // (but for the names of the secret stores' recovery window, which every registry's destroy step carries, and
      // the directory synth runs in, whose name is the checkout's)
      const withoutNames = written
        .replaceAll(HANDLER_ENV.secretRecoveryWindowDays, '')
        .replaceAll('secret_recovery_window_days', '')
        .replaceAll(JSON.stringify(process.cwd()).slice(1, -1), '<synth directory>');
      expect(withoutNames).not.toMatch(/secret|password|access_?key|security_?token/i);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('with secret stores: no credential and no private key either; the secrets appear by store, name and region only', () => {
    // GIVEN pairs that keep their private keys in each store, one of them in a file too
    const stack = newStack();
    new AlicloudKeyPair(stack, 'ali', { region: 'cn-hangzhou', privateKeySecret: PrivateKeySecret.alicloud({ secretName: 'ali-key', encryptionKeyId: 'key-hzz1234' }) });
    new TencentcloudKeyPair(stack, 'tc', {
      region: 'ap-guangzhou',
      privateKeyFile: 'tc.pem',
      privateKeySecret: PrivateKeySecret.tencentcloud({ secretName: 'tc-key', recoveryWindowDays: 7 }),
    });
    new UcloudKeyPair(stack, 'uc', { region: 'cn-bj2', privateKeySecret: PrivateKeySecret.alicloud({ secretName: 'uc-key', region: 'cn-beijing' }) });

    // WHEN synthesized as `cdktf synth` writes it
    const outdir = Testing.fullSynth(stack);
    try {
      const written = filesUnder(outdir).filter((file) => file.endsWith('.json')).map((file) => fs.readFileSync(file, 'utf8')).join('\n');

      // THEN
      for (const [name, value] of Object.entries(CREDENTIALS)) {
        expect({ name, found: written.includes(value) }).toEqual({ name, found: false });
      }
      expect(written).not.toMatch(/PRIVATE KEY|BEGIN/);
      for (const name of ['ali-key', 'tc-key', 'uc-key']) expect(written).toContain(`"${TRIGGER_KEYS.secretName}": "${name}"`);
      // "secret" only as the contract's names: the triggers' keys and the recovery window's
      const contractNames = [TRIGGER_KEYS.secretStore, TRIGGER_KEYS.secretName, TRIGGER_KEYS.secretRegion, TRIGGER_KEYS.secretEncryptionKeyId, HANDLER_ENV.secretRecoveryWindowDays, 'secret_recovery_window_days'];
      const rest = contractNames
        .reduce((text, name) => text.replaceAll(name, ''), written)
        .replaceAll(JSON.stringify(process.cwd()).slice(1, -1), '<synth directory>');
      expect(rest).not.toMatch(/secret|password|access_?key|security_?token/i);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a private key passed where a public key belongs is refused, and the error does not quote it', () => {
    // GIVEN
    const pem = testKey('rsa').privateKeyPem;
    const stack = newStack();
    // WHEN
    let message = '';
    try {
      new TencentcloudKeyPair(stack, 'ci', { region: 'ap-guangzhou', keySource: KeySource.importPublicKey(pem) });
    } catch (error) {
      message = (error as Error).message;
    }
    // THEN
    expect(message).toMatch(/this is a private key: pass the public key/);
    expect(message).not.toMatch(/BEGIN|MII/);
    for (const part of testKey('rsa').privateParts) expect(message).not.toContain(part);
  });
});
