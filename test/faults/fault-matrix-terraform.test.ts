/**
 * A representative share of the fault matrix (`fault-matrix.test.ts` runs all of it through runHandler)
 * through real `terraform`, one stack holding a cloud-generated key pair per cloud, each cloud given its own
 * fault in the same run: at create (throttled, the answer lost after the cloud made the pair, the answer
 * later than the request timeout), at read (every describe throttled, a connection dropped once) and at
 * delete (the answer lost after the cloud deleted the pair, a wrong access key secret). Every run ends in
 * success, or fails naming each cloud's code; afterwards each pair is there with its private key file or gone
 * with it, and the next run converges.
 */
import type { FaultSpec } from '../../emulator';
import { TUNING_ENV } from '../../handler/tuning';
import type { CloudName } from '../../src/contract';
import { Deployment, EndToEnd, KeyPairSpec, TAGGING_CLOUDS } from '../e2e/helpers';
import { KeyFileLog } from './support/evidence';
import {
  BAD_CREDENTIALS,
  BAD_SECRETS,
  CLOUD_CODES,
  CLOUDS,
  createActionOf,
  DELETE_ACTION,
  DESCRIBE_ACTION,
  errorAbout,
  eventually,
  failedWith,
  handledCreates,
  NOTHING,
  PAIR_WITH_ITS_KEY,
  pairStanding,
  perCloud,
  saveHarnessEvidence,
  SUITE_TUNING,
  terraformErrors,
  TRACE,
} from './support/suite';

jest.setTimeout(240_000);

describe('faults at create, read and delete through terraform', () => {
  const specs: KeyPairSpec[] = CLOUDS.map((cloud) => ({ id: `${cloud}_kp`, cloud, source: 'cloud', name: 'tf_fault' }));
  const spec = (cloud: CloudName) => specs.find((candidate) => candidate.cloud === cloud)!;
  const keyFiles = new KeyFileLog();
  let e2e: EndToEnd;
  let deployment: Deployment;

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    e2e.addSecret('a wrong secret', BAD_SECRETS[0].value);
    deployment = await e2e.deployment('faults', SUITE_TUNING);
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
  const carrier = (cloud: CloudName) => deployment.address(spec(cloud).id);
  const reader = (cloud: CloudName) => `data.external.${deployment.keyPair(spec(cloud).id).reader.friendlyUniqueId}`;
  const inject = (faults: Record<CloudName, Omit<FaultSpec, 'cloud'>>) => {
    for (const cloud of CLOUDS) e2e.emulator.injectFault({ cloud, ...faults[cloud] });
  };

  test('create throttled twice on every cloud: apply succeeds, each pair created once', async () => {
    // GIVEN
    inject(perCloud((cloud) => ({ action: createActionOf(cloud, 'cloud'), kind: 'throttle', count: 2 })));

    // WHEN
    const apply = await deployment.run(['apply', '-auto-approve'], TRACE);

    // THEN
    expect({ exitCode: apply.exitCode, errors: terraformErrors(apply.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(e2e.emulator.pendingFaults()).toEqual([]);
    expect(perCloud((cloud) => handledCreates(e2e.emulator, cloud).length)).toEqual(perCloud(() => 1));
    expect(standings('after the throttled apply')).toEqual(perCloud(() => PAIR_WITH_ITS_KEY));
  });

  test('every describe throttled at plan: the plan fails naming each cloud\'s throttling code, nothing changes', async () => {
    // GIVEN every describe refused (3 attempts per call, so the throttling outlasts them)
    inject(perCloud((cloud) => ({ action: DESCRIBE_ACTION[cloud], kind: 'throttle', count: 3 })));

    // WHEN
    const plan = await deployment.run(['plan'], { env: { ...TRACE.env, [TUNING_ENV.maxAttempts]: '3' } });

    // THEN
    expect(plan.exitCode).toBe(1);
    expect(perCloud((cloud) => errorAbout(plan.stderr, reader(cloud))?.includes(failedWith(CLOUD_CODES.throttle[cloud]))))
      .toEqual(perCloud(() => true));
    expect(e2e.emulator.pendingFaults()).toEqual([]);
    expect(standings('after the refused plan')).toEqual(perCloud(() => PAIR_WITH_ITS_KEY));
  });

  test('a describe\'s connection dropped once at plan: retried, the plan shows no change', async () => {
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

  test('the answer to each create lost after the cloud made the pair: apply fails naming each code; the pair is deleted again where provably ours; the next apply converges', async () => {
    // GIVEN
    e2e.emulator.reset();
    inject({
      alicloud: { action: createActionOf('alicloud', 'cloud'), kind: 'server-error', afterAction: true },
      tencentcloud: { action: createActionOf('tencentcloud', 'cloud'), kind: 'drop-connection', afterAction: true },
      ucloud: { action: createActionOf('ucloud', 'cloud'), kind: 'malformed-body', afterAction: true },
    });
    const codes: Record<CloudName, string> = {
      alicloud: CLOUD_CODES['server-error'].alicloud,
      tencentcloud: CLOUD_CODES['drop-connection'].tencentcloud,
      ucloud: CLOUD_CODES['malformed-body'].ucloud,
    };

    // WHEN
    const failed = await deployment.run(['apply', '-auto-approve'], TRACE);

    // THEN each cloud made its pair and the error names the cloud's code. Alibaba and Tencent pairs carry our
    // ownership tag: the handler deleted them again. A UCloud pair carries nothing, and its private key never
    // arrived: nothing proves it ours, so it is never deleted by its name alone (an orphan the user deletes)
    expect(failed.exitCode).toBe(1);
    expect(perCloud((cloud) => errorAbout(failed.stderr, carrier(cloud))?.includes(failedWith(codes[cloud])))).toEqual(perCloud(() => true));
    expect(perCloud((cloud) => handledCreates(e2e.emulator, cloud).length)).toEqual(perCloud(() => 1));
    expect(standings('after the failed apply')).toEqual(perCloud((cloud) => (TAGGING_CLOUDS.includes(cloud) ? NOTHING : expect.stringMatching(/^ORPHAN/))));

    // WHEN applied again (the failed carriers are tainted: replaced)
    const rerun = await deployment.run(['apply', '-auto-approve'], TRACE);

    // THEN Alibaba and Tencent converge; UCloud refuses the taken name, naming it, and touches nothing
    expect(rerun.exitCode).toBe(1);
    expect(terraformErrors(rerun.stderr)).toHaveLength(1);
    expect(errorAbout(rerun.stderr, carrier('ucloud'))).toContain('the key pair name "tf_fault" is taken: ucloud key pair "tf_fault" (cn-bj2) already exists');

    // WHEN the user deletes the UCloud pair, as the error says, and applies again
    await e2e.deleteOutOfBand('ucloud', 'tf_fault');
    const apply = await deployment.run(['apply', '-auto-approve'], TRACE);

    // THEN
    expect({ exitCode: apply.exitCode, errors: terraformErrors(apply.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(standings('after the second apply')).toEqual(perCloud(() => PAIR_WITH_ITS_KEY));
    expect((await deployment.run(['destroy', '-auto-approve'], TRACE)).exitCode).toBe(0);
    expect(standings('after destroy')).toEqual(perCloud(() => NOTHING));
  });

  test('each create answered later than the request timeout: apply fails naming the timeout; the pairs the clouds made late are replaced by the next apply (UCloud: refused, named)', async () => {
    // GIVEN creates held for 4 s, with a 1 s request timeout
    e2e.emulator.reset();
    inject(perCloud((cloud) => ({ action: createActionOf(cloud, 'cloud'), kind: 'latency', latencyMs: 4_000 })));
    const timeout = { env: { ...TRACE.env, [TUNING_ENV.requestTimeoutSeconds]: '1' } };

    // WHEN
    const failed = await deployment.run(['apply', '-auto-approve'], timeout);

    // THEN every create timed out, was looked up (not there yet), and the error names the timeout
    expect(failed.exitCode).toBe(1);
    expect(perCloud((cloud) => errorAbout(failed.stderr, carrier(cloud))?.includes(failedWith(CLOUD_CODES.latency[cloud]))))
      .toEqual(perCloud(() => true));
    // The clouds carried the held creates out afterwards: pairs whose private key nobody has
    expect(await eventually(() => CLOUDS.every((cloud) => handledCreates(e2e.emulator, cloud).length === 1))).toBe(true);
    expect(Object.values(standings('after the late creates')).every((standing) => standing.startsWith('ORPHAN'))).toBe(true);

    // WHEN applied again
    const rerun = await deployment.run(['apply', '-auto-approve'], TRACE);

    // THEN Alibaba and Tencent replace the late pairs (ours by their tag, their key lost); UCloud cannot
    // prove the late pair its own and refuses, naming it
    expect(rerun.exitCode).toBe(1);
    expect(terraformErrors(rerun.stderr)).toHaveLength(1);
    expect(errorAbout(rerun.stderr, carrier('ucloud'))).toContain(
      'the key pair name "tf_fault" is taken: ucloud key pair "tf_fault" (cn-bj2) already exists and belongs to a key pair this deployment cannot prove its own',
    );
    expect(standings('after the second apply')).toEqual(perCloud((cloud) => (TAGGING_CLOUDS.includes(cloud) ? PAIR_WITH_ITS_KEY : expect.stringMatching(/^ORPHAN/))));

    // WHEN the user deletes the UCloud pair, as the error says, and applies again
    await e2e.deleteOutOfBand('ucloud', 'tf_fault');
    const third = await deployment.run(['apply', '-auto-approve'], TRACE);

    // THEN
    expect({ exitCode: third.exitCode, errors: terraformErrors(third.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(standings('after the third apply')).toEqual(perCloud(() => PAIR_WITH_ITS_KEY));
    expect((await deployment.run(['destroy', '-auto-approve'], TRACE)).exitCode).toBe(0);
    expect(standings('after destroy')).toEqual(perCloud(() => NOTHING));
  });
});
