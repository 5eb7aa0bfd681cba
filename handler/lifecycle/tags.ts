import { createHash } from 'node:crypto';
import { describeTarget, LifecycleContext, LifecycleError } from './context';
import { checkDeclaredTags } from './inputs';
import { ownershipOf, whoHoldsTheName } from './ownership';
import {
  INITIAL_TAGS_REVISION,
  OWNERSHIP_TAG_KEY,
  RESERVED_TAG_KEYS,
  TAG_RULES,
  TAGS_REVISION_TAG_KEY,
  type CloudName,
} from '../../src/contract';
import type { CloudKeyPair, TagChange } from '../clouds/key-pair-api';

/**
 * Tags in place. The create call sets the declared tags with the ownership tag and the first revision.
 * Every read compares the cloud's tags with the declared ones and reports a revision: the pair's revision
 * tag when they match, else a new value. The stack's tag resource holds each pair's declared tags and
 * revision, so a plan replaces it (never a key pair) when either differs from what the last apply saw; its
 * create step (`handler tags`) puts the declared tags back and writes the revision the plan saw onto the
 * pair. The next read then reports exactly what Terraform recorded: the plan after apply is a no-op.
 */

/** The tags of the create call: the declared ones, the ownership tag and the first revision (none on clouds without tags). */
export function tagsAtCreate(cloud: CloudName, declared: Readonly<Record<string, string>>, owner: string): Record<string, string> {
  const tags = checkDeclaredTags(cloud, declared);
  if (TAG_RULES[cloud] === undefined) return {};
  return { ...tags, [OWNERSHIP_TAG_KEY]: owner, [TAGS_REVISION_TAG_KEY]: INITIAL_TAGS_REVISION };
}

/**
 * The user's tags on a pair: without cdktf-keypair's own and without the cloud's system tags (keys with a
 * prefix the cloud reserves, such as Alibaba's `acs:`), which nobody declares.
 */
export function userTagsOf(cloud: CloudName, keyPair: CloudKeyPair): Record<string, string> {
  const systemPrefixes = (TAG_RULES[cloud]?.key.forbiddenPrefixes ?? []).map((prefix) => prefix.toLowerCase());
  return Object.fromEntries(
    Object.entries(keyPair.tags).filter(
      ([key]) => !RESERVED_TAG_KEYS.includes(key) && !systemPrefixes.some((prefix) => key.toLowerCase().startsWith(prefix)),
    ),
  );
}

/** The read's revision: the pair's revision tag while its tags are the declared ones, else a new value. */
export function tagsRevision(cloud: CloudName, keyPair: CloudKeyPair, declared: Readonly<Record<string, string>>): string {
  if (TAG_RULES[cloud] === undefined) return '';
  const current = userTagsOf(cloud, keyPair);
  const revision = keyPair.tags[TAGS_REVISION_TAG_KEY];
  if (revision !== undefined && sameTags(current, declared)) return revision;
  // The previous revision is part of the new one: a difference seen before and repaired is a new revision.
  const digest = createHash('sha256').update(JSON.stringify([sortedEntries(current), revision ?? null])).digest('hex');
  return `changed-${digest.slice(0, 16)}`;
}

/** What turns the pair's tags into the declared ones with `revision` recorded; never touches the ownership tag. */
export function tagChangeFor(cloud: CloudName, keyPair: CloudKeyPair, declared: Readonly<Record<string, string>>, revision: string): TagChange {
  const current = userTagsOf(cloud, keyPair);
  const set: Record<string, string> = {};
  for (const [key, value] of Object.entries(declared)) if (current[key] !== value) set[key] = value;
  if (keyPair.tags[TAGS_REVISION_TAG_KEY] !== revision) set[TAGS_REVISION_TAG_KEY] = revision;
  const remove = Object.keys(current).filter((key) => !(key in declared));
  return { set, remove };
}

/**
 * `handler tags`, for one pair of the stack's tag resource: skipped without a call when the read found its
 * tags as declared on a pair never repaired; otherwise described, checked ours, and updated where needed.
 */
export async function syncTags(context: LifecycleContext, declared: Readonly<Record<string, string>>, revision: string): Promise<void> {
  const { api, inputs, progress } = context;
  const tags = checkDeclaredTags(api.cloud, declared);
  if (revision === INITIAL_TAGS_REVISION || revision === '') return;
  const candidates = await api.findByName(inputs.keyPairName);
  const ours = candidates.filter((keyPair) => ownershipOf(api, keyPair, { owner: inputs.owner }).kind === 'ours');
  if (ours.length !== 1) {
    if (ours.length === 0 && candidates.length === 0) {
      throw new LifecycleError(`${describeTarget(inputs)} is gone, so its tags cannot be set`, 'Run terraform apply again: the plan will show why');
    }
    throw new LifecycleError(
      ours.length === 0
        ? `${describeTarget(inputs)} is held by ${whoHoldsTheName(api, candidates, { owner: inputs.owner })}; its tags were left alone`
        : `${ours.length} key pairs named "${inputs.keyPairName}" carry our ownership tag; their tags were left alone`,
      'Delete the extra key pairs by hand',
    );
  }
  const change = tagChangeFor(api.cloud, ours[0], tags, revision);
  if (Object.keys(change.set).length === 0 && change.remove.length === 0) return;
  const summary = [...Object.keys(change.set).filter((key) => key !== TAGS_REVISION_TAG_KEY).map((key) => `set ${key}`), ...change.remove.map((key) => `remove ${key}`)];
  progress(`${describeTarget(inputs)}: tags ${summary.length > 0 ? summary.join(', ') : 'as declared'} (revision ${revision})`);
  await api.updateTags(ours[0], change);
}

function sameTags(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  return JSON.stringify(sortedEntries(a)) === JSON.stringify(sortedEntries(b));
}

function sortedEntries(tags: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
