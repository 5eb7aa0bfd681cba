/**
 * Failures during `terraform apply`, with real `terraform`: whatever fails after the cloud created a key pair,
 * the create step deletes it again (Terraform taints the resource and would never run its destroy step),
 * so no key pair is left behind, and the next apply starts clean. A private key file is never overwritten.
 *
 * The three clouds and key sources run side by side in one stack, so the step's deadline on the failing
 * calls is waited out once, not once per cloud and key source.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  allPlanned,
  CLOUDS,
  CREATE_ACTIONS,
  Deployment,
  DESCRIBE_ACTION,
  EndToEnd,
  everyCloudAndSource,
  KEY_SOURCES,
  KeyPairSpec,
  KeySourceName,
  oneLine,
  plannedActions,
  registryAddress,
  TAGS_ADDRESS,
} from './helpers';
import { TUNING_ENV } from '../../handler/tuning';
import { perCloud, type CloudName } from '../../src/contract';
import { eventually } from '../support/eventually';

jest.setTimeout(240_000);

const id = (cloud: CloudName, source: KeySourceName) => `${cloud}_${source}`;

describe('a failure after the cloud created the key pair', () => {
  const specs: KeyPairSpec[] = everyCloudAndSource((_cloud, source) => `fail_${source}`);
  let e2e: EndToEnd;
  let deployment: Deployment;

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    deployment = await e2e.deployment();
    deployment.synth(specs);
    await deployment.init();
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  test('the describe that confirms each new key pair is throttled past the step\'s deadline → apply fails, each key pair is deleted again (with time of its own), no private key file is left', async () => {
    // GIVEN every create and import held by its cloud, so that describes are throttled only once every pair
    // is being made (each step's first describe, of the name, must pass) ...
    for (const cloud of CLOUDS) {
      const [create, importAction] = CREATE_ACTIONS[cloud];
      e2e.emulator.injectFault({ cloud, action: create, kind: 'latency', hold: true, count: 1 });
      e2e.emulator.injectFault({ cloud, action: importAction, kind: 'latency', hold: true, count: 2 });
    }

    // WHEN the apply runs
    // (a short step deadline, which the throttling outlasts: the handler waits throttling out until then; long
    // enough that a local RSA generation on a loaded machine still leaves time for the import)
    const shortDeadline = { [TUNING_ENV.deadlineSeconds]: '15', [TUNING_ENV.backoffBaseSeconds]: '0.1', [TUNING_ENV.backoffMaxSeconds]: '0.5' };
    const applying = deployment.run(['apply', '-auto-approve', ...specs.map((spec) => `-target=${deployment.address(spec.id)}`)], { env: shortDeadline });
    // ... and, once all are held, every describe throttled from then on, past the deadline; then the creates land
    const allHeld = await eventually(() => e2e.emulator.pendingFaults().length === 0, 60_000);
    for (const cloud of CLOUDS) e2e.emulator.injectFault({ cloud, action: DESCRIBE_ACTION[cloud], kind: 'throttle', count: 1000 });
    const released = CLOUDS.map((cloud) => e2e.emulator.releaseHeldRequests(cloud));
    const apply = await applying;

    // THEN each cloud did create every key pair, and holds nothing now
    const remaining = perCloud((cloud) => e2e.emulator.listKeyPairs(cloud).map((keyPair) => keyPair.name));
    const made = perCloud((cloud) => e2e.emulator.requests(cloud).filter((entry) => entry.handled && entry.status === 200 && CREATE_ACTIONS[cloud].includes(entry.action ?? '')).length);
    e2e.emulator.reset(); // clears the throttling left over
    expect({ allHeld, released }).toEqual({ allHeld: true, released: CLOUDS.map(() => KEY_SOURCES.length) });
    expect(apply.exitCode).toBe(1);
    expect(made).toEqual(perCloud(() => KEY_SOURCES.length));
    expect(remaining).toEqual(perCloud(() => []));
    const stderr = oneLine(apply.stderr);
    for (const source of KEY_SOURCES) {
      expect(perCloud((cloud) => stderr.includes(`in resource.null_resource.${deployment.keyPair(id(cloud, source)).carrier.friendlyUniqueId}`)))
        .toEqual(perCloud(() => true));
      expect(perCloud((cloud) => new RegExp(`${cloud} key pair "fail_${source}".*deleting the new key pair again`).test(apply.stdout)))
        .toEqual(perCloud(() => true));
      expect(perCloud((cloud) => fs.existsSync(deployment.privateKeyFile(id(cloud, source))))).toEqual(perCloud(() => false));
    }
  });

  test('the next apply creates every key pair, and destroy removes them', async () => {
    // WHEN
    const apply = await deployment.run(['apply', '-auto-approve']);
    const stored = perCloud((cloud) => e2e.emulator.listKeyPairs(cloud).map((keyPair) => keyPair.name).sort());
    const destroy = await deployment.run(['destroy', '-auto-approve']);

    // THEN
    expect({ exitCode: apply.exitCode, stderr: oneLine(apply.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    // The failed creates left tainted carriers: they are replaced (their destroy step is skipped). The targeted
    // applies made the deployment identity (every carrier's owner names it), which stays; each key pair's
    // registry entry, its result and the stack's tag resource come now, with the key pairs. (The plan-time read
    // finds no pair under each name, so each presence changes too: it comes out as before once applied.)
    const carriers = specs.map((spec) => deployment.address(spec.id));
    expect(plannedActions(apply.stdout)).toEqual({
      ...allPlanned(carriers, 'replace'),
      ...allPlanned(specs.map((spec) => deployment.childAddress(spec.id, 'presence')), 'update'),
      ...allPlanned(specs.map((spec) => deployment.childAddress(spec.id, 'result')), 'create'),
      ...allPlanned(specs.map((spec) => registryAddress(spec.id)), 'create'),
      [TAGS_ADDRESS]: 'create',
    });
    expect(apply.stdout).toContain(`Apply complete! Resources: ${3 * specs.length + 1} added, 0 changed, ${specs.length} destroyed.`);
    expect(stored).toEqual(perCloud(() => KEY_SOURCES.map((source) => `fail_${source}`).sort()));
    expect({ exitCode: destroy.exitCode, stderr: oneLine(destroy.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    expect(destroy.stdout).toContain(`Destroy complete! Resources: ${deployment.stackAddresses().length} destroyed.`);
    expect(perCloud((cloud) => e2e.emulator.listKeyPairs(cloud))).toEqual(perCloud(() => []));
    expect(deployment.workspace.leftovers()).toEqual({ pluginProcesses: [], tempEntries: [] });
  });

  test('no state file, plan, terraform output or synthesized file of these runs holds a secret or private key', () => {
    expect(e2e.secretFindings()).toEqual([]);
  });
});

describe('the private key destination is taken', () => {
  const specs: KeyPairSpec[] = CLOUDS.map((cloud) => ({ id: id(cloud, 'cloud'), cloud, source: 'cloud', name: 'taken_cloud' }));
  const SOMEONE_ELSES = 'not a key of this stack\n';
  let e2e: EndToEnd;
  let deployment: Deployment;

  beforeAll(async () => {
    e2e = await EndToEnd.start();
  });
  afterAll(async () => {
    await e2e?.stop();
  });
  beforeEach(async () => {
    deployment = await e2e.deployment();
    deployment.synth(specs);
    await deployment.init();
  });
  afterEach(() => deployment.dispose());

  test('a file there before the apply: apply fails before any key pair is made, the file is untouched', async () => {
    // GIVEN
    for (const cloud of CLOUDS) {
      const file = deployment.privateKeyFile(id(cloud, 'cloud'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, SOMEONE_ELSES);
    }

    // WHEN
    const apply = await deployment.run(['apply', '-auto-approve']);

    // THEN
    expect(apply.exitCode).toBe(1);
    const stderr = oneLine(apply.stderr);
    expect(perCloud((cloud) => stderr.includes(`${deployment.privateKeyFile(id(cloud, 'cloud'))} already exists and no key pair named "taken_cloud" does`)))
      .toEqual(perCloud(() => true));
    expect(stderr).toContain('never overwrites a private key');
    expect(perCloud((cloud) => e2e.countRequests(cloud, CREATE_ACTIONS[cloud]))).toEqual(perCloud(() => 0));
    expect(perCloud((cloud) => e2e.emulator.listKeyPairs(cloud))).toEqual(perCloud(() => []));
    expect(perCloud((cloud) => fs.readFileSync(deployment.privateKeyFile(id(cloud, 'cloud')), 'utf8'))).toEqual(perCloud(() => SOMEONE_ELSES));
  });

  test('a file that appears while the cloud creates the key pair: apply fails, the key pair is deleted again, the file is left alone', async () => {
    // GIVEN a file written at the destination the moment the cloud answers the create
    const created = perCloud(() => false);
    for (const cloud of CLOUDS) {
      e2e.onceRequest(
        (request) => request.cloud === cloud && request.action === CREATE_ACTIONS[cloud][0] && request.status === 200,
        () => {
          created[cloud] = true;
          fs.writeFileSync(deployment.privateKeyFile(id(cloud, 'cloud')), SOMEONE_ELSES);
        },
      );
    }

    // WHEN
    const apply = await deployment.run(['apply', '-auto-approve']);

    // THEN
    expect(created).toEqual(perCloud(() => true));
    expect(apply.exitCode).toBe(1);
    const stderr = oneLine(apply.stderr);
    expect(perCloud((cloud) => stderr.includes(`${deployment.privateKeyFile(id(cloud, 'cloud'))} appeared while the key pair was being created; it was not overwritten`)))
      .toEqual(perCloud(() => true));
    expect(perCloud((cloud) => e2e.emulator.listKeyPairs(cloud))).toEqual(perCloud(() => []));
    expect(perCloud((cloud) => {
      const file = deployment.privateKeyFile(id(cloud, 'cloud'));
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '(removed)';
    })).toEqual(perCloud(() => SOMEONE_ELSES));
  });
});
