import { CLOUDS, RunningEmulator, startEmulator } from '../../emulator';
import { generateRsaKeyPair } from '../../emulator/key-material';
import { KeyPairTarget, keyPairApiFor } from '../../handler/clouds/factory';
import type { KeyPairApi } from '../../handler/clouds/key-pair-api';
import type { CloudName } from '../../handler/http/cloud-api-error';
import { caughtCloudApiError } from '../support/cloud-api-errors';
import { emulatorKeyPool } from '../support/key-pools';
import { manualClock } from '../support/retry-clocks';

/**
 * Two things the emulator adds for tests of lost answers and lag: the names of the key pairs each journaled
 * request is about, and a describe lag that keeps a new pair out of describes (but not out of the
 * duplicate-name check) for a while. The lag counts in the emulator's clock: here one that stands still
 * unless the test moves it on (shared with the clients, which sign requests with it), so a lag of seconds
 * costs no wall time and its end is exact.
 */

const TARGETS: Record<CloudName, KeyPairTarget> = {
  alicloud: { cloud: 'alicloud', region: 'cn-hangzhou' },
  tencentcloud: { cloud: 'tencentcloud', region: 'ap-guangzhou' },
  ucloud: { cloud: 'ucloud', region: 'cn-bj2', scope: 'org-test' },
};

/** Each cloud's key pair actions. */
const ACTIONS: Record<CloudName, { create: string; import: string; describe: string; delete: string }> = {
  alicloud: { create: 'CreateKeyPair', import: 'ImportKeyPair', describe: 'DescribeKeyPairs', delete: 'DeleteKeyPairs' },
  tencentcloud: { create: 'CreateKeyPair', import: 'ImportKeyPair', describe: 'DescribeKeyPairs', delete: 'DeleteKeyPairs' },
  ucloud: { create: 'CreateUHostKeyPair', import: 'ImportUHostKeyPairs', describe: 'DescribeUHostKeyPairs', delete: 'DeleteUHostKeyPairs' },
};

/** The code each cloud refuses a name already held with (UCloud's is the emulator's choice: it documents none). */
const DUPLICATE_NAME_CODE: Record<CloudName, string> = {
  alicloud: 'KeyPair.AlreadyExist',
  tencentcloud: 'InvalidKeyPairName.Duplicate',
  ucloud: '8510',
};

const LAG_MS = 3_000;

const clock = manualClock();
let emulator: RunningEmulator;
let publicKey: string;
beforeAll(async () => {
  emulator = await startEmulator({ now: clock.date, keyPool: emulatorKeyPool() });
  publicKey = generateRsaKeyPair().publicKeyOpenSsh;
});
afterAll(() => emulator.stop());
afterEach(() => {
  emulator.setDescribeLag(0);
  emulator.reset();
});

function api(cloud: CloudName): KeyPairApi {
  return keyPairApiFor(TARGETS[cloud], emulator.handlerEnvironment(), { clock });
}

/** Each journaled request of the cloud as [action, HTTP status, key pair names]. */
function journal(cloud: CloudName): Array<[string | undefined, number | undefined, readonly string[]]> {
  return emulator.requests(cloud).map((entry) => [entry.action, entry.status, entry.keyPairNames]);
}

describe.each(CLOUDS)('the request journal on %s: the key pairs each request is about, by name', (cloud) => {
  test('create, import and describe by name → that name; describe and delete by id → the name of the pair with the id, as it was before the request', async () => {
    // GIVEN
    const client = api(cloud);
    const { create, import: importAction, describe, delete: deleteAction } = ACTIONS[cloud];

    // WHEN a pair is made, another imported, the first described by name and by id, the second deleted twice
    const made = await client.create({ name: 'made' });
    const imported = await client.importPublicKey({ name: 'imported', publicKey });
    await client.findByName('made');
    await client.describeById(made.id);
    await client.delete(imported);
    const again = await client.delete(imported);

    // THEN the second delete found nothing to delete
    expect(again.alreadyGone).toBe(true);
    // AND the journal names the pairs, as each cloud's requests name them
    const expected: Record<CloudName, Array<[string, number, string[]]>> = {
      // Alibaba names a key pair in every action, the delete and the describe by id included (its id is the name).
      alicloud: [
        [create, 200, ['made']],
        [importAction, 200, ['imported']],
        [describe, 200, ['made']],
        [describe, 200, ['made']],
        [deleteAction, 200, ['imported']],
        [deleteAction, 404, ['imported']],
      ],
      // Tencent's import answers only the id: the client describes the name. A describe or delete by KeyIds
      // is about the pair with that id; once it is deleted, no pair has the id and the request names none.
      tencentcloud: [
        [create, 200, ['made']],
        [importAction, 200, ['imported']],
        [describe, 200, ['imported']],
        [describe, 200, ['made']],
        [describe, 200, ['made']],
        [deleteAction, 200, ['imported']],
        [deleteAction, 200, []],
      ],
      // UCloud filters describes by name only: a describe by id lists every pair and names none. A delete by
      // KeyPairIds.N is about the pair with the id; the second names none, and the client describes to check.
      ucloud: [
        [create, 200, ['made']],
        [importAction, 200, ['imported']],
        [describe, 200, ['made']],
        [describe, 200, []],
        [deleteAction, 200, ['imported']],
        [deleteAction, 200, []],
        [describe, 200, []],
      ],
    };
    expect(journal(cloud)).toEqual(expected[cloud]);
    // AND the inspection API serves the same journal, names included
    const inspected = await fetch(`${emulator.endpoints[cloud]}/_emulator/requests`).then((response) => response.json());
    expect(inspected).toEqual({ cloud, requests: JSON.parse(JSON.stringify(emulator.requests(cloud))) });
  });
});

describe.each(CLOUDS)('describe lag on %s', (cloud) => {
  test('a new pair is absent from describes for the lag, while a duplicate-name create is refused at once', async () => {
    // GIVEN a pair made before the lag was set, and a lag of 3 s
    const client = api(cloud);
    const before = await client.create({ name: 'before' });
    emulator.setDescribeLag(LAG_MS);

    // WHEN a pair is made under the lag
    const madeAt = clock.now();
    const lagging = await client.create({ name: 'lagging' });
    // THEN describes leave it out (by name and by id), while the pair made before shows
    expect(await client.findByName('lagging')).toEqual([]);
    expect(await client.describeById(lagging.id)).toBeUndefined();
    expect((await client.findByName('before')).map((keyPair) => keyPair.id)).toEqual([before.id]);
    // AND the emulator holds it
    expect(emulator.listKeyPairs(cloud).map((keyPair) => keyPair.name)).toEqual(['before', 'lagging']);

    // WHEN the name is asked for again, still within the lag
    const refused = await caughtCloudApiError(client.create({ name: 'lagging' }));
    // THEN the cloud refuses it at once with its duplicate-name code, and makes nothing
    expect(refused).toMatchObject({ cloud, code: DUPLICATE_NAME_CODE[cloud], retryable: false });
    expect(emulator.listKeyPairs(cloud)).toHaveLength(2);
    // AND the client calls it name-taken where the code says so; UCloud's code is undocumented, and the
    // describe the client checks it with does not show the holder yet, so it can only say "refused"
    expect(refused.outcome).toBe(cloud === 'ucloud' ? 'permanent' : 'name-taken');
    // (all of it while no time passed: the clients did not wait)
    expect(clock.now()).toBe(madeAt);

    // WHEN the lag has all but passed, the pair is still left out
    clock.advance(LAG_MS - 1);
    expect(await client.findByName('lagging')).toEqual([]);
    // WHEN the lag has passed
    clock.advance(1);
    // THEN describes show the pair, and a duplicate is name-taken on every cloud
    expect((await client.findByName('lagging')).map((keyPair) => keyPair.id)).toEqual([lagging.id]);
    expect((await client.describeById(lagging.id))?.name).toBe('lagging');
    expect(await caughtCloudApiError(client.create({ name: 'lagging' }))).toMatchObject({ code: DUPLICATE_NAME_CODE[cloud], outcome: 'name-taken' });
  });

  test('the lag counts for pairs made after it is set; a negative or non-finite lag is refused', async () => {
    // GIVEN a lag of 3 s, set after a first pair was made
    const client = api(cloud);
    await client.create({ name: 'earlier' });
    emulator.setDescribeLag(LAG_MS);

    // WHEN the lag is set back to 0 after a second pair was made
    await client.create({ name: 'later' });
    emulator.setDescribeLag(0);

    // THEN the first shows at once, the second still lags (its time was fixed when it was made)
    expect(await client.findByName('earlier')).toHaveLength(1);
    expect(await client.findByName('later')).toEqual([]);
    // AND a lag that is not a number of milliseconds >= 0 is refused, naming the value
    expect(() => emulator.setDescribeLag(-1)).toThrow('the describe lag must be a number of milliseconds >= 0, got -1');
    expect(() => emulator.setDescribeLag(Number.NaN)).toThrow('got NaN');
  });
});

describe('describe lag on the system clock (the emulator\'s default)', () => {
  test('a new pair shows once the lag has passed in real time', async () => {
    // GIVEN an emulator on its own clock, with a lag of 1 s
    const own = await startEmulator({ describeLagMs: 1_000 });
    try {
      const client = keyPairApiFor(TARGETS.tencentcloud, own.handlerEnvironment(), {});
      // WHEN a pair is made (stored after `asked`)
      const asked = Date.now();
      const made = await client.create({ name: 'lagging' });
      // THEN it is left out at first, and shows after the lag, not before
      expect(await client.findByName('lagging')).toEqual([]);
      let shown = 0;
      while (shown === 0 && Date.now() < asked + 10_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        if ((await client.findByName('lagging')).length > 0) shown = Date.now();
      }
      expect(shown).toBeGreaterThanOrEqual(asked + 1_000);
      expect((await client.describeById(made.id))?.name).toBe('lagging');
    } finally {
      await own.stop();
    }
  });
});
