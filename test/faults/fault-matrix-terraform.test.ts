/**
 * A representative share of the fault matrix (`fault-matrix.test.ts` runs all of it through runHandler)
 * through real `terraform`, one stack holding a cloud-generated key pair per cloud, each cloud given its own
 * fault in the same run: at create (throttled, then the answer lost after the cloud made the pair; the answer
 * later than the request timeout: each settled within the one apply), at read (every describe throttled past
 * the step's deadline, a connection dropped once) and at delete (the answer lost after the cloud deleted the
 * pair, a wrong access key secret). Every run ends in success, or fails naming each cloud's code; afterwards
 * each pair is there with its private key file or gone with it. TF_LOG=TRACE where a fault is met (the suite's
 * secret scan reads those logs); the plans that only check for no change run without it.
 */
import type { FaultSpec } from '../../emulator';
import { TUNING_ENV } from '../../handler/tuning';
import type { CloudName } from '../../src/contract';
import { Deployment, EndToEnd, KeyPairSpec } from '../e2e/helpers';
import { KeyFileLog } from './support/evidence';
import {
  BAD_CREDENTIALS,
  BAD_SECRETS,
  CLOUD_CODES,
  CLOUDS,
  createActionOf,
  DELETE_ACTION,
  DESCRIBE_ACTION,
  failedWith,
  handledCreates,
  NOTHING,
  PAIR_WITH_ITS_KEY,
  pairStanding,
  perCloud,
  saveHarnessEvidence,
  SUITE_KEY_BITS,
  FAST_SETTLE_TUNING,
  TRACE,
  unsettledResends,
} from './support/suite';
import { errorAbout, terraformErrors } from '../support/terraform-diagnostics';

jest.setTimeout(240_000);

const TUNING = FAST_SETTLE_TUNING;

describe('faults at create, read and delete through terraform', () => {
  const specs: KeyPairSpec[] = CLOUDS.map((cloud) => ({ id: `${cloud}_kp`, cloud, source: 'cloud', name: 'tf_fault' }));
  const spec = (cloud: CloudName) => specs.find((candidate) => candidate.cloud === cloud)!;
  const keyFiles = new KeyFileLog();
  let e2e: EndToEnd;
  let deployment: Deployment;

  beforeAll(async () => {
    e2e = await EndToEnd.start({ generatedKeyBits: SUITE_KEY_BITS });
    e2e.addSecret('a wrong secret', BAD_SECRETS[0].value);
    deployment = await e2e.deployment('faults', TUNING);
    deployment.synth(specs);
    await deployment.init();
  });
  afterAll(async () => {
    if (e2e) saveHarnessEvidence('fault-matrix-terraform.test.ts', e2e, keyFiles, BAD_SECRETS);
    await e2e?.stop();
  });

  const standings = (context: string) =>
    perCloud((cloud) => pairStanding({
      emulator: e2e.emulator,
      cloud,
      name: spec(cloud).name,
      source: 'cloud',
      privateKeyFile: deployment.privateKeyFile(spec(cloud).id),
      keyFiles,
      context: `fault-matrix-terraform ${cloud}: ${context}`,
    }));
  // Every pair of the stack is read by one data source: its one error names each pair that failed.
  const reader = (_cloud: CloudName) => 'data.external.cdktf_keypair_read';
  const inject = (faults: Record<CloudName, Omit<FaultSpec, 'cloud'>>) => {
    for (const cloud of CLOUDS) e2e.emulator.injectFault({ cloud, ...faults[cloud] });
  };

  test('each create throttled twice, then its answer lost after the cloud made the pair: settled within the one apply, which succeeds with one pair each', async () => {
    // GIVEN (faults are met in the order they were injected: the create's first two attempts are throttled)
    inject(perCloud((cloud) => ({ action: createActionOf(cloud, 'cloud'), kind: 'throttle', count: 2 })));
    inject({
      alicloud: { action: createActionOf('alicloud', 'cloud'), kind: 'server-error', afterAction: true },
      tencentcloud: { action: createActionOf('tencentcloud', 'cloud'), kind: 'drop-connection', afterAction: true },
      ucloud: { action: createActionOf('ucloud', 'cloud'), kind: 'malformed-body', afterAction: true },
    });

    // WHEN
    const apply = await deployment.run(['apply', '-auto-approve'], TRACE);

    // THEN the throttled creates were retried, and each cloud made a pair whose private key was lost with the
    // answer: the step found it (ours by our tag; on UCloud, because the name was free when the step sent its
    // create), deleted it and made another
    expect({ exitCode: apply.exitCode, errors: terraformErrors(apply.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(e2e.emulator.pendingFaults()).toEqual([]);
    expect(perCloud((cloud) => e2e.emulator.requests(cloud).filter((entry) => entry.fault === 'throttle').length)).toEqual(perCloud(() => 2));
    expect(perCloud((cloud) => handledCreates(e2e.emulator, cloud).length)).toEqual(perCloud(() => 2));
    expect(perCloud((cloud) => unsettledResends(e2e.emulator.requests(cloud), cloud, 'tf_fault'))).toEqual(perCloud(() => []));
    expect(apply.stdout.match(/the call whose answer was lost made it, and its private key was lost with the answer/g)).toHaveLength(CLOUDS.length);
    expect(standings('after the apply')).toEqual(perCloud(() => PAIR_WITH_ITS_KEY));
  });

  test('every describe throttled past the step\'s deadline at plan: the plan fails naming each cloud\'s throttling code and the deadline, nothing changes', async () => {
    // GIVEN every describe refused for longer than a short step deadline (throttling is waited out until then)
    inject(perCloud((cloud) => ({ action: DESCRIBE_ACTION[cloud], kind: 'throttle', count: 1_000 })));
    const shortDeadline = { [TUNING_ENV.deadlineSeconds]: '2', [TUNING_ENV.backoffBaseSeconds]: '0.1', [TUNING_ENV.backoffMaxSeconds]: '0.3' };

    // WHEN
    const plan = await deployment.run(['plan'], { env: { ...TRACE.env, ...shortDeadline } });

    // THEN
    expect(plan.exitCode).toBe(1);
    expect(perCloud((cloud) => errorAbout(plan.stderr, reader(cloud))?.includes(failedWith(CLOUD_CODES.throttle[cloud]))))
      .toEqual(perCloud(() => true));
    expect(perCloud((cloud) => errorAbout(plan.stderr, reader(cloud))?.includes("at the step's deadline of 2.0 s"))).toEqual(perCloud(() => true));
    e2e.emulator.clearFaults();
    expect(standings('after the refused plan')).toEqual(perCloud(() => PAIR_WITH_ITS_KEY));
  });

  test('a describe\'s connection dropped once at plan: retried, the plan shows no change (the apply converged)', async () => {
    // GIVEN
    inject(perCloud((cloud) => ({ action: DESCRIBE_ACTION[cloud], kind: 'drop-connection' })));

    // WHEN
    const plan = await deployment.run(['plan', '-detailed-exitcode', '-out=faults.tfplan'], TRACE);
    await deployment.runOrThrow(['show', '-json', 'faults.tfplan']);

    // THEN
    expect({ exitCode: plan.exitCode, errors: terraformErrors(plan.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(e2e.emulator.pendingFaults()).toEqual([]);
  });

  test('destroy with a wrong access key secret: fails naming each cloud\'s code, every pair and key file stays', async () => {
    // WHEN
    const destroy = await deployment.run(['destroy', '-auto-approve'], { env: { ...TRACE.env, ...BAD_CREDENTIALS['wrong-secret'] } });

    // THEN the read at plan already refuses: nothing is deleted
    expect(destroy.exitCode).toBe(1);
    expect(perCloud((cloud) => errorAbout(destroy.stderr, reader(cloud))?.includes(failedWith(CLOUD_CODES['wrong-secret'][cloud]))))
      .toEqual(perCloud(() => true));
    expect(standings('after the refused destroy')).toEqual(perCloud(() => PAIR_WITH_ITS_KEY));
  });

  test('the answer to each delete lost after the cloud deleted the pair: destroy succeeds, nothing left', async () => {
    // GIVEN
    inject({
      alicloud: { action: DELETE_ACTION.alicloud, kind: 'drop-connection', afterAction: true },
      tencentcloud: { action: DELETE_ACTION.tencentcloud, kind: 'server-error', afterAction: true },
      ucloud: { action: DELETE_ACTION.ucloud, kind: 'malformed-body', afterAction: true },
    });

    // WHEN
    const destroy = await deployment.run(['destroy', '-auto-approve'], TRACE);

    // THEN
    expect({ exitCode: destroy.exitCode, errors: terraformErrors(destroy.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(e2e.emulator.pendingFaults()).toEqual([]);
    expect(standings('after destroy')).toEqual(perCloud(() => NOTHING));
  });

  test('each create answered later than the request timeout: settled within the one apply; the held creates land later and make no second pair', async () => {
    // GIVEN creates held by the clouds until the apply is over, with a request timeout the other requests do not reach
    e2e.emulator.reset();
    inject(perCloud((cloud) => ({ action: createActionOf(cloud, 'cloud'), kind: 'latency', hold: true })));
    const timeout = { env: { ...TRACE.env, [TUNING_ENV.requestTimeoutSeconds]: '1.5' } };

    // WHEN
    const apply = await deployment.run(['apply', '-auto-approve'], timeout);

    // THEN every create timed out, was looked up, and the step went on to a pair with its key
    expect({ exitCode: apply.exitCode, errors: terraformErrors(apply.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(apply.stdout.match(/may or may not have created it \(RequestTimeout\); looking it up/g)).toHaveLength(CLOUDS.length);
    // and once the held creates reach the clouds, the names are taken: still one pair each, the one delivered
    expect(e2e.emulator.releaseHeldRequests()).toBe(CLOUDS.length);
    expect(perCloud((cloud) => e2e.emulator.requests(cloud).filter((entry) => entry.fault === 'latency').length)).toEqual(perCloud(() => 1));
    expect(perCloud((cloud) => e2e.keyPairsNamed(cloud, 'tf_fault').length)).toEqual(perCloud(() => 1));
    expect(standings('after the held creates landed')).toEqual(perCloud(() => PAIR_WITH_ITS_KEY));
    expect((await deployment.run(['plan', '-detailed-exitcode'])).exitCode).toBe(0);
    expect((await deployment.run(['destroy', '-auto-approve'])).exitCode).toBe(0);
    expect(standings('after destroy')).toEqual(perCloud(() => NOTHING));
  });
});
