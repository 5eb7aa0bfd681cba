import type { UcloudClient } from './client';
import { UcloudAnswer, ucloudMalformedAnswerError } from './errors';
import { SecretValue } from '../credentials';

/**
 * UCloud's four key pair actions, one call each, and the paging over DescribeUHostKeyPairs: what the
 * cloud answered, typed, with nothing inferred. `key-pair-api.ts` builds the lifecycle's view on these.
 */

/** A key pair as a UCloud answer gives it. Create and Import answers may lack fields; Describe's never lack id and name. */
export interface UcloudKeyPairFields {
  readonly keyPairId?: string;
  readonly keyPairName?: string;
  /** UCloud's own value, documented as md5(ProjectId|KeyPairId|PublicKey): not an OpenSSH fingerprint. */
  readonly fingerprint?: string;
  readonly projectId?: string;
  /** Unix seconds. */
  readonly createTime?: number;
}

/** A key pair from DescribeUHostKeyPairs, with the id of the request whose page held it. */
export interface DescribedUcloudKeyPair extends UcloudKeyPairFields {
  readonly keyPairId: string;
  readonly keyPairName: string;
  readonly requestId?: string;
}

export interface CreateUHostKeyPairAnswer {
  readonly keyPair: UcloudKeyPairFields;
  /** The cloud-generated private key: in this answer only, and never printable by accident. */
  readonly privateKey: SecretValue;
  readonly requestId?: string;
}

export interface ImportUHostKeyPairsAnswer {
  readonly keyPair: UcloudKeyPairFields;
  readonly requestId?: string;
}

export interface DescribeUHostKeyPairsRequest {
  readonly keyPairName?: string;
  readonly fingerprint?: string;
}

export interface DescribeUHostKeyPairsAnswer {
  readonly keyPairs: readonly DescribedUcloudKeyPair[];
  readonly totalCount: number;
  readonly requestId?: string;
}

export interface DeleteUHostKeyPairsAnswer {
  readonly requestId?: string;
}

/** UCloud's largest page, and the most ids one DeleteUHostKeyPairs takes. */
export const UCLOUD_MAX_PAGE_SIZE = 100;
/** Pages read before giving up on a list that never ends (100,000 key pairs): an error, never a partial list. */
export const UCLOUD_MAX_PAGES = 1000;
/** A list whose TotalCount changes while it is paged is paged again from the start, this many times at most. */
const MAX_LIST_RESTARTS = 2;

/** CreateUHostKeyPair: UCloud generates the pair and returns the private key once. */
export async function createUHostKeyPair(client: UcloudClient, keyPairName: string): Promise<CreateUHostKeyPairAnswer> {
  const action = 'CreateUHostKeyPair';
  const { fields, requestId } = await client.call(action, { KeyPairName: keyPairName }, asIs);
  const keyPair = fields.KeyPair;
  if (keyPair === null || typeof keyPair !== 'object' || Array.isArray(keyPair)) {
    throw ucloudMalformedAnswerError(action, 'the answer has no KeyPair object', 'unknown', requestId, lostPrivateKeyRemedy(keyPairName));
  }
  const record = keyPair as Record<string, unknown>;
  const privateKey = record.PrivateKeyBody;
  if (typeof privateKey !== 'string' || privateKey.trim() === '') {
    const id = stringField(record.KeyPairId);
    throw ucloudMalformedAnswerError(action, `KeyPair.PrivateKeyBody is missing${id ? ` (key pair ${id})` : ''}`, 'unknown', requestId, lostPrivateKeyRemedy(keyPairName));
  }
  return { keyPair: fieldsOf(record), privateKey: new SecretValue(privateKey), requestId };
}

/** ImportUHostKeyPairs: registers a public key (sent as given: the caller trims it). */
export async function importUHostKeyPairs(client: UcloudClient, keyPairName: string, publicKey: string): Promise<ImportUHostKeyPairsAnswer> {
  const { fields, requestId } = await client.call('ImportUHostKeyPairs', {
    KeyPairName: keyPairName,
    PublicKeyBody: publicKey,
  }, asIs);
  return { keyPair: fieldsOf(fields), requestId };
}

/** DescribeUHostKeyPairs: one page. UCloud filters by name or fingerprint, never by id. */
export async function describeUHostKeyPairs(
  client: UcloudClient,
  filter: DescribeUHostKeyPairsRequest,
  offset: number,
  limit: number = UCLOUD_MAX_PAGE_SIZE,
): Promise<DescribeUHostKeyPairsAnswer> {
  const action = 'DescribeUHostKeyPairs';
  const { fields, requestId } = await client.call(action, {
    KeyPairName: filter.keyPairName,
    KeyPairFingerPrint: filter.fingerprint,
    Offset: offset,
    Limit: limit,
  }, asIs);
  const list = fields.KeyPairs ?? [];
  if (!Array.isArray(list)) throw ucloudMalformedAnswerError(action, 'KeyPairs is not a list', 'permanent', requestId);
  const keyPairs = list.map((item: unknown): DescribedUcloudKeyPair => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw ucloudMalformedAnswerError(action, 'KeyPairs holds something that is not an object', 'permanent', requestId);
    }
    const described = fieldsOf(item as Record<string, unknown>);
    if (described.keyPairId === undefined || described.keyPairName === undefined) {
      throw ucloudMalformedAnswerError(action, 'a key pair in KeyPairs has no KeyPairId or KeyPairName', 'permanent', requestId);
    }
    return { ...described, keyPairId: described.keyPairId, keyPairName: described.keyPairName, requestId };
  });
  const totalCount = integerOf(fields.TotalCount);
  if (totalCount === undefined) throw ucloudMalformedAnswerError(action, 'the answer has no TotalCount', 'permanent', requestId);
  return { keyPairs, totalCount, requestId };
}

/**
 * Every key pair matching `filter`, 100 a page, or the first one `stopAt` accepts as soon as a page holds
 * it. Never a partial list: a page cap, an empty page before TotalCount is reached, an id seen twice
 * (a server ignoring Offset) or a list that keeps changing while it is paged all throw.
 */
export async function describeAllUHostKeyPairs(
  client: UcloudClient,
  filter: DescribeUHostKeyPairsRequest,
  stopAt?: (keyPair: DescribedUcloudKeyPair) => boolean,
): Promise<DescribedUcloudKeyPair[]> {
  const action = 'DescribeUHostKeyPairs';
  for (let pass = 0; pass <= MAX_LIST_RESTARTS; pass++) {
    const found: DescribedUcloudKeyPair[] = [];
    const seen = new Set<string>();
    let totalCount: number | undefined;
    let changed = false;
    for (let page = 0; !changed; page++) {
      if (page >= UCLOUD_MAX_PAGES) {
        throw ucloudMalformedAnswerError(
          action,
          `still paging after ${UCLOUD_MAX_PAGES} pages of ${UCLOUD_MAX_PAGE_SIZE} (TotalCount ${totalCount}): stopped rather than return a partial list`,
          'permanent',
        );
      }
      const result = await describeUHostKeyPairs(client, filter, found.length);
      if (totalCount !== undefined && result.totalCount !== totalCount) {
        // Key pairs were added or deleted meanwhile: offsets moved, so one may have been skipped.
        changed = true;
        break;
      }
      totalCount = result.totalCount;
      for (const keyPair of result.keyPairs) {
        if (seen.has(keyPair.keyPairId)) {
          throw ucloudMalformedAnswerError(action, `key pair ${keyPair.keyPairId} came back on two pages: the endpoint does not page by Offset`, 'permanent', result.requestId);
        }
        seen.add(keyPair.keyPairId);
        found.push(keyPair);
        if (stopAt?.(keyPair)) return [keyPair];
      }
      if (found.length >= totalCount) return found;
      if (result.keyPairs.length === 0) {
        throw ucloudMalformedAnswerError(
          action,
          `the page at offset ${found.length} is empty but TotalCount is ${totalCount}: stopped rather than return a partial list`,
          'permanent',
          result.requestId,
        );
      }
    }
  }
  throw ucloudMalformedAnswerError(
    action,
    `the list of key pairs changed while it was paged, ${MAX_LIST_RESTARTS + 1} times: stopped rather than return a partial list`,
    'permanent',
    undefined,
    'Key pairs are being created or deleted in this project right now; try again when that is done',
  );
}

/** DeleteUHostKeyPairs: deletes by id, `KeyPairIds.0`, `KeyPairIds.1`… (up to 100). */
export async function deleteUHostKeyPairs(client: UcloudClient, keyPairIds: readonly string[]): Promise<DeleteUHostKeyPairsAnswer> {
  if (keyPairIds.length === 0 || keyPairIds.length > UCLOUD_MAX_PAGE_SIZE) {
    throw new RangeError(`DeleteUHostKeyPairs takes 1 to ${UCLOUD_MAX_PAGE_SIZE} key pair ids, got ${keyPairIds.length}`);
  }
  const { requestId } = await client.call('DeleteUHostKeyPairs', { KeyPairIds: keyPairIds }, asIs);
  return { requestId };
}

/** The answer as the client returns it: these actions read their fields after the call, outside its retries. */
function asIs(answer: UcloudAnswer): UcloudAnswer {
  return answer;
}

function lostPrivateKeyRemedy(keyPairName: string): string {
  return (
    `The key pair "${keyPairName}" may have been created, but its private key did not arrive and cannot be fetched again: ` +
    'delete it in the UCloud console (or with terraform destroy) and create it again'
  );
}

function fieldsOf(record: Record<string, unknown>): UcloudKeyPairFields {
  const createTime = integerOf(record.CreateTime);
  return {
    ...optional('keyPairId', stringField(record.KeyPairId)),
    ...optional('keyPairName', stringField(record.KeyPairName)),
    ...optional('fingerprint', stringField(record.KeyPairFingerPrint)),
    ...optional('projectId', stringField(record.ProjectId)),
    ...optional('createTime', createTime),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** UCloud documents some integers as strings (CreateTime); accept both. */
function integerOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}
