/**
 * Key pairs deleted outside Terraform, with real `terraform`, one stack holding every cloud and key source:
 * the next plan says which pairs are gone and plans to make them again (a warning per pair; each carrier
 * replaced through its presence resource), a plain `terraform apply` (what `cdktf deploy` runs) makes them
 * again with their private keys and new records, the plan after it is a no-op, and `terraform destroy`
 * works without extra flags when they are gone again.
 */
import * as fs from 'node:fs';
import {
  allPlanned,
  CLOUDS,
  Deployment,
  EndToEnd,
  everyCloudAndSource,
  KeyPairSpec,
  keyPairIdFormat,
  MISSING_PAIR_NEEDLE,
  oneLine,
  outputsOf,
  plannedActions,
  registryAddress,
  TAGS_ADDRESS,
} from './helpers';
import { missingPairWarning } from '../../src/lifecycle-resources';
import { sshKeygenPublicKeyOf } from '../support/ssh-keygen';
import type { TerraformRunResult } from '../support/terraform';

jest.setTimeout(240_000);

describe('key pairs deleted out of band', () => {
  const specs: KeyPairSpec[] = everyCloudAndSource((_cloud, source) => `drift_${source}`);
  let e2e: EndToEnd;
  let deployment: Deployment;
  let firstOutputs: Record<string, string>;
  let healedOutputs: Record<string, string>;
  let plan: TerraformRunResult;

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    deployment = await e2e.deployment();
    deployment.synth(specs);
    await deployment.init();
    await deployment.apply();
    firstOutputs = await deployment.outputs();
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  test('the plan says which key pairs are gone and makes each again: its carrier replaced, its records renewed', async () => {
    // GIVEN every key pair of the stack deleted through the cloud's API
    for (const spec of specs) await e2e.deleteOutOfBand(spec.cloud, spec.name);
    for (const cloud of CLOUDS) expect(e2e.emulator.listKeyPairs(cloud)).toEqual([]);

    // WHEN
    plan = await deployment.run(['plan', '-detailed-exitcode']);

    // THEN the plan succeeds with changes, warns once per vanished pair, naming its construct ...
    expect(plan.exitCode).toBe(2);
    const text = oneLine(plan.stdout + plan.stderr);
    for (const spec of specs) {
      expect(text).toContain(missingPairWarning(`e2e/${spec.id}`));
    }
    // ... and replaces each carrier because its presence changed; the result and registry entry follow
    const planned = plannedActions(plan.stdout);
    for (const spec of specs) {
      expect(plan.stdout).toContain(`# ${deployment.address(spec.id)} will be replaced due to changes in replace_triggered_by`);
      expect({ id: spec.id, carrier: planned[deployment.address(spec.id)], presence: planned[deployment.childAddress(spec.id, 'presence')], result: planned[deployment.childAddress(spec.id, 'result')], entry: planned[registryAddress(spec.id)] })
        .toEqual({ id: spec.id, carrier: 'replace', presence: 'update', result: 'replace', entry: 'replace' });
    }
  });

  test('a plain apply (what cdktf deploy runs) makes them again; the plan after it is a no-op', async () => {
    // WHEN
    const apply = await deployment.run(['apply', '-auto-approve']);
    healedOutputs = await deployment.outputs();

    // THEN
    expect({ exitCode: apply.exitCode, stderr: oneLine(apply.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    const records = await deployment.registryRecords();
    for (const spec of specs) {
      expect({ id: spec.id, recorded: records[spec.id]?.recordedKeyPairId, fingerprint: records[spec.id]?.recordedFingerprint })
        .toEqual({ id: spec.id, recorded: healedOutputs[`${spec.id}_key_pair_id`], fingerprint: healedOutputs[`${spec.id}_fingerprint`] });
    }
    const replan = await deployment.run(['plan', '-detailed-exitcode']);
    expect({ exitCode: replan.exitCode, stderr: oneLine(replan.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    expect(oneLine(replan.stdout)).not.toContain(MISSING_PAIR_NEEDLE);
  });

  test.each(specs.map((spec) => [spec.id, spec] as const))('%s: the key pair made again is in the cloud, with its outputs and (new) private key', (_id, spec) => {
    const [stored] = e2e.keyPairsNamed(spec.cloud, spec.name);
    expect(stored).toBeDefined();
    const outputs = outputsOf(healedOutputs, spec.id);
    expect(outputs.keyPairId).toMatch(keyPairIdFormat(spec.cloud, spec.name));
    expect(outputs.fingerprint).toBe(stored.fingerprint);
    if (spec.source === 'import') {
      expect(outputs.publicKey).toBe(outputsOf(firstOutputs, spec.id).publicKey);
    } else {
      expect(deployment.readPrivateKey(spec.id)?.mode).toBe(0o600);
      expect(sshKeygenPublicKeyOf(deployment.privateKeyFile(spec.id))).toBe(outputs.publicKey);
      expect(outputs.publicKey).not.toBe(outputsOf(firstOutputs, spec.id).publicKey);
    }
  });

  test('a runner killed mid-apply (carriers recorded, creates never run): the next apply makes the pairs; then a no-op', async () => {
    // GIVEN the state a killed apply leaves: the carriers recorded (as a state snapshot taken while their
    // create steps ran has them), nothing after them, no pair in the cloud and no key file
    const after = specs.flatMap((spec) => [deployment.childAddress(spec.id, 'result'), registryAddress(spec.id)]);
    expect((await deployment.run(['state', 'rm', ...after])).exitCode).toBe(0);
    for (const spec of specs) await e2e.deleteOutOfBand(spec.cloud, spec.name);
    for (const spec of specs) fs.rmSync(deployment.privateKeyFile(spec.id), { force: true });

    // WHEN
    const apply = await deployment.run(['apply', '-auto-approve']);
    const replan = await deployment.run(['plan', '-detailed-exitcode']);

    // THEN every pair is made again, with its key file, its result and its registry entry; the plan after is a no-op
    expect({ exitCode: apply.exitCode, stderr: oneLine(apply.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    const planned = plannedActions(apply.stdout);
    const outputs = await deployment.outputs();
    for (const spec of specs) {
      expect({ id: spec.id, carrier: planned[deployment.address(spec.id)], result: planned[deployment.childAddress(spec.id, 'result')], entry: planned[registryAddress(spec.id)] })
        .toEqual({ id: spec.id, carrier: 'replace', result: 'create', entry: 'create' });
      expect(e2e.keyPairsNamed(spec.cloud, spec.name)).toHaveLength(1);
      if (spec.source !== 'import') expect(sshKeygenPublicKeyOf(deployment.privateKeyFile(spec.id))).toBe(outputsOf(outputs, spec.id).publicKey);
    }
    expect({ exitCode: replan.exitCode, stderr: oneLine(replan.stderr) }).toEqual({ exitCode: 0, stderr: '' });
  });

  test('destroy works without extra flags when the key pairs are gone again', async () => {
    // GIVEN
    for (const cloud of CLOUDS) for (const keyPair of e2e.emulator.listKeyPairs(cloud)) await e2e.deleteOutOfBand(cloud, keyPair.name);

    // WHEN
    const destroy = await deployment.run(['destroy', '-auto-approve']);

    // THEN every carrier, presence, result, registry entry, the identity and the tag resource are destroyed
    expect({ exitCode: destroy.exitCode, stderr: oneLine(destroy.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    const addresses = deployment.stackAddresses();
    expect(addresses).toContain(TAGS_ADDRESS);
    expect(plannedActions(destroy.stdout)).toEqual(allPlanned(addresses, 'destroy'));
    expect(destroy.stdout).toContain(`Destroy complete! Resources: ${addresses.length} destroyed.`);
    for (const cloud of CLOUDS) expect(e2e.emulator.listKeyPairs(cloud)).toEqual([]);
    expect(deployment.workspace.leftovers()).toEqual({ pluginProcesses: [], tempEntries: [] });
  });

  test('destroy leaves no private key file of a vanished key pair behind (it would block the next apply)', () => {
    for (const spec of specs) expect(fs.existsSync(deployment.privateKeyFile(spec.id))).toBe(false);
  });

  test('no state file, plan, terraform output or synthesized file of these runs holds a secret or private key', () => {
    expect(e2e.secretFindings()).toEqual([]);
  });
});
