/**
 * An apply interrupted while every create is in flight (the clouds hold their answers back), with real
 * `terraform`: SIGINT (Ctrl-C) to Terraform, then SIGKILL to it and everything it started. The clouds carry
 * the held creates out afterwards, as a real cloud does with a request it received. Terraform may have saved
 * a snapshot that records a carrier as created while its create step was cut off
 * (docs/cloud-behaviour.md#terraform-interrupt-snapshot), or not: each variant reads the state the interrupt
 * left and expects, per pair, what that state calls for. Then:
 * - no private key is silently lost: a pair generated locally has its key file (written before the import);
 *   a cloud-generated pair's key never arrived, and its create left its mark (`<privateKeyFile>.pending`);
 * - the next apply converges: on Alibaba and Tencent the late pairs carry our ownership tag, so an import or a
 *   locally generated pair is adopted and a cloud-generated one (whose key is lost) is deleted and made
 *   again, whether its carrier was recorded (the read reports it missing) or not (its create runs again).
 *   UCloud pairs carry no tags: a locally generated pair is proved ours by the key written before its
 *   import, a cloud-generated one by its create's mark; nothing proves the imported late pair ours (never
 *   the name alone), so a create of it refuses, naming the taken name and touching none, until the user
 *   deletes it; where its carrier was recorded no create runs, and the pair stands as the import made it;
 * - destroy leaves nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TUNING_ENV } from '../../handler/tuning';
import type { CloudName } from '../../src/contract';
import { Deployment, EndToEnd, everyCloudAndSource, KeyPairSpec, KEY_SOURCES } from '../e2e/helpers';
import type { TerraformRunResult } from '../support/terraform';
import { KeyFileLog } from './support/evidence';
import {
  CLOUDS,
  createActionOf,
  eventually,
  handledCreates,
  IMPORTED_PAIR,
  NOTHING,
  PAIR_WITH_ITS_KEY,
  pairStanding,
  saveHarnessEvidence,
  SUITE_TUNING,
  TRACE,
} from './support/suite';
import { errorAbout, terraformErrors } from '../support/terraform-diagnostics';

jest.setTimeout(240_000);

/**
 * The clouds hold every create until the test releases them, after the interruption: however long the local
 * generation of RSA keys takes on a loaded machine, no answer goes out before the kill. The handlers wait for
 * their answers longer than that (no request times out and is sent again while the others are still on their
 * way, which would make the count of held requests mean nothing).
 */
const PATIENT = { ...SUITE_TUNING, [TUNING_ENV.requestTimeoutSeconds]: '300', [TUNING_ENV.deadlineSeconds]: '600' };

/** A state file as the test reads it: its text when it is complete JSON, else undefined (absent, or being rewritten). */
function completeState(stateFile: string): string | undefined {
  try {
    const text = fs.readFileSync(stateFile, 'utf8');
    JSON.parse(text);
    return text;
  } catch {
    return undefined;
  }
}

/** The carriers a complete state records as created and untainted, by address. */
function carriersRecordedUntainted(stateText: string | undefined): Set<string> {
  if (stateText === undefined) return new Set();
  const state = JSON.parse(stateText) as { resources?: Array<{ type: string; name: string; instances: Array<{ status?: string }> }> };
  return new Set(
    (state.resources ?? [])
      .filter((resource) => resource.type === 'null_resource' && resource.instances.some((instance) => instance.status !== 'tainted'))
      .map((resource) => `${resource.type}.${resource.name}`),
  );
}

/** When the SIGKILL follows the SIGINT: after a grace time, or as soon as Terraform has saved a snapshot recording carriers. */
type KillAfter = { readonly graceMs: number } | 'snapshot';

describe.each<[string, KillAfter]>([
  ['SIGINT, then SIGKILL once Terraform has had a moment to stop', { graceMs: 1_500 }],
  ['SIGINT, then SIGKILL as soon as Terraform has saved its snapshot', 'snapshot'],
])('an apply interrupted mid-create: %s', (title, killAfter) => {
  const label = killAfter === 'snapshot' ? 'snapshot' : `${killAfter.graceMs} ms`;
  const specs: KeyPairSpec[] = everyCloudAndSource((_cloud, source) => `cut_${source}`);
  const keyFiles = new KeyFileLog();
  let e2e: EndToEnd;
  let deployment: Deployment;
  let interrupted: TerraformRunResult;
  /** The pairs whose carrier the interrupt left recorded as created: no create of theirs runs again. */
  let recorded: Set<string>;

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    deployment = await e2e.deployment('interrupted', PATIENT);
    deployment.synth(specs);
    await deployment.init();
  });
  afterAll(async () => {
    if (e2e) saveHarnessEvidence(`interrupted-apply.test.ts ${label}`, e2e, keyFiles);
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
      context: `interrupted ${label} ${spec.id}: ${context}`,
    });
  const standings = (context: string) => Object.fromEntries(specs.map((spec) => [spec.id, standing(spec, context)]));
  const present = (spec: KeyPairSpec) => (spec.source === 'import' ? IMPORTED_PAIR : PAIR_WITH_ITS_KEY);
  /** A late UCloud pair nothing proves ours: no tags, and no key or mark of a create here. */
  const unprovable = (spec: KeyPairSpec) => spec.cloud === 'ucloud' && spec.source === 'import';
  /** Pairs whose create runs again and refuses: the unprovable ones whose carrier was not recorded. */
  const refused = () => specs.filter((spec) => unprovable(spec) && !recorded.has(spec.id));

  test('interrupted while every create is in flight; the clouds finish them afterwards; no private key is silently lost', async () => {
    // GIVEN every create and import held back by its cloud
    for (const spec of specs) e2e.emulator.injectFault({ cloud: spec.cloud, action: createActionOf(spec.cloud, spec.source), kind: 'latency', hold: true });
    let terraformPid: number | undefined;

    // WHEN
    const apply = deployment.run(['apply', '-auto-approve'], { ...TRACE, onSpawn: (pid) => (terraformPid = pid) });
    const inFlight = await eventually(() => e2e.emulator.heldRequests() === specs.length, 180_000);
    const answeredBeforeTheInterrupt = CLOUDS.map((cloud) => handledCreates(e2e.emulator, cloud).length);
    process.kill(terraformPid!, 'SIGINT');
    const stateFile = path.join(deployment.workspace.workingDirectory, 'terraform.tfstate');
    let snapshot: string | undefined;
    const snapshotSaved =
      killAfter === 'snapshot'
        ? await eventually(() => carriersRecordedUntainted((snapshot = completeState(stateFile) ?? snapshot)).size > 0, 10_000, 2)
        : undefined;
    if (killAfter !== 'snapshot') await new Promise((resolve) => setTimeout(resolve, killAfter.graceMs));
    try {
      process.kill(-terraformPid!, 'SIGKILL'); // Terraform's process group: Terraform, its plugins, the handlers
    } catch {
      // Everything had stopped already.
    }
    interrupted = await apply;
    // Terraform's local backend rewrites its state file in place: a SIGKILL in the middle of that write leaves
    // it unreadable, a hazard of that backend that a user meets with or without this library (Terraform then
    // refuses to run until terraform.tfstate.backup is put back). The test puts back the last complete
    // snapshot it read, which is what a backend that replaces its state whole would hold.
    let stateLeft = completeState(stateFile);
    const cutMidWrite = stateLeft === undefined && snapshot !== undefined;
    if (cutMidWrite) {
      fs.writeFileSync(stateFile, snapshot!);
      stateLeft = snapshot;
    }
    const untainted = carriersRecordedUntainted(stateLeft);
    recorded = new Set(specs.filter((spec) => untainted.has(deployment.address(spec.id))).map((spec) => spec.id));
    // Whether the snapshot variant saw the snapshot before Terraform's own final write is a race it usually
    // wins; the expectations below follow the state either way.
    console.log(
      `interrupted (${title}): carriers recorded as created: ${[...recorded].join(', ') || 'none'}; snapshot seen: ${snapshotSaved}` +
        (cutMidWrite ? '; the SIGKILL cut Terraform\'s state write: the snapshot read before it was put back' : ''),
    );

    // THEN every create was in flight when the apply was interrupted, and the apply did not complete ...
    expect(inFlight).toBe(true);
    expect(answeredBeforeTheInterrupt).toEqual(CLOUDS.map(() => 0));
    expect(interrupted.exitCode === 0).toBe(false);
    // ... every held create was carried out by its cloud afterwards, once ...
    expect(e2e.emulator.releaseHeldRequests()).toBe(specs.length);
    expect(CLOUDS.map((cloud) => handledCreates(e2e.emulator, cloud).length)).toEqual(CLOUDS.map(() => KEY_SOURCES.length));
    // ... and nothing holds a private key nobody has, except the cloud-generated pairs, whose key the cloud
    // handed to a handler that was killed: those are what the next apply has to clean up, by their marks
    expect(standings('after the interrupted apply')).toEqual(Object.fromEntries(specs.map((spec) => [
      spec.id,
      spec.source === 'cloud' ? expect.stringMatching(/^ORPHAN: key pair \S+ without its private key file$/) : present(spec),
    ])));
    // Every cut-off create of a private key left its mark (a key generated here: its file is its own).
    const marked = specs.filter((spec) => fs.existsSync(`${deployment.privateKeyFile(spec.id)}.pending`)).map((spec) => spec.id);
    expect(marked).toEqual(specs.filter((spec) => spec.source !== 'import').map((spec) => spec.id));
  });

  test('the next apply converges on every pair except a UCloud import whose create runs again: that one is refused, touching none', async () => {
    // GIVEN the pairs as the interrupted apply left them
    const before = Object.fromEntries(CLOUDS.map((cloud) => [cloud, e2e.emulator.listKeyPairs(cloud).map((keyPair) => keyPair.id).sort()]));

    // WHEN
    const rerun = await deployment.run(['apply', '-auto-approve'], TRACE);

    // THEN
    const refusedSpecs = refused();
    // (the errors themselves compared, so that a failure shows what Terraform said)
    expect({ exitCode: rerun.exitCode, errors: terraformErrors(rerun.stderr) }).toEqual({
      exitCode: refusedSpecs.length > 0 ? 1 : 0,
      errors: refusedSpecs.map(() => expect.any(String)),
    });
    for (const spec of refusedSpecs) {
      expect(errorAbout(rerun.stderr, deployment.address(spec.id)) ?? terraformErrors(rerun.stderr).join('\n')).toContain(
        `the key pair name "${spec.name}" is taken: ucloud key pair "${spec.name}" (cn-bj2) already exists and belongs to a key pair this deployment cannot prove its own`,
      );
    }
    expect(standings('after the re-run')).toEqual(Object.fromEntries(specs.map((spec) => [spec.id, present(spec)])));
    // The imported and locally generated pairs were adopted (or refused, untouched), the cloud-generated ones replaced.
    for (const cloud of CLOUDS) {
      const ids = e2e.emulator.listKeyPairs(cloud).map((keyPair) => keyPair.id);
      expect(ids.filter((id) => before[cloud].includes(id))).toHaveLength(2);
    }
    // The marks went with the creates that ran again or adopted; a key generated here whose carrier the
    // snapshot recorded keeps its mark (no create ran again; its file holds its key) until its pair's delete.
    expect(specs.filter((spec) => fs.existsSync(`${deployment.privateKeyFile(spec.id)}.pending`)).map((spec) => spec.id))
      .toEqual(specs.filter((spec) => spec.source === 'generate' && recorded.has(spec.id)).map((spec) => spec.id));
  });

  test('once the user deletes the UCloud pairs the error named, the next apply converges; destroy leaves nothing', async () => {
    // GIVEN the UCloud pairs the error named deleted by hand
    for (const spec of refused()) await e2e.deleteOutOfBand('ucloud', spec.name);

    // WHEN
    const apply = await deployment.run(['apply', '-auto-approve'], TRACE);
    const afterApply = standings('after the apply');
    const destroy = await deployment.run(['destroy', '-auto-approve'], TRACE);

    // THEN
    expect({ exitCode: apply.exitCode, errors: terraformErrors(apply.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(afterApply).toEqual(Object.fromEntries(specs.map((spec) => [spec.id, present(spec)])));
    expect({ exitCode: destroy.exitCode, errors: terraformErrors(destroy.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(standings('after destroy')).toEqual(Object.fromEntries(specs.map((spec) => [spec.id, NOTHING])));
    expect(CLOUDS.flatMap((cloud: CloudName) => e2e.emulator.listKeyPairs(cloud))).toEqual([]);
    expect(specs.filter((spec) => fs.existsSync(`${deployment.privateKeyFile(spec.id)}.pending`))).toEqual([]);
    expect(deployment.workspace.leftovers().pluginProcesses).toEqual([]);
  });
});
