import { CloudApiError, TRANSPORT_ERROR_CODES } from '../../http/cloud-api-error';
import { SecretValue } from '../credentials';
import { callUcloudAction, UcloudClientOptions } from './client';

/** A key pair as UCloud describes it. UCloud never returns the public key. */
export interface UcloudKeyPair {
  readonly keyPairId: string;
  readonly keyPairName: string;
  /** UCloud's own value, documented as md5(ProjectId|KeyPairId|PublicKey): not an OpenSSH fingerprint. */
  readonly fingerprint: string;
  readonly projectId?: string;
  /** Unix seconds. */
  readonly createTime?: number;
}

export interface UcloudCreatedKeyPair extends UcloudKeyPair {
  /** The cloud-generated private key: returned by this call only, and never printable by accident. */
  readonly privateKey: SecretValue;
}

export interface UcloudImportedKeyPair extends UcloudKeyPair {
  /** The public key that was imported (UCloud does not echo it). */
  readonly publicKey: string;
}

export interface CreateKeyPairRequest {
  /** 1–63 characters. */
  readonly keyPairName: string;
}

export interface ImportKeyPairRequest {
  readonly keyPairName: string;
  /** One-line OpenSSH public key. */
  readonly publicKey: string;
}

export interface DescribeKeyPairsRequest {
  readonly keyPairName?: string;
  readonly fingerprint?: string;
  /** @default 0 */
  readonly offset?: number;
  /** Page size; UCloud allows at most 100. @default 20 (UCloud's default) */
  readonly limit?: number;
}

export interface DescribeKeyPairsResult {
  readonly keyPairs: readonly UcloudKeyPair[];
  readonly totalCount: number;
}

export interface DeleteKeyPairsRequest {
  /** Up to 100 ids, sent as `KeyPairIds.0`, `KeyPairIds.1`… */
  readonly keyPairIds: readonly string[];
}

/** UCloud's largest page. */
export const UCLOUD_MAX_PAGE_SIZE = 100;
/** Stop paging after this many pages even if the cloud keeps reporting more (a broken TotalCount). */
const MAX_PAGES = 1000;

/** CreateUHostKeyPair: UCloud generates the pair and returns the private key once. */
export async function createKeyPair(options: UcloudClientOptions, request: CreateKeyPairRequest): Promise<UcloudCreatedKeyPair> {
  const action = 'CreateUHostKeyPair';
  const body = await callUcloudAction(options, action, { KeyPairName: request.keyPairName });
  const keyPair = objectField(action, body, 'KeyPair');
  const privateKey = keyPair.PrivateKeyBody;
  if (typeof privateKey !== 'string' || privateKey === '') throw malformed(action, 'KeyPair.PrivateKeyBody is missing');
  return { ...toKeyPair(action, keyPair, request.keyPairName), privateKey: new SecretValue(privateKey) };
}

/** ImportUHostKeyPairs: registers a public key the user holds the private half of. */
export async function importKeyPair(options: UcloudClientOptions, request: ImportKeyPairRequest): Promise<UcloudImportedKeyPair> {
  const action = 'ImportUHostKeyPairs';
  const body = await callUcloudAction(options, action, {
    KeyPairName: request.keyPairName,
    PublicKeyBody: request.publicKey.trim(),
  });
  return { ...toKeyPair(action, body, request.keyPairName), publicKey: request.publicKey.trim() };
}

/** DescribeUHostKeyPairs: one page, filtered by exact name or fingerprint when given. */
export async function describeKeyPairs(
  options: UcloudClientOptions,
  request: DescribeKeyPairsRequest = {},
): Promise<DescribeKeyPairsResult> {
  const action = 'DescribeUHostKeyPairs';
  const body = await callUcloudAction(options, action, {
    KeyPairName: request.keyPairName,
    KeyPairFingerPrint: request.fingerprint,
    Offset: request.offset,
    Limit: request.limit,
  });
  const list = body.KeyPairs ?? [];
  if (!Array.isArray(list)) throw malformed(action, 'KeyPairs is not a list');
  const keyPairs = list.map((item: unknown) => {
    if (item === null || typeof item !== 'object') throw malformed(action, 'KeyPairs holds a non-object');
    return toKeyPair(action, item as Record<string, unknown>);
  });
  const totalCount = integerOf(body.TotalCount) ?? keyPairs.length;
  return { keyPairs, totalCount };
}

/**
 * Every key pair with exactly this name, paging 100 at a time. UCloud does not document whether its name
 * filter is exact, so the pages are filtered again here.
 */
export async function describeKeyPairsByName(options: UcloudClientOptions, keyPairName: string): Promise<UcloudKeyPair[]> {
  const all = await describeAllPages(options, { keyPairName });
  return all.filter((keyPair) => keyPair.keyPairName === keyPairName);
}

/** The key pair with this id, or undefined. UCloud cannot filter by id, so this pages through all of them. */
export async function findKeyPairById(options: UcloudClientOptions, keyPairId: string): Promise<UcloudKeyPair | undefined> {
  const all = await describeAllPages(options, {});
  return all.find((keyPair) => keyPair.keyPairId === keyPairId);
}

/** DeleteUHostKeyPairs: deletes by id (up to 100 at once). */
export async function deleteKeyPairs(options: UcloudClientOptions, request: DeleteKeyPairsRequest): Promise<void> {
  if (request.keyPairIds.length === 0) return;
  if (request.keyPairIds.length > UCLOUD_MAX_PAGE_SIZE) {
    throw new RangeError(`UCloud deletes at most ${UCLOUD_MAX_PAGE_SIZE} key pairs per call, got ${request.keyPairIds.length}`);
  }
  await callUcloudAction(options, 'DeleteUHostKeyPairs', { KeyPairIds: request.keyPairIds });
}

async function describeAllPages(
  options: UcloudClientOptions,
  filter: Pick<DescribeKeyPairsRequest, 'keyPairName' | 'fingerprint'>,
): Promise<UcloudKeyPair[]> {
  const found: UcloudKeyPair[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await describeKeyPairs(options, { ...filter, offset: found.length, limit: UCLOUD_MAX_PAGE_SIZE });
    found.push(...result.keyPairs);
    if (result.keyPairs.length === 0 || found.length >= result.totalCount) return found;
  }
  throw malformed('DescribeUHostKeyPairs', `still paging after ${MAX_PAGES} pages`);
}

function toKeyPair(action: string, fields: Record<string, unknown>, requestedName?: string): UcloudKeyPair {
  const keyPairId = fields.KeyPairId;
  if (typeof keyPairId !== 'string' || keyPairId === '') throw malformed(action, 'KeyPairId is missing');
  const keyPairName = typeof fields.KeyPairName === 'string' && fields.KeyPairName !== '' ? fields.KeyPairName : requestedName;
  if (keyPairName === undefined) throw malformed(action, 'KeyPairName is missing');
  return {
    keyPairId,
    keyPairName,
    fingerprint: typeof fields.KeyPairFingerPrint === 'string' ? fields.KeyPairFingerPrint : '',
    ...(typeof fields.ProjectId === 'string' && fields.ProjectId !== '' ? { projectId: fields.ProjectId } : {}),
    ...(integerOf(fields.CreateTime) !== undefined ? { createTime: integerOf(fields.CreateTime) } : {}),
  };
}

function objectField(action: string, body: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = body[name];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformed(action, `${name} is missing`);
  return value as Record<string, unknown>;
}

/** UCloud documents some integers as strings (CreateTime); accept both. */
function integerOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function malformed(action: string, what: string): CloudApiError {
  return new CloudApiError({
    cloud: 'ucloud',
    action,
    code: TRANSPORT_ERROR_CODES.malformedResponse,
    message: what,
    retryable: false,
    remedy: 'Check that the endpoint speaks the UCloud API',
  });
}
