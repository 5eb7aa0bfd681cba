import { TencentcloudFault } from './envelope';
import { expectArray, expectObject, expectString, Parameters, rejectUnknownParameters, requiredParameter } from './parameters';
import { TAG_RULES } from '../../../src/contract';
import type { EmulatorContext, StoredKeyPair } from '../../cloud-emulator';

/**
 * The Tag API (`tag`, version 2018-08-13) as far as key pairs need it: `ModifyResourceTags` on CVM key
 * pairs. Its codes are those the Tag API documents for the action (tag/v20180813 client.go and errors.go);
 * every check is made before anything changes. The Tag API is not regional: the region is the resource
 * name's, not a header's.
 */

export type TencentcloudTagAction = (parameters: Parameters, context: EmulatorContext) => Record<string, unknown>;

const TAG_RULE = (() => {
  const rules = TAG_RULES.tencentcloud;
  if (!rules) throw new Error('the contract defines no Tencent Cloud tag rules');
  return rules;
})();

/**
 * `qcs::cvm:<region>:uin/<account>:keypair/<key id>`: the project segment empty, the account digits or
 * empty (the official Terraform provider leaves it empty, and the Tag API takes the caller's account).
 */
const KEY_PAIR_RESOURCE = /^qcs::cvm:([a-z]+(?:-[a-z0-9]+)+):uin\/(\d*):keypair\/([^/:\s]+)$/;

export const TENCENTCLOUD_TAG_ACTIONS: Readonly<Record<string, TencentcloudTagAction>> = {
  /**
   * Sets `ReplaceTags` (adding keys, or changing their values) and removes `DeleteTags` on one key pair.
   * A key to delete that the pair does not carry is no error. Neither list may be an empty array, at least
   * one must be given, and they may not share a key.
   */
  ModifyResourceTags: (parameters, context) => {
    rejectUnknownParameters(parameters, ['Resource', 'ReplaceTags', 'DeleteTags']);
    const resource = expectString(requiredParameter(parameters, 'Resource'), 'Resource');
    const match = KEY_PAIR_RESOURCE.exec(resource);
    if (!match) {
      throw new TencentcloudFault(
        'InvalidParameterValue.ResourceDescriptionError',
        `The resource description \`${resource}\` is not valid: expected qcs::cvm:<region>:uin/<uin>:keypair/<key id>.`,
      );
    }
    const [, region, , keyId] = match;
    const replaceTags = parameters.ReplaceTags === undefined ? undefined : readReplaceTags(parameters.ReplaceTags);
    const deleteTags = parameters.DeleteTags === undefined ? undefined : readDeleteTags(parameters.DeleteTags);
    if (replaceTags === undefined && deleteTags === undefined) {
      throw new TencentcloudFault('MissingParameter', 'The request is missing a required parameter `ReplaceTags` or `DeleteTags`.');
    }
    const overlap = (deleteTags ?? []).find((key) => replaceTags !== undefined && Object.prototype.hasOwnProperty.call(replaceTags, key));
    if (overlap !== undefined) {
      throw new TencentcloudFault('InvalidParameterValue.DeleteTagsParamError', `DeleteTags must not contain the key \`${overlap}\` of ReplaceTags.`);
    }

    const keyPair = findKeyPair(context, region, keyId);
    const tags: Record<string, string> = { ...keyPair.tags };
    for (const key of deleteTags ?? []) delete tags[key];
    Object.assign(tags, replaceTags);
    if (Object.keys(tags).length > TAG_RULE.maxTags) {
      throw new TencentcloudFault(
        'LimitExceeded.ResourceAttachedTags',
        `A resource may have at most ${TAG_RULE.maxTags} tags; \`${resource}\` would have ${Object.keys(tags).length}.`,
      );
    }
    context.store.setTags(region, keyPair.id, tags);
    return {};
  },
};

/**
 * The pair the resource name points at. ModifyResourceTags documents no code for a resource that does not
 * exist (the Tag API might even accept tags for it); the emulator answers `InvalidParameterValue.ResourceIdInvalid`,
 * the Tag API's code for a resource id it does not accept, because tagging a key pair that is not there
 * must not pass here: it would hide a pair deleted outside Terraform.
 */
function findKeyPair(context: EmulatorContext, region: string, keyId: string): StoredKeyPair {
  const keyPair = context.store.list(region).find((candidate) => candidate.id === keyId);
  if (!keyPair) throw new TencentcloudFault('InvalidParameterValue.ResourceIdInvalid', `The resource id \`${keyId}\` does not exist in ${region}.`);
  return keyPair;
}

function readReplaceTags(value: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [index, item] of nonEmptyArray(value, 'ReplaceTags').entries()) {
    const tag = expectObject(item, `ReplaceTags.${index}`);
    const key = checkTagKey(tag.TagKey, `ReplaceTags.${index}`);
    if (tag.TagValue === undefined || tag.TagValue === null) {
      throw new TencentcloudFault('InvalidParameter.Tag', `The tag \`ReplaceTags.${index}\` has no \`TagValue\`.`);
    }
    const tagValue = expectString(tag.TagValue, `ReplaceTags.${index}.TagValue`);
    if ([...tagValue].length > TAG_RULE.value.maxLength) {
      throw new TencentcloudFault(
        'InvalidParameterValue.TagValueLengthExceeded',
        `The tag value of \`${key}\` exceeds ${TAG_RULE.value.maxLength} characters.`,
      );
    }
    if (!new RegExp(TAG_RULE.value.pattern, TAG_RULE.value.flags).test(tagValue)) {
      throw new TencentcloudFault('InvalidParameterValue.TagValueCharacterIllegal', `The tag value of \`${key}\` contains illegal characters.`);
    }
    if (Object.prototype.hasOwnProperty.call(tags, key)) {
      throw new TencentcloudFault('InvalidParameter.Tag', `The tag key \`${key}\` is given more than once in ReplaceTags.`);
    }
    tags[key] = tagValue;
  }
  return tags;
}

function readDeleteTags(value: unknown): string[] {
  const keys = nonEmptyArray(value, 'DeleteTags').map((item, index) => checkTagKey(expectObject(item, `DeleteTags.${index}`).TagKey, `DeleteTags.${index}`));
  return [...new Set(keys)];
}

/** The Tag API refuses an empty array: a list with nothing in it must be left out. */
function nonEmptyArray(value: unknown, name: string): unknown[] {
  const items = expectArray(value, name);
  if (items.length === 0) throw new TencentcloudFault('InvalidParameter', `The parameter \`${name}\` must not be an empty array.`);
  return items;
}

/**
 * A tag key by the contract's rule, each broken part with the Tag API's own code: empty, too long,
 * reserved (`qcloud`, `tencent`, `project`: `InvalidParameter.ReservedTagKey`, the code ModifyResourceTags
 * documents; other Tag API actions use `InvalidParameterValue.ReservedTagKey`), or illegal characters.
 */
function checkTagKey(value: unknown, name: string): string {
  if (value === undefined || value === null || value === '') {
    throw new TencentcloudFault('InvalidParameterValue.TagKeyEmpty', `The tag key of \`${name}\` must not be empty.`);
  }
  const key = expectString(value, `${name}.TagKey`);
  if ([...key].length > TAG_RULE.key.maxLength) {
    throw new TencentcloudFault('InvalidParameterValue.TagKeyLengthExceeded', `The tag key \`${key}\` exceeds ${TAG_RULE.key.maxLength} characters.`);
  }
  const reserved = (TAG_RULE.key.forbiddenPrefixes ?? []).find((prefix) => key.toLowerCase().startsWith(prefix.toLowerCase()));
  if (reserved !== undefined) {
    throw new TencentcloudFault('InvalidParameter.ReservedTagKey', `The tag key \`${key}\` is reserved by the system (prefix \`${reserved}\`).`);
  }
  if (!new RegExp(TAG_RULE.key.pattern, TAG_RULE.key.flags).test(key)) {
    throw new TencentcloudFault('InvalidParameterValue.TagKeyCharacterIllegal', `The tag key \`${key}\` contains illegal characters.`);
  }
  return key;
}
