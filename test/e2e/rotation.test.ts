/**
 * Rotating a key from code, with real `terraform`: a new `replacementKey` on one key pair replaces that
 * pair alone (new id or key, new private key file, the old pair deleted first), and recreates a pair
 * deleted outside Terraform without `-replace`, which `cdktf deploy` cannot pass. One stack holds a rotated
 * and an untouched pair on each cloud.
 */
import {
  CLOUDS,
  Deployment,
  EndToEnd,
  KeyPairSpec,
  oneLine,
  outputsOf,
  plannedActions,
  registryAddress,
  TAGS_ADDRESS,
} from './helpers';
import { missingPairWarning } from '../../src/lifecycle-resources';
import { sshKeygenPublicKeyOf } from '../support/ssh-keygen';

jest.setTimeout(240_000);

describe('rotating a key with replacementKey, on every cloud in one stack', () => {
  const specs = (rotatedKey?: string): KeyPairSpec[] =>
    CLOUDS.flatMap((cloud) => [
      { id: `rotated_${cloud}`, cloud, source: 'cloud', name: 'rotated_kp', ...(rotatedKey === undefined ? {} : { replacementKey: rotatedKey }) },
      { id: `other_${cloud}`, cloud, source: 'cloud', name: 'other_kp' },
    ]);
  let e2e: EndToEnd;
  let deployment: Deployment;

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    deployment = await e2e.deployment();
    deployment.synth(specs());
    await deployment.init();
    await deployment.apply();
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  /** The cloud's record of a pair, and its private key file. */
  const snapshot = (outputs: Record<string, string>, id: string) => {
    const spec = deployment.spec(id);
    return { outputs: outputsOf(outputs, id), stored: e2e.keyPairsNamed(spec.cloud, spec.name), privateKey: deployment.readPrivateKey(id)?.pem };
  };
  const snapshots = async (prefix: 'rotated' | 'other') => {
    const outputs = await deployment.outputs();
    return Object.fromEntries(CLOUDS.map((cloud) => [cloud, snapshot(outputs, `${prefix}_${cloud}`)]));
  };

  test('a new replacementKey replaces that pair alone: new key and file, the old pair gone, the other untouched', async () => {
    // GIVEN
    const before = { rotated: await snapshots('rotated'), other: await snapshots('other') };
    // WHEN the app sets a replacementKey on one pair per cloud
    deployment.synth(specs('2026-03'));
    const apply = await deployment.apply();
    // THEN the plan replaces their carriers, presences, results and registry entries (the tag resource takes
    // the new pairs' ids in place: their tags are those the create set)
    expect({ exitCode: apply.exitCode, stderr: oneLine(apply.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    expect(plannedActions(apply.stdout)).toEqual({
      ...Object.fromEntries(
        CLOUDS.flatMap((cloud) => [
          [deployment.address(`rotated_${cloud}`), 'replace'],
          [deployment.childAddress(`rotated_${cloud}`, 'presence'), 'replace'],
          [deployment.childAddress(`rotated_${cloud}`, 'result'), 'replace'],
          [registryAddress(`rotated_${cloud}`), 'replace'],
        ]),
      ),
      [TAGS_ADDRESS]: 'update',
    });
    // and each cloud holds one pair under the name, with a new key; the file holds the new private key
    const after = { rotated: await snapshots('rotated'), other: await snapshots('other') };
    for (const cloud of CLOUDS) {
      const [was, now] = [before.rotated[cloud], after.rotated[cloud]];
      expect(now.stored).toHaveLength(1);
      expect(now.outputs.publicKey).not.toBe(was.outputs.publicKey);
      if (cloud !== 'alicloud') expect(now.outputs.keyPairId).not.toBe(was.outputs.keyPairId); // Alibaba: the id is the name
      expect(now.stored[0].fingerprint).toBe(now.outputs.fingerprint);
      expect(now.privateKey).toBeDefined();
      expect(now.privateKey).not.toBe(was.privateKey);
      expect(sshKeygenPublicKeyOf(deployment.privateKeyFile(`rotated_${cloud}`))).toBe(now.outputs.publicKey);
    }
    // and the other pairs are as they were, in the cloud and on disk
    expect(after.other).toEqual(before.other);
    // and the next plan is a no-op
    expect((await deployment.run(['plan', '-detailed-exitcode'])).exitCode).toBe(0);
  });

  test('a pair deleted outside Terraform: what cdktf deploy runs (a plain apply) makes it again, no replacementKey needed', async () => {
    // GIVEN each cloud's rotated pair deleted through the cloud's API
    for (const cloud of CLOUDS) await e2e.deleteOutOfBand(cloud, 'rotated_kp');
    const plan = await deployment.run(['plan', '-detailed-exitcode']);
    expect(plan.exitCode).toBe(2);
    for (const cloud of CLOUDS) expect(oneLine(plan.stdout + plan.stderr)).toContain(missingPairWarning(`e2e/rotated_${cloud}`));
    // WHEN
    const apply = await deployment.apply();
    // THEN the pairs are back, with new keys in their files; the other pairs are untouched; the next plan is a no-op
    expect({ exitCode: apply.exitCode, stderr: oneLine(apply.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    const outputs = await deployment.outputs();
    for (const cloud of CLOUDS) {
      expect(plannedActions(apply.stdout)[deployment.address(`rotated_${cloud}`)]).toBe('replace');
      expect(plannedActions(apply.stdout)[deployment.address(`other_${cloud}`)]).toBeUndefined();
      const now = snapshot(outputs, `rotated_${cloud}`);
      expect(now.stored).toHaveLength(1);
      expect(now.stored[0].fingerprint).toBe(now.outputs.fingerprint);
      expect(sshKeygenPublicKeyOf(deployment.privateKeyFile(`rotated_${cloud}`))).toBe(now.outputs.publicKey);
    }
    expect((await deployment.run(['plan', '-detailed-exitcode'])).exitCode).toBe(0);
  });

  test('destroy removes every pair, and no file of these runs holds a secret', async () => {
    await deployment.destroy();
    for (const cloud of CLOUDS) expect(e2e.emulator.listKeyPairs(cloud)).toEqual([]);
    expect(e2e.secretFindings()).toEqual([]);
  });
});
