/**
 * Load: 50 key pairs across the three clouds in one `terraform apply` at Terraform's default parallelism
 * (10), with every cloud throttling a share of its creates, imports, describes and deletes. Every pair is
 * created exactly once (the emulator's journal counts the create requests that reached the cloud's action),
 * the outputs say what the emulator holds, every private key file holds its pair's key with mode 0600, and
 * `terraform destroy` (throttled too) leaves no key pair and no key file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CloudName } from '../../src/contract';
import { Deployment, EndToEnd, KeyPairSpec, KeySourceName, keyPairIdFormat, outputsOf } from '../e2e/helpers';
import { sshKeygenFingerprint, sshKeygenPublicKeyOf } from '../support/ssh-keygen';
import { KeyFileLog } from './support/evidence';
import {
  CLOUDS,
  DELETE_ACTION,
  DESCRIBE_ACTION,
  handledCreates,
  IMPORTED_PAIR,
  NOTHING,
  PAIR_WITH_ITS_KEY,
  pairStanding,
  perCloud,
  saveHarnessEvidence,
  SUITE_TUNING,
  terraformErrors,
  TRACE,
} from './support/suite';

jest.setTimeout(400_000);

const PAIRS = 50;
/** Per cloud: a few generated locally (RSA generation is slow), some imports, the rest cloud-generated. */
function sourceOf(indexInCloud: number): KeySourceName {
  if (indexInCloud % 8 === 3) return 'generate';
  return indexInCloud % 4 === 1 ? 'import' : 'cloud';
}

/**
 * Throttled answers per cloud and action. Each count stays below the handler's attempts per call, so no
 * single call can be refused every time however the throttled answers fall among the parallel runs.
 */
const MAX_ATTEMPTS = 10;
const APPLY_THROTTLES = (cloud: CloudName) => [
  { action: cloud === 'ucloud' ? 'CreateUHostKeyPair' : 'CreateKeyPair', count: 6 },
  { action: cloud === 'ucloud' ? 'ImportUHostKeyPairs' : 'ImportKeyPair', count: 3 },
  { action: DESCRIBE_ACTION[cloud], count: 8 },
];
const DESTROY_THROTTLES = (cloud: CloudName) => [
  { action: DELETE_ACTION[cloud], count: 6 },
  { action: DESCRIBE_ACTION[cloud], count: 8 },
];

describe(`${PAIRS} key pairs in one apply, throttled`, () => {
  const specs: KeyPairSpec[] = Array.from({ length: PAIRS }, (_, index) => {
    const cloud = CLOUDS[index % CLOUDS.length];
    const indexInCloud = Math.floor(index / CLOUDS.length);
    return { id: `${cloud}_${indexInCloud}`, cloud, source: sourceOf(indexInCloud), name: `load_${indexInCloud}` };
  });
  const specsOf = (cloud: CloudName) => specs.filter((spec) => spec.cloud === cloud);
  const keyFiles = new KeyFileLog();
  let e2e: EndToEnd;
  let deployment: Deployment;

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    deployment = await e2e.deployment('load', { ...SUITE_TUNING, CDKTF_KEYPAIR_MAX_ATTEMPTS: String(MAX_ATTEMPTS) });
    deployment.synth(specs);
    await deployment.init();
  });
  afterAll(async () => {
    if (e2e) saveHarnessEvidence('load.test.ts', e2e, keyFiles);
    await e2e?.stop();
  });

  const standing = (spec: KeyPairSpec, context: string) =>
    pairStanding({
      emulator: e2e.emulator,
      cloud: spec.cloud,
      name: spec.name,
      source: spec.source,
      privateKeyFile: spec.source === 'import' ? undefined : deployment.privateKeyFile(spec.id),
      keyFiles,
      context: `load ${spec.id}: ${context}`,
    });

  test('apply creates every pair exactly once, despite the throttling', async () => {
    // GIVEN every cloud throttling a share of its creates, imports and describes
    const injected = perCloud((cloud) => APPLY_THROTTLES(cloud).reduce((sum, throttle) => sum + throttle.count, 0));
    for (const cloud of CLOUDS) {
      for (const throttle of APPLY_THROTTLES(cloud)) e2e.emulator.injectFault({ cloud, kind: 'throttle', ...throttle });
    }

    // WHEN
    const apply = await deployment.run(['apply', '-auto-approve'], TRACE);

    // THEN
    expect({ exitCode: apply.exitCode, errors: terraformErrors(apply.stderr) }).toEqual({ exitCode: 0, errors: [] });
    // (each pair's carrier and registry entry, the deployment identity and the tag resource)
    expect(apply.stdout).toContain(`Apply complete! Resources: ${2 * PAIRS + 2} added, 0 changed, 0 destroyed.`);
    // every throttled answer was given (and retried past) ...
    expect(e2e.emulator.pendingFaults()).toEqual([]);
    expect(perCloud((cloud) => e2e.emulator.requests(cloud).filter((entry) => entry.fault === 'throttle').length)).toEqual(injected);
    // ... and each pair's create reached the cloud once: no duplicate, no pair made twice
    expect(perCloud((cloud) => handledCreates(e2e.emulator, cloud).length)).toEqual(perCloud((cloud) => specsOf(cloud).length));
    expect(perCloud((cloud) => e2e.emulator.listKeyPairs(cloud).map((keyPair) => keyPair.name).sort()))
      .toEqual(perCloud((cloud) => specsOf(cloud).map((spec) => spec.name).sort()));
    expect(specs.map((spec) => `${spec.id}: ${standing(spec, 'after apply')}`))
      .toEqual(specs.map((spec) => `${spec.id}: ${spec.source === 'import' ? IMPORTED_PAIR : PAIR_WITH_ITS_KEY}`));
  });

  test('the outputs say what the clouds hold', async () => {
    // WHEN
    const outputs = await deployment.outputs();

    // THEN
    const mismatches: string[] = [];
    for (const spec of specs) {
      const [stored] = e2e.keyPairsNamed(spec.cloud, spec.name);
      const publicKey = spec.source === 'import'
        ? e2e.importKey(spec.id).publicKey.split(' ').slice(0, 2).join(' ')
        : sshKeygenPublicKeyOf(deployment.privateKeyFile(spec.id));
      const expected = {
        keyPairId: spec.cloud === 'alicloud' ? spec.name : stored.id,
        keyPairName: spec.name,
        // The cloud's own fingerprint (Alibaba's comes with or without colons: docs/cloud-behaviour.md#alibaba-fingerprint-colons).
        fingerprint: stored.fingerprint.replace(/:/g, '').toLowerCase(),
        fingerprintSha256: sshKeygenFingerprint(publicKey, 'sha256'),
        publicKey,
      };
      const actual = outputsOf(outputs, spec.id);
      const got = { ...actual, fingerprint: actual.fingerprint.replace(/:/g, '').toLowerCase() };
      if (JSON.stringify(got) !== JSON.stringify(expected) || !keyPairIdFormat(spec.cloud, spec.name).test(actual.keyPairId)) {
        mismatches.push(`${spec.id}: ${JSON.stringify(got)} != ${JSON.stringify(expected)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  test('destroy, throttled too, leaves no key pair and no key file', async () => {
    // GIVEN
    for (const cloud of CLOUDS) {
      for (const throttle of DESTROY_THROTTLES(cloud)) e2e.emulator.injectFault({ cloud, kind: 'throttle', ...throttle });
    }
    const journalBefore = perCloud((cloud) => e2e.emulator.requests(cloud).length);

    // WHEN
    const destroy = await deployment.run(['destroy', '-auto-approve'], TRACE);

    // THEN
    expect({ exitCode: destroy.exitCode, errors: terraformErrors(destroy.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(destroy.stdout).toContain(`Destroy complete! Resources: ${2 * PAIRS + 2} destroyed.`);
    expect(e2e.emulator.pendingFaults()).toEqual([]);
    expect(perCloud((cloud) => e2e.emulator.requests(cloud).slice(journalBefore[cloud])
      .filter((entry) => entry.handled && entry.action === DELETE_ACTION[cloud]).length))
      .toEqual(perCloud((cloud) => specsOf(cloud).length));
    expect(perCloud((cloud) => e2e.emulator.listKeyPairs(cloud))).toEqual(perCloud(() => []));
    expect(specs.map((spec) => `${spec.id}: ${standing(spec, 'after destroy')}`)).toEqual(specs.map((spec) => `${spec.id}: ${NOTHING}`));
    const keyDirectory = path.dirname(deployment.privateKeyFile(specs[0].id));
    expect(fs.existsSync(keyDirectory) ? fs.readdirSync(keyDirectory) : []).toEqual([]);
    expect(deployment.workspace.leftovers()).toEqual({ pluginProcesses: [], tempEntries: [] });
  });
});
