/**
 * Destroying a key pair still bound to an instance (the usual case when an instance and its key are
 * destroyed together), with real `terraform`, on the clouds that refuse such a delete with an in-use code
 * (Alibaba Cloud, Tencent Cloud): the destroy step retries for `deleteTimeoutSeconds`, succeeds once the
 * binding is gone, and otherwise fails with the remedy. Both clouds run side by side in one stack.
 *
 * In a destroy the stack's registry entry deletes the pair (its carrier's destroy step then finds it gone),
 * with the `deleteTimeoutSeconds` its entry holds in state: each changed timeout is applied before a destroy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allPlanned, Deployment, EndToEnd, KeyPairSpec, oneLine, plannedActions, registryAddress, TAGGING_CLOUDS, TAGS_ADDRESS } from './helpers';
import { TUNING_ENV } from '../../handler/tuning';
import type { CloudName } from '../../src/contract';

jest.setTimeout(240_000);

const CLOUDS_REFUSING_BOUND_DELETES: readonly CloudName[] = TAGGING_CLOUDS;

/** One value per cloud that refuses to delete a bound key pair. */
function perRefusingCloud<T>(value: (cloud: CloudName) => T): Partial<Record<CloudName, T>> {
  return Object.fromEntries(CLOUDS_REFUSING_BOUND_DELETES.map((cloud) => [cloud, value(cloud)]));
}

describe('a key pair bound to an instance', () => {
  const specs = (deleteTimeoutSeconds?: number): KeyPairSpec[] =>
    CLOUDS_REFUSING_BOUND_DELETES.map((cloud) => ({
      id: `${cloud}_kp`,
      cloud,
      source: 'cloud',
      name: 'bound_cloud',
      ...(deleteTimeoutSeconds !== undefined ? { deleteTimeoutSeconds } : {}),
    }));
  let e2e: EndToEnd;
  let deployment: Deployment;

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    // A 1 s wait between deletes of a pair in use, where the default is 5 s (handler/tuning.ts): the retries
    // are the subject, not their pace.
    deployment = await e2e.deployment('e2e', { [TUNING_ENV.inUseRetrySeconds]: '1' });
    deployment.synth(specs());
    await deployment.init();
    await deployment.apply();
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  /** The delete timeout of each registry entry's destroy step, as the synthesized configuration gives it. */
  const destroyStepTimeouts = (): Record<string, string> => {
    const config = JSON.parse(fs.readFileSync(path.join(deployment.workspace.workingDirectory, 'cdk.tf.json'), 'utf8'));
    const [destroyStep] = config.resource.terraform_data.cdktf_keypair_registry.provisioner;
    const expression: string = destroyStep['local-exec'].environment.CDKTF_KEYPAIR_DELETE_TIMEOUT_SECONDS;
    return Object.fromEntries([...expression.matchAll(/"([^"]+)" = "(\d+)"/g)].map(([, key, seconds]) => [key, seconds]));
  };

  /** The registry entries of the key pairs. */
  const registryEntries = () => CLOUDS_REFUSING_BOUND_DELETES.map((cloud) => registryAddress(`${cloud}_kp`));

  test('changing deleteTimeoutSeconds replaces nothing; the destroy step takes it from the configuration', async () => {
    // GIVEN the stack synthesized again with a one-second delete timeout
    const ids = perRefusingCloud((cloud) => e2e.keyPairsNamed(cloud, 'bound_cloud').map((keyPair) => keyPair.id));
    deployment.synth(specs(1));

    // WHEN planned and applied
    const plan = await deployment.run(['plan', '-detailed-exitcode']);
    const apply = await deployment.apply();
    const replan = await deployment.run(['plan', '-detailed-exitcode']);

    // THEN the plan replaces nothing: at most the registry entries, which keep the timeout in state for the
    // destroy step that deletes the pair, are updated in place
    expect(plan.stderr).toBe('');
    const planned = plannedActions(plan.stdout);
    expect(Object.entries(planned).filter(([address, action]) => action !== 'update' || !registryEntries().includes(address))).toEqual([]);
    expect(apply.stdout).toContain(`Apply complete! Resources: 0 added, ${Object.keys(planned).length} changed, 0 destroyed.`);
    expect(perRefusingCloud((cloud) => e2e.keyPairsNamed(cloud, 'bound_cloud').map((keyPair) => keyPair.id))).toEqual(ids);
    expect({ exitCode: replan.exitCode, stderr: replan.stderr }).toEqual({ exitCode: 0, stderr: '' });
    // AND each registry entry's destroy step takes the new timeout from the configuration (its record in
    // state never changes)
    expect(perRefusingCloud((cloud) => destroyStepTimeouts()[`${cloud}_kp`])).toEqual(perRefusingCloud(() => '1'));
  });

  test('still bound when deleteTimeoutSeconds runs out: destroy fails with the remedy, the key pair and its private key stay', async () => {
    // GIVEN each key pair bound to an instance until released
    for (const cloud of CLOUDS_REFUSING_BOUND_DELETES) e2e.emulator.bindKeyPair(cloud, 'bound_cloud');

    // WHEN destroyed with the one-second delete timeout
    const destroy = await deployment.run(['destroy', '-auto-approve']);

    // THEN
    for (const cloud of CLOUDS_REFUSING_BOUND_DELETES) e2e.emulator.releaseKeyPair(cloud, 'bound_cloud');
    expect(destroy.exitCode).toBe(1);
    const stderr = oneLine(destroy.stderr);
    expect(perRefusingCloud((cloud) => stderr.includes(`${cloud} key pair "bound_cloud" (`) && stderr.includes('could still not be deleted after 1 s of retries')))
      .toEqual(perRefusingCloud(() => true));
    expect(stderr).toContain('detach it (or delete the instance), then run terraform destroy again');
    expect(perRefusingCloud((cloud) => e2e.keyPairsNamed(cloud, 'bound_cloud').length)).toEqual(perRefusingCloud(() => 1));
    expect(perRefusingCloud((cloud) => deployment.readPrivateKey(`${cloud}_kp`)?.mode)).toEqual(perRefusingCloud(() => 0o600));
  });

  test('bound for two more deletes: destroy retries, then succeeds once the binding is gone', async () => {
    // GIVEN each key pair bound for two more delete attempts (the handler waits 1 s between them here), and the
    // default delete timeout applied again (which replaces no key pair; the apply also brings back the tag
    // resource, which the failed destroy did remove)
    const ids = perRefusingCloud((cloud) => e2e.keyPairsNamed(cloud, 'bound_cloud').map((keyPair) => keyPair.id));
    deployment.synth(specs());
    const apply = await deployment.apply();
    expect(Object.entries(plannedActions(apply.stdout)).filter(([address, action]) => action !== 'update' && address !== TAGS_ADDRESS)).toEqual([]);
    expect(perRefusingCloud((cloud) => e2e.keyPairsNamed(cloud, 'bound_cloud').map((keyPair) => keyPair.id))).toEqual(ids);
    expect(perRefusingCloud((cloud) => destroyStepTimeouts()[`${cloud}_kp`])).toEqual(perRefusingCloud(() => '300'));
    for (const cloud of CLOUDS_REFUSING_BOUND_DELETES) e2e.emulator.bindKeyPair(cloud, 'bound_cloud', { deleteAttempts: 2 });

    // WHEN
    const destroy = await deployment.run(['destroy', '-auto-approve']);

    // THEN
    expect({ exitCode: destroy.exitCode, stderr: oneLine(destroy.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    const addresses = deployment.stackAddresses();
    expect(plannedActions(destroy.stdout)).toEqual(allPlanned(addresses, 'destroy'));
    expect(destroy.stdout).toContain(`Destroy complete! Resources: ${addresses.length} destroyed.`);
    const retries = (cloud: CloudName) =>
      destroy.stdout.split('\n').filter((line) => line.includes(`${cloud} key pair "bound_cloud"`) && /is still in use \(.+\); retrying in 1 s/.test(line)).length;
    expect(perRefusingCloud(retries)).toEqual(perRefusingCloud(() => 2));
    expect(perRefusingCloud((cloud) => e2e.emulator.listKeyPairs(cloud))).toEqual(perRefusingCloud(() => []));
    expect(perRefusingCloud((cloud) => fs.existsSync(deployment.privateKeyFile(`${cloud}_kp`)))).toEqual(perRefusingCloud(() => false));
  });

  test('no state file, plan, terraform output or synthesized file of these runs holds a secret or private key', () => {
    expect(e2e.secretFindings()).toEqual([]);
  });
});
