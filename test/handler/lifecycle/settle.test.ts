/**
 * A create or import whose answer was lost, settled within the step (handler/lifecycle/settle.ts), when new
 * key pairs are late to show in describes (read-after-write lag). On Alibaba and Tencent, whose names are
 * unique, one describe settles it, and a resend the cloud refuses as a duplicate name means the lost call's
 * pair is late: described until it shows. On UCloud, whose names may repeat, the name must stay free for the
 * settle time before a create is sent again. Through runHandler against the emulator, both on one clock
 * that stands still but for the handler's own waits (the emulator counts its describe lag in it): a 500 ms
 * lag and a 1 s settle time unless a test says otherwise, played in no wall time and in the same order on
 * any machine.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { apiOf, eventually, HandlerDeployment, REGIONS } from './support';
import { JournalEntry, RunningEmulator, startEmulator } from '../../../emulator';
import type { RetryClock, RetryPolicy } from '../../../handler/http/retry';
import type { HandlerOutcome } from '../../../handler/run';
import { TUNING_ENV } from '../../../handler/tuning';
import { KEY_SOURCES, TRIGGER_KEYS, type CloudName } from '../../../src/contract';
import { FAST_RETRY } from '../../support/emulated-clients';
import { runPairStep } from '../../support/handler-steps';
import { CREATE_ACTION, DELETE_ACTION, DESCRIBE_ACTION, IMPORT_ACTION } from '../../support/key-pair-actions';
import { emulatorKeyPool } from '../../support/key-pools';
import { withoutComment } from '../../support/public-key-lines';
import { manualClock } from '../../support/retry-clocks';
import { sshKeygenKeyPair, sshKeygenPublicKeyOf } from '../../support/ssh-keygen';


/** Hides a new pair from the describe right after a lost call, and shows it within the settle time. */
const LAG_MS = 500;
const SETTLE_SECONDS = '1';

const clock = manualClock();
let emulator: RunningEmulator;
let duplicates: RunningEmulator;
let root: string;
beforeAll(async () => {
  emulator = await startEmulator({ now: clock.date, keyPool: emulatorKeyPool() });
  duplicates = await startEmulator({ ucloudDuplicateNames: true, now: clock.date, keyPool: emulatorKeyPool() });
  root = mkdtempSync(path.join(tmpdir(), 'settle-'));
});
afterAll(async () => {
  await emulator?.stop();
  await duplicates?.stop();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  for (const running of [emulator, duplicates]) {
    running.reset();
    running.setDescribeLag(0);
  }
});

let counter = 0;
/** A deployment of the app on `on`, and a fresh key pair name valid on every cloud. */
function deployment(on: () => RunningEmulator): { deployment: HandlerDeployment; name: string } {
  counter += 1;
  return { deployment: new HandlerDeployment(root, `settle-${counter}`, on), name: `settle_${counter}` };
}

/** `handler create` on the test's clock, with fast retries and a 1 s settle time. */
function create(
  on: RunningEmulator,
  triggers: Record<string, string>,
  retry: Partial<RetryPolicy> = {},
  handlerClock: RetryClock = clock,
): Promise<HandlerOutcome> {
  return runPairStep('create', {
    emulator: on,
    triggers,
    env: { [TUNING_ENV.settleSeconds]: SETTLE_SECONDS },
    settings: { retry: { ...FAST_RETRY, ...retry }, clock: handlerClock },
  });
}

/** The target as the handler names it in its progress lines. */
function targetOf(cloud: CloudName, name: string): string {
  return `${cloud} key pair "${name}" (${REGIONS[cloud]})`;
}

/** Asserts that each of `parts` occurs in `text`, in this order. */
function expectInOrder(text: string, parts: readonly string[]): void {
  let from = 0;
  for (const part of parts) {
    expect(text.slice(from)).toContain(part);
    from = text.indexOf(part, from) + part.length;
  }
}

/** Indexes in the journal of the entries for `action`. */
function indexesOf(journal: readonly JournalEntry[], action: string): number[] {
  return journal.flatMap((entry, index) => (entry.action === action ? [index] : []));
}

/** The actions of the journal between two indexes (both excluded). */
function actionsBetween(journal: readonly JournalEntry[], from: number, to: number): string[] {
  return journal.slice(from + 1, to).map((entry) => entry.action ?? '?');
}

/** The stored pairs under a name, and the public key (type and blob) each holds. */
function pairsNamed(on: RunningEmulator, cloud: CloudName, name: string) {
  return on.listKeyPairs(cloud).filter((keyPair) => keyPair.name === name);
}

/** Describes the name every 100 ms of the test's clock, for at most `timeoutMs`, until a pair shows; false when none did. */
async function describedWithin(on: RunningEmulator, cloud: CloudName, name: string, timeoutMs: number): Promise<boolean> {
  const until = clock.now() + timeoutMs;
  for (;;) {
    if ((await apiOf(on, cloud).findByName(name)).length > 0) return true;
    if (clock.now() > until) return false;
    clock.advance(100);
  }
}

describe.each(['alicloud', 'tencentcloud'] as const)('%s (names are unique): a lost create or import whose pair is late to show', (cloud) => {
  test('cloud-generated: the resend is refused as a duplicate name; the late pair is described until it shows, deleted (its private key was lost), and made again', async () => {
    // GIVEN new pairs that show in describes only after 500 ms, and a create whose answer is lost after the cloud made the pair
    const { deployment: first, name } = deployment(() => emulator);
    const triggers = first.triggers(cloud, name);
    emulator.setDescribeLag(LAG_MS);
    emulator.injectFault({ cloud, action: CREATE_ACTION[cloud], kind: 'drop-connection', afterAction: true });

    // WHEN
    const outcome = await create(emulator, triggers);

    // THEN the step succeeds, after settling the lost call twice: absent at first, then found late
    expect(outcome.exitCode).toBe(0);
    const target = targetOf(cloud, name);
    expectInOrder(outcome.stderr, [
      `${target}: the cloud may or may not have created it (NetworkError); looking it up`,
      `${target}: no key pair of that name exists: the lost call made none`,
      `sending the create of ${target} again: the cloud confirms the lost call made no key pair`,
      `deleting ${target} (id `,
      '): the call whose answer was lost made it, and its private key was lost with the answer',
      `sending the create of ${target} again: the key pair the lost call made was deleted`,
      `created ${target}: id `,
    ]);
    // AND the journal: the lost create; one describe proving the name free; the resend, refused; describes
    // until the late pair showed; its deletion; the create that made the pair kept
    const journal = emulator.requests(cloud);
    const creates = indexesOf(journal, CREATE_ACTION[cloud]);
    const deletes = indexesOf(journal, DELETE_ACTION[cloud]);
    expect(creates).toHaveLength(3);
    expect(journal[creates[0]]).toMatchObject({ fault: 'drop-connection', handled: true });
    expect(actionsBetween(journal, creates[0], creates[1])).toEqual([DESCRIBE_ACTION[cloud]]);
    expect(deletes).toHaveLength(1);
    expect(deletes[0]).toBeGreaterThan(creates[1]);
    expect(deletes[0]).toBeLessThan(creates[2]);
    const describesUntilShown = actionsBetween(journal, creates[1], deletes[0]);
    expect(describesUntilShown.length).toBeGreaterThanOrEqual(1);
    expect(new Set(describesUntilShown)).toEqual(new Set([DESCRIBE_ACTION[cloud]]));
    // AND exactly one pair, whose private key is in the file
    const pairs = pairsNamed(emulator, cloud, name);
    expect(pairs).toHaveLength(1);
    expect(withoutComment(pairs[0].publicKey)).toBe(sshKeygenPublicKeyOf(triggers[TRIGGER_KEYS.privateKeyFile]));
  });

  test('import: the resend is refused as a duplicate name; the late pair is described until it shows, and adopted', async () => {
    // GIVEN new pairs that show only after 500 ms, and an import whose answer is lost after the cloud made the pair
    const { deployment: first, name } = deployment(() => emulator);
    const { publicKey } = sshKeygenKeyPair('rsa');
    const triggers = first.triggers(cloud, name, {
      [TRIGGER_KEYS.keySource]: KEY_SOURCES.import,
      [TRIGGER_KEYS.publicKey]: publicKey,
      [TRIGGER_KEYS.privateKeyFile]: undefined,
    });
    emulator.setDescribeLag(LAG_MS);
    emulator.injectFault({ cloud, action: IMPORT_ACTION[cloud], kind: 'server-error', afterAction: true });

    // WHEN
    const outcome = await create(emulator, triggers);

    // THEN the step succeeds with the pair the lost call made
    expect(outcome.exitCode).toBe(0);
    const target = targetOf(cloud, name);
    expectInOrder(outcome.stderr, [
      `sending the create of ${target} again: the cloud confirms the lost call made no key pair`,
      `adopting ${target} (id `,
      '): the call whose answer was lost made it',
    ]);
    // AND two imports (the lost one, the refused one), nothing deleted, one pair holding the key
    const journal = emulator.requests(cloud);
    expect(indexesOf(journal, IMPORT_ACTION[cloud])).toHaveLength(2);
    expect(indexesOf(journal, DELETE_ACTION[cloud])).toEqual([]);
    const pairs = pairsNamed(emulator, cloud, name);
    expect(pairs).toHaveLength(1);
    expect(withoutComment(pairs[0].publicKey)).toBe(withoutComment(publicKey));
  });

  test('a create lost before the cloud acted: one describe proves the name free, and the create is sent again at once', async () => {
    // GIVEN a create answered by an internal error in front of the cloud (nothing was made)
    const { deployment: first, name } = deployment(() => emulator);
    const triggers = first.triggers(cloud, name);
    emulator.injectFault({ cloud, action: CREATE_ACTION[cloud], kind: 'server-error' });

    // WHEN
    const outcome = await create(emulator, triggers);

    // THEN
    expect(outcome.exitCode).toBe(0);
    expectInOrder(outcome.stderr, [
      `${targetOf(cloud, name)}: no key pair of that name exists: the lost call made none`,
      `sending the create of ${targetOf(cloud, name)} again: the cloud confirms the lost call made no key pair`,
    ]);
    const journal = emulator.requests(cloud);
    expect(journal.map((entry) => entry.action)).toEqual([
      DESCRIBE_ACTION[cloud],
      CREATE_ACTION[cloud],
      DESCRIBE_ACTION[cloud],
      CREATE_ACTION[cloud],
      DESCRIBE_ACTION[cloud],
    ]);
    expect(journal[1]).toMatchObject({ fault: 'server-error', handled: false });
    expect(pairsNamed(emulator, cloud, name)).toHaveLength(1);
    expect(withoutComment(pairsNamed(emulator, cloud, name)[0].publicKey)).toBe(sshKeygenPublicKeyOf(triggers[TRIGGER_KEYS.privateKeyFile]));
  });

  test('every create lost: sent again a bounded number of times, each after a describe proved the name free; then the step fails, leaving nothing behind', async () => {
    // GIVEN a cloud that answers every create with an internal error, in front of the action (100 times: more than the handler sends)
    const { deployment: first, name } = deployment(() => emulator);
    const triggers = first.triggers(cloud, name);
    emulator.injectFault({ cloud, action: CREATE_ACTION[cloud], kind: 'server-error', count: 100 });

    // WHEN
    const outcome = await create(emulator, triggers);

    // THEN it gave up, saying how many calls it made: the creates the journal shows
    expect(outcome.exitCode).toBe(1);
    const journal = emulator.requests(cloud);
    const creates = indexesOf(journal, CREATE_ACTION[cloud]);
    expect(creates.length).toBeGreaterThan(1);
    expect(creates.length).toBeLessThan(100);
    expect(emulator.pendingFaults()).toEqual([expect.objectContaining({ remaining: 100 - creates.length })]);
    expect(outcome.stderr).toContain(`${targetOf(cloud, name)} could not be created: ${creates.length} calls in a row were lost or refused`);
    expect(outcome.stderr).toContain('Nothing was left behind');
    // AND every create after the first followed a describe that proved the previous one made nothing
    for (let index = 1; index < creates.length; index++) {
      expect(actionsBetween(journal, creates[index - 1], creates[index])).toEqual([DESCRIBE_ACTION[cloud]]);
    }
    expect(pairsNamed(emulator, cloud, name)).toEqual([]);
    expect(existsSync(triggers[TRIGGER_KEYS.privateKeyFile])).toBe(false);
  });

  test('a lost create whose pair stays hidden longer than the settle time: the refused resend fails the step; a re-run converges', async () => {
    // GIVEN a describe lag of 2 s, longer than the 1 s settle time
    const { deployment: first, name } = deployment(() => emulator);
    const triggers = first.triggers(cloud, name);
    emulator.setDescribeLag(2_000);
    emulator.injectFault({ cloud, action: CREATE_ACTION[cloud], kind: 'drop-connection', afterAction: true });

    // WHEN
    const outcome = await create(emulator, triggers);

    // THEN the step fails, saying the cloud refused the name yet lists no pair of it, and no key file is left
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain(
      `${targetOf(cloud, name)}: the cloud refused a create as a duplicate name, yet lists no key pair of that name after 1 s`,
    );
    expect(indexesOf(emulator.requests(cloud), DELETE_ACTION[cloud])).toEqual([]);
    expect(existsSync(triggers[TRIGGER_KEYS.privateKeyFile])).toBe(false);
    // AND once the pair shows, a re-run finds it ours (its tag), replaces it (its private key was lost), and converges
    expect(await describedWithin(emulator, cloud, name, 5_000)).toBe(true);
    emulator.setDescribeLag(0);
    const rerun = await create(emulator, triggers);
    expect(rerun.exitCode).toBe(0);
    expect(rerun.stderr).toContain(`deleting ${targetOf(cloud, name)}: a previous run created it but its private key was lost`);
    const pairs = pairsNamed(emulator, cloud, name);
    expect(pairs).toHaveLength(1);
    expect(withoutComment(pairs[0].publicKey)).toBe(sshKeygenPublicKeyOf(triggers[TRIGGER_KEYS.privateKeyFile]));
  });
});

describe('ucloud (names may repeat; the emulator\'s default refuses a repeat, the handler does not count on it)', () => {
  test('a lost create whose pair is late to show: described until it shows, never sent again before; deleted and made again', async () => {
    // GIVEN new pairs that show only after 500 ms, and a create whose answer is lost after the cloud made the pair
    const { deployment: first, name } = deployment(() => emulator);
    const triggers = first.triggers('ucloud', name);
    emulator.setDescribeLag(LAG_MS);
    emulator.injectFault({ cloud: 'ucloud', action: CREATE_ACTION.ucloud, kind: 'drop-connection', afterAction: true });

    // WHEN
    const outcome = await create(emulator, triggers);

    // THEN
    expect(outcome.exitCode).toBe(0);
    const target = targetOf('ucloud', name);
    expectInOrder(outcome.stderr, [
      `${target}: the cloud may or may not have created it (NetworkError); looking it up`,
      `deleting ${target} (id `,
      '): the call whose answer was lost made it, and its private key was lost with the answer',
      `sending the create of ${target} again: the key pair the lost call made was deleted`,
    ]);
    // AND only describes between the lost create and the deletion: more than one, as the first cannot see the pair yet
    const journal = emulator.requests('ucloud');
    const creates = indexesOf(journal, CREATE_ACTION.ucloud);
    const deletes = indexesOf(journal, DELETE_ACTION.ucloud);
    expect(creates).toHaveLength(2);
    expect(deletes).toHaveLength(1);
    const describes = actionsBetween(journal, creates[0], deletes[0]);
    expect(describes.length).toBeGreaterThanOrEqual(2);
    expect(new Set(describes)).toEqual(new Set([DESCRIBE_ACTION.ucloud]));
    expect(deletes[0]).toBe(creates[1] - 1);
    const pairs = pairsNamed(emulator, 'ucloud', name);
    expect(pairs).toHaveLength(1);
    expect(withoutComment(pairs[0].publicKey)).toBe(sshKeygenPublicKeyOf(triggers[TRIGGER_KEYS.privateKeyFile]));
  });
});

describe('ucloud, on a UCloud-API cloud that accepts a second pair under a name: a lost answer never makes a second pair', () => {
  test('cloud-generated, the lost call\'s pair late to show: found within the settle time, deleted and made again; one pair', async () => {
    // GIVEN
    const { deployment: first, name } = deployment(() => duplicates);
    const triggers = first.triggers('ucloud', name);
    duplicates.setDescribeLag(LAG_MS);
    duplicates.injectFault({ cloud: 'ucloud', action: CREATE_ACTION.ucloud, kind: 'server-error', afterAction: true });

    // WHEN
    const outcome = await create(duplicates, triggers);

    // THEN the pair the lost call made was the one deleted; the one the resend made is the one kept
    expect(outcome.exitCode).toBe(0);
    const deleted = /deleting ucloud key pair "[^"]+" \(cn-bj2\) \(id (\S+)\): the call whose answer was lost made it/.exec(outcome.stderr)?.[1];
    const created = /created ucloud key pair "[^"]+" \(cn-bj2\): id (\S+)/.exec(outcome.stderr)?.[1];
    expect(deleted).toBeDefined();
    expect(created).toBeDefined();
    expect(created).not.toBe(deleted);
    const journal = duplicates.requests('ucloud');
    const creates = indexesOf(journal, CREATE_ACTION.ucloud);
    expect(creates).toHaveLength(2);
    expect(new Set(actionsBetween(journal, creates[0], creates[1]))).toEqual(new Set([DESCRIBE_ACTION.ucloud, DELETE_ACTION.ucloud]));
    const pairs = pairsNamed(duplicates, 'ucloud', name);
    expect(pairs.map((keyPair) => keyPair.id)).toEqual([created]);
    expect(withoutComment(pairs[0].publicKey)).toBe(sshKeygenPublicKeyOf(triggers[TRIGGER_KEYS.privateKeyFile]));
  });

  test.each([
    ['an import', KEY_SOURCES.import],
    ['a key generated here', KEY_SOURCES.generate],
  ] as const)('%s, the lost call\'s pair late to show: found within the settle time and adopted; imported once', async (_case, keySource) => {
    // GIVEN
    const { deployment: first, name } = deployment(() => duplicates);
    const { publicKey } = sshKeygenKeyPair('rsa');
    const triggers = first.triggers(
      'ucloud',
      name,
      keySource === KEY_SOURCES.import
        ? { [TRIGGER_KEYS.keySource]: keySource, [TRIGGER_KEYS.publicKey]: publicKey, [TRIGGER_KEYS.privateKeyFile]: undefined }
        : { [TRIGGER_KEYS.keySource]: keySource, [TRIGGER_KEYS.keyAlgorithm]: 'rsa' },
    );
    duplicates.setDescribeLag(LAG_MS);
    duplicates.injectFault({ cloud: 'ucloud', action: IMPORT_ACTION.ucloud, kind: 'drop-connection', afterAction: true });

    // WHEN
    const outcome = await create(duplicates, triggers);

    // THEN
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stderr).toContain(`adopting ${targetOf('ucloud', name)} (id `);
    expect(outcome.stderr).not.toContain('sending the create');
    const journal = duplicates.requests('ucloud');
    expect(indexesOf(journal, IMPORT_ACTION.ucloud)).toHaveLength(1);
    expect(indexesOf(journal, DELETE_ACTION.ucloud)).toEqual([]);
    const pairs = pairsNamed(duplicates, 'ucloud', name);
    expect(pairs).toHaveLength(1);
    const expected = keySource === KEY_SOURCES.import ? withoutComment(publicKey) : sshKeygenPublicKeyOf(triggers[TRIGGER_KEYS.privateKeyFile]);
    expect(withoutComment(pairs[0].publicKey)).toBe(expected);
  });

  test('a create lost before the cloud acted: the name must stay free for the whole settle time before the create is sent again', async () => {
    // GIVEN a create answered by an internal error in front of the cloud (nothing was made)
    const { deployment: first, name } = deployment(() => duplicates);
    const triggers = first.triggers('ucloud', name);
    duplicates.injectFault({ cloud: 'ucloud', action: CREATE_ACTION.ucloud, kind: 'server-error' });
    const started = clock.now();

    // WHEN
    const outcome = await create(duplicates, triggers);

    // THEN it kept describing for the settle time, then sent the create again
    expect(outcome.exitCode).toBe(0);
    expect(clock.now() - started).toBeGreaterThanOrEqual(1_000);
    expectInOrder(outcome.stderr, [
      `${targetOf('ucloud', name)}: no key pair of that name showed within 1 s: the lost call made none`,
      `sending the create of ${targetOf('ucloud', name)} again: the cloud confirms the lost call made no key pair`,
    ]);
    const journal = duplicates.requests('ucloud');
    const creates = indexesOf(journal, CREATE_ACTION.ucloud);
    expect(creates).toHaveLength(2);
    expect(journal[creates[0]]).toMatchObject({ fault: 'server-error', handled: false });
    const describes = actionsBetween(journal, creates[0], creates[1]);
    expect(describes.length).toBeGreaterThanOrEqual(5);
    expect(new Set(describes)).toEqual(new Set([DESCRIBE_ACTION.ucloud]));
    expect(pairsNamed(duplicates, 'ucloud', name)).toHaveLength(1);
  });

  test('the lost call\'s pair shows only after the resend: the late twin is deleted once the resend\'s pair shows; one pair', async () => {
    // GIVEN the lost call's pair hidden for 1.4 s (past the 1 s settle time), then new pairs hidden for 0.7 s
    const { deployment: first, name } = deployment(() => duplicates);
    const triggers = first.triggers('ucloud', name);
    duplicates.setDescribeLag(1_400);
    duplicates.injectFault({ cloud: 'ucloud', action: CREATE_ACTION.ucloud, kind: 'drop-connection', afterAction: true });

    // WHEN the lag turns 0.7 s at the handler's first wait after the lost create (its pair keeps its 1.4 s)
    let lagTurned = false;
    const turningClock: RetryClock = {
      ...clock,
      sleep: async (ms) => {
        if (!lagTurned && duplicates.requests('ucloud').some((entry) => entry.fault === 'drop-connection')) {
          duplicates.setDescribeLag(700);
          lagTurned = true;
        }
        return clock.sleep(ms);
      },
    };
    const outcome = await create(duplicates, triggers, {}, turningClock);
    expect(lagTurned).toBe(true);

    // THEN the create was sent again after the settle time, and the twin that showed late was deleted
    expect(outcome.exitCode).toBe(0);
    const target = targetOf('ucloud', name);
    expectInOrder(outcome.stderr, [
      `${target}: no key pair of that name showed within 1 s: the lost call made none`,
      `sending the create of ${target} again: the cloud confirms the lost call made no key pair`,
      `created ${target}: id `,
      `deleting ${target} (id `,
      '): made by the call whose answer was lost, it showed only after the resend',
    ]);
    const created = /created ucloud key pair "[^"]+" \(cn-bj2\): id (\S+)/.exec(outcome.stderr)?.[1];
    expect(pairsNamed(duplicates, 'ucloud', name).map((keyPair) => keyPair.id)).toEqual([created]);
    expect(withoutComment(pairsNamed(duplicates, 'ucloud', name)[0].publicKey)).toBe(sshKeygenPublicKeyOf(triggers[TRIGGER_KEYS.privateKeyFile]));
  });

  test('two pairs under the name after a lost create: the step cannot tell which one it made, fails naming both, and touches none', async () => {
    // GIVEN the create held by the cloud past its 1 s request timeout, and two pairs imported under the name
    // meanwhile (imports, which generate nothing, are done well within the timeout even on a busy machine)
    const { deployment: first, name } = deployment(() => duplicates);
    const triggers = first.triggers('ucloud', name);
    const publicKeys = [sshKeygenKeyPair('rsa').publicKey, sshKeygenKeyPair('rsa').publicKey];
    duplicates.injectFault({ cloud: 'ucloud', action: CREATE_ACTION.ucloud, kind: 'latency', latencyMs: 3_000 });

    // WHEN
    const running = create(duplicates, triggers, { requestTimeoutMs: 1_000 });
    expect(await eventually(() => duplicates.pendingFaults().length === 0, 5_000)).toBe(true);
    const api = apiOf(duplicates, 'ucloud');
    const others = [await api.importPublicKey({ name, publicKey: publicKeys[0] }), await api.importPublicKey({ name, publicKey: publicKeys[1] })];
    const outcome = await running;
    // (the held create reaches the cloud only after the step: wait for it, so that it lands in this test)
    expect(await eventually(() => duplicates.requests('ucloud').some((entry) => entry.fault === 'latency'), 10_000)).toBe(true);

    // THEN the step fails, naming both pairs
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain(
      `2 key pairs are named "${name}" after a create whose answer was lost (${others.map((keyPair) => keyPair.id).join(', ')}): cannot tell which one it made`,
    );
    expect(outcome.stderr).toContain('None was touched');
    // AND nothing was deleted or sent again (the one create is the held one); no key file is left
    const journal = duplicates.requests('ucloud');
    expect(indexesOf(journal, DELETE_ACTION.ucloud)).toEqual([]);
    expect(indexesOf(journal, CREATE_ACTION.ucloud).map((index) => journal[index].fault)).toEqual(['latency']);
    expect(pairsNamed(duplicates, 'ucloud', name).map((keyPair) => keyPair.id)).toEqual(expect.arrayContaining(others.map((keyPair) => keyPair.id)));
    expect(existsSync(triggers[TRIGGER_KEYS.privateKeyFile])).toBe(false);
  });
});
