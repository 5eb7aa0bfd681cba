/**
 * Key pairs deleted outside Terraform, with real `terraform`: the plan stops with a message naming the
 * resource and `terraform apply -replace=<address>`, that command recreates them (the stack's registry then
 * records the new pairs), and `terraform destroy` works without extra flags even when they are gone again.
 */
import * as fs from 'node:fs';
import {
  allPlanned,
  CLOUDS,
  Deployment,
  EndToEnd,
  KEY_SOURCES,
  KeyPairSpec,
  keyPairIdFormat,
  oneLine,
  outputsOf,
  plannedActions,
  registryAddress,
  TAGGING_CLOUDS,
  TAGS_ADDRESS,
} from './helpers';
import { sshKeygenPublicKeyOf } from '../support/ssh-keygen';

jest.setTimeout(240_000);

describe.each(CLOUDS)('%s key pairs deleted out of band', (cloud) => {
  const specs: KeyPairSpec[] = KEY_SOURCES.map((source) => ({ id: `${source}_kp`, cloud, source, name: `drift_${source}` }));
  let e2e: EndToEnd;
  let deployment: Deployment;
  let firstOutputs: Record<string, string>;
  let replacedOutputs: Record<string, string>;

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    deployment = await e2e.deployment();
    deployment.synth(specs);
    await deployment.init();
    await deployment.apply();
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  test('synthesize a postcondition on the read that the key pair is present', () => {
    // WHEN
    const synthesized = JSON.parse(deployment.workspace.readFile('cdk.tf.json'));

    // THEN
    for (const spec of specs) {
      const read = synthesized.data.external[deployment.keyPair(spec.id).reader.friendlyUniqueId];
      expect(read.lifecycle.postcondition).toEqual([
        expect.objectContaining({ condition: '${self.result["status"] == "present"}', error_message: expect.stringContaining(`terraform apply -replace=${deployment.address(spec.id)}`) }),
      ]);
    }
  });

  test('plan fails naming each vanished key pair\'s address and the remedy', async () => {
    // GIVEN every key pair of the stack deleted through the cloud's API
    firstOutputs = await deployment.outputs();
    for (const spec of specs) await e2e.deleteOutOfBand(cloud, spec.name);
    expect(e2e.emulator.listKeyPairs(cloud)).toEqual([]);

    // WHEN
    const plan = await deployment.run(['plan']);

    // THEN
    expect(plan.exitCode).toBe(1);
    const message = oneLine(plan.stderr);
    for (const spec of specs) {
      expect(message).toContain(`The key pair of ${deployment.address(spec.id)} no longer exists in the cloud`);
      expect(message).toContain(`Run: terraform apply -replace=${deployment.address(spec.id)}`);
    }
  });

  test('terraform apply -replace=<address>, as the message says, recreates them', async () => {
    // WHEN the user runs the command the message names, for each key pair
    const replace = await deployment.run(['apply', '-auto-approve', ...specs.map((spec) => `-replace=${deployment.address(spec.id)}`)]);
    replacedOutputs = await deployment.outputs();

    // THEN each carrier is replaced; the tag resource (on a cloud with tags) follows the new pairs' reads;
    // each registry entry takes the new pair's record (updated in place, or made anew with its carrier); the
    // deployment identity stays, and nothing else changes
    expect({ exitCode: replace.exitCode, stderr: oneLine(replace.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    const tagging = TAGGING_CLOUDS.includes(cloud);
    const planned = plannedActions(replace.stdout);
    const entryActions = specs.map((spec) => planned[registryAddress(spec.id)]);
    expect(entryActions.filter((action) => action !== 'update' && action !== 'replace')).toEqual([]);
    expect(planned).toEqual({
      ...allPlanned(specs.map((spec) => deployment.address(spec.id)), 'replace'),
      ...Object.fromEntries(specs.map((spec, index) => [registryAddress(spec.id), entryActions[index]])),
      ...(tagging ? { [TAGS_ADDRESS]: 'replace' } : {}),
    });
    // (An entry updated in place whose recorded id and fingerprint come out the same, as an Alibaba pair
    // imported again under its name, is no change after all.)
    const recordChanged = (spec: KeyPairSpec) =>
      ['key_pair_id', 'fingerprint'].some((output) => replacedOutputs[`${spec.id}_${output}`] !== firstOutputs[`${spec.id}_${output}`]);
    const replaced = Object.values(planned).filter((action) => action === 'replace').length;
    const changed = specs.filter((spec, index) => entryActions[index] === 'update' && recordChanged(spec)).length;
    expect(replace.stdout).toContain(`Apply complete! Resources: ${replaced} added, ${changed} changed, ${replaced} destroyed.`);
    const records = await deployment.registryRecords();
    for (const spec of specs) {
      expect({ id: spec.id, recorded: records[spec.id]?.recordedKeyPairId, fingerprint: records[spec.id]?.recordedFingerprint })
        .toEqual({ id: spec.id, recorded: replacedOutputs[`${spec.id}_key_pair_id`], fingerprint: replacedOutputs[`${spec.id}_fingerprint`] });
    }
    const replan = await deployment.run(['plan', '-detailed-exitcode']);
    expect(replan.exitCode).toBe(0);
  });

  test.each(KEY_SOURCES)('%s: the recreated key pair is in the cloud, with its outputs and (new) private key', (source) => {
    const spec = deployment.spec(`${source}_kp`);
    const [stored] = e2e.keyPairsNamed(cloud, spec.name);
    expect(stored).toBeDefined();
    const outputs = outputsOf(replacedOutputs, spec.id);
    expect(outputs.keyPairId).toMatch(keyPairIdFormat(cloud, spec.name));
    expect(outputs.fingerprint).toBe(stored.fingerprint);
    if (source === 'import') {
      expect(outputs.publicKey).toBe(outputsOf(firstOutputs, spec.id).publicKey);
    } else {
      expect(deployment.readPrivateKey(spec.id)?.mode).toBe(0o600);
      expect(sshKeygenPublicKeyOf(deployment.privateKeyFile(spec.id))).toBe(outputs.publicKey);
      expect(outputs.publicKey).not.toBe(outputsOf(firstOutputs, spec.id).publicKey);
    }
  });

  test('destroy works without extra flags when the key pairs are gone again', async () => {
    // GIVEN
    for (const keyPair of e2e.emulator.listKeyPairs(cloud)) await e2e.deleteOutOfBand(cloud, keyPair.name);

    // WHEN
    const destroy = await deployment.run(['destroy', '-auto-approve']);

    // THEN every carrier, registry entry, the identity and the tag resource are destroyed
    expect({ exitCode: destroy.exitCode, stderr: oneLine(destroy.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    const addresses = deployment.stackAddresses();
    expect(plannedActions(destroy.stdout)).toEqual(allPlanned(addresses, 'destroy'));
    expect(destroy.stdout).toContain(`Destroy complete! Resources: ${addresses.length} destroyed.`);
    expect(e2e.emulator.listKeyPairs(cloud)).toEqual([]);
    expect(deployment.workspace.leftovers()).toEqual({ pluginProcesses: [], tempEntries: [] });
  });

  test('destroy leaves no private key file of a vanished key pair behind (it would block the next apply)', () => {
    for (const spec of specs) expect(fs.existsSync(deployment.privateKeyFile(spec.id))).toBe(false);
  });

  test('no state file, plan, terraform output or synthesized file of these runs holds a secret or private key', () => {
    expect(e2e.secretFindings()).toEqual([]);
  });
});
