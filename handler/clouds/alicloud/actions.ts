import type { AlicloudClient } from './client';
import { ALICLOUD_NOT_FOUND_CODES, alicloudMalformedAnswerError } from './errors';
import { CloudApiError } from '../../http/cloud-api-error';
import { HttpResponse } from '../../http/transport';

/**
 * The four ECS key pair actions as the API defines them, one request each (paging and the neutral result
 * shape are `key-pair-api.ts`'s job). The region comes from the connection.
 */

/** ECS allows at most 50 key pairs per DescribeKeyPairs page. */
export const ALICLOUD_MAX_PAGE_SIZE = 50;
/** DeleteKeyPairs takes at most 100 names per call. */
export const ALICLOUD_MAX_DELETE_NAMES = 100;

export interface CreateKeyPairRequest {
  readonly keyPairName: string;
  readonly resourceGroupId?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface CreateKeyPairAnswer {
  /** `ssh-…`; only CreateKeyPair returns it, and no action takes it: ECS identifies key pairs by name. */
  readonly keyPairId?: string;
  readonly keyPairName: string;
  /** The fingerprint exactly as ECS gave it; undefined when the answer lacks it. */
  readonly fingerprint?: string;
  /** The PEM exactly as ECS handed it out, PKCS#1 or PKCS#8 (docs/cloud-behaviour.md#alibaba-private-key-format). */
  readonly privateKeyPem: string;
  readonly requestId?: string;
}

export interface ImportKeyPairRequest {
  readonly keyPairName: string;
  /** One OpenSSH public key line; trimmed before it is sent. */
  readonly publicKey: string;
  readonly resourceGroupId?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** ImportKeyPair returns no KeyPairId. */
export interface ImportKeyPairAnswer {
  readonly keyPairName: string;
  readonly fingerprint?: string;
  readonly requestId?: string;
}

export interface DescribeKeyPairsRequest {
  /** Exact name, or a pattern with `*` wildcards (`web-*`, `*-ci`, `*bastion*`). */
  readonly keyPairName?: string;
  readonly fingerprint?: string;
  /** 1-based. */
  readonly pageNumber?: number;
  /** At most 50 (ECS defaults to 10; this client to 50). */
  readonly pageSize?: number;
  readonly includePublicKey?: boolean;
  readonly resourceGroupId?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** One item of DescribeKeyPairs; ECS returns no KeyPairId here. */
export interface AlicloudKeyPair {
  readonly keyPairName: string;
  /** As ECS gave it; empty when the item lacks it. */
  readonly fingerprint: string;
  /** Only with `includePublicKey`. */
  readonly publicKey?: string;
  readonly creationTime?: string;
  readonly resourceGroupId?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface DescribeKeyPairsAnswer {
  readonly keyPairs: readonly AlicloudKeyPair[];
  /** Matching key pairs on all pages; undefined when the answer does not say. */
  readonly totalCount?: number;
  readonly pageNumber: number;
  readonly pageSize: number;
  readonly requestId?: string;
}

export interface DeleteKeyPairsAnswer {
  /** True when ECS answered with its not-found code: none of the names existed. */
  readonly alreadyGone: boolean;
  readonly requestId?: string;
}

/**
 * CreateKeyPair: ECS generates an RSA 2048 pair and hands out its private key once. An answer without
 * the private key cannot be completed later: that is an error whose outcome is unknown (the pair may
 * exist). A missing fingerprint is left for the caller to complete.
 */
export async function createKeyPair(client: AlicloudClient, request: CreateKeyPairRequest): Promise<CreateKeyPairAnswer> {
  const params = {
    RegionId: client.connection.region,
    KeyPairName: request.keyPairName,
    ...optional('ResourceGroupId', request.resourceGroupId),
    ...tagParams(request.tags),
  };
  return client.call('CreateKeyPair', params, (body, response) => {
    const requestId = optionalString(body, 'RequestId');
    const privateKeyPem = optionalString(body, 'PrivateKeyBody');
    if (!privateKeyPem) {
      throw alicloudMalformedAnswerError(
        'CreateKeyPair',
        'PrivateKeyBody',
        response,
        requestId,
        'unknown',
        `The key pair "${request.keyPairName}" was probably created, but its private key never arrived and cannot be fetched again: ` +
          'delete it (DeleteKeyPairs) and create it anew',
      );
    }
    return {
      keyPairName: nonEmptyString(body, 'KeyPairName') ?? request.keyPairName,
      privateKeyPem,
      ...definedOnly({
        keyPairId: nonEmptyString(body, 'KeyPairId'),
        fingerprint: nonEmptyString(body, 'KeyPairFingerPrint'),
        requestId,
      }),
    };
  });
}

/** ImportKeyPair: registers a public key the user holds the private half of. */
export async function importKeyPair(client: AlicloudClient, request: ImportKeyPairRequest): Promise<ImportKeyPairAnswer> {
  const params = {
    RegionId: client.connection.region,
    KeyPairName: request.keyPairName,
    PublicKeyBody: request.publicKey.trim(),
    ...optional('ResourceGroupId', request.resourceGroupId),
    ...tagParams(request.tags),
  };
  return client.call('ImportKeyPair', params, (body) => ({
    keyPairName: nonEmptyString(body, 'KeyPairName') ?? request.keyPairName,
    ...definedOnly({ fingerprint: nonEmptyString(body, 'KeyPairFingerPrint'), requestId: optionalString(body, 'RequestId') }),
  }));
}

/**
 * One page of DescribeKeyPairs. `InvalidKeyPair.NotFound` (which the official provider handles for this
 * action) is an empty page; every other error, 404s included, is thrown.
 */
export async function describeKeyPairs(client: AlicloudClient, request: DescribeKeyPairsRequest = {}): Promise<DescribeKeyPairsAnswer> {
  const pageNumber = request.pageNumber ?? 1;
  const pageSize = request.pageSize ?? ALICLOUD_MAX_PAGE_SIZE;
  if (!Number.isInteger(pageNumber) || pageNumber < 1) throw new RangeError(`pageNumber must be an integer ≥ 1, got ${pageNumber}`);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > ALICLOUD_MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be an integer from 1 to ${ALICLOUD_MAX_PAGE_SIZE}, got ${pageSize}`);
  }
  const params = {
    RegionId: client.connection.region,
    PageNumber: String(pageNumber),
    PageSize: String(pageSize),
    ...optional('KeyPairName', request.keyPairName),
    ...optional('KeyPairFingerPrint', request.fingerprint),
    ...optional('IncludePublicKey', request.includePublicKey === undefined ? undefined : String(request.includePublicKey)),
    ...optional('ResourceGroupId', request.resourceGroupId),
    ...tagParams(request.tags),
  };
  try {
    return await client.call('DescribeKeyPairs', params, (body, response) => ({
      keyPairs: nestedList(body, 'KeyPairs', 'KeyPair').map((item) => toKeyPair(item, response, optionalString(body, 'RequestId'))),
      totalCount: optionalNumber(body, 'TotalCount'),
      pageNumber: optionalNumber(body, 'PageNumber') ?? pageNumber,
      pageSize: optionalNumber(body, 'PageSize') ?? pageSize,
      requestId: optionalString(body, 'RequestId'),
    }));
  } catch (err) {
    if (isNotFound(err)) return { keyPairs: [], totalCount: 0, pageNumber, pageSize, requestId: err.requestId };
    throw err;
  }
}

/**
 * DeleteKeyPairs by name (≤ 100). Only ECS's not-found codes count as "already gone"; a pair still bound
 * to an instance is thrown with outcome `in-use` (docs/cloud-behaviour.md#bound-key-pair-delete).
 */
export async function deleteKeyPairs(client: AlicloudClient, keyPairNames: readonly string[]): Promise<DeleteKeyPairsAnswer> {
  if (keyPairNames.length === 0 || keyPairNames.length > ALICLOUD_MAX_DELETE_NAMES) {
    throw new RangeError(`DeleteKeyPairs takes 1 to ${ALICLOUD_MAX_DELETE_NAMES} names, got ${keyPairNames.length}`);
  }
  const params = { RegionId: client.connection.region, KeyPairNames: JSON.stringify(keyPairNames) };
  try {
    return await client.call('DeleteKeyPairs', params, (body) => ({
      alreadyGone: false,
      ...definedOnly({ requestId: optionalString(body, 'RequestId') }),
    }));
  } catch (err) {
    if (isNotFound(err)) return { alreadyGone: true, ...definedOnly({ requestId: err.requestId }) };
    throw err;
  }
}

/** Repeat lists as the SDK flattens them: 1-based (`Tag.1.Key`, `Tag.1.Value`, `Tag.2.Key`...). */
export function tagParams(tags: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  Object.entries(tags ?? {}).forEach(([key, value], index) => {
    params[`Tag.${index + 1}.Key`] = key;
    params[`Tag.${index + 1}.Value`] = value;
  });
  return params;
}

// ---------------------------------------------------------------------------------------------------

function isNotFound(err: unknown): err is CloudApiError {
  return err instanceof CloudApiError && err.outcome === 'not-found' && ALICLOUD_NOT_FOUND_CODES.includes(err.code);
}

function optional(name: string, value: string | undefined): Record<string, string> {
  return value === undefined || value === '' ? {} : { [name]: value };
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  return typeof value === 'string' ? value : undefined;
}

function nonEmptyString(body: Record<string, unknown>, field: string): string | undefined {
  const value = optionalString(body, field);
  return value === undefined || value.trim() === '' ? undefined : value;
}

function optionalNumber(body: Record<string, unknown>, field: string): number | undefined {
  const value = body[field];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** The XML-derived nesting ECS uses for lists: `{"KeyPairs": {"KeyPair": [...]}}`. */
function nestedList(body: Record<string, unknown>, outer: string, inner: string): Record<string, unknown>[] {
  const wrapper = body[outer];
  if (wrapper === null || typeof wrapper !== 'object') return [];
  const list = (wrapper as Record<string, unknown>)[inner];
  if (!Array.isArray(list)) return [];
  return list.filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object');
}

function toKeyPair(item: Record<string, unknown>, response: HttpResponse, requestId: string | undefined): AlicloudKeyPair {
  const keyPairName = nonEmptyString(item, 'KeyPairName');
  // A nameless item cannot be matched to anything; a list with one would be silently wrong.
  if (keyPairName === undefined) throw alicloudMalformedAnswerError('DescribeKeyPairs', 'KeyPairName in an item', response, requestId, 'permanent');
  const tags: Record<string, string> = {};
  for (const tag of nestedList(item, 'Tags', 'Tag')) {
    const key = optionalString(tag, 'TagKey');
    if (key !== undefined) tags[key] = optionalString(tag, 'TagValue') ?? '';
  }
  return {
    keyPairName,
    fingerprint: optionalString(item, 'KeyPairFingerPrint') ?? '',
    ...definedOnly({
      publicKey: nonEmptyString(item, 'PublicKey'),
      creationTime: optionalString(item, 'CreationTime'),
      resourceGroupId: nonEmptyString(item, 'ResourceGroupId'),
    }),
    tags,
  };
}

function definedOnly<T extends Record<string, string | undefined>>(fields: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: string };
}
