import type { AlicloudAction, AlicloudActionInput } from './actions';
import { ALICLOUD_ERRORS, AlicloudFault, alicloudSuccess, missingParameter } from './envelope';
import { ALICLOUD_REGION_IDS } from './parameters';
import { ruleViolation, TAG_RULES } from '../../../src/contract';
import type { EmulatorContext, EmulatorResponse, StoredKeyPair } from '../../cloud-emulator';

/**
 * ECS's TagResources and UntagResources (API 2014-05-26) for the one resource type the emulator holds,
 * SSH key pairs (`ResourceType=keypair`), identified by their name in the request's region, whatever their
 * resource group (the tag actions take none). Checks, codes, statuses and messages follow the two actions'
 * reference pages; every check is made before anything changes, so a refused call changes nothing.
 */

/** `Tag.N` and `TagKey.N`: N = 1..20. */
const MAX_TAGS_PER_CALL = 20;
/** `ResourceId.N`: N = 1..50. */
const MAX_RESOURCE_IDS = 50;
/** The ResourceType of key pairs. */
const KEY_PAIR_RESOURCE_TYPE = 'keypair';
/**
 * The other ResourceType values the reference documents. The emulator holds none of those resources, so a
 * documented type names resources that are not there (`InvalidResourceId.NotFound`), while any other type
 * is unknown (`InvalidResourceType.NotFound`).
 */
const OTHER_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'instance', 'disk', 'snapshot', 'image', 'securitygroup', 'volume', 'eni', 'ddh', 'ddhcluster', 'launchtemplate',
  'reservedinstance', 'snapshotpolicy', 'elasticityassurance', 'capacityreservation',
]);

const TAG_RULE = (() => {
  const rules = TAG_RULES.alicloud;
  if (!rules) throw new Error('the contract defines no Alibaba Cloud tag rules');
  return rules;
})();

export const ALICLOUD_TAG_ACTIONS: Readonly<Record<string, AlicloudAction>> = {
  TagResources: tagResources,
  UntagResources: untagResources,
};

/**
 * Adds `Tag.N` to every named key pair, overwriting the value of a key it already carries. A pair that
 * would end with more than 20 tags refuses the whole call (`OperationDenied.QuotaExceed`).
 */
function tagResources({ params, requestId, context }: AlicloudActionInput): EmulatorResponse {
  const { region, keyPairs } = readTarget(params, context);
  const tags = readTagList(params);
  const updated = keyPairs.map((keyPair) => ({ keyPair, tags: { ...keyPair.tags, ...tags } }));
  if (updated.some(({ tags: after }) => customTagCount(after) > TAG_RULE.maxTags)) {
    throw new AlicloudFault(ALICLOUD_ERRORS.resourceTagQuotaExceeded);
  }
  for (const { keyPair, tags: after } of updated) context.store.setTags(region, keyPair.id, after);
  return alicloudSuccess(requestId, {});
}

/**
 * Removes `TagKey.N` from every named key pair; a key a pair does not carry is no error. `All=true` with no
 * `TagKey.N` removes every tag but the system ones (`acs:`/`aliyun` keys, which only the cloud sets).
 */
function untagResources({ params, requestId, context }: AlicloudActionInput): EmulatorResponse {
  const { region, keyPairs } = readTarget(params, context);
  const keys = readTagKeyList(params);
  const all = keys.length === 0 && params.All?.toLowerCase() === 'true';
  if (keys.length === 0 && !all) throw new AlicloudFault(ALICLOUD_ERRORS.missingTags);
  for (const keyPair of keyPairs) {
    const kept = Object.entries(keyPair.tags).filter(([key]) => (all ? isSystemTagKey(key) : !keys.includes(key)));
    context.store.setTags(region, keyPair.id, Object.fromEntries(kept));
  }
  return alicloudSuccess(requestId, {});
}

// ---------------------------------------------------------------------------------------------------

/** Region, resource type and `ResourceId.N`, resolved to the stored key pairs (all of them must exist). */
function readTarget(params: Readonly<Record<string, string>>, context: EmulatorContext): { region: string; keyPairs: StoredKeyPair[] } {
  if (!params.RegionId) throw new AlicloudFault(ALICLOUD_ERRORS.tagsMissingRegionId);
  if (!ALICLOUD_REGION_IDS.has(params.RegionId)) throw new AlicloudFault(ALICLOUD_ERRORS.regionNotFound);
  const region = params.RegionId;
  if (!params.ResourceType) throw new AlicloudFault(ALICLOUD_ERRORS.missingResourceType);
  const resourceType = params.ResourceType;
  if (resourceType !== KEY_PAIR_RESOURCE_TYPE && !OTHER_RESOURCE_TYPES.has(resourceType)) {
    throw new AlicloudFault(ALICLOUD_ERRORS.resourceTypeNotFound);
  }
  const names = readNumberedList(params, /^ResourceId\.(\d+)$/, MAX_RESOURCE_IDS, ALICLOUD_ERRORS.tooManyResourceIds).map(([, name]) => name);
  if (names.length === 0) throw missingParameter('ResourceId.1');
  if (resourceType !== KEY_PAIR_RESOURCE_TYPE) throw new AlicloudFault(ALICLOUD_ERRORS.resourceNotFound);
  const stored = context.store.list(region);
  const keyPairs = [...new Set(names)].map((name) => stored.find((keyPair) => keyPair.name === name));
  if (keyPairs.some((keyPair) => keyPair === undefined)) throw new AlicloudFault(ALICLOUD_ERRORS.resourceNotFound);
  return { region, keyPairs: keyPairs as StoredKeyPair[] };
}

/** `Tag.N.Key` / `Tag.N.Value` (N = 1..20), each checked by the contract's tag rules. */
function readTagList(params: Readonly<Record<string, string>>): Record<string, string> {
  const indexes = new Set<number>();
  for (const name of Object.keys(params)) {
    const match = /^Tag\.(\d+)\.(Key|Value)$/.exec(name);
    if (match) indexes.add(Number(match[1]));
  }
  if (indexes.size === 0) throw new AlicloudFault(ALICLOUD_ERRORS.missingTags);
  if (indexes.size > MAX_TAGS_PER_CALL || [...indexes].some((index) => index < 1 || index > MAX_TAGS_PER_CALL)) {
    throw new AlicloudFault(ALICLOUD_ERRORS.tooManyTags);
  }
  const tags: Record<string, string> = {};
  for (const index of [...indexes].sort((a, b) => a - b)) {
    const key = params[`Tag.${index}.Key`];
    const value = params[`Tag.${index}.Value`] ?? '';
    // A value with no key beside it.
    if (key === undefined) throw new AlicloudFault(ALICLOUD_ERRORS.tagMismatch);
    if (ruleViolation(TAG_RULE.key, key) !== undefined) throw new AlicloudFault(ALICLOUD_ERRORS.tagKeyMalformed);
    if (ruleViolation(TAG_RULE.value, value) !== undefined) throw new AlicloudFault(ALICLOUD_ERRORS.tagValueMalformed);
    if (Object.prototype.hasOwnProperty.call(tags, key)) throw new AlicloudFault(ALICLOUD_ERRORS.duplicateTagKey);
    tags[key] = value;
  }
  return tags;
}

/** `TagKey.N` (N = 1..20); an empty key is malformed. */
function readTagKeyList(params: Readonly<Record<string, string>>): string[] {
  const keys = readNumberedList(params, /^TagKey\.(\d+)$/, MAX_TAGS_PER_CALL, ALICLOUD_ERRORS.tooManyTags).map(([, key]) => key);
  if (keys.some((key) => key === '')) throw new AlicloudFault(ALICLOUD_ERRORS.tagKeyMalformed);
  return keys;
}

/** The values of `<name>.N` parameters in N order; N outside 1..max, or more than max of them, is `tooMany`. */
function readNumberedList(
  params: Readonly<Record<string, string>>,
  pattern: RegExp,
  max: number,
  tooMany: (typeof ALICLOUD_ERRORS)[keyof typeof ALICLOUD_ERRORS],
): Array<[number, string]> {
  const entries: Array<[number, string]> = [];
  for (const [name, value] of Object.entries(params)) {
    const match = pattern.exec(name);
    if (match) entries.push([Number(match[1]), value]);
  }
  if (entries.length > max || entries.some(([index]) => index < 1 || index > max)) throw new AlicloudFault(tooMany);
  return entries.sort(([a], [b]) => a - b);
}

/** Keys only the cloud sets: users may neither add nor remove them (the contract forbids these prefixes). */
function isSystemTagKey(key: string): boolean {
  return (TAG_RULE.key.forbiddenPrefixes ?? []).some((prefix) => key.toLowerCase().startsWith(prefix.toLowerCase()));
}

/** The 20-tag quota counts the tags users set, not the cloud's own. */
function customTagCount(tags: Readonly<Record<string, string>>): number {
  return Object.keys(tags).filter((key) => !isSystemTagKey(key)).length;
}
