/**
 * Two stacks creating key pairs of the same names at the same time, with real `terraform` (two workspaces,
 * two applies at once, one emulator). Each cloud holds the creates back until both stacks' have come, so both
 * stacks look the name up, find it free, and send their create: a true race, whatever the machine's speed. On each cloud one stack wins; the other fails
 * naming the cloud's duplicate-name code, and neither deletes nor adopts the other's pair: the winner's pair
 * is intact with its private key file, the loser's retry fails naming the taken name (held by another
 * cdktf-keypair key pair: the other stack's construct), and destroying the loser does not touch it.
 * TF_LOG=TRACE on the racing applies (the suite's secret scan reads those logs).
 */
import { TUNING_ENV } from '../../handler/tuning';
import type { CloudName } from '../../src/contract';
import { Deployment, EndToEnd, KeyPairSpec, TAGGING_CLOUDS } from '../e2e/helpers';
import type { TerraformRunResult } from '../support/terraform';
import { KeyFileLog } from './support/evidence';
import {
  CLOUD_CODES,
  CLOUDS,
  createActionOf,
  eventually,
  failedWith,
  handledCreates,
  holdsKeyOf,
  NOTHING,
  PAIR_WITH_ITS_KEY,
  pairStanding,
  perCloud,
  saveHarnessEvidence,
  SUITE_KEY_BITS,
  SUITE_TUNING,
  TRACE,
} from './support/suite';
import { errorAbout, terraformErrors } from '../support/terraform-diagnostics';

jest.setTimeout(240_000);

/**
 * The stacks' tuning: a request timeout longer than the wait for the other stack's create (the first one
 * is held until then), however long a busy machine takes to get both applies that far.
 */
const RACE_TUNING = { ...SUITE_TUNING, [TUNING_ENV.requestTimeoutSeconds]: '180' };
const RACE_ARRIVAL_MS = 150_000;

/**
 * Runs the applies at once while the clouds hold every create (`hold` latency faults) until `expected`
 * creates per cloud have come; then lets them all land, in the order they came.
 */
async function raceApplies(
  e2e: EndToEnd,
  stacks: readonly Deployment[],
  expected: Partial<Record<CloudName, number>>,
): Promise<{ applies: TerraformRunResult[]; allArrived: boolean }> {
  const clouds = Object.keys(expected) as CloudName[];
  for (const cloud of clouds) e2e.emulator.injectFault({ cloud, action: createActionOf(cloud, 'cloud'), kind: 'latency', hold: true, count: expected[cloud] });
  const running = Promise.all(stacks.map((stack) => stack.run(['apply', '-auto-approve'], TRACE)));
  const allArrived = await eventually(() => clouds.every((cloud) => e2e.emulator.heldRequests(cloud) === expected[cloud]), RACE_ARRIVAL_MS, 100);
  e2e.emulator.releaseHeldRequests();
  return { applies: await running, allArrived };
}

describe('two stacks creating the same key pair names at the same time', () => {
  const specs: KeyPairSpec[] = CLOUDS.map((cloud) => ({ id: `${cloud}_kp`, cloud, source: 'cloud', name: 'contested' }));
  const keyFiles = new KeyFileLog();
  let e2e: EndToEnd;
  const stacks: Record<'first' | 'second', Deployment> = {} as never;
  const applies: Partial<Record<'first' | 'second', TerraformRunResult>> = {};
  /** Per cloud, which stack won. */
  let winner: Record<CloudName, 'first' | 'second'>;
  const loserOf = (cloud: CloudName) => (winner[cloud] === 'first' ? 'second' : 'first');

  beforeAll(async () => {
    e2e = await EndToEnd.start({ generatedKeyBits: SUITE_KEY_BITS });
    for (const name of ['first', 'second'] as const) {
      stacks[name] = await e2e.deployment(`race_${name}`, RACE_TUNING);
      stacks[name].synth(specs);
      await stacks[name].init();
    }
  });
  afterAll(async () => {
    if (e2e) saveHarnessEvidence('concurrent-stacks.test.ts', e2e, keyFiles);
    await e2e?.stop();
  });

  const standingIn = (stack: 'first' | 'second', cloud: CloudName, context: string) =>
    pairStanding({
      emulator: e2e.emulator,
      cloud,
      name: 'contested',
      source: 'cloud',
      privateKeyFile: stacks[stack].privateKeyFile(`${cloud}_kp`),
      keyFiles,
      context: `concurrent ${stack} ${cloud}: ${context}`,
    });
  const carrierIn = (stack: 'first' | 'second', cloud: CloudName) => stacks[stack].address(`${cloud}_kp`);
  /** The stack whose ownership tag the cloud's pair carries (UCloud: the one whose key file holds its key). */
  const ownerStack = (cloud: CloudName): 'first' | 'second' | undefined => {
    const [pair] = e2e.keyPairsNamed(cloud, 'contested');
    if (!pair) return undefined;
    return (['first', 'second'] as const).find((stack) => standingIn(stack, cloud, 'who owns it') === PAIR_WITH_ITS_KEY);
  };

  test('both apply at once: on each cloud one wins, the other fails naming the duplicate-name code', async () => {
    // WHEN both apply at once, each cloud holding the creates back until both have come, so that both stacks find the name free
    const race = await raceApplies(e2e, [stacks.first, stacks.second], perCloud(() => 2));
    [applies.first, applies.second] = race.applies;

    // THEN both creates reached each cloud (a true race), which made exactly one pair
    expect(race.allArrived).toBe(true);
    expect(e2e.emulator.pendingFaults()).toEqual([]);
    expect(perCloud((cloud) => handledCreates(e2e.emulator, cloud).length)).toEqual(perCloud(() => 2));
    expect(perCloud((cloud) => e2e.keyPairsNamed(cloud, 'contested').length)).toEqual(perCloud(() => 1));
    winner = perCloud((cloud) => ownerStack(cloud)!);
    expect(perCloud((cloud) => ['first', 'second'].includes(winner[cloud]))).toEqual(perCloud(() => true));
    // the loser's create failed, naming the cloud's code, and left no key file; the winner's pair has its key
    expect(perCloud((cloud) => errorAbout(applies[loserOf(cloud)]!.stderr, carrierIn(loserOf(cloud), cloud))?.includes(failedWith(CLOUD_CODES['duplicate-name'][cloud]))))
      .toEqual(perCloud(() => true));
    expect(perCloud((cloud) => errorAbout(applies[winner[cloud]]!.stderr, carrierIn(winner[cloud], cloud)))).toEqual(perCloud(() => undefined));
    expect(perCloud((cloud) => standingIn(winner[cloud], cloud, 'after the race'))).toEqual(perCloud(() => PAIR_WITH_ITS_KEY));
    expect(perCloud((cloud) => stacks[loserOf(cloud)].readPrivateKey(`${cloud}_kp`))).toEqual(perCloud(() => undefined));
  });

  test('the loser\'s retry fails naming the taken name and who holds it: the winner\'s pair is neither adopted nor deleted', async () => {
    // GIVEN
    const pairsBefore = perCloud((cloud) => e2e.keyPairsNamed(cloud, 'contested'));

    // WHEN each stack applies again, both at once (the winner's pairs are in place, its failed carriers are retried)
    const [first, second] = await Promise.all([stacks.first.run(['apply', '-auto-approve']), stacks.second.run(['apply', '-auto-approve'])]);
    const retries = { first, second };

    // THEN on Alibaba and Tencent the loser's plan-time read already stops it (their tags say whose the pair
    // is); on UCloud, whose pairs carry no tags, the loser's create step refuses, unless that stack's plan
    // stopped on another cloud's name first (then nothing was attempted)
    // (a postcondition's error names the data source as "in data.external.cdktf_keypair_read.lifecycle…")
    const readError = (stack: keyof typeof retries) => terraformErrors(retries[stack].stderr).find((block) => block.includes('data.external.cdktf_keypair_read'));
    expect(perCloud((cloud) => {
      const loser = loserOf(cloud);
      const error = (TAGGING_CLOUDS.includes(cloud) ? readError(loser) : errorAbout(retries[loser].stderr, carrierIn(loser, cloud))) ?? '';
      if (!TAGGING_CLOUDS.includes(cloud) && error === '' && readError(loser) !== undefined) {
        return { namesTheName: true, namesTheHolder: true, saysNothingChanged: true, stoppedBefore: true };
      }
      return {
        namesTheName: error.includes(`the key pair name "contested" is taken: ${cloud} key pair "contested"`),
        // the winner's ownership tag names another construct (the other stack's); UCloud pairs carry none
        namesTheHolder: error.includes(TAGGING_CLOUDS.includes(cloud) ? 'belongs to another cdktf-keypair key pair (ownership tag ' : 'cannot prove its own'),
        saysNothingChanged: error.includes('Nothing was changed'),
        stoppedBefore: !TAGGING_CLOUDS.includes(cloud) && readError(loser) !== undefined,
      };
    })).toEqual(perCloud(() => ({ namesTheName: true, namesTheHolder: true, saysNothingChanged: true, stoppedBefore: expect.any(Boolean) })));
    expect(perCloud((cloud) => errorAbout(retries[winner[cloud]].stderr, carrierIn(winner[cloud], cloud)))).toEqual(perCloud(() => undefined));
    expect(perCloud((cloud) => e2e.keyPairsNamed(cloud, 'contested'))).toEqual(pairsBefore);
    expect(perCloud((cloud) => standingIn(winner[cloud], cloud, 'after the retries'))).toEqual(perCloud(() => PAIR_WITH_ITS_KEY));
  });

  test('destroying the losing stacks leaves the winners\' pairs and key files alone; destroying the winners removes them', async () => {
    // GIVEN
    const pairsBefore = perCloud((cloud) => e2e.keyPairsNamed(cloud, 'contested'));
    const losers = (stack: 'first' | 'second') => CLOUDS.filter((cloud) => loserOf(cloud) === stack);

    // WHEN a stack that lost on every cloud (or, when the clouds split, each stack in turn) is destroyed
    const destroyOrder: Array<'first' | 'second'> = losers('first').length >= losers('second').length ? ['first', 'second'] : ['second', 'first'];
    const firstDestroy = await stacks[destroyOrder[0]].run(['destroy', '-auto-approve']);

    // THEN only that stack's winning pairs are gone; the pairs it lost stay with the other stack's key files
    expect({ exitCode: firstDestroy.exitCode, errors: terraformErrors(firstDestroy.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(perCloud((cloud) => (winner[cloud] === destroyOrder[0] ? NOTHING : standingIn(winner[cloud], cloud, 'after the first destroy'))))
      .toEqual(perCloud((cloud) => (winner[cloud] === destroyOrder[0] ? NOTHING : PAIR_WITH_ITS_KEY)));
    expect(perCloud((cloud) => (winner[cloud] === destroyOrder[0] ? [] : e2e.keyPairsNamed(cloud, 'contested'))))
      .toEqual(perCloud((cloud) => (winner[cloud] === destroyOrder[0] ? [] : pairsBefore[cloud])));

    // WHEN the other stack is destroyed
    const secondDestroy = await stacks[destroyOrder[1]].run(['destroy', '-auto-approve']);

    // THEN nothing is left
    expect({ exitCode: secondDestroy.exitCode, errors: terraformErrors(secondDestroy.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(perCloud((cloud) => e2e.keyPairsNamed(cloud, 'contested'))).toEqual(perCloud(() => []));
    expect(perCloud((cloud) => [standingIn('first', cloud, 'at the end'), standingIn('second', cloud, 'at the end')])).toEqual(perCloud(() => [NOTHING, NOTHING]));
  });
});

describe('two stacks racing on a UCloud-API cloud that accepts duplicate names', () => {
  // UCloud does not document whether names are unique (docs/cloud-behaviour.md#ucloud-name-uniqueness-unconfirmed): here both creates succeed.
  const specs: KeyPairSpec[] = [{ id: 'ucloud_kp', cloud: 'ucloud', source: 'cloud', name: 'contested' }];
  const keyFiles = new KeyFileLog();
  let e2e: EndToEnd;
  const stacks: Deployment[] = [];

  beforeAll(async () => {
    e2e = await EndToEnd.start({ ucloudDuplicateNames: true, generatedKeyBits: SUITE_KEY_BITS });
    for (const name of ['first', 'second']) {
      const stack = await e2e.deployment(`dup_${name}`, RACE_TUNING);
      stack.synth(specs);
      await stack.init();
      stacks.push(stack);
    }
  });
  afterAll(async () => {
    if (e2e) saveHarnessEvidence('concurrent-stacks.test.ts duplicate names', e2e, keyFiles);
    await e2e?.stop();
  });

  test('both pairs are made and each stack holds its key; each proves its own by its fingerprint, and each destroy deletes its own only', async () => {
    // WHEN both apply at once, UCloud holding the creates back until both have come
    const { applies, allArrived } = await raceApplies(e2e, stacks, { ucloud: 2 });

    // THEN both succeed: each stack's read tells its pair from the other by the key it holds (UCloud's
    // fingerprint hashes the public key), never by the name
    expect(allArrived).toBe(true);
    expect(applies.map((run) => ({ exitCode: run.exitCode, errors: terraformErrors(run.stderr) })))
      .toEqual(applies.map(() => ({ exitCode: 0, errors: [] })));
    const pairs = e2e.keyPairsNamed('ucloud', 'contested');
    expect(pairs).toHaveLength(2);
    const ownPair = stacks.map((stack) => {
      const file = stack.privateKeyFile('ucloud_kp');
      keyFiles.record(file, 'concurrent duplicate names');
      const own = pairs.filter((pair) => holdsKeyOf(pair, file));
      expect(own).toHaveLength(1);
      return own[0].id;
    });
    expect(new Set(ownPair).size).toBe(2);
    const outputs = await Promise.all(stacks.map(async (stack) => (await stack.outputs()).ucloud_kp_key_pair_id));
    expect(outputs).toEqual(ownPair);

    // WHEN each stack is destroyed in turn
    const first = await stacks[0].run(['destroy', '-auto-approve']);

    // THEN the first deletes its own pair and key file, and leaves the second's
    expect({ exitCode: first.exitCode, errors: terraformErrors(first.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(e2e.keyPairsNamed('ucloud', 'contested').map((pair) => pair.id)).toEqual([ownPair[1]]);
    expect(stacks[0].readPrivateKey('ucloud_kp')).toBeUndefined();
    expect(stacks[1].readPrivateKey('ucloud_kp')).toBeDefined();

    const second = await stacks[1].run(['destroy', '-auto-approve']);
    expect({ exitCode: second.exitCode, errors: terraformErrors(second.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(e2e.keyPairsNamed('ucloud', 'contested')).toEqual([]);
    expect(stacks[1].readPrivateKey('ucloud_kp')).toBeUndefined();
  });
});
