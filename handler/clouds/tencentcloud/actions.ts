import type { TencentcloudClient } from './client';
import { tencentcloudMalformedAnswerError } from './errors';
import { SecretValue } from '../credentials';

/**
 * CVM's four key pair actions (API 2017-03-12) as Tencent defines them: parameters in, what the answer
 * says out, in Tencent's terms. Deciding what a partial answer or an error means for the key pair is
 * `key-pair-api.ts`'s job.
 */

/** Tencent caps `Limit` and the ids per call at 100. */
export const TENCENTCLOUD_MAX_PAGE_SIZE = 100;

/** A key pair as Tencent's `KeyPair` structure describes it. Tencent reports no fingerprint. */
export interface TencentcloudKeyPair {
  /** `skey-xxxxxxxx`. */
  readonly keyId: string;
  readonly keyName: string;
  readonly projectId?: number;
  readonly description?: string;
  /** OpenSSH one-line public key; Tencent rewrites its comment to `skey_<digits>`. */
  readonly publicKey?: string;
  /** ISO 8601 UTC. */
  readonly createdTime?: string;
  readonly associatedInstanceIds: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

export interface CreateKeyPairRequest {
  /** 1–25 letters, digits and `_` (NAME_RULES.tencentcloud), unique. */
  readonly keyName: string;
  readonly projectId: number;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface ImportKeyPairRequest extends CreateKeyPairRequest {
  /** One OpenSSH RSA public key line, sent as given. */
  readonly publicKey: string;
}

/** CreateKeyPair's answer as given: any field may be missing from an answer that is otherwise a success. */
export interface CreateKeyPairAnswer {
  /** What the answer's `KeyPair` holds; fields it lacks are absent. */
  readonly keyPair: Partial<TencentcloudKeyPair>;
  /** PEM as Tencent returns it (PKCS#1 RSA); Tencent keeps no copy. */
  readonly privateKey?: SecretValue;
  readonly requestId?: string;
}

export interface ImportKeyPairAnswer {
  readonly keyId?: string;
  readonly requestId?: string;
}

export interface DescribeKeyPairsRequest {
  /** By id; mutually exclusive with the filters. */
  readonly keyIds?: readonly string[];
  /** `key-name` filter value (Tencent does not document whether it matches exactly). */
  readonly keyName?: string;
  /** `project-id` filter value. */
  readonly projectId?: number;
  readonly offset?: number;
  /** 1–100; Tencent's default is 20. */
  readonly limit?: number;
}

export interface DescribeKeyPairsAnswer {
  readonly totalCount: number;
  readonly keyPairs: readonly TencentcloudKeyPair[];
  readonly requestId?: string;
}

export interface DeleteKeyPairsAnswer {
  readonly requestId?: string;
}

export function createKeyPair(client: TencentcloudClient, parameters: CreateKeyPairRequest): Promise<CreateKeyPairAnswer> {
  const action = 'CreateKeyPair';
  return client.call(action, creationParameters(parameters), (response) => {
    const requestId = optionalString(response.RequestId);
    const item = isObject(response.KeyPair) ? response.KeyPair : {};
    const privateKey = optionalString(item.PrivateKey);
    return {
      keyPair: partialKeyPair(item),
      ...(privateKey !== undefined ? { privateKey: new SecretValue(privateKey) } : {}),
      requestId,
    };
  });
}

export function importKeyPair(client: TencentcloudClient, parameters: ImportKeyPairRequest): Promise<ImportKeyPairAnswer> {
  const action = 'ImportKeyPair';
  return client.call(action, { ...creationParameters(parameters), PublicKey: parameters.publicKey }, (response) => ({
    keyId: optionalString(response.KeyId),
    requestId: optionalString(response.RequestId),
  }));
}

/** One page of DescribeKeyPairs. */
export function describeKeyPairs(client: TencentcloudClient, parameters: DescribeKeyPairsRequest = {}): Promise<DescribeKeyPairsAnswer> {
  const action = 'DescribeKeyPairs';
  return client.call(action, describeParameters(parameters), (response) => {
    const requestId = optionalString(response.RequestId);
    const { TotalCount: totalCount, KeyPairSet: set } = response;
    if (typeof totalCount !== 'number' || !Array.isArray(set)) {
      throw tencentcloudMalformedAnswerError(action, 'expected TotalCount and KeyPairSet', requestId);
    }
    const keyPairs = set.map((item): TencentcloudKeyPair => {
      const keyPair = isObject(item) ? partialKeyPair(item) : {};
      if (keyPair.keyId === undefined || keyPair.keyName === undefined) {
        throw tencentcloudMalformedAnswerError(action, 'expected every item of KeyPairSet to have a KeyId and a KeyName', requestId);
      }
      return { associatedInstanceIds: [], tags: {}, ...keyPair, keyId: keyPair.keyId, keyName: keyPair.keyName };
    });
    return { totalCount, keyPairs, requestId };
  });
}

/** Deletes up to 100 key pairs by id; Tencent fails the whole call on the first id it cannot delete. */
export function deleteKeyPairs(client: TencentcloudClient, keyIds: readonly string[]): Promise<DeleteKeyPairsAnswer> {
  if (keyIds.length === 0 || keyIds.length > TENCENTCLOUD_MAX_PAGE_SIZE) {
    throw new RangeError(`DeleteKeyPairs takes 1 to ${TENCENTCLOUD_MAX_PAGE_SIZE} key pair ids, got ${keyIds.length}`);
  }
  return client.call('DeleteKeyPairs', { KeyIds: [...keyIds] }, (response) => ({ requestId: optionalString(response.RequestId) }));
}

function creationParameters(parameters: CreateKeyPairRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { KeyName: parameters.keyName, ProjectId: parameters.projectId };
  const tags = Object.entries(parameters.tags ?? {});
  // Tags go in the create call itself: no window in which the pair exists without its ownership tag.
  if (tags.length > 0) body.TagSpecification = [{ ResourceType: 'keypair', Tags: tags.map(([Key, Value]) => ({ Key, Value })) }];
  return body;
}

function describeParameters(parameters: DescribeKeyPairsRequest): Record<string, unknown> {
  const filters: { Name: string; Values: string[] }[] = [];
  if (parameters.keyName !== undefined) filters.push({ Name: 'key-name', Values: [parameters.keyName] });
  if (parameters.projectId !== undefined) filters.push({ Name: 'project-id', Values: [String(parameters.projectId)] });
  if (parameters.keyIds !== undefined && filters.length > 0) {
    throw new RangeError('DescribeKeyPairs takes key pair ids or filters (name, project), not both');
  }
  const { limit, offset } = parameters;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= TENCENTCLOUD_MAX_PAGE_SIZE)) {
    throw new RangeError(`DescribeKeyPairs limit must be 1 to ${TENCENTCLOUD_MAX_PAGE_SIZE}, got ${limit}`);
  }
  if (offset !== undefined && !(Number.isInteger(offset) && offset >= 0)) {
    throw new RangeError(`DescribeKeyPairs offset must be a non-negative integer, got ${offset}`);
  }
  const body: Record<string, unknown> = {};
  if (parameters.keyIds !== undefined) body.KeyIds = [...parameters.keyIds];
  if (filters.length > 0) body.Filters = filters;
  if (offset !== undefined) body.Offset = offset;
  if (limit !== undefined) body.Limit = limit;
  return body;
}

/** The fields of a `KeyPair` structure that are present and well-typed; the private key is never read here. */
function partialKeyPair(item: Record<string, unknown>): Partial<TencentcloudKeyPair> {
  const keyPair: { -readonly [K in keyof TencentcloudKeyPair]?: TencentcloudKeyPair[K] } = {};
  const keyId = optionalString(item.KeyId);
  if (keyId !== undefined) keyPair.keyId = keyId;
  const keyName = optionalString(item.KeyName);
  if (keyName !== undefined) keyPair.keyName = keyName;
  if (typeof item.ProjectId === 'number') keyPair.projectId = item.ProjectId;
  if (typeof item.Description === 'string') keyPair.description = item.Description;
  const publicKey = optionalString(item.PublicKey);
  if (publicKey !== undefined) keyPair.publicKey = publicKey;
  const createdTime = optionalString(item.CreatedTime);
  if (createdTime !== undefined) keyPair.createdTime = createdTime;
  if (Array.isArray(item.AssociatedInstanceIds)) {
    keyPair.associatedInstanceIds = item.AssociatedInstanceIds.filter((id): id is string => typeof id === 'string');
  }
  if (Array.isArray(item.Tags)) {
    const tags: Record<string, string> = {};
    for (const tag of item.Tags) {
      if (isObject(tag) && typeof tag.Key === 'string') tags[tag.Key] = typeof tag.Value === 'string' ? tag.Value : '';
    }
    keyPair.tags = tags;
  }
  return keyPair;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
