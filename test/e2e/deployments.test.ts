/**
 * A key pair belongs to one deployment, with real `terraform`: the same app applied with two Terraform
 * states in one account (staging and production, two pipelines, a colleague's checkout), one after the
 * other and at the same time; a key pair construct removed from the app; the last one removed.
 *
 * One stack holds every cloud and key source, so each apply serves every check.
 */
import * as fs from 'node:fs';
import {
  CLOUDS,
  CREATE_ACTIONS,
  DELETE_ACTION,
  Deployment,
  EndToEnd,
  everyCloudAndSource,
  KeyPairSpec,
  oneLine,
  SHORT_CLOUD_NAMES,
  tagsWhereTheCloudHasThem,
} from './helpers';
import type { CloudName } from '../../src/contract';

jest.setTimeout(300_000);

/**
 * One key pair per cloud and key source, named `<prefix>_<cloud>_<source>`. Construct ids start with the
 * prefix too: each app imports its own public keys (Tencent refuses a public key already imported).
 */
function appSpecs(prefix: string): KeyPairSpec[] {
  const name = (cloud: CloudName, source: string) => `${prefix}_${SHORT_CLOUD_NAMES[cloud]}_${source}`;
  return everyCloudAndSource(name, (cloud) => tagsWhereTheCloudHasThem(cloud, { team: 'infra' }), name);
}

/** The emulator's key pairs of the specs: cloud/name → id. */
function liveIds(e2e: EndToEnd, specs: readonly KeyPairSpec[]): Record<string, string[]> {
  return Object.fromEntries(specs.map((spec) => [`${spec.cloud}/${spec.name}`, e2e.keyPairsNamed(spec.cloud, spec.name).map((keyPair) => keyPair.id)]));
}

/** The private key files of a deployment's specs, with their content. */
function keyFiles(deployment: Deployment, specs: readonly KeyPairSpec[]): Record<string, string | undefined> {
  return Object.fromEntries(specs.filter((spec) => spec.source !== 'import').map((spec) => [spec.id, deployment.readPrivateKey(spec.id)?.pem]));
}

/** The key pairs (by construct id) whose carrier the deployment's state holds as tainted: a create that failed. */
/** The pairs whose carrier a deployment's state records, tainted or not. */
async function recordedCarriers(deployment: Deployment): Promise<{ readonly created: Set<string>; readonly tainted: Set<string> }> {
  const shown = JSON.parse((await deployment.runOrThrow(['show', '-json'])).stdout) as {
    values?: { root_module?: { resources?: Array<{ address: string; tainted?: boolean }> } };
  };
  const resources = shown.values?.root_module?.resources ?? [];
  const recordedAs = (id: string, tainted: boolean) =>
    resources.some((resource) => resource.address === deployment.address(id) && !!resource.tainted === tainted);
  const pairsWhere = (tainted: boolean) => new Set([...deployment.keyPairs.keys()].filter((id) => recordedAs(id, tainted)));
  return { created: pairsWhere(false), tainted: pairsWhere(true) };
}

/** `terraform plan -detailed-exitcode`: 0 means no changes. */
async function planExitCode(deployment: Deployment): Promise<number | null> {
  return (await deployment.run(['plan', '-detailed-exitcode', '-input=false'])).exitCode;
}

describe('two deployments of one app in one account', () => {
  const specs = appSpecs('dep');
  let e2e: EndToEnd;
  let first: Deployment;
  let second: Deployment;
  let firstIds: Record<string, string[]>;
  let firstKeys: Record<string, string | undefined>;

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    first = await e2e.deployment('app');
    second = await e2e.deployment('app');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  test('the first deployment applies every cloud and key source', async () => {
    first.synth(specs);
    await first.init();
    await first.apply();

    firstIds = liveIds(e2e, specs);
    for (const ids of Object.values(firstIds)) expect(ids).toHaveLength(1);
    firstKeys = keyFiles(first, specs);
    for (const pem of Object.values(firstKeys)) expect(pem).toContain('PRIVATE KEY');
    expect(await planExitCode(first)).toBe(0);
  });

  test('a second deployment, applied after it, takes no pair of the first: each create fails naming the taken name', async () => {
    // GIVEN the same app, with its own state and key directory
    second.synth(specs);
    await second.init();
    const deletesBefore = Object.fromEntries(CLOUDS.map((cloud) => [cloud, e2e.countRequests(cloud, [DELETE_ACTION[cloud]])]));

    // WHEN it applies
    const result = await second.run(['apply', '-auto-approve', '-input=false']);

    // THEN every create fails, naming the name and who holds it, and nothing of the first is touched
    expect(result.exitCode).not.toBe(0);
    const output = oneLine(result.stdout + result.stderr);
    // The stack's plan-time read stops the apply before any step: Alibaba and Tencent tags say whose each pair
    // is. (UCloud pairs carry no tags: by name alone the read cannot tell, and their create steps, which
    // would refuse, never ran.)
    for (const spec of specs.filter((candidate) => candidate.cloud !== 'ucloud')) expect(output).toContain(`the key pair name "${spec.name}" is taken`);
    expect(output).toContain('another deployment of this app');
    expect(output).toContain('Give each deployment its own key pair names');
    for (const cloud of CLOUDS) expect(e2e.countRequests(cloud, [DELETE_ACTION[cloud]])).toBe(deletesBefore[cloud]);
    expect(liveIds(e2e, specs)).toEqual(firstIds);
    expect(keyFiles(first, specs)).toEqual(firstKeys);
    for (const spec of specs) expect(second.readPrivateKey(spec.id)).toBeUndefined();
  });

  test('destroying the second deployment leaves the first one whole', async () => {
    await second.destroy();

    expect(liveIds(e2e, specs)).toEqual(firstIds);
    expect(keyFiles(first, specs)).toEqual(firstKeys);
    expect(await planExitCode(first)).toBe(0);
  });

  test("when the second deployment takes a name the first lost, the first's plan fails naming it, never reporting that pair as its own", async () => {
    // GIVEN the first deployment's Alibaba and Tencent pairs deleted behind its back, and the second
    // deployment creating pairs under those names
    const taken = specs.filter((spec) => spec.cloud !== 'ucloud' && spec.source === 'import');
    for (const spec of taken) await e2e.deleteOutOfBand(spec.cloud, spec.name);
    second.synth(taken);
    await second.apply();

    // WHEN the first deployment plans
    const plan = await first.run(['plan', '-input=false']);

    // THEN its plan fails, naming the name and the other deployment
    expect(plan.exitCode).not.toBe(0);
    const output = oneLine(plan.stdout + plan.stderr);
    for (const spec of taken) expect(output).toContain(`the key pair name "${spec.name}" is taken`);
    expect(output).toContain('another deployment of this app');

    // AND once the second deployment is destroyed, the first's next apply makes its pairs again and settles
    await second.destroy();
    await first.apply();
    firstIds = liveIds(e2e, specs);
    expect(await planExitCode(first)).toBe(0);
  });

  test('two further deployments applied at the same moment: one wins each name, the other fails naming it, nothing is deleted', async () => {
    const raceSpecs = appSpecs('race');
    const [left, right] = [await e2e.deployment('race'), await e2e.deployment('race')];
    left.synth(raceSpecs);
    right.synth(raceSpecs);
    await Promise.all([left.init(), right.init()]);
    const deletesBefore = Object.fromEntries(CLOUDS.map((cloud) => [cloud, e2e.countRequests(cloud, [DELETE_ACTION[cloud]])]));
    const createsBefore = Object.fromEntries(CLOUDS.map((cloud) => [cloud, e2e.countRequests(cloud, CREATE_ACTIONS[cloud])]));

    const [leftResult, rightResult] = await Promise.all([
      left.run(['apply', '-auto-approve', '-input=false']),
      right.run(['apply', '-auto-approve', '-input=false']),
    ]);

    // Each name ends with exactly one pair, and nothing was deleted.
    for (const [name, found] of Object.entries(liveIds(e2e, raceSpecs))) expect({ name, count: found.length }).toEqual({ name, count: 1 });
    for (const cloud of CLOUDS) expect(e2e.countRequests(cloud, [DELETE_ACTION[cloud]])).toBe(deletesBefore[cloud]);
    const creates = CLOUDS.reduce((sum, cloud) => sum + e2e.countRequests(cloud, CREATE_ACTIONS[cloud]) - createsBefore[cloud], 0);
    expect(creates).toBeGreaterThanOrEqual(raceSpecs.length);

    // Each pair was won by one deployment (its carrier created; it holds the private key file). The other lost
    // it: either its create failed naming the name (its carrier tainted), or, when its plan already saw the
    // winner's pair, its apply stopped before creating it (no carrier at all).
    const recorded = await Promise.all([left, right].map((deployment) => recordedCarriers(deployment)));
    const results = [leftResult, rightResult];
    const outputs = results.map((result) => oneLine(result.stdout + result.stderr));
    for (const spec of raceSpecs) {
      const winners = [0, 1].filter((side) => recorded[side].created.has(spec.id));
      expect({ pair: spec.id, winners: winners.length }).toEqual({ pair: spec.id, winners: 1 });
      const [winner] = winners;
      const loser = 1 - winner;
      const lost = recorded[loser].tainted.has(spec.id)
        ? { carrier: 'tainted', named: outputs[loser].includes(`"${spec.name}"`) }
        : { carrier: 'none', applyFailed: results[loser].exitCode !== 0 };
      expect({ pair: spec.id, lost }).toEqual({
        pair: spec.id,
        lost: lost.carrier === 'tainted' ? { carrier: 'tainted', named: true } : { carrier: 'none', applyFailed: true },
      });
      const winnerHasKey = spec.source === 'import' || [left, right][winner].readPrivateKey(spec.id) !== undefined;
      expect({ pair: spec.id, winnerHasKey }).toEqual({ pair: spec.id, winnerHasKey: true });
    }
    // Whichever way each name went, the losing side's errors name what it lost.
    for (const side of [0, 1]) {
      if (results[side].exitCode !== 0) expect(raceSpecs.some((spec) => outputs[side].includes(`"${spec.name}"`))).toBe(true);
    }

    // As the errors say: each deployment keeps the names it won, applies, and settles.
    for (const [side, deployment] of [left, right].entries()) {
      deployment.synth(raceSpecs.filter((spec) => recorded[side].created.has(spec.id)));
      await deployment.apply();
      expect(await planExitCode(deployment)).toBe(0);
    }
    // Both destroy cleanly; the pairs go with their winners.
    await left.destroy();
    await right.destroy();
    for (const found of Object.values(liveIds(e2e, raceSpecs))) expect(found).toEqual([]);
    expect(liveIds(e2e, specs)).toEqual(firstIds);
  });

  test('destroying the first deployment from a fresh runner (same state, no key files) deletes every pair', async () => {
    // The runner that applied is gone: only the state is left (UCloud's proof is the id recorded in it).
    for (const spec of specs) fs.rmSync(first.privateKeyFile(spec.id), { force: true });
    await first.destroy();
    for (const found of Object.values(liveIds(e2e, specs))) expect(found).toEqual([]);
    for (const spec of specs) expect(first.readPrivateKey(spec.id)).toBeUndefined();
  });

  test('no state file, plan, terraform output or synthesized file of these runs holds a secret or private key', () => {
    expect(e2e.privateKeyCount()).toBeGreaterThan(0);
    expect(e2e.secretFindings()).toEqual([]);
    const kinds = { synth: expect.any(Number), state: expect.any(Number), terraform: expect.any(Number) };
    expect(e2e.evidenceKinds()).toEqual(expect.objectContaining(kinds));
  });
});

describe('a key pair construct removed from the app', () => {
  const specs = appSpecs('rm');
  let e2e: EndToEnd;
  let deployment: Deployment;

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    deployment = await e2e.deployment('app');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  test('is deleted, with its key file, by the next apply, on every cloud; the others stay', async () => {
    deployment.synth(specs);
    await deployment.init();
    await deployment.apply();
    const removed = specs.filter((spec) => spec.source !== 'import');
    const kept = specs.filter((spec) => spec.source === 'import');
    const keptIds = liveIds(e2e, kept);
    for (const spec of removed) expect(fs.existsSync(deployment.privateKeyFile(spec.id))).toBe(true);

    deployment.synth(kept);
    const result = await deployment.apply();

    expect(oneLine(result.stdout)).toMatch(/cdktf_keypair_registry\["rm_ali_cloud"\]: Destroying/);
    for (const spec of removed) {
      expect({ pair: spec.id, live: e2e.keyPairsNamed(spec.cloud, spec.name).length }).toEqual({ pair: spec.id, live: 0 });
      expect({ pair: spec.id, keyFile: fs.existsSync(deployment.privateKeyFile(spec.id)) }).toEqual({ pair: spec.id, keyFile: false });
    }
    expect(liveIds(e2e, kept)).toEqual(keptIds);
    expect(await planExitCode(deployment)).toBe(0);
  });

  test('the last key pairs go too while the stack keeps KeyPairDeployment.of(stack)', async () => {
    deployment.synth([], { keepDeployment: true });
    await deployment.apply();

    for (const found of Object.values(liveIds(e2e, specs))) expect(found).toEqual([]);
    expect(await planExitCode(deployment)).toBe(0);
  });

  test('no state file, plan, terraform output or synthesized file of these runs holds a secret or private key', () => {
    expect(e2e.privateKeyCount()).toBeGreaterThan(0);
    expect(e2e.secretFindings()).toEqual([]);
    const kinds = { synth: expect.any(Number), state: expect.any(Number), terraform: expect.any(Number) };
    expect(e2e.evidenceKinds()).toEqual(expect.objectContaining(kinds));
  });
});
