/**
 * Rotating a key from code, with real `terraform`: a new `replacementKey` on one key pair replaces that
 * pair alone (new id or key, new private key file, the old pair deleted first), and recreates a pair
 * deleted outside Terraform without `-replace`, which `cdktf deploy` cannot pass.
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
  TAGGING_CLOUDS,
  TAGS_ADDRESS,
} from './helpers';
import { sshKeygenPublicKeyOf } from '../support/ssh-keygen';

jest.setTimeout(240_000);

describe.each(CLOUDS)('%s: rotating a key with replacementKey', (cloud) => {
  const specs = (rotatedKey?: string): KeyPairSpec[] => [
    { id: 'rotated', cloud, source: 'cloud', name: 'rotated_kp', ...(rotatedKey === undefined ? {} : { replacementKey: rotatedKey }) },
    { id: 'other', cloud, source: 'cloud', name: 'other_kp' },
  ];
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
  const snapshot = async (id: string) => {
    const outputs = outputsOf(await deployment.outputs(), id);
    return { outputs, stored: e2e.keyPairsNamed(cloud, deployment.spec(id).name), privateKey: deployment.readPrivateKey(id)?.pem };
  };

  test('a new replacementKey replaces that pair alone: new key and file, the old pair gone, the other untouched', async () => {
    // GIVEN
    const before = { rotated: await snapshot('rotated'), other: await snapshot('other') };
    // WHEN the app sets a replacementKey on one pair
    deployment.synth(specs('2026-03'));
    const apply = await deployment.apply();
    // THEN the plan replaces its carrier, presence, result and registry entry (the tag resource takes the new
    // pair's id in place: its tags are those the create set)
    expect({ exitCode: apply.exitCode, stderr: oneLine(apply.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    expect(plannedActions(apply.stdout)).toEqual({
      [deployment.address('rotated')]: 'replace',
      [deployment.childAddress('rotated', 'presence')]: 'replace',
      [deployment.childAddress('rotated', 'result')]: 'replace',
      [registryAddress('rotated')]: 'replace',
      ...(TAGGING_CLOUDS.includes(cloud) ? { [TAGS_ADDRESS]: 'update' } : {}),
    });
    // and the cloud holds one pair under the name, with a new key; the file holds the new private key
    const after = { rotated: await snapshot('rotated'), other: await snapshot('other') };
    expect(after.rotated.stored).toHaveLength(1);
    expect(after.rotated.outputs.publicKey).not.toBe(before.rotated.outputs.publicKey);
    if (cloud !== 'alicloud') expect(after.rotated.outputs.keyPairId).not.toBe(before.rotated.outputs.keyPairId); // Alibaba: the id is the name
    expect(after.rotated.stored[0].fingerprint).toBe(after.rotated.outputs.fingerprint);
    expect(after.rotated.privateKey).toBeDefined();
    expect(after.rotated.privateKey).not.toBe(before.rotated.privateKey);
    expect(sshKeygenPublicKeyOf(deployment.privateKeyFile('rotated'))).toBe(after.rotated.outputs.publicKey);
    // and the other pair is as it was, in the cloud and on disk
    expect(after.other).toEqual(before.other);
    // and the next plan is a no-op
    expect((await deployment.run(['plan', '-detailed-exitcode'])).exitCode).toBe(0);
  });

  test('a pair deleted outside Terraform: what cdktf deploy runs (a plain apply) makes it again, no replacementKey needed', async () => {
    // GIVEN the rotated pair deleted through the cloud's API
    await e2e.deleteOutOfBand(cloud, 'rotated_kp');
    const plan = await deployment.run(['plan', '-detailed-exitcode']);
    expect(plan.exitCode).toBe(2);
    expect(oneLine(plan.stdout + plan.stderr)).toContain('the key pair of e2e/rotated is gone from the cloud');
    // WHEN
    const apply = await deployment.apply();
    // THEN the pair is back, with a new key in its file; the other pair is untouched; the next plan is a no-op
    expect({ exitCode: apply.exitCode, stderr: oneLine(apply.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    expect(plannedActions(apply.stdout)[deployment.address('rotated')]).toBe('replace');
    expect(plannedActions(apply.stdout)[deployment.address('other')]).toBeUndefined();
    const now = await snapshot('rotated');
    expect(now.stored).toHaveLength(1);
    expect(now.stored[0].fingerprint).toBe(now.outputs.fingerprint);
    expect(sshKeygenPublicKeyOf(deployment.privateKeyFile('rotated'))).toBe(now.outputs.publicKey);
    expect((await deployment.run(['plan', '-detailed-exitcode'])).exitCode).toBe(0);
  });

  test('destroy removes both pairs, and no file of these runs holds a secret', async () => {
    await deployment.destroy();
    expect(e2e.emulator.listKeyPairs(cloud)).toEqual([]);
    expect(e2e.secretFindings()).toEqual([]);
  });
});
