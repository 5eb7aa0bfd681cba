import type { TencentcloudClient } from './client';
import { TENCENTCLOUD_SERVICE } from './settings';

/**
 * The Tag API's one action a key pair needs (API 2018-08-13), as Tencent defines it. The client must be
 * bound to the Tag API (`new TencentcloudClient(connection, TENCENTCLOUD_TAG_API)`).
 */

/** The Tag API's resource prefix of CVM key pairs. */
export const TENCENTCLOUD_KEY_PAIR_RESOURCE_PREFIX = 'keypair';

/**
 * A key pair's six-segment resource name, `qcs::cvm:<region>:uin/:keypair/<skey-id>`: the project segment
 * empty, and the account left empty as the official Terraform provider sends it (the Tag API takes the
 * caller's account).
 */
export function tencentcloudKeyPairResourceName(region: string, keyId: string): string {
  return `qcs::${TENCENTCLOUD_SERVICE}:${region}:uin/:${TENCENTCLOUD_KEY_PAIR_RESOURCE_PREFIX}/${keyId}`;
}

export interface ModifyResourceTagsRequest {
  /** Six-segment resource name (`tencentcloudKeyPairResourceName`). */
  readonly resource: string;
  /** Tags to add, or whose value changes. */
  readonly replaceTags?: Readonly<Record<string, string>>;
  /** Keys to remove; none of them may be in `replaceTags`. */
  readonly deleteTags?: readonly string[];
}

/**
 * `ModifyResourceTags`: adds or changes `replaceTags` and removes `deleteTags` on one resource, in one call.
 * An empty list is left out (the Tag API refuses an empty array); with both empty nothing may be sent,
 * which is the caller's to avoid: this throws before any request
 * (docs/cloud-behaviour.md#tencent-tags-through-the-tag-api).
 */
export interface ModifyResourceTagsAnswer {
  readonly requestId?: string;
}

export function modifyResourceTags(client: TencentcloudClient, parameters: ModifyResourceTagsRequest): Promise<ModifyResourceTagsAnswer> {
  const replace = Object.entries(parameters.replaceTags ?? {});
  const remove = [...new Set(parameters.deleteTags ?? [])];
  if (replace.length === 0 && remove.length === 0) {
    throw new RangeError('ModifyResourceTags takes at least one tag to replace or delete');
  }
  const both = remove.find((key) => replace.some(([replaced]) => replaced === key));
  if (both !== undefined) throw new RangeError(`ModifyResourceTags cannot both replace and delete the tag "${both}"`);
  const body: Record<string, unknown> = { Resource: parameters.resource };
  if (replace.length > 0) body.ReplaceTags = replace.map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
  if (remove.length > 0) body.DeleteTags = remove.map((TagKey) => ({ TagKey }));
  return client.call('ModifyResourceTags', body, (response) => ({
    requestId: typeof response.RequestId === 'string' && response.RequestId !== '' ? response.RequestId : undefined,
  }));
}
