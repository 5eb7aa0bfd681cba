/**
 * Private keys kept in the clouds' secret stores, with real `terraform`: the CI runner scenario. A pipeline
 * applies in one checkout on a runner that is then thrown away (the checkout, its key directory, every
 * file but the state, which a backend keeps); a later job on a fresh runner plans and destroys from a fresh
 * checkout with the same state. One stack holds every store and key source, on pairs of every cloud:
 * Alibaba pairs keep their key in Alibaba's KMS, Tencent pairs in Tencent's SSM, UCloud pairs (whose cloud
 * has no store) in either. Cloud-generated keys go to the store alone; keys generated locally go to a file
 * (relative to the checkout) and the store. Constructs removed from the app take their secrets with them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Deployment, EndToEnd, KeyPairSpec, oneLine, REGIONS } from './helpers';
import type { SecretStoreCloud } from '../../emulator';
import { PRIVATE_KEY_SECRET_VERSION_ID, type SecretStoreName } from '../../src/contract';
import { sshKeygenPublicKeyOf } from '../support/ssh-keygen';

jest.setTimeout(240_000);

const STORE_CLOUD: Readonly<Record<SecretStoreName, SecretStoreCloud>> = { 'alicloud-kms': 'alicloud', 'tencentcloud-ssm': 'tencentcloud' };

/** The region a spec's secret lives in: its own, else the pair's (the store is then on the pair's cloud). */
function secretRegion(spec: KeyPairSpec): string {
  return spec.privateKeySecret!.region ?? REGIONS[spec.cloud];
}

const SPECS: KeyPairSpec[] = [
  { id: 'ali_cloud', cloud: 'alicloud', source: 'cloud', name: 'runner_cloud', privateKeyFile: false, privateKeySecret: { store: 'alicloud-kms', secretName: 'runner/ali-cloud' } },
  {
    id: 'ali_generate',
    cloud: 'alicloud',
    source: 'generate',
    name: 'runner_generate',
    privateKeyFile: 'keys/ali_generate.pem',
    privateKeySecret: { store: 'alicloud-kms', secretName: 'runner/ali-generate' },
  },
  { id: 'tc_cloud', cloud: 'tencentcloud', source: 'cloud', name: 'runner_cloud', privateKeyFile: false, privateKeySecret: { store: 'tencentcloud-ssm', secretName: 'runner-tc-cloud' } },
  {
    id: 'tc_generate',
    cloud: 'tencentcloud',
    source: 'generate',
    name: 'runner_generate',
    privateKeyFile: 'keys/tc_generate.pem',
    privateKeySecret: { store: 'tencentcloud-ssm', secretName: 'runner-tc-generate' },
  },
  {
    id: 'uc_cloud',
    cloud: 'ucloud',
    source: 'cloud',
    name: 'runner_cloud',
    privateKeyFile: false,
    privateKeySecret: { store: 'alicloud-kms', secretName: 'runner/uc-cloud', region: REGIONS.alicloud },
  },
  {
    id: 'uc_generate',
    cloud: 'ucloud',
    source: 'generate',
    name: 'runner_generate',
    privateKeyFile: 'keys/uc_generate.pem',
    privateKeySecret: { store: 'tencentcloud-ssm', secretName: 'runner-uc-generate', region: REGIONS.tencentcloud },
  },
];

describe('private keys in secret stores: apply on a runner that is thrown away, plan and destroy from a fresh one', () => {
  let e2e: EndToEnd;
  let fresh: Deployment;

  /** A checkout on a runner: the directory `cdktf synth` runs in, which the relative key files live under. */
  const checkoutOf = (deployment: Deployment) => {
    const directory = path.join(deployment.workspace.rootDirectory, 'checkout');
    fs.mkdirSync(directory, { recursive: true });
    return directory;
  };
  const storedKey = (spec: KeyPairSpec) => {
    const secret = spec.privateKeySecret!;
    return e2e.emulator.secretValue(STORE_CLOUD[secret.store], secretRegion(spec), secret.secretName, PRIVATE_KEY_SECRET_VERSION_ID);
  };
  const secretsNamed = (spec: KeyPairSpec) => {
    const secret = spec.privateKeySecret!;
    return e2e.emulator.listSecrets(STORE_CLOUD[secret.store]).filter((listed) => listed.name === secret.secretName);
  };
  /** What `ssh-keygen -y` derives from the key the store holds: type and base64. */
  const publicKeyOfStoredKey = (spec: KeyPairSpec): string | undefined => {
    const pem = storedKey(spec);
    if (pem === undefined) return undefined;
    const file = path.join(fresh.workspace.rootDirectory, `${spec.id}.stored.pem`);
    fs.writeFileSync(file, pem, { mode: 0o600 });
    try {
      return sshKeygenPublicKeyOf(file);
    } finally {
      fs.rmSync(file);
    }
  };
  const cloudPublicKey = (spec: KeyPairSpec) =>
    e2e
      .keyPairsNamed(spec.cloud, spec.name)
      .map((keyPair) => keyPair.publicKey.split(' ').slice(0, 2).join(' '));

  beforeAll(async () => {
    e2e = await EndToEnd.start();
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  test('the apply stores every private key, and nothing but the state survives the runner', async () => {
    // GIVEN a runner with a checkout
    const runner = await e2e.deployment('runner');
    const checkout = checkoutOf(runner);
    runner.synth(SPECS, { synthDirectory: checkout });
    await runner.init();

    // WHEN
    const apply = await runner.apply();

    // THEN every store holds the pair's private key: ssh-keygen turns it into the public key the cloud holds
    expect({ exitCode: apply.exitCode, stderr: oneLine(apply.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    fresh = await e2e.deployment('runner');
    for (const spec of SPECS) {
      const stored = storedKey(spec);
      expect({ pair: spec.id, stored: stored !== undefined }).toEqual({ pair: spec.id, stored: true });
      e2e.rememberPrivateKey(stored!);
      expect({ pair: spec.id, publicKey: publicKeyOfStoredKey(spec) }).toEqual({ pair: spec.id, publicKey: cloudPublicKey(spec)[0] });
      expect(secretsNamed(spec).map((secret) => secret.status)).toEqual(['enabled']);
    }
    // and each construct's privateKeySecretResourceName is the secret as its store names it
    const outputs = await runner.outputs();
    for (const spec of SPECS) {
      const secret = spec.privateKeySecret!;
      // (KMS takes its region from its host, which the emulator, serving every region on one port, cannot
      // see: it names the scope it kept the secret in)
      const expected = secret.store === 'alicloud-kms'
        ? new RegExp(`^acs:kms:[a-z0-9-]+:\\d+:secret/${secret.secretName}$`)
        : new RegExp(`^qcs::ssm:${secretRegion(spec)}:uin/:secret/creatorUin/\\d+/${secret.secretName}$`);
      expect({ pair: spec.id, resourceName: outputs[`${spec.id}_secret_resource_name`] }).toEqual({ pair: spec.id, resourceName: expect.stringMatching(expected) });
    }
    // and the locally generated keys are in their files too, the same keys
    for (const spec of SPECS.filter((candidate) => candidate.privateKeyFile !== false)) {
      const file = path.join(checkout, spec.privateKeyFile as string);
      expect(fs.readFileSync(file, 'utf8').trim()).toBe(storedKey(spec)!.trim());
    }
    // The runner goes: only the state is kept (as a remote backend would keep it).
    fs.copyFileSync(path.join(runner.workspace.workingDirectory, 'terraform.tfstate'), path.join(fresh.workspace.workingDirectory, 'terraform.tfstate'));
    runner.dispose();
    expect(fs.existsSync(checkout)).toBe(false);
  });

  test('a fresh runner with the same state plans no change: the keys are in the stores, not on a disk', async () => {
    // GIVEN a fresh checkout, synthesized there
    fresh.synth(SPECS, { synthDirectory: checkoutOf(fresh) });
    await fresh.init();

    // WHEN
    const plan = await fresh.run(['plan', '-detailed-exitcode', '-input=false']);

    // THEN
    expect({ exitCode: plan.exitCode, stderr: oneLine(plan.stderr) }).toEqual({ exitCode: 0, stderr: '' });
  });

  test('destroy from the fresh runner deletes every pair and every secret; the same names deploy again', async () => {
    // WHEN
    await fresh.destroy();

    // THEN
    for (const spec of SPECS) {
      const left = { pairs: cloudPublicKey(spec).length, secrets: secretsNamed(spec).length };
      expect({ pair: spec.id, left }).toEqual({ pair: spec.id, left: { pairs: 0, secrets: 0 } });
    }
    // and a second deploy under the same names succeeds (the default recovery window of 0 frees them at once)
    const again = await fresh.apply();
    expect(oneLine(again.stderr)).toBe('');
    for (const spec of SPECS) {
      expect({ pair: spec.id, publicKey: publicKeyOfStoredKey(spec) }).toEqual({ pair: spec.id, publicKey: cloudPublicKey(spec)[0] });
    }
    for (const spec of SPECS) e2e.rememberPrivateKey(storedKey(spec)!);
  });

  test('constructs removed from the app: the next apply deletes their pairs, secrets and key files; the others stay', async () => {
    // GIVEN the stack deployed again (above), and two constructs gone from the app: an Alibaba pair whose key
    // is in KMS alone, and a UCloud pair whose key is in a file and in Tencent's SSM (another cloud's store)
    const removed = SPECS.filter((spec) => spec.id === 'ali_cloud' || spec.id === 'uc_generate');
    const kept = SPECS.filter((spec) => !removed.includes(spec));
    const before = Object.fromEntries(kept.map((spec) => [spec.id, { stored: storedKey(spec), publicKey: cloudPublicKey(spec) }]));
    const checkout = checkoutOf(fresh);
    const removedKeyFile = path.join(checkout, 'keys', 'uc_generate.pem');
    expect(fs.existsSync(removedKeyFile)).toBe(true);
    for (const spec of removed) {
      const held = { pairs: cloudPublicKey(spec).length, secrets: secretsNamed(spec).length };
      expect({ pair: spec.id, held }).toEqual({ pair: spec.id, held: { pairs: 1, secrets: 1 } });
    }

    // WHEN
    fresh.synth(kept, { synthDirectory: checkout });
    const apply = await fresh.apply();

    // THEN the removed constructs' pairs, secrets and key file are gone
    expect(oneLine(apply.stderr)).toBe('');
    for (const spec of removed) {
      const left = { pairs: cloudPublicKey(spec).length, secrets: secretsNamed(spec).length };
      expect({ pair: spec.id, left }).toEqual({ pair: spec.id, left: { pairs: 0, secrets: 0 } });
    }
    expect(fs.existsSync(removedKeyFile)).toBe(false);
    // and the others are as they were: the same pairs, the same stored keys, and a plan with nothing to do
    for (const spec of kept) {
      expect({ pair: spec.id, stored: storedKey(spec), publicKey: cloudPublicKey(spec) }).toEqual({ pair: spec.id, ...before[spec.id] });
    }
    const plan = await fresh.run(['plan', '-detailed-exitcode', '-input=false']);
    expect({ exitCode: plan.exitCode, stderr: oneLine(plan.stderr) }).toEqual({ exitCode: 0, stderr: '' });

    // and destroy takes the rest, their secrets with them
    await fresh.destroy();
    expect(SPECS.flatMap((spec) => secretsNamed(spec))).toEqual([]);
    expect(SPECS.flatMap((spec) => cloudPublicKey(spec))).toEqual([]);
  });

  test('no state file, plan, terraform output or synthesized file of these runs holds a stored private key or a secret', () => {
    expect(e2e.privateKeyCount()).toBeGreaterThanOrEqual(SPECS.length);
    expect(e2e.secretFindings()).toEqual([]);
  });
});
