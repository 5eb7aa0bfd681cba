import type { AlicloudClient } from './client';

/**
 * ECS's tag actions (API 2014-05-26, RPC style, signed like the key pair actions), one request each, for
 * resources of one type. Key pairs are tagged as ResourceType `keypair` and identified by their name
 * (docs/cloud-behaviour.md#alibaba-tags-by-name). Splitting a larger change into several calls is
 * `key-pair-api.ts`'s job.
 */

/** The ResourceType of SSH key pairs in ECS's tag actions. */
export const ALICLOUD_KEY_PAIR_RESOURCE_TYPE = 'keypair';
/** `Tag.N` and `TagKey.N` take N = 1..20: at most 20 tags per call. */
export const ALICLOUD_MAX_TAGS_PER_CALL = 20;
/** `ResourceId.N` takes N = 1..50. */
export const ALICLOUD_MAX_TAGGED_RESOURCES_PER_CALL = 50;

export interface TagResourcesRequest {
  readonly resourceType: string;
  /** Key pair names for `keypair`. */
  readonly resourceIds: readonly string[];
  /** 1 to 20 tags; a key already on the resource gets the new value. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface UntagResourcesRequest {
  readonly resourceType: string;
  readonly resourceIds: readonly string[];
  /** 1 to 20 keys; a key not on the resource is no error. */
  readonly tagKeys: readonly string[];
}

export interface TagResourcesAnswer {
  readonly requestId?: string;
}

export interface UntagResourcesAnswer {
  readonly requestId?: string;
}

/** TagResources: adds tags to the resources, or changes the values of keys they already carry. */
export async function tagResources(client: AlicloudClient, request: TagResourcesRequest): Promise<TagResourcesAnswer> {
  const tags = Object.entries(request.tags);
  checkCount('TagResources', 'tags', tags.length, ALICLOUD_MAX_TAGS_PER_CALL);
  const params: Record<string, string> = { RegionId: client.connection.region, ResourceType: request.resourceType, ...resourceIdParams('TagResources', request.resourceIds) };
  tags.forEach(([key, value], index) => {
    params[`Tag.${index + 1}.Key`] = key;
    params[`Tag.${index + 1}.Value`] = value;
  });
  return client.call('TagResources', params, requestIdOf);
}

/** UntagResources: removes the tag keys from the resources (never `All`, which would take every tag). */
export async function untagResources(client: AlicloudClient, request: UntagResourcesRequest): Promise<UntagResourcesAnswer> {
  checkCount('UntagResources', 'tag keys', request.tagKeys.length, ALICLOUD_MAX_TAGS_PER_CALL);
  const params: Record<string, string> = { RegionId: client.connection.region, ResourceType: request.resourceType, ...resourceIdParams('UntagResources', request.resourceIds) };
  request.tagKeys.forEach((key, index) => {
    params[`TagKey.${index + 1}`] = key;
  });
  return client.call('UntagResources', params, requestIdOf);
}

function resourceIdParams(action: string, resourceIds: readonly string[]): Record<string, string> {
  checkCount(action, 'resource ids', resourceIds.length, ALICLOUD_MAX_TAGGED_RESOURCES_PER_CALL);
  return Object.fromEntries(resourceIds.map((id, index) => [`ResourceId.${index + 1}`, id]));
}

function checkCount(action: string, what: string, count: number, max: number): void {
  if (count < 1 || count > max) throw new RangeError(`${action} takes 1 to ${max} ${what} per call, got ${count}`);
}

function requestIdOf(body: Record<string, unknown>): { readonly requestId?: string } {
  return typeof body.RequestId === 'string' ? { requestId: body.RequestId } : {};
}
