import {
  createKeyPair,
  deleteKeyPairs,
  describeKeyPairs,
  importKeyPair,
  TENCENTCLOUD_MAX_PAGE_SIZE,
  TencentcloudKeyPair,
} from './actions';
import { TencentcloudClient } from './client';
import { TENCENTCLOUD_TAG_API, tencentcloudProjectId } from './settings';
import { modifyResourceTags, tencentcloudKeyPairResourceName } from './tag-actions';
import { CloudApiError, TRANSPORT_ERROR_CODES } from '../../http/cloud-api-error';
import { publicKeyWithoutComment } from '../../keys/public-key';
import type { CloudConnection } from '../cloud-connection';
import type {
  CloudKeyPair,
  CreatedCloudKeyPair,
  CreateKeyPairInput,
  DeleteKeyPairResult,
  ImportKeyPairInput,
  KeyPairApi,
  KeyPairCapabilities,
  TagChange,
} from '../key-pair-api';

/**
 * How many DescribeKeyPairs pages a name lookup reads before it gives up (10,000 key pairs: the account
 * quota is 100). Reaching it is an error, never a silently partial list.
 */
export const TENCENTCLOUD_MAX_PAGES = 100;

/** Tencent Cloud CVM key pairs, bound to one connection (region, project, endpoint, credentials). */
export function createTencentcloudKeyPairApi(connection: CloudConnection): KeyPairApi {
  return new TencentcloudKeyPairApi(connection);
}

class TencentcloudKeyPairApi implements KeyPairApi {
  readonly cloud = 'tencentcloud' as const;
  readonly region: string;
  readonly capabilities: KeyPairCapabilities = { tags: true, uniqueNames: true };
  private readonly client: TencentcloudClient;
  /** The Tag API, where tags change once the pair exists (CVM has no action for that). */
  private readonly tagClient: TencentcloudClient;
  /** The CVM project (the connection's scope; 0, the default project, when unset). */
  private readonly projectId: number;

  constructor(connection: CloudConnection) {
    this.region = connection.region;
    this.projectId = tencentcloudProjectId(connection.scope);
    this.client = new TencentcloudClient(connection);
    this.tagClient = new TencentcloudClient(connection, TENCENTCLOUD_TAG_API);
  }

  async create(input: CreateKeyPairInput): Promise<CreatedCloudKeyPair> {
    const answer = await createKeyPair(this.client, { keyName: input.name, projectId: this.projectId, tags: input.tags });
    const { keyPair, privateKey, requestId } = answer;
    if (privateKey === undefined) {
      // The pair may exist, and Tencent hands its private key out only in this answer: nothing can recover it.
      throw new CloudApiError({
        cloud: 'tencentcloud',
        action: 'CreateKeyPair',
        code: TRANSPORT_ERROR_CODES.malformedResponse,
        message: `the answer holds no PrivateKey${keyPair.keyId ? ` for the key pair ${keyPair.keyId}` : ''}`,
        requestId,
        httpStatus: 200,
        retryable: false,
        outcome: 'unknown',
        remedy: `Tencent Cloud may have created the key pair "${input.name}" without handing out its private key: delete it and create it again`,
      });
    }
    if (keyPair.keyId === undefined) {
      // A success without the id: the pair is the one with this name and the tags just given (the create
      // would have failed with a duplicate name had another existed).
      const found = await this.completeWithoutId('CreateKeyPair', input.name, requestId, (candidate) =>
        Object.entries(input.tags ?? {}).every(([key, value]) => candidate.tags[key] === value),
      );
      return { ...found, privateKey, requestId };
    }
    const answered: CloudKeyPair = toCloudKeyPair({
      associatedInstanceIds: [],
      ...keyPair,
      keyId: keyPair.keyId,
      keyName: keyPair.keyName ?? input.name,
      tags: keyPair.tags ?? input.tags ?? {},
    });
    if (keyPair.publicKey !== undefined) return { ...answered, privateKey, requestId };
    // A success without the public key: completed by a describe when it can be, never an error that would
    // orphan a pair whose private key is in hand.
    const described = await this.describeById(keyPair.keyId).catch(() => undefined);
    return { ...(described ?? answered), privateKey, requestId };
  }

  async importPublicKey(input: ImportKeyPairInput): Promise<CloudKeyPair> {
    const publicKey = input.publicKey.trim();
    const { keyId, requestId } = await importKeyPair(this.client, { keyName: input.name, projectId: this.projectId, publicKey, tags: input.tags });
    if (keyId === undefined) {
      // A success without the id: the pair is found by its name and public key.
      const found = await this.completeWithoutId('ImportKeyPair', input.name, requestId, (candidate) =>
        candidate.publicKey !== undefined && publicKeyWithoutComment(candidate.publicKey) === publicKeyWithoutComment(publicKey),
      );
      return { ...found, requestId };
    }
    // ImportKeyPair answers the id only. The describe shows the pair as Tencent keeps it, its comment
    // rewritten to `skey_<digits>` (docs/cloud-behaviour.md#tencent-public-key-comment), so import and read
    // report the same public key; when it cannot, what was sent is enough.
    const described = await this.describeById(keyId).catch(() => undefined);
    return { ...(described ?? { id: keyId, name: input.name, fingerprint: '', publicKey, tags: input.tags ?? {} }), requestId };
  }

  async findByName(name: string): Promise<CloudKeyPair[]> {
    const matches: CloudKeyPair[] = [];
    let offset = 0;
    for (let page = 0; page < TENCENTCLOUD_MAX_PAGES; page++) {
      const result = await describeKeyPairs(this.client, {
        keyName: name,
        projectId: this.projectId,
        offset,
        limit: TENCENTCLOUD_MAX_PAGE_SIZE,
      });
      // The `key-name` filter's matching (exact or fuzzy) is undocumented: the exact match is made here
      // (docs/cloud-behaviour.md#name-filters-are-not-exact).
      matches.push(...result.keyPairs.filter((keyPair) => keyPair.keyName === name).map((keyPair) => toCloudKeyPair(keyPair, result.requestId)));
      offset += result.keyPairs.length;
      if (offset >= result.totalCount) return matches;
      if (result.keyPairs.length === 0) {
        throw incompleteListing(
          `page ${page + 1} was empty after ${offset} of ${result.totalCount} key pairs named like "${name}" (the list changed while it was read)`,
          'refused',
          result.requestId,
        );
      }
    }
    throw incompleteListing(`more than ${TENCENTCLOUD_MAX_PAGES} pages of key pairs named like "${name}"`, 'permanent');
  }

  async describeById(id: string): Promise<CloudKeyPair | undefined> {
    // Tencent answers an unknown (well-formed) id with an empty set, not an error
    // (docs/cloud-behaviour.md#not-found-codes).
    const { keyPairs, requestId } = await describeKeyPairs(this.client, { keyIds: [id] });
    const keyPair = keyPairs.find((candidate) => candidate.keyId === id);
    return keyPair && toCloudKeyPair(keyPair, requestId);
  }

  async delete(keyPair: Pick<CloudKeyPair, 'id' | 'name'>): Promise<DeleteKeyPairResult> {
    try {
      const { requestId } = await deleteKeyPairs(this.client, [keyPair.id]);
      return { alreadyGone: false, requestId };
    } catch (err) {
      if (err instanceof CloudApiError && err.outcome === 'not-found') return { alreadyGone: true, requestId: err.requestId };
      throw err;
    }
  }

  /**
   * One `ModifyResourceTags` on the Tag API, as the official Terraform provider changes tags: the keys to set
   * (new or changed) as `ReplaceTags`, the keys to remove as `DeleteTags`, each left out when empty. A key
   * both set and removed is only set (its new value replaces the old one; the Tag API refuses the overlap).
   * A pair that is gone throws with outcome `not-found`.
   */
  async updateTags(keyPair: Pick<CloudKeyPair, 'id' | 'name'>, change: TagChange): Promise<void> {
    const replaceTags = { ...change.set };
    const deleteTags = [...new Set(change.remove)].filter((key) => !Object.prototype.hasOwnProperty.call(replaceTags, key));
    if (Object.keys(replaceTags).length === 0 && deleteTags.length === 0) return;
    await modifyResourceTags(this.tagClient, { resource: tencentcloudKeyPairResourceName(this.region, keyPair.id), replaceTags, deleteTags });
  }

  /**
   * The one pair named `name` that `matches`, after a create or import whose answer lacked the id. Any
   * failure is reported as that action's: its outcome is unknown (the pair may exist), never the describe's.
   */
  private async completeWithoutId(
    action: string,
    name: string,
    requestId: string | undefined,
    matches: (candidate: CloudKeyPair) => boolean,
  ): Promise<CloudKeyPair> {
    const unknown = (why: string) =>
      new CloudApiError({
        cloud: 'tencentcloud',
        action,
        code: TRANSPORT_ERROR_CODES.malformedResponse,
        message: `the answer holds no KeyId, and ${why}`,
        requestId,
        httpStatus: 200,
        retryable: false,
        outcome: 'unknown',
        remedy: `Look the key pair "${name}" up by name before retrying`,
      });
    let found: CloudKeyPair[];
    try {
      found = (await this.findByName(name)).filter(matches);
    } catch (err) {
      throw unknown(`looking it up by name failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (found.length !== 1) throw unknown(`${found.length} key pairs named "${name}" match it`);
    return found[0];
  }
}

function toCloudKeyPair(keyPair: TencentcloudKeyPair, requestId?: string): CloudKeyPair {
  return {
    id: keyPair.keyId,
    name: keyPair.keyName,
    fingerprint: '', // Tencent reports none.
    ...(keyPair.publicKey !== undefined ? { publicKey: keyPair.publicKey } : {}),
    tags: keyPair.tags,
    ...(requestId !== undefined ? { requestId } : {}),
  };
}

function incompleteListing(message: string, outcome: 'refused' | 'permanent', requestId?: string): CloudApiError {
  return new CloudApiError({
    cloud: 'tencentcloud',
    action: 'DescribeKeyPairs',
    code: 'IncompleteListing',
    message,
    requestId,
    retryable: false,
    outcome,
    remedy: outcome === 'refused' ? 'Run the command again' : 'Delete key pairs that are no longer used',
  });
}
