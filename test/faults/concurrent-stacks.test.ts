/**
 * Two stacks creating key pairs of the same names at the same time, with real `terraform` (two workspaces,
 * two applies at once, one emulator). Each cloud holds both creates back for a moment, so both stacks look
 * the name up, find it free, and send their create: a true race. On each cloud one stack wins; the other fails
 * naming the cloud's duplicate-name code, and neither deletes nor adopts the other's pair: the winner's pair
 * is intact with its private key file, the loser's retry fails naming the taken name (held by another
 * cdktf-keypair key pair: the other stack's construct), and destroying the loser does not touch it.
 */
import type { CloudName } from '../../src/contract';
import { Deployment, EndToEnd, KeyPairSpec, TAGGING_CLOUDS } from '../e2e/helpers';
import type { TerraformRunResult } from '../support/terraform';
import { KeyFileLog } from './support/evidence';
import {
  CLOUD_CODES,
  CLOUDS,
  createActionOf,
  errorAbout,
  failedWith,
  handledCreates,
  holdsKeyOf,
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

/** How long each cloud holds the two creates: both stacks' creates arrive within it. */
const HELD_MS = 4_000;

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
    e2e = await EndToEnd.start();
    for (const name of ['first', 'second'] as const) {
      stacks[name] = await e2e.deployment(`race_${name}`, SUITE_TUNING);
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
    // GIVEN each cloud holding the creates back, so that both stacks find the name free
    for (const cloud of CLOUDS) e2e.emulator.injectFault({ cloud, action: createActionOf(cloud, 'cloud'), kind: 'latency', latencyMs: HELD_MS, count: 2 });

    // WHEN
    [applies.first, applies.second] = await Promise.all([
      stacks.first.run(['apply', '-auto-approve'], TRACE),
      stacks.second.run(['apply', '-auto-approve'], TRACE),
    ]);

    // THEN both creates reached each cloud (a true race), which made exactly one pair
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

    // WHEN each stack applies again (the winner's pairs are in place, its failed carriers are retried)
    const retries = { first: await stacks.first.run(['apply', '-auto-approve'], TRACE), second: await stacks.second.run(['apply', '-auto-approve'], TRACE) };

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
    const firstDestroy = await stacks[destroyOrder[0]].run(['destroy', '-auto-approve'], TRACE);

    // THEN only that stack's winning pairs are gone; the pairs it lost stay with the other stack's key files
    expect({ exitCode: firstDestroy.exitCode, errors: terraformErrors(firstDestroy.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(perCloud((cloud) => (winner[cloud] === destroyOrder[0] ? NOTHING : standingIn(winner[cloud], cloud, 'after the first destroy'))))
      .toEqual(perCloud((cloud) => (winner[cloud] === destroyOrder[0] ? NOTHING : PAIR_WITH_ITS_KEY)));
    expect(perCloud((cloud) => (winner[cloud] === destroyOrder[0] ? [] : e2e.keyPairsNamed(cloud, 'contested'))))
      .toEqual(perCloud((cloud) => (winner[cloud] === destroyOrder[0] ? [] : pairsBefore[cloud])));

    // WHEN the other stack is destroyed
    const secondDestroy = await stacks[destroyOrder[1]].run(['destroy', '-auto-approve'], TRACE);

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
    e2e = await EndToEnd.start({ ucloudDuplicateNames: true });
    for (const name of ['first', 'second']) {
      const stack = await e2e.deployment(`dup_${name}`, SUITE_TUNING);
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
    // GIVEN
    e2e.emulator.injectFault({ cloud: 'ucloud', action: createActionOf('ucloud', 'cloud'), kind: 'latency', latencyMs: HELD_MS, count: 2 });

    // WHEN both apply at once
    const applies = await Promise.all(stacks.map((stack) => stack.run(['apply', '-auto-approve'], TRACE)));

    // THEN both succeed: each stack's read tells its pair from the other by the key it holds (UCloud's
    // fingerprint hashes the public key), never by the name
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
    const first = await stacks[0].run(['destroy', '-auto-approve'], TRACE);

    // THEN the first deletes its own pair and key file, and leaves the second's
    expect({ exitCode: first.exitCode, errors: terraformErrors(first.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(e2e.keyPairsNamed('ucloud', 'contested').map((pair) => pair.id)).toEqual([ownPair[1]]);
    expect(stacks[0].readPrivateKey('ucloud_kp')).toBeUndefined();
    expect(stacks[1].readPrivateKey('ucloud_kp')).toBeDefined();

    const second = await stacks[1].run(['destroy', '-auto-approve'], TRACE);
    expect({ exitCode: second.exitCode, errors: terraformErrors(second.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(e2e.keyPairsNamed('ucloud', 'contested')).toEqual([]);
    expect(stacks[1].readPrivateKey('ucloud_kp')).toBeUndefined();
  });
});
