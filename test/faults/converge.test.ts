/**
 * One apply converges under transient faults: 60 key pairs (20 per cloud, half cloud-generated, half
 * imported) in one `terraform apply` at Terraform's default parallelism, while every cloud throttles about
 * 30 requests, Tencent answers four creates with its internal error at HTTP 200 (two before the action, two
 * after it), answers to creates and imports are lost after the cloud made the pair (dropped connections,
 * truncated bodies), new pairs show in describes only after a lag, and UCloud accepts a second pair under a
 * name (its uniqueness is undocumented: the harder case). The first apply succeeds; the request journals show
 * every pair made once in the end, and every create sent again preceded by a describe that proved the name
 * free or by the delete of what the lost call made; the plan after it is a no-op; destroy leaves nothing.
 */
import type { CloudName } from '../../src/contract';
import { Deployment, EndToEnd, KeyPairSpec, KeySourceName } from '../e2e/helpers';
import { KeyFileLog } from './support/evidence';
import {
  CLOUDS,
  createActionOf,
  DESCRIBE_ACTION,
  IMPORTED_PAIR,
  NOTHING,
  PAIR_WITH_ITS_KEY,
  pairStanding,
  perCloud,
  saveHarnessEvidence,
  SUITE_TUNING,
  terraformErrors,
  unsettledResends,
} from './support/suite';

jest.setTimeout(600_000);

const PAIRS_PER_CLOUD = 20;
/** New pairs stay out of describes this long; the handler waits up to its settle time for them. */
const DESCRIBE_LAG_MS = 300;
const HANDLER_TUNING = {
  ...SUITE_TUNING,
  CDKTF_KEYPAIR_SETTLE_SECONDS: '2',
  CDKTF_KEYPAIR_BACKOFF_BASE_SECONDS: '0.2',
  CDKTF_KEYPAIR_BACKOFF_MAX_SECONDS: '2',
};

/** The faults of the first apply, per cloud: about 30 throttled answers, and answers lost after the action. */
function faultsOf(cloud: CloudName): Array<{ action: string; kind: 'throttle' | 'server-error' | 'drop-connection' | 'malformed-body'; count: number; afterAction?: boolean }> {
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

describe('one apply converges under throttling, internal errors, lost answers and describe lag', () => {
  const specs: KeyPairSpec[] = CLOUDS.flatMap((cloud) =>
    Array.from({ length: PAIRS_PER_CLOUD }, (_, index): KeyPairSpec => {
      const source: KeySourceName = index % 2 === 0 ? 'cloud' : 'import';
      return { id: `${cloud}_${index}`, cloud, source, name: `converge_${index}` };
    }),
  );
  const specsOf = (cloud: CloudName) => specs.filter((spec) => spec.cloud === cloud);
  const keyFiles = new KeyFileLog();
  let e2e: EndToEnd;
  let deployment: Deployment;

  beforeAll(async () => {
    e2e = await EndToEnd.start({ ucloudDuplicateNames: true, describeLagMs: DESCRIBE_LAG_MS });
    deployment = await e2e.deployment('converge', HANDLER_TUNING);
    deployment.synth(specs);
    await deployment.init();
  });
  afterAll(async () => {
    if (e2e) saveHarnessEvidence('converge.test.ts', e2e, keyFiles);
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
      context: `converge ${spec.id}: ${context}`,
    });

  test('the first apply succeeds, with every pair made once in the end and every resend proven safe', async () => {
    // GIVEN every cloud's faults waiting for the apply's requests
    for (const cloud of CLOUDS) for (const fault of faultsOf(cloud)) e2e.emulator.injectFault({ cloud, ...fault });

    // WHEN
    const started = Date.now();
    const apply = await deployment.run(['apply', '-auto-approve']);
    const seconds = (Date.now() - started) / 1000;

    // THEN the apply succeeded, meeting every fault
    expect({ exitCode: apply.exitCode, errors: terraformErrors(apply.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(e2e.emulator.pendingFaults()).toEqual([]);
    // each name holds one pair, with its private key where it has one; nothing else is in the clouds
    expect(perCloud((cloud) => e2e.emulator.listKeyPairs(cloud).map((keyPair) => keyPair.name).sort()))
      .toEqual(perCloud((cloud) => specsOf(cloud).map((spec) => spec.name).sort()));
    expect(specs.map((spec) => `${spec.id}: ${standing(spec, 'after the first apply')}`))
      .toEqual(specs.map((spec) => `${spec.id}: ${spec.source === 'import' ? IMPORTED_PAIR : PAIR_WITH_ITS_KEY}`));
    // every create sent again was preceded by a describe proving the name free, or by the delete of what the lost call made
    expect(specs.flatMap((spec) => unsettledResends(e2e.emulator.requests(spec.cloud), spec.cloud, spec.name).map((problem) => `${spec.id}: ${problem}`)))
      .toEqual([]);
    // and the lost answers were settled in the step, not left for a second apply
    const settled = (apply.stdout + apply.stderr).match(/the call whose answer was lost made it|the cloud confirms the lost call made no key pair/g) ?? [];
    expect(settled.length).toBeGreaterThanOrEqual(CLOUDS.length * 2);
    console.log(`converge: first apply of ${specs.length} pairs under faults took ${seconds.toFixed(1)} s, ${e2e.emulator.requests().length} requests`);
  });

  test('the plan after it is a no-op', async () => {
    const plan = await deployment.run(['plan', '-detailed-exitcode']);
    expect({ exitCode: plan.exitCode, errors: terraformErrors(plan.stderr) }).toEqual({ exitCode: 0, errors: [] });
  });

  test('destroy leaves nothing', async () => {
    const destroy = await deployment.run(['destroy', '-auto-approve']);
    expect({ exitCode: destroy.exitCode, errors: terraformErrors(destroy.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(perCloud((cloud) => e2e.emulator.listKeyPairs(cloud))).toEqual(perCloud(() => []));
    expect(specs.map((spec) => `${spec.id}: ${standing(spec, 'after destroy')}`)).toEqual(specs.map((spec) => `${spec.id}: ${NOTHING}`));
  });
});
