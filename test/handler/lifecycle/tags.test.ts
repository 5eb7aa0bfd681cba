/**
 * Tags in place. The read compares the cloud's tags with the declared ones and reports a revision (the pair's
 * revision tag while they match, a new value otherwise); the stack's tag resource holds each pair's declared
 * tags and that revision, so a difference replaces it (never a key pair), and its create step
 * (`handler tags`) puts the declared tags back and writes the revision onto the pair. The next read reports
 * what Terraform recorded: the plan after apply is a no-op. The ownership tag is never touched.
 *
 * The pure functions first, then `handler tags` through runHandler against the emulator.
 */
import { actionsSince, HandlerDeployment, REGIONS, resultOf, runStep, runTags, tagEntry, useHandlerTestBed } from './support';
import type { CloudKeyPair } from '../../../handler/clouds/key-pair-api';
import { tagChangeFor, tagsAtCreate, tagsRevision, userTagsOf } from '../../../handler/lifecycle/tags';
import {
  HANDLER_ENV,
  INITIAL_TAGS_REVISION,
  OWNERSHIP_TAG_KEY,
  READ_STATUS,
  RESULT_KEYS,
  TAG_ENTRY_KEYS,
  TAGS_REVISION_TAG_KEY,
  TRIGGER_KEYS,
  type CloudName,
} from '../../../src/contract';

const OWNER = '6f1c1b0e-2b1a-4c53-9d55-6a0f6a7c0e11/0123456789abcdef';

/** A key pair as a cloud with tags reports it, with these tags. */
function pairWith(tags: Record<string, string>): CloudKeyPair {
  return { id: 'skey-abcd1234', name: 'web', fingerprint: '', tags };
}

describe('tagsAtCreate: the tags of the create call', () => {
  test.each(['alicloud', 'tencentcloud'] as const)('%s: the declared tags, the ownership tag and the first revision', (cloud) => {
    expect(tagsAtCreate(cloud, { team: 'infra' }, OWNER)).toEqual({ team: 'infra', [OWNERSHIP_TAG_KEY]: OWNER, [TAGS_REVISION_TAG_KEY]: INITIAL_TAGS_REVISION });
    expect(INITIAL_TAGS_REVISION).toBe('0');
  });

  test('ucloud: none (its key pairs carry no tags)', () => {
    expect(tagsAtCreate('ucloud', {}, OWNER)).toEqual({});
  });

  test('a declared reserved key is refused', () => {
    expect(() => tagsAtCreate('alicloud', { [TAGS_REVISION_TAG_KEY]: '9' }, OWNER)).toThrow(/tag key cdktf-keypair:tags-revision is reserved/);
  });
});

describe('userTagsOf: the user\'s tags on a pair', () => {
  test('without cdktf-keypair\'s own tags', () => {
    const pair = pairWith({ team: 'infra', [OWNERSHIP_TAG_KEY]: OWNER, [TAGS_REVISION_TAG_KEY]: '0' });
    expect(userTagsOf('tencentcloud', pair)).toEqual({ team: 'infra' });
  });

  test('without the cloud\'s system tags (prefixes the cloud reserves), in any case', () => {
    expect(userTagsOf('alicloud', pairWith({ 'acs:rm:rgId': 'rg-abc', 'Aliyun-x': 'y', 'team': 'infra' }))).toEqual({ team: 'infra' });
    expect(userTagsOf('tencentcloud', pairWith({ 'qcloud:project': '0', 'tencent:x': 'y', 'Project': 'p', 'team': 'infra' }))).toEqual({ team: 'infra' });
  });

  test('ucloud: none', () => {
    expect(userTagsOf('ucloud', { id: 'uhostkp-1', name: 'web', fingerprint: 'f', tags: {} })).toEqual({});
  });
});

describe('tagsRevision: what the read reports', () => {
  const declared = { team: 'infra', cost: 'shared' };

  test('the pair\'s revision tag while its tags are the declared ones (whatever their order)', () => {
    expect(tagsRevision('alicloud', pairWith({ cost: 'shared', team: 'infra', [OWNERSHIP_TAG_KEY]: OWNER, [TAGS_REVISION_TAG_KEY]: '0' }), declared)).toBe('0');
    expect(tagsRevision('tencentcloud', pairWith({ ...declared, [OWNERSHIP_TAG_KEY]: OWNER, [TAGS_REVISION_TAG_KEY]: 'changed-0123456789abcdef' }), declared))
      .toBe('changed-0123456789abcdef');
  });

  test('system tags the cloud adds do not count as a difference', () => {
    expect(tagsRevision('alicloud', pairWith({ ...declared, 'acs:rm:rgId': 'rg-abc', [OWNERSHIP_TAG_KEY]: OWNER, [TAGS_REVISION_TAG_KEY]: '0' }), declared)).toBe('0');
  });

  test.each([
    ['a value changed', { team: 'platform', cost: 'shared' }],
    ['a tag added out of band', { ...declared, extra: 'x' }],
    ['a tag removed out of band', { team: 'infra' }],
  ])('a new value when %s, the same for the same difference', (_title, current) => {
    const pair = pairWith({ ...current, [OWNERSHIP_TAG_KEY]: OWNER, [TAGS_REVISION_TAG_KEY]: '0' });
    const revision = tagsRevision('alicloud', pair, declared);
    expect(revision).toMatch(/^changed-[0-9a-f]{16}$/);
    expect(tagsRevision('alicloud', pair, declared)).toBe(revision);
  });

  test('a difference seen again after a repair is a new revision (the previous revision is part of it)', () => {
    const current = { team: 'platform', cost: 'shared', [OWNERSHIP_TAG_KEY]: OWNER };
    const first = tagsRevision('tencentcloud', pairWith({ ...current, [TAGS_REVISION_TAG_KEY]: '0' }), declared);
    const again = tagsRevision('tencentcloud', pairWith({ ...current, [TAGS_REVISION_TAG_KEY]: first }), declared);
    expect(again).toMatch(/^changed-[0-9a-f]{16}$/);
    expect(again).not.toBe(first);
  });

  test('a pair without a revision tag reports a new value, even with the declared tags', () => {
    expect(tagsRevision('alicloud', pairWith({ ...declared, [OWNERSHIP_TAG_KEY]: OWNER }), declared)).toMatch(/^changed-[0-9a-f]{16}$/);
  });

  test('ucloud: always "" (no tags, nothing to compare)', () => {
    expect(tagsRevision('ucloud', { id: 'uhostkp-1', name: 'web', fingerprint: 'f', tags: {} }, {})).toBe('');
  });
});

describe('tagChangeFor: what turns the cloud\'s tags into the declared ones', () => {
  test('sets new and changed values and the revision, removes the user\'s extra keys; never the ownership tag or system tags', () => {
    const pair = pairWith({ 'team': 'infra', 'stale': 'x', 'keep': 'same', 'acs:rm:rgId': 'rg-abc', [OWNERSHIP_TAG_KEY]: OWNER, [TAGS_REVISION_TAG_KEY]: '0' });
    const change = tagChangeFor('alicloud', pair, { team: 'platform', keep: 'same', added: 'y' }, 'changed-0123456789abcdef');
    expect(change.set).toEqual({ team: 'platform', added: 'y', [TAGS_REVISION_TAG_KEY]: 'changed-0123456789abcdef' });
    expect(change.remove).toEqual(['stale']);
  });

  test('nothing when the tags are the declared ones and the revision is recorded', () => {
    const pair = pairWith({ team: 'infra', [OWNERSHIP_TAG_KEY]: OWNER, [TAGS_REVISION_TAG_KEY]: 'changed-0123456789abcdef' });
    expect(tagChangeFor('tencentcloud', pair, { team: 'infra' }, 'changed-0123456789abcdef')).toEqual({ set: {}, remove: [] });
  });

  test('only the revision when the tags are right but the revision is not recorded yet', () => {
    const pair = pairWith({ team: 'infra', [OWNERSHIP_TAG_KEY]: OWNER, [TAGS_REVISION_TAG_KEY]: '0' });
    expect(tagChangeFor('tencentcloud', pair, { team: 'infra' }, 'changed-0123456789abcdef')).toEqual({
      set: { [TAGS_REVISION_TAG_KEY]: 'changed-0123456789abcdef' },
      remove: [],
    });
  });

  test('the ownership tag is never set or removed, even when nothing is declared', () => {
    const pair = pairWith({ team: 'infra', [OWNERSHIP_TAG_KEY]: OWNER, [TAGS_REVISION_TAG_KEY]: '0' });
    const change = tagChangeFor('alicloud', pair, {}, 'changed-0123456789abcdef');
    expect(change).toEqual({ set: { [TAGS_REVISION_TAG_KEY]: 'changed-0123456789abcdef' }, remove: ['team'] });
  });
});

// ---------------------------------------------------------------------------------------------------------
// handler tags, against the emulator
// ---------------------------------------------------------------------------------------------------------

const TAG_ACTIONS: Readonly<Record<'alicloud' | 'tencentcloud', readonly string[]>> = {
  alicloud: ['TagResources', 'UntagResources'],
  tencentcloud: ['ModifyResourceTags'],
};

const bed = useHandlerTestBed('tags');

/** The number of the last deployment made: names made with it never repeat. */
let counter = 0;
function deployment(): HandlerDeployment {
  const fresh = bed.newDeployment();
  counter = fresh.n;
  return fresh.deployment;
}

function storedTags(cloud: CloudName, name: string): Record<string, string> {
  const [pair] = bed.emulator.listKeyPairs(cloud).filter((keyPair) => keyPair.name === name);
  return { ...pair.tags };
}

describe.each(['alicloud', 'tencentcloud'] as const)('%s: handler tags', (cloud) => {
  /** A pair made with `tags`, and what a read declaring `declared` reports. */
  async function pairRead(tags: Record<string, string>, declared: Record<string, string>) {
    const mine = deployment();
    const name = `tagged_${counter}`;
    const triggers = mine.triggers(cloud, name);
    expect((await mine.create(triggers, tags)).exitCode).toBe(0);
    const result = resultOf(await mine.read(triggers, declared));
    return { mine, name, triggers, result };
  }

  test('declared tags changed: the cloud\'s tags are updated in place and the revision the plan saw is written; the next read reports it', async () => {
    // GIVEN a pair created with one set of tags, and a read (the plan) declaring another
    const { mine, name, triggers, result } = await pairRead({ team: 'infra', stale: 'x' }, { team: 'platform', added: 'y' });
    const revision = result[RESULT_KEYS.tagsRevision];
    expect(revision).toMatch(/^changed-[0-9a-f]{16}$/);
    const { id } = bed.emulator.listKeyPairs(cloud).find((keyPair) => keyPair.name === name)!;
    const journal = bed.emulator.requests().length;

    // WHEN the stack's tag resource runs its create step
    const outcome = await runTags(bed.emulator, { kp: tagEntry(triggers, result[RESULT_KEYS.keyPairId], { team: 'platform', added: 'y' }, revision) });

    // THEN the cloud holds the declared tags, the ownership tag as before, and the revision
    expect({ exitCode: outcome.exitCode, stderr: outcome.exitCode === 0 ? '' : outcome.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(outcome.stderr).toMatch(new RegExp(`${cloud} key pair "${name}" \\(${triggers[TRIGGER_KEYS.region]}\\): tags (set|remove) .*\\(revision ${revision}\\)`));
    expect(storedTags(cloud, name)).toEqual({ team: 'platform', added: 'y', [OWNERSHIP_TAG_KEY]: mine.owner(), [TAGS_REVISION_TAG_KEY]: revision });
    expect(actionsSince(bed.emulator, journal).filter((action) => TAG_ACTIONS[cloud].includes(action)).length).toBeGreaterThan(0);
    // AND the pair is the same pair (never replaced)
    expect(bed.emulator.listKeyPairs(cloud).find((keyPair) => keyPair.name === name)!.id).toBe(id);
    // AND the next plan's read reports the same revision: nothing to do
    expect(resultOf(await mine.read(triggers, { team: 'platform', added: 'y' }))[RESULT_KEYS.tagsRevision]).toBe(revision);
  });

  test('tags changed outside Terraform: the read reports a new revision, and the tag step puts the declared ones back', async () => {
    // GIVEN a pair whose tags are as declared (revision "0"), then changed in the console
    const declared = { team: 'infra' };
    const { mine, name, triggers, result } = await pairRead(declared, declared);
    expect(result[RESULT_KEYS.tagsRevision]).toBe(INITIAL_TAGS_REVISION);
    bed.emulator.setTags(cloud, name, { ...storedTags(cloud, name), team: 'hacked', extra: 'x' });

    // WHEN the next plan reads, and apply runs the tag step with what it saw
    const drifted = resultOf(await mine.read(triggers, declared))[RESULT_KEYS.tagsRevision];
    expect(drifted).toMatch(/^changed-[0-9a-f]{16}$/);
    const outcome = await runTags(bed.emulator, { kp: tagEntry(triggers, result[RESULT_KEYS.keyPairId], declared, drifted) });

    // THEN the declared tags are back, the extra one is gone, and the plan after apply is a no-op
    expect(outcome.exitCode).toBe(0);
    expect(storedTags(cloud, name)).toEqual({ ...declared, [OWNERSHIP_TAG_KEY]: mine.owner(), [TAGS_REVISION_TAG_KEY]: drifted });
    expect(resultOf(await mine.read(triggers, declared))[RESULT_KEYS.tagsRevision]).toBe(drifted);
  });

  test('an entry whose read saw the tags as created (revision "0"): no request at all', async () => {
    // GIVEN
    const { triggers, result } = await pairRead({ team: 'infra' }, { team: 'infra' });
    const journal = bed.emulator.requests().length;

    // WHEN
    const outcome = await runTags(bed.emulator, { kp: tagEntry(triggers, result[RESULT_KEYS.keyPairId], { team: 'infra' }, INITIAL_TAGS_REVISION) });

    // THEN
    expect(outcome).toMatchObject({ exitCode: 0, stdout: '' });
    expect(actionsSince(bed.emulator, journal)).toEqual([]);
  });

  test('a pair of another deployment under the name: its tags are left alone, and the step fails naming it', async () => {
    // GIVEN the first deployment's pair, and the second deployment's entry for the same construct
    const { mine: first, name, result } = await pairRead({ team: 'infra' }, { team: 'infra' });
    const before = storedTags(cloud, name);
    const second = deployment();
    const journal = bed.emulator.requests().length;

    // WHEN
    const outcome = await runTags(bed.emulator, { kp: tagEntry(second.triggers(cloud, name), result[RESULT_KEYS.keyPairId], { team: 'mine now' }, 'changed-0123456789abcdef') });

    // THEN
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain('the tags of 1 key pair(s) could not be set');
    expect(outcome.stderr).toContain(`${cloud} key pair "${name}" (${REGIONS[cloud]}) is held by another deployment of this app (deployment ${first.id}`);
    expect(outcome.stderr).toContain('its tags were left alone');
    expect(storedTags(cloud, name)).toEqual(before);
    expect(actionsSince(bed.emulator, journal).filter((action) => TAG_ACTIONS[cloud].includes(action))).toEqual([]);
  });

  test('one pair failing does not stop the others: each is set, and the failure is named', async () => {
    // GIVEN two pairs of this deployment, one deleted out of band
    const mine = deployment();
    const kept = mine.triggers(cloud, `kept_${counter}`, { [TRIGGER_KEYS.owner]: mine.owner('aaaaaaaaaaaaaaaa') });
    const gone = mine.triggers(cloud, `gone_${counter}`, { [TRIGGER_KEYS.owner]: mine.owner('bbbbbbbbbbbbbbbb') });
    expect((await mine.create(kept, { team: 'infra' })).exitCode).toBe(0);
    expect((await mine.create(gone, { team: 'infra' })).exitCode).toBe(0);
    const keptRead = resultOf(await mine.read(kept, { team: 'platform' }));
    const keptRevision = keptRead[RESULT_KEYS.tagsRevision];
    const goneId = resultOf(await mine.read(gone, { team: 'platform' }))[RESULT_KEYS.keyPairId];
    expect((await mine.delete(gone)).exitCode).toBe(0);

    // WHEN
    const outcome = await runTags(bed.emulator, {
      'team/kept': tagEntry(kept, keptRead[RESULT_KEYS.keyPairId], { team: 'platform' }, keptRevision),
      'team/gone': tagEntry(gone, goneId, { team: 'platform' }, 'changed-0123456789abcdef'),
    });

    // THEN
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain(`the tags of 1 key pair(s) could not be set:\n  ${cloud} key pair "gone_${counter}"`);
    expect(outcome.stderr).toContain('is gone, so its tags cannot be set');
    expect(storedTags(cloud, `kept_${counter}`)).toMatchObject({ team: 'platform', [TAGS_REVISION_TAG_KEY]: keptRevision });
  });

  test('declared tags that break the cloud\'s rules (a token at synth) are refused before any request', async () => {
    // GIVEN
    const mine = deployment();
    const triggers = mine.triggers(cloud, `rules_${counter}`);
    const journal = bed.emulator.requests().length;

    // WHEN
    const reserved = await runTags(bed.emulator, { kp: tagEntry(triggers, 'x', { [OWNERSHIP_TAG_KEY]: 'mine' }, 'changed-0123456789abcdef') });
    const broken = await runTags(bed.emulator, { kp: { ...tagEntry(triggers, 'x', {}, 'changed-0123456789abcdef'), [TAG_ENTRY_KEYS.tags]: '{"team": 7}' } });

    // THEN
    expect(reserved.exitCode).toBe(1);
    expect(reserved.stderr).toContain('tag key cdktf-keypair:owner is reserved');
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr).toMatch(/invalid input: CDKTF_KEYPAIR_TAG_ENTRIES "kp" tags: "team" must be a string/);
    expect(actionsSince(bed.emulator, journal)).toEqual([]);
  });
});

describe('handler tags: the entries as a whole', () => {
  test.each([
    ['no variable', undefined, /invalid input: CDKTF_KEYPAIR_TAG_ENTRIES is not JSON/],
    ['an array', '[]', /invalid input: CDKTF_KEYPAIR_TAG_ENTRIES is not a JSON object/],
    ['an entry that is no object', '{"kp": "x"}', /invalid input: CDKTF_KEYPAIR_TAG_ENTRIES "kp" is not a JSON object/],
    ['an entry with an owner of the old format', JSON.stringify({ kp: { triggers: { cloud: 'alicloud', region: 'cn-hangzhou', key_pair_name: 'web', key_source: 'import', public_key: 'x', owner: 'cdktf-keypair/0123456789abcdef' }, tags: '{}', revision: '0' } }), /invalid input: /],
  ])('%s is refused before any request', async (_title, value, message) => {
    const journal = bed.emulator.requests().length;
    const outcome = await runStep(bed.emulator, 'tags', value === undefined ? {} : { [HANDLER_ENV.tagEntries]: value });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(message);
    expect(actionsSince(bed.emulator, journal)).toEqual([]);
  });

  test('an empty map does nothing', async () => {
    const journal = bed.emulator.requests().length;
    expect((await runTags(bed.emulator, {})).exitCode).toBe(0);
    expect(actionsSince(bed.emulator, journal)).toEqual([]);
  });

  test('the read of a tagged pair reports present, with a revision; of a UCloud pair, an empty one', async () => {
    const mine = deployment();
    const triggers = mine.triggers('ucloud', `untagged_${counter}`);
    expect((await mine.create(triggers)).exitCode).toBe(0);
    const result = resultOf(await mine.read(triggers));
    expect(result[RESULT_KEYS.status]).toBe(READ_STATUS.present);
    expect(result[RESULT_KEYS.tagsRevision]).toBe('');
  });
});
