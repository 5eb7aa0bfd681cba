/**
 * Load, and one apply converging under transient faults: 50 key pairs across the three clouds (cloud-generated,
 * imported and generated locally) in one `terraform apply` at Terraform's default parallelism (10), while every
 * cloud throttles about 30 requests of its creates, imports and describes, Tencent answers four creates with its
 * internal error at HTTP 200 (two before the action, two after it), answers to creates and imports are lost
 * after the cloud made the pair (dropped connections, truncated bodies), new pairs show in describes only after
 * a lag, and UCloud accepts a second pair under a name (its uniqueness is undocumented: the harder case).
 *
 * The first apply succeeds. The request journals show every pair whose creates met only throttling created
 * exactly once, every create sent again preceded by a describe that proved the name free or by the delete of
 * what the lost call made, and every lost answer settled within the step; each name holds one pair, with its
 * private key (mode 0600) where it has one. The outputs say what the emulator holds, the plan after the apply
 * is a no-op, and `terraform destroy` (throttled too) deletes each pair once and leaves no key pair and no key
 * file. TF_LOG=TRACE on the apply (the suite's secret scan reads its log).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FaultSpec } from '../../emulator';
import { TUNING_ENV } from '../../handler/tuning';
import type { CloudName } from '../../src/contract';
import { Deployment, EndToEnd, KeyPairSpec, KeySourceName, keyPairIdFormat, outputsOf } from '../e2e/helpers';
import { withoutComment } from '../support/public-key-lines';
import { sshKeygenFingerprint, sshKeygenPublicKeyOf } from '../support/ssh-keygen';
import { KeyFileLog } from './support/evidence';
import {
  CLOUDS,
  createActionOf,
  CREATE_ACTIONS,
  DELETE_ACTION,
  DESCRIBE_ACTION,
  handledCreates,
  IMPORTED_PAIR,
  NOTHING,
  PAIR_WITH_ITS_KEY,
  pairStanding,
  perCloud,
  saveHarnessEvidence,
  SUITE_KEY_BITS,
  SUITE_TUNING,
  TRACE,
  unsettledResends,
} from './support/suite';
import { terraformErrors } from '../support/terraform-diagnostics';

jest.setTimeout(400_000);

const PAIRS = 50;
/** Per cloud: a few generated locally (RSA generation is slow), some imports, the rest cloud-generated. */
function sourceOf(indexInCloud: number): KeySourceName {
  if (indexInCloud % 8 === 3) return 'generate';
  return indexInCloud % 4 === 1 ? 'import' : 'cloud';
}

/** New pairs stay out of describes this long; the handler waits up to its settle time for them. */
const DESCRIBE_LAG_MS = 300;
/**
 * Throttling and lost answers are retried, not waited for: short backoff (the waits are not the subject),
 * a settle time well above the describe lag, and attempts enough for the transient faults one call can meet.
 */
const HANDLER_TUNING = {
  ...SUITE_TUNING,
  [TUNING_ENV.maxAttempts]: '10',
  [TUNING_ENV.settleSeconds]: '1',
  [TUNING_ENV.backoffBaseSeconds]: '0.05',
  [TUNING_ENV.backoffMaxSeconds]: '0.5',
};

type ApplyFault = Omit<FaultSpec, 'cloud' | 'kind'> & { readonly kind: Exclude<FaultSpec['kind'], 'latency'> };

/** The faults of the apply, per cloud: about 30 throttled answers, and answers lost after (or in front of) the action. */
function applyFaults(cloud: CloudName): ApplyFault[] {
  const create = createActionOf(cloud, 'cloud');
  const importAction = createActionOf(cloud, 'import');
  return [
    { action: create, kind: 'throttle', count: 10 },
    { action: importAction, kind: 'throttle', count: 8 },
    { action: DESCRIBE_ACTION[cloud], kind: 'throttle', count: 12 },
    ...(cloud === 'tencentcloud'
      ? [
        { action: create, kind: 'server-error' as const, count: 2 },
        { action: create, kind: 'server-error' as const, count: 2, afterAction: true },
      ]
      : []),
    { action: create, kind: 'drop-connection', count: 2, afterAction: true },
    { action: create, kind: 'malformed-body', count: 1, afterAction: true },
    { action: importAction, kind: 'drop-connection', count: 2, afterAction: true },
    { action: importAction, kind: 'malformed-body', count: 1, afterAction: true },
  ];
}
const DESTROY_THROTTLES = (cloud: CloudName) => [
  { action: DELETE_ACTION[cloud], count: 6 },
  { action: DESCRIBE_ACTION[cloud], count: 8 },
];
const countOf = (faults: ReadonlyArray<{ readonly count?: number }>) => faults.reduce((sum, fault) => sum + (fault.count ?? 1), 0);

describe(`${PAIRS} key pairs in one apply, throttled, with lost answers and describe lag`, () => {
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
    e2e = await EndToEnd.start({ ucloudDuplicateNames: true, describeLagMs: DESCRIBE_LAG_MS, generatedKeyBits: SUITE_KEY_BITS });
    deployment = await e2e.deployment('load', HANDLER_TUNING);
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

  test('the apply succeeds: pairs that met only throttling created exactly once, every resend proven safe, every lost answer settled in the step', async () => {
    // GIVEN every cloud's faults waiting for the apply's requests
    for (const cloud of CLOUDS) for (const fault of applyFaults(cloud)) e2e.emulator.injectFault({ cloud, ...fault });

    // WHEN
    const apply = await deployment.run(['apply', '-auto-approve'], TRACE);

    // THEN the apply succeeded, meeting every fault ...
    expect({ exitCode: apply.exitCode, errors: terraformErrors(apply.stderr) }).toEqual({ exitCode: 0, errors: [] });
    // (each pair's carrier, presence, result and registry entry, the deployment identity and the tag resource)
    expect(apply.stdout).toContain(`Apply complete! Resources: ${4 * PAIRS + 2} added, 0 changed, 0 destroyed.`);
    expect(e2e.emulator.pendingFaults()).toEqual([]);
    expect(perCloud((cloud) => e2e.emulator.requests(cloud).filter((entry) => entry.fault === 'throttle').length))
      .toEqual(perCloud((cloud) => countOf(applyFaults(cloud).filter((fault) => fault.kind === 'throttle'))));
    // ... each name holds one pair, with its private key where it has one; nothing else is in the clouds ...
    expect(perCloud((cloud) => e2e.emulator.listKeyPairs(cloud).map((keyPair) => keyPair.name).sort()))
      .toEqual(perCloud((cloud) => specsOf(cloud).map((spec) => spec.name).sort()));
    expect(specs.map((spec) => `${spec.id}: ${standing(spec, 'after apply')}`))
      .toEqual(specs.map((spec) => `${spec.id}: ${spec.source === 'import' ? IMPORTED_PAIR : PAIR_WITH_ITS_KEY}`));
    // ... every create sent again was preceded by a describe proving the name free, or by the delete of what the lost call made ...
    expect(specs.flatMap((spec) => unsettledResends(e2e.emulator.requests(spec.cloud), spec.cloud, spec.name).map((problem) => `${spec.id}: ${problem}`)))
      .toEqual([]);
    // ... each pair whose creates met nothing but throttling reached the cloud's create once: no duplicate
    // (the others, whose answers were lost, are what the resend check above is about) ...
    const createsOf = (spec: KeyPairSpec) => e2e.emulator.requests(spec.cloud)
      .filter((entry) => CREATE_ACTIONS[spec.cloud].includes(entry.action ?? '') && entry.keyPairNames.includes(spec.name));
    const onlyThrottled = specs.filter((spec) => createsOf(spec).every((entry) => entry.fault === undefined || entry.fault === 'throttle'));
    expect(onlyThrottled.map((spec) => `${spec.id}: ${createsOf(spec).filter((entry) => entry.handled).length}`))
      .toEqual(onlyThrottled.map((spec) => `${spec.id}: 1`));
    const lostAnswers = countOf(CLOUDS.flatMap((cloud) => applyFaults(cloud).filter((fault) => fault.kind !== 'throttle')));
    expect(onlyThrottled.length).toBeGreaterThanOrEqual(PAIRS - lostAnswers);
    // ... and each lost answer was looked up and settled in the step, not left for a second apply (a resend
    // refused as a duplicate, the lost call's pair showing late, is looked up again)
    const lines = (pattern: RegExp) => (apply.stdout.match(pattern) ?? []).length;
    expect(lines(/may or may not have created it \(\S+\); looking it up/g)).toBeGreaterThanOrEqual(lostAnswers);
    expect(lines(/the call whose answer was lost made it|the cloud confirms the lost call made no key pair/g)).toBeGreaterThanOrEqual(lostAnswers);
    console.log(`load: apply of ${PAIRS} pairs under faults took ${(apply.durationMs / 1000).toFixed(1)} s, ${e2e.emulator.requests().length} requests, `
      + `${CLOUDS.reduce((sum, cloud) => sum + handledCreates(e2e.emulator, cloud).length, 0)} creates carried out`);
  });

  test('the outputs say what the clouds hold', async () => {
    // WHEN
    const outputs = await deployment.outputs();

    // THEN
    const mismatches: string[] = [];
    for (const spec of specs) {
      const [stored] = e2e.keyPairsNamed(spec.cloud, spec.name);
      const publicKey = spec.source === 'import'
        ? withoutComment(e2e.importKey(spec.id).publicKey)
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

  test('the plan after it is a no-op', async () => {
    const plan = await deployment.run(['plan', '-detailed-exitcode']);
    expect({ exitCode: plan.exitCode, errors: terraformErrors(plan.stderr) }).toEqual({ exitCode: 0, errors: [] });
  });

  test('destroy, throttled too, deletes each pair once and leaves no key pair and no key file', async () => {
    // GIVEN
    for (const cloud of CLOUDS) {
      for (const throttle of DESTROY_THROTTLES(cloud)) e2e.emulator.injectFault({ cloud, kind: 'throttle', ...throttle });
    }
    const journalBefore = perCloud((cloud) => e2e.emulator.requests(cloud).length);

    // WHEN
    const destroy = await deployment.run(['destroy', '-auto-approve']);

    // THEN
    expect({ exitCode: destroy.exitCode, errors: terraformErrors(destroy.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(destroy.stdout).toContain(`Destroy complete! Resources: ${4 * PAIRS + 2} destroyed.`);
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
