/**
 * An apply interrupted while every create is in flight (the clouds hold their answers back), with real
 * `terraform`: SIGINT (Ctrl-C) to Terraform, then SIGKILL to it and everything it started. The clouds carry
 * the held creates out afterwards, as a real cloud does with a request it received. Then:
 * - no private key is silently lost: a pair generated locally has its key file (written before the import);
 *   a cloud-generated pair's key never arrived, and that pair is the one thing left to clean up;
 * - the next apply converges: on Alibaba and Tencent the late pairs carry our ownership tag, so an import or a
 *   locally generated pair is adopted and a cloud-generated one (whose key is lost) is deleted and made
 *   again. UCloud pairs carry no tags: a locally generated pair is proved ours by the key written before its
 *   import (UCloud's fingerprint hashes the public key) and adopted; nothing proves the cloud-generated or
 *   imported late pair ours (never the name alone), so the re-run refuses each, naming the taken name and
 *   touching none, until the user deletes it; then it converges too;
 * - destroy leaves nothing.
 */
import type { CloudName } from '../../src/contract';
import { Deployment, EndToEnd, KeyPairSpec, KEY_SOURCES, TAGGING_CLOUDS } from '../e2e/helpers';
import type { TerraformRunResult } from '../support/terraform';
import { KeyFileLog } from './support/evidence';
import {
  CLOUDS,
  createActionOf,
  errorAbout,
  eventually,
  handledCreates,
  IMPORTED_PAIR,
  NOTHING,
  PAIR_WITH_ITS_KEY,
  pairStanding,
  saveHarnessEvidence,
  SUITE_TUNING,
  terraformErrors,
  TRACE,
} from './support/suite';

jest.setTimeout(240_000);

/**
 * How long each cloud holds its create answers: long enough for every create to be in flight (the local
 * generation of RSA keys comes first, and the stack's read before any create) and for the interruption to
 * end before any answer goes out, on a loaded 2-core machine too.
 */
const HELD_MS = 20_000;

describe.each([
  ['SIGINT, then SIGKILL once Terraform has had a moment to stop', 1_500],
  ['SIGINT, then SIGKILL at once', 0],
])('an apply interrupted mid-create: %s', (_title, graceMs) => {
  const specs: KeyPairSpec[] = CLOUDS.flatMap((cloud) =>
    KEY_SOURCES.map((source) => ({ id: `${cloud}_${source}`, cloud, source, name: `cut_${source}` })),
  );
  const keyFiles = new KeyFileLog();
  let e2e: EndToEnd;
  let deployment: Deployment;
  let interrupted: TerraformRunResult;

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    deployment = await e2e.deployment('interrupted', SUITE_TUNING);
    deployment.synth(specs);
    await deployment.init();
  });
  afterAll(async () => {
    if (e2e) saveHarnessEvidence(`interrupted-apply.test.ts ${graceMs}`, e2e, keyFiles);
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
      context: `interrupted ${graceMs} ${spec.id}: ${context}`,
    });
  const standings = (context: string) => Object.fromEntries(specs.map((spec) => [spec.id, standing(spec, context)]));
  const present = (spec: KeyPairSpec) => (spec.source === 'import' ? IMPORTED_PAIR : PAIR_WITH_ITS_KEY);
  /** A late UCloud pair nothing proves ours: no tags, and no key here that its fingerprint could prove. */
  const unprovable = (spec: KeyPairSpec) => spec.cloud === 'ucloud' && spec.source !== 'generate';

  test('interrupted while every create is in flight; the clouds finish them afterwards; no private key is silently lost', async () => {
    // GIVEN every create and import held back by its cloud
    for (const spec of specs) e2e.emulator.injectFault({ cloud: spec.cloud, action: createActionOf(spec.cloud, spec.source), kind: 'latency', latencyMs: HELD_MS });
    let terraformPid: number | undefined;

    // WHEN
    const apply = deployment.run(['apply', '-auto-approve'], { ...TRACE, onSpawn: (pid) => (terraformPid = pid) });
    const inFlight = await eventually(() => e2e.emulator.pendingFaults().length === 0);
    const answeredBeforeTheInterrupt = CLOUDS.map((cloud) => handledCreates(e2e.emulator, cloud).length);
    process.kill(terraformPid!, 'SIGINT');
    await new Promise((resolve) => setTimeout(resolve, graceMs));
    try {
      process.kill(-terraformPid!, 'SIGKILL'); // Terraform's process group: Terraform, its plugins, the handlers
    } catch {
      // Everything had stopped already.
    }
    interrupted = await apply;

    // THEN every create was in flight when the apply was interrupted, and the apply did not complete ...
    expect(inFlight).toBe(true);
    expect(answeredBeforeTheInterrupt).toEqual(CLOUDS.map(() => 0));
    expect(interrupted.exitCode === 0).toBe(false);
    // ... every held create was carried out by its cloud afterwards, once ...
    const allMade = await eventually(() => CLOUDS.every((cloud) => handledCreates(e2e.emulator, cloud).length === KEY_SOURCES.length));
    expect(allMade).toBe(true);
    // ... and nothing holds a private key nobody has, except the cloud-generated pairs, whose key the cloud
    // handed to a handler that was killed: those are what the next apply has to clean up
    expect(standings('after the interrupted apply')).toEqual(Object.fromEntries(specs.map((spec) => [
      spec.id,
      spec.source === 'cloud' ? expect.stringMatching(/^ORPHAN: key pair \S+ without its private key file$/) : present(spec),
    ])));
  });

  test('the next apply converges on Alibaba and Tencent, and for UCloud\'s locally generated pair; it refuses UCloud\'s other late pairs, touching none', async () => {
    // GIVEN the pairs as the interrupted apply left them
    const before = Object.fromEntries(CLOUDS.map((cloud) => [cloud, e2e.emulator.listKeyPairs(cloud).map((keyPair) => keyPair.id).sort()]));

    // WHEN
    const rerun = await deployment.run(['apply', '-auto-approve'], TRACE);

    // THEN
    const refusedSpecs = specs.filter((spec) => unprovable(spec));
    expect(rerun.exitCode).toBe(1);
    expect(terraformErrors(rerun.stderr)).toHaveLength(refusedSpecs.length);
    for (const spec of refusedSpecs) {
      expect(errorAbout(rerun.stderr, deployment.address(spec.id))).toContain(
        `the key pair name "${spec.name}" is taken: ucloud key pair "${spec.name}" (cn-bj2) already exists and belongs to a key pair this deployment cannot prove its own`,
      );
    }
    expect(standings('after the re-run')).toEqual(Object.fromEntries(specs.map((spec) => [
      spec.id,
      TAGGING_CLOUDS.includes(spec.cloud) || spec.source !== 'cloud' ? present(spec) : expect.stringMatching(/^ORPHAN/),
    ])));
    // The imported and locally generated pairs were adopted, the cloud-generated ones replaced.
    for (const cloud of TAGGING_CLOUDS) {
      const ids = e2e.emulator.listKeyPairs(cloud).map((keyPair) => keyPair.id);
      expect(ids.filter((id) => before[cloud].includes(id))).toHaveLength(2);
    }
    expect(e2e.emulator.listKeyPairs('ucloud').map((keyPair) => keyPair.id).sort()).toEqual(before.ucloud);
  });

  test('once the user deletes the UCloud pairs the error named, the next apply converges; destroy leaves nothing', async () => {
    // GIVEN the UCloud pairs the error named deleted by hand
    for (const spec of specs.filter(unprovable)) await e2e.deleteOutOfBand('ucloud', spec.name);

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
    expect(deployment.workspace.leftovers().pluginProcesses).toEqual([]);
  });
});
