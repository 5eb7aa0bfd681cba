/**
 * Two deployments of one app (the same code applied with two Terraform states: staging and production, two
 * pipelines, a colleague's checkout) in one cloud account: the same construct, so the same key pair name and
 * construct hash, but two deployment identities. Through runHandler against the emulator, as Terraform runs
 * the steps: neither deployment ever adopts, replaces or deletes the other's pair, and every step that meets
 * the other's pair says whose it is. On UCloud, whose key pairs carry no tags, what proves a pair ours is the
 * record the stack registry kept in state (or key material): never the name alone.
 */
import { existsSync, rmSync } from 'node:fs';
import { actionsSince, apiOf, DELETE_ACTIONS, eventually, HandlerDeployment, recordOf, REGIONS, resultOf, useHandlerTestBed } from './support';
import { RunningEmulator, startEmulator } from '../../../emulator';
import { CLOUD_NAMES, KEY_SOURCES, OWNERSHIP_TAG_KEY, READ_STATUS, RESULT_KEYS, TRIGGER_KEYS, type CloudName } from '../../../src/contract';
import { sshKeygenKeyPair } from '../../support/ssh-keygen';

const bed = useHandlerTestBed('deployments');

/** Two deployments of the app (first, second), and the key pair name their construct gives both. */
function twoDeployments(on?: () => RunningEmulator): { first: HandlerDeployment; second: HandlerDeployment; name: string } {
  const { deployment: first, n } = bed.newDeployment(on);
  return { first, second: bed.newDeployment(on).deployment, name: `shared_${n}` };
}

/** What a step that meets the first deployment's pair says holds the name, per cloud. */
function holderOf(cloud: CloudName, first: HandlerDeployment): string {
  return cloud === 'ucloud'
    // No tags on UCloud: nothing on the pair names a deployment, and the second holds no proof of its own.
    ? 'a key pair this deployment cannot prove its own'
    : `another deployment of this app (deployment ${first.id}: the same code applied with another Terraform state)`;
}

/** The stored pair as the cloud holds it: id, fingerprint, public key, tags. */
function storedPair(cloud: CloudName, name: string) {
  return bed.emulator.listKeyPairs(cloud).filter((keyPair) => keyPair.name === name);
}

describe.each(CLOUD_NAMES)('%s: a second deployment of the app, after the first', (cloud) => {
  test('its create fails naming the taken name and the other deployment; the first\'s pair is untouched', async () => {
    // GIVEN the first deployment's pair
    const { first, second, name } = twoDeployments();
    const firstTriggers = first.triggers(cloud, name);
    expect((await first.create(firstTriggers, cloud === 'ucloud' ? {} : { team: 'infra' })).exitCode).toBe(0);
    const before = storedPair(cloud, name);
    const journal = bed.emulator.requests().length;

    // WHEN the second deployment creates the same construct's pair
    const secondTriggers = second.triggers(cloud, name);
    const outcome = await second.create(secondTriggers);

    // THEN it fails, naming the name and who holds it, with the remedy
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain(`the key pair name "${name}" is taken: ${cloud} key pair "${name}" (${REGIONS[cloud]}) already exists and belongs to ${holderOf(cloud, first)}`);
    expect(outcome.stderr).toContain('Nothing was changed. Give each deployment its own key pair names');
    // AND it only looked: no create, no delete; the first's pair and private key are as they were
    expect(actionsSince(bed.emulator, journal)).toEqual([cloud === 'ucloud' ? 'DescribeUHostKeyPairs' : 'DescribeKeyPairs']);
    expect(storedPair(cloud, name)).toEqual(before);
    expect(existsSync(firstTriggers[TRIGGER_KEYS.privateKeyFile])).toBe(true);
    expect(existsSync(secondTriggers[TRIGGER_KEYS.privateKeyFile])).toBe(false);
    // AND the first deployment reads its pair as before
    expect(resultOf(await first.read(firstTriggers, cloud === 'ucloud' ? {} : { team: 'infra' }))[RESULT_KEYS.status]).toBe(READ_STATUS.present);
  });

  test('its read never reports the first\'s pair as its own', async () => {
    // GIVEN
    const { first, second, name } = twoDeployments();
    expect((await first.create(first.triggers(cloud, name))).exitCode).toBe(0);
    const [pair] = storedPair(cloud, name);

    // WHEN
    const outcome = await second.read(second.triggers(cloud, name));

    // THEN
    if (cloud === 'ucloud') {
      // UCloud: no tags, and the second deployment holds no key material here: the one pair under the name
      // is reported by its name alone, and says so. Every step that would change or delete it needs proof.
      const result = resultOf(outcome);
      expect(result[RESULT_KEYS.status]).toBe(READ_STATUS.present);
      expect(outcome.stderr).toContain(`ucloud key pair "${name}" (${REGIONS.ucloud}): reported by its name alone`);
    } else {
      // reported taken (the data source's postcondition fails the plan, quoting the problem), never present
      const result = resultOf(outcome);
      expect(result[RESULT_KEYS.status]).toBe(READ_STATUS.taken);
      expect(result[RESULT_KEYS.keyPairId]).toBe('');
      expect(result[RESULT_KEYS.fingerprint]).toBe('');
      expect(result[RESULT_KEYS.publicKey]).toBe('');
      if (cloud === 'tencentcloud') expect(JSON.stringify(result)).not.toContain(pair.id);
      expect(result[RESULT_KEYS.problem]).toContain(`the key pair name "${name}" is taken`);
      expect(result[RESULT_KEYS.problem]).toContain(`belongs to another deployment of this app (deployment ${first.id}`);
      expect(result[RESULT_KEYS.problem]).toContain('Give each deployment its own key pair names');
    }
  });

  test('its delete leaves the first\'s pair and private key alone, and says so', async () => {
    // GIVEN
    const { first, second, name } = twoDeployments();
    const firstTriggers = first.triggers(cloud, name);
    expect((await first.create(firstTriggers)).exitCode).toBe(0);
    const before = storedPair(cloud, name);
    const journal = bed.emulator.requests().length;

    // WHEN the second deployment is destroyed (its carrier's destroy step: no record)
    const outcome = await second.delete(second.triggers(cloud, name));

    // THEN
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stderr).toContain(`${cloud} key pair "${name}" (${REGIONS[cloud]}) was left alone: it belongs to ${holderOf(cloud, first)}`);
    expect(actionsSince(bed.emulator, journal).filter((action) => DELETE_ACTIONS.includes(action))).toEqual([]);
    expect(storedPair(cloud, name)).toEqual(before);
    expect(existsSync(firstTriggers[TRIGGER_KEYS.privateKeyFile])).toBe(true);
  });

  // On Alibaba and Tencent the ownership tag tells the pairs apart. UCloud pairs carry nothing: there, the one
  // pair that appears under a name the step saw free is taken for its lost call's (docs/ownership.md,
  // "Lost answers on UCloud"), so another deployment racing for the same name in the same seconds is the
  // documented limit, tested below.
  if (cloud !== 'ucloud') {
    test('the settling of a create of unknown outcome never deletes the other deployment\'s pair: it fails naming the holder', async () => {
      // GIVEN the second deployment's create held by the cloud past its request timeout (outcome unknown), and
      // the first deployment's pair made meanwhile under the name
      const { first, second, name } = twoDeployments();
      const createAction = 'CreateKeyPair';
      bed.emulator.injectFault({ cloud, action: createAction, kind: 'latency', latencyMs: 4_000 });
      const secondTriggers = second.triggers(cloud, name);
      const firstTriggers = first.triggers(cloud, name);

      // WHEN
      const running = second.create(secondTriggers, {}, { requestTimeoutMs: 2_000 });
      expect(await eventually(() => bed.emulator.pendingFaults().length === 0, 5_000)).toBe(true);
      expect((await first.create(firstTriggers)).exitCode).toBe(0);
      const firstPair = storedPair(cloud, name);
      const outcome = await running;
      // (the held create reaches the cloud only after the step: wait for it, so that it lands in this test)
      expect(await eventually(() => bed.emulator.requests(cloud).some((entry) => entry.fault === 'latency'), 10_000)).toBe(true);

      // THEN the second's create timed out, it looked the name up, and failed naming who holds it
      expect(outcome.stderr).toMatch(/the cloud may or may not have created it \(RequestTimeout\); looking it up/);
      expect(outcome.exitCode).toBe(1);
      expect(outcome.stderr).toContain(`the key pair name "${name}" is taken: ${cloud} key pair "${name}" (${REGIONS[cloud]}) belongs to ${holderOf(cloud, first)}`);
      expect(outcome.stderr).toContain('Nothing was changed. Give each deployment its own key pair names');
      // AND nothing was deleted, and no create was sent again
      expect(outcome.stderr).not.toMatch(/deleting |adopting |sending the create/);
      expect(bed.emulator.requests(cloud).filter((entry) => DELETE_ACTIONS.includes(entry.action ?? ''))).toEqual([]);
      // AND the held create, once it reached the cloud, was refused (the name is taken): the first's pair stands
      expect(bed.emulator.requests(cloud).filter((entry) => entry.action === createAction)).toHaveLength(2);
      expect(storedPair(cloud, name)).toEqual(firstPair);
      expect(existsSync(firstTriggers[TRIGGER_KEYS.privateKeyFile])).toBe(true);
      expect(existsSync(secondTriggers[TRIGGER_KEYS.privateKeyFile])).toBe(false);
    });
  }
});

describe('ucloud: the documented limit of a cloud without tags', () => {
  test('a pair another deployment makes under the name in the very seconds of a lost create is taken for the lost call\'s own', async () => {
    // GIVEN the second deployment's create held by the cloud past its request timeout, and the first
    // deployment's pair made meanwhile under the name (two deployments using one name: what NAME_TAKEN_REMEDY forbids)
    const { first, second, name } = twoDeployments();
    bed.emulator.injectFault({ cloud: 'ucloud', action: 'CreateUHostKeyPair', kind: 'latency', latencyMs: 4_000 });
    const running = second.create(second.triggers('ucloud', name), {}, { requestTimeoutMs: 2_000 });
    expect(await eventually(() => bed.emulator.pendingFaults().length === 0, 5_000)).toBe(true);
    expect((await first.create(first.triggers('ucloud', name))).exitCode).toBe(0);
    const [firstPair] = storedPair('ucloud', name);

    // WHEN the second's step settles its lost create
    const outcome = await running;
    expect(await eventually(() => bed.emulator.requests('ucloud').some((entry) => entry.fault === 'latency'), 10_000)).toBe(true);

    // THEN nothing on the pair tells it apart from the lost call's: the step deletes it as its own and makes
    // another, saying which it deleted and why (docs/ownership.md, "Lost answers on UCloud")
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stderr).toContain(`deleting ucloud key pair "${name}" (cn-bj2) (id ${firstPair.id}): the call whose answer was lost made it`);
    expect(storedPair('ucloud', name).map((keyPair) => keyPair.id)).not.toContain(firstPair.id);
    expect(storedPair('ucloud', name)).toHaveLength(1);
  });
});

describe.each(['alicloud', 'tencentcloud'] as const)('%s: the ownership tag names the deployment', (cloud) => {
  test('the first deployment\'s pair carries its identity and the construct hash; the second\'s own pair under another name is its own', async () => {
    // GIVEN
    const { first, second, name } = twoDeployments();
    expect((await first.create(first.triggers(cloud, name))).exitCode).toBe(0);
    // WHEN the second deployment names its pair apart, as the remedy says
    const secondTriggers = second.triggers(cloud, `${name}_b`);
    expect((await second.create(secondTriggers)).exitCode).toBe(0);
    // THEN each pair's ownership tag names its deployment; each deletes its own only
    expect(storedPair(cloud, name)[0].tags[OWNERSHIP_TAG_KEY]).toBe(first.owner());
    expect(storedPair(cloud, `${name}_b`)[0].tags[OWNERSHIP_TAG_KEY]).toBe(second.owner());
    expect((await second.delete(secondTriggers)).exitCode).toBe(0);
    expect(storedPair(cloud, `${name}_b`)).toEqual([]);
    expect(storedPair(cloud, name)).toHaveLength(1);
  });
});

describe('ucloud: no tags, so the registry\'s record (or key material) is the proof', () => {
  test('delete without a record and without key material leaves the pair alone and says so; with the record it deletes it', async () => {
    // GIVEN a pair of the first deployment, destroyed from a fresh runner (no key file here)
    const { first, name } = twoDeployments();
    const triggers = first.triggers('ucloud', name);
    expect((await first.create(triggers)).exitCode).toBe(0);
    const record = recordOf(resultOf(await first.read(triggers)));
    rmSync(triggers[TRIGGER_KEYS.privateKeyFile]);

    // WHEN the carrier's destroy step runs (no record)
    const unproven = await first.delete(triggers);

    // THEN nothing is deleted by its name alone, and the step says so
    expect(unproven.exitCode).toBe(0);
    expect(unproven.stderr).toContain(`ucloud key pair "${name}" (${REGIONS.ucloud}) was left alone: it belongs to a key pair this deployment cannot prove its own`);
    expect(storedPair('ucloud', name)).toHaveLength(1);

    // WHEN the registry's destroy step runs, with what the read recorded in state
    const recorded = await first.deleteWithRecord(triggers, record);

    // THEN the pair is deleted
    expect(recorded.exitCode).toBe(0);
    expect(recorded.stderr).toContain(`deleted ucloud key pair "${name}" (${REGIONS.ucloud}) (id ${record.keyPairId})`);
    expect(storedPair('ucloud', name)).toEqual([]);
  });

  test('a record of another pair proves nothing: the pair under the name is left alone', async () => {
    // GIVEN the first deployment's pair, and a record of a pair that is gone (same name, another id)
    const { first, second, name } = twoDeployments();
    expect((await first.create(first.triggers('ucloud', name))).exitCode).toBe(0);
    const before = storedPair('ucloud', name);

    // WHEN the second deployment's registry entry is destroyed with its own (stale) record
    const outcome = await second.deleteWithRecord(second.triggers('ucloud', name), { keyPairId: 'uhostkp-gone0000', fingerprint: 'ff' });

    // THEN
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stderr).toContain('was left alone: it belongs to a key pair other than the one this deployment recorded');
    expect(storedPair('ucloud', name)).toEqual(before);
  });

  test('a create re-run never adopts a pair by its name alone', async () => {
    // GIVEN the first deployment's cloud-generated pair, whose private key file is not on this machine
    const { first, name } = twoDeployments();
    const triggers = first.triggers('ucloud', name);
    expect((await first.create(triggers)).exitCode).toBe(0);
    const before = storedPair('ucloud', name);
    rmSync(triggers[TRIGGER_KEYS.privateKeyFile]);
    const journal = bed.emulator.requests().length;

    // WHEN the create runs again (a tainted carrier, or another deployment of the same construct)
    const outcome = await first.create(triggers);

    // THEN it is refused: not adopted, not replaced, not deleted
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain(`the key pair name "${name}" is taken`);
    expect(outcome.stderr).toContain('cannot prove its own');
    expect(actionsSince(bed.emulator, journal)).toEqual(['DescribeUHostKeyPairs']);
    expect(storedPair('ucloud', name)).toEqual(before);
    expect(existsSync(triggers[TRIGGER_KEYS.privateKeyFile])).toBe(false);
  });
});

describe('ucloud: a pair reported by its name alone never becomes proof', () => {
  // The registry records what the read saw right after its carrier's create, and never updates it
  // (`ignore_changes`, test/constructs/deployment.test.ts): a later read that reports another deployment's
  // pair by its name alone never reaches the record its destroy step uses.
  test('the second deployment\'s pair gone, the first\'s under the name: the second\'s destroy, with its record, leaves the first\'s pair', async () => {
    // GIVEN the second deployment's pair, recorded right after its create, then deleted out of band; then the
    // first deployment's pair under the name
    const { first, second, name } = twoDeployments();
    const secondTriggers = second.triggers('ucloud', name);
    expect((await second.create(secondTriggers)).exitCode).toBe(0);
    const recorded = recordOf(resultOf(await second.read(secondTriggers)));
    for (const keyPair of await apiOf(bed.emulator, 'ucloud').findByName(name)) await apiOf(bed.emulator, 'ucloud').delete(keyPair);
    expect((await first.create(first.triggers('ucloud', name))).exitCode).toBe(0);
    const firstPair = storedPair('ucloud', name);

    // WHEN the second deployment plans (its read reports the one pair under the name) and is destroyed
    expect(resultOf(await second.read(secondTriggers))[RESULT_KEYS.status]).toBe(READ_STATUS.present);
    const destroyed = await second.deleteWithRecord(secondTriggers, recorded);

    // THEN the first deployment's pair is still there
    expect(destroyed.exitCode).toBe(0);
    expect(storedPair('ucloud', name)).toEqual(firstPair);
  });
});

describe('ucloud: the same public key imported by two deployments', () => {
  // Every deployment of the app imports the same key: an imported public key is never proof of ownership.
  test('the first deployment\'s pair gone, the second\'s imported under the name: the first\'s destroy leaves the second\'s pair alone', async () => {
    // GIVEN both deployments import the same public key under the same name; the first's pair went first
    const { first, second, name } = twoDeployments();
    const publicKey = sshKeygenKeyPair('rsa', 'team@example').publicKey;
    const imported = { [TRIGGER_KEYS.keySource]: KEY_SOURCES.import, [TRIGGER_KEYS.publicKey]: publicKey, [TRIGGER_KEYS.privateKeyFile]: undefined };
    const firstTriggers = first.triggers('ucloud', name, imported);
    expect((await first.create(firstTriggers)).exitCode).toBe(0);
    for (const keyPair of await apiOf(bed.emulator, 'ucloud').findByName(name)) await apiOf(bed.emulator, 'ucloud').delete(keyPair);
    expect((await second.create(second.triggers('ucloud', name, imported))).exitCode).toBe(0);
    const secondPair = storedPair('ucloud', name);

    // WHEN the first deployment is destroyed (its carrier's destroy step)
    const outcome = await first.delete(firstTriggers);

    // THEN the second's pair is still there
    expect(outcome.exitCode).toBe(0);
    expect(storedPair('ucloud', name)).toEqual(secondPair);
  });
});

describe('ucloud with duplicate names (a UCloud-API cloud that accepts them): the record picks the pair', () => {
  let duplicates: RunningEmulator;
  beforeAll(async () => {
    duplicates = await startEmulator({ ucloudDuplicateNames: true });
  });
  afterAll(async () => {
    await duplicates?.stop();
  });

  test('each deployment\'s registry deletes only the pair it recorded', async () => {
    // GIVEN two deployments' pairs under one name (each deployment made one)
    const { first, second, name } = twoDeployments(() => duplicates);
    const api = apiOf(duplicates, 'ucloud');
    const firstPair = await api.create({ name });
    const secondPair = await api.create({ name });
    const journal = duplicates.requests().length;

    // WHEN the second deployment's registry entry is destroyed with its record
    const outcome = await second.deleteWithRecord(second.triggers('ucloud', name), { keyPairId: secondPair.id, fingerprint: secondPair.fingerprint });

    // THEN only the recorded pair went; the first's stays
    expect(outcome.exitCode).toBe(0);
    expect(duplicates.requests().slice(journal).filter((entry) => DELETE_ACTIONS.includes(entry.action ?? '') && entry.handled)).toHaveLength(1);
    expect(duplicates.listKeyPairs('ucloud').map((keyPair) => keyPair.id)).toEqual([firstPair.id]);

    // AND without a record, the first deployment's carrier step refuses to pick one of several
    await api.create({ name });
    const ambiguous = await first.delete(first.triggers('ucloud', name));
    expect(ambiguous.exitCode).toBe(1);
    expect(ambiguous.stderr).toContain(`2 key pairs are named "${name}": cannot tell which is ours`);
    expect(duplicates.listKeyPairs('ucloud')).toHaveLength(2);
  });
});
