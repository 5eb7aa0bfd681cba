import { CloudApiError } from '../../http/cloud-api-error';
import { SecretValue } from '../credentials';
import { callTencentcloud, TencentcloudClientOptions } from './client';
import { malformedResponse } from './errors';

/** Tencent caps `Limit` and the ids per call at 100. */
export const TENCENTCLOUD_MAX_PAGE_SIZE = 100;
/** A key pair listing longer than this is not a key pair listing; stop rather than loop forever. */
const MAX_PAGES = 1000;

/** A key pair as DescribeKeyPairs reports it. Tencent reports no fingerprint. */
export interface TencentcloudKeyPair {
  /** `skey-xxxxxxxx`. */
  readonly keyPairId: string;
  readonly keyPairName: string;
  readonly projectId?: number;
  readonly description?: string;
  /** OpenSSH one-line public key. */
  readonly publicKey?: string;
  /** ISO 8601 UTC. */
  readonly createdTime?: string;
  readonly associatedInstanceIds: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

export interface CreatedTencentcloudKeyPair extends TencentcloudKeyPair {
  /** PEM as Tencent returns it (PKCS#1 RSA); Tencent keeps no copy. */
  readonly privateKey: SecretValue;
  readonly requestId: string;
}

export interface CreateKeyPairRequest {
  /** 1–25 letters, digits and `_`, unique. */
  readonly keyPairName: string;
  /** Overrides the client's project id. */
  readonly projectId?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface ImportKeyPairRequest extends CreateKeyPairRequest {
  /** OpenSSH RSA public key. */
  readonly publicKey: string;
}

export interface ImportedTencentcloudKeyPair {
  readonly keyPairId: string;
  readonly keyPairName: string;
  readonly requestId: string;
}

export interface DescribeKeyPairsRequest {
  /** By id; mutually exclusive with the name and project filters. */
  readonly keyPairIds?: readonly string[];
  /** `key-name` filter values (ORed). */
  readonly keyPairNames?: readonly string[];
  /** `project-id` filter values (ORed). */
  readonly projectIds?: readonly number[];
  readonly offset?: number;
  /** 1–100; Tencent's default is 20. */
  readonly limit?: number;
}

export interface DescribeKeyPairsResult {
  readonly totalCount: number;
  readonly keyPairs: readonly TencentcloudKeyPair[];
  readonly requestId: string;
}

export interface DeleteKeyPairsResult {
  readonly requestId?: string;
  /** Ids Tencent answered `InvalidKeyPairId.NotFound` for: already gone, counted as deleted. */
  readonly alreadyDeletedIds: readonly string[];
}

export async function createKeyPair(options: TencentcloudClientOptions, request: CreateKeyPairRequest): Promise<CreatedTencentcloudKeyPair> {
  const action = 'CreateKeyPair';
  return callTencentcloud(options, action, creationParameters(options, request), (response) => {
    const requestId = readString(action, response, 'RequestId');
    const keyPair = readObject(action, response, 'KeyPair', requestId);
    return {
      ...toKeyPair(action, keyPair, requestId),
      privateKey: new SecretValue(readString(action, keyPair, 'PrivateKey', requestId)),
      requestId,
    };
  });
}

export async function importKeyPair(options: TencentcloudClientOptions, request: ImportKeyPairRequest): Promise<ImportedTencentcloudKeyPair> {
  const action = 'ImportKeyPair';
  const parameters = { ...creationParameters(options, request), PublicKey: request.publicKey };
  return callTencentcloud(options, action, parameters, (response) => {
    const requestId = readString(action, response, 'RequestId');
    return { keyPairId: readString(action, response, 'KeyId', requestId), keyPairName: request.keyPairName, requestId };
  });
}

export async function describeKeyPairs(options: TencentcloudClientOptions, request: DescribeKeyPairsRequest = {}): Promise<DescribeKeyPairsResult> {
  const action = 'DescribeKeyPairs';
  return callTencentcloud(options, action, describeParameters(request), (response) => {
    const requestId = readString(action, response, 'RequestId');
    const totalCount = response.TotalCount;
    const set = response.KeyPairSet;
    if (typeof totalCount !== 'number' || !Array.isArray(set)) {
      throw malformedResponse(action, 'expected TotalCount and KeyPairSet', 200, requestId);
    }
    return { totalCount, keyPairs: set.map((item) => toKeyPair(action, asObject(action, item, requestId), requestId)), requestId };
  });
}

/**
 * Every key pair named exactly `keyPairName`, paging through all results. The `key-name` filter's
 * matching (exact or fuzzy) is not documented, so the exact match is made here.
 */
export async function describeKeyPairsByName(
  options: TencentcloudClientOptions,
  keyPairName: string,
  filter: { readonly projectId?: number } = {},
): Promise<TencentcloudKeyPair[]> {
  const matches: TencentcloudKeyPair[] = [];
  for (let page = 0, offset = 0; page < MAX_PAGES; page++) {
    const result = await describeKeyPairs(options, {
      keyPairNames: [keyPairName],
      projectIds: filter.projectId === undefined ? undefined : [filter.projectId],
      offset,
      limit: TENCENTCLOUD_MAX_PAGE_SIZE,
    });
    matches.push(...result.keyPairs.filter((keyPair) => keyPair.keyPairName === keyPairName));
    offset += result.keyPairs.length;
    if (result.keyPairs.length === 0 || offset >= result.totalCount) return matches;
  }
  throw new Error(`Tencent Cloud CVM DescribeKeyPairs: more than ${MAX_PAGES} pages for the name "${keyPairName}"`);
}

/**
 * Deletes key pairs by id (up to 100). `InvalidKeyPairId.NotFound` means already gone; when several
 * ids were sent, the others are deleted one by one so one missing id does not keep the rest alive.
 */
export interface DeleteKeyPairsRequest {
  readonly keyPairIds: readonly string[];
}

export async function deleteKeyPairs(options: TencentcloudClientOptions, request: DeleteKeyPairsRequest): Promise<DeleteKeyPairsResult> {
  const ids = request.keyPairIds;
  if (ids.length === 0 || ids.length > TENCENTCLOUD_MAX_PAGE_SIZE) {
    throw new RangeError(`DeleteKeyPairs takes 1 to ${TENCENTCLOUD_MAX_PAGE_SIZE} key pair ids, got ${ids.length}`);
  }
  try {
    const requestId = await sendDelete(options, ids);
    return { requestId, alreadyDeletedIds: [] };
  } catch (err) {
    if (!isNotFound(err)) throw err;
    if (ids.length === 1) return { requestId: err.requestId, alreadyDeletedIds: [...ids] };
  }
  const alreadyDeletedIds: string[] = [];
  for (const id of ids) {
    try {
      await sendDelete(options, [id]);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      alreadyDeletedIds.push(id);
    }
  }
  return { alreadyDeletedIds };
}

function sendDelete(options: TencentcloudClientOptions, ids: readonly string[]): Promise<string> {
  const action = 'DeleteKeyPairs';
  return callTencentcloud(options, action, { KeyIds: ids }, (response) => readString(action, response, 'RequestId'));
}

function isNotFound(err: unknown): err is CloudApiError {
  return err instanceof CloudApiError && err.code === 'InvalidKeyPairId.NotFound';
}

function creationParameters(options: TencentcloudClientOptions, request: CreateKeyPairRequest): Record<string, unknown> {
  const parameters: Record<string, unknown> = {
    KeyName: request.keyPairName,
    ProjectId: request.projectId ?? options.projectId ?? 0,
  };
  const tags = Object.entries(request.tags ?? {});
  if (tags.length > 0) {
    parameters.TagSpecification = [{ ResourceType: 'keypair', Tags: tags.map(([Key, Value]) => ({ Key, Value })) }];
  }
  return parameters;
}

function describeParameters(request: DescribeKeyPairsRequest): Record<string, unknown> {
  const filters: { Name: string; Values: string[] }[] = [];
  if (request.keyPairNames?.length) filters.push({ Name: 'key-name', Values: [...request.keyPairNames] });
  if (request.projectIds?.length) filters.push({ Name: 'project-id', Values: request.projectIds.map(String) });
  if (request.keyPairIds?.length && filters.length > 0) {
    throw new RangeError('DescribeKeyPairs takes key pair ids or filters (name, project), not both');
  }
  if (request.limit !== undefined && !(Number.isInteger(request.limit) && request.limit >= 1 && request.limit <= TENCENTCLOUD_MAX_PAGE_SIZE)) {
    throw new RangeError(`DescribeKeyPairs limit must be 1 to ${TENCENTCLOUD_MAX_PAGE_SIZE}, got ${request.limit}`);
  }
  if (request.offset !== undefined && !(Number.isInteger(request.offset) && request.offset >= 0)) {
    throw new RangeError(`DescribeKeyPairs offset must be a non-negative integer, got ${request.offset}`);
  }
  const parameters: Record<string, unknown> = {};
  if (request.keyPairIds?.length) parameters.KeyIds = [...request.keyPairIds];
  if (filters.length > 0) parameters.Filters = filters;
  if (request.offset !== undefined) parameters.Offset = request.offset;
  if (request.limit !== undefined) parameters.Limit = request.limit;
  return parameters;
}

function toKeyPair(action: string, item: Record<string, unknown>, requestId: string): TencentcloudKeyPair {
  const tags: Record<string, string> = {};
  for (const tag of Array.isArray(item.Tags) ? item.Tags : []) {
    const { Key, Value } = asObject(action, tag, requestId);
    if (typeof Key === 'string') tags[Key] = typeof Value === 'string' ? Value : '';
  }
  return {
    keyPairId: readString(action, item, 'KeyId', requestId),
    keyPairName: readString(action, item, 'KeyName', requestId),
    projectId: typeof item.ProjectId === 'number' ? item.ProjectId : undefined,
    description: typeof item.Description === 'string' ? item.Description : undefined,
    publicKey: typeof item.PublicKey === 'string' ? item.PublicKey : undefined,
    createdTime: typeof item.CreatedTime === 'string' ? item.CreatedTime : undefined,
    associatedInstanceIds: Array.isArray(item.AssociatedInstanceIds)
      ? item.AssociatedInstanceIds.filter((id): id is string => typeof id === 'string')
      : [],
    tags,
  };
}

function readString(action: string, object: Record<string, unknown>, field: string, requestId?: string): string {
  const value = object[field];
  if (typeof value !== 'string' || value === '') throw malformedResponse(action, `expected a string ${field}`, 200, requestId);
  return value;
}

function readObject(action: string, object: Record<string, unknown>, field: string, requestId: string): Record<string, unknown> {
  return asObject(action, object[field], requestId, field);
}

function asObject(action: string, value: unknown, requestId: string, what = 'an item'): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw malformedResponse(action, `expected ${what} to be an object`, 200, requestId);
  }
  return value as Record<string, unknown>;
}
