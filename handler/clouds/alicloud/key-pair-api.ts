import { AlicloudKeyPair, ALICLOUD_MAX_PAGE_SIZE, createKeyPair, deleteKeyPairs, describeKeyPairs, importKeyPair } from './actions';
import { AlicloudClient, AlicloudConnection, AlicloudSignatureVersion } from './client';
import { ALICLOUD_PAGING_INCOMPLETE_CODE, ALICLOUD_PAGING_LIMIT_CODE } from './errors';
import { ALICLOUD_KEY_PAIR_RESOURCE_TYPE, ALICLOUD_MAX_TAGS_PER_CALL, tagResources, untagResources } from './tag-actions';
import { TAG_RULES } from '../../../src/contract';
import { CloudApiError } from '../../http/cloud-api-error';
import type { CloudConnection } from '../cloud-connection';
import { SecretValue } from '../credentials';
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
 * DescribeKeyPairs pages followed at most: 5,000 key pairs, ten times the region quota of 500. A describe
 * that would need more fails rather than return part of the list.
 */
export const ALICLOUD_MAX_DESCRIBE_PAGES = 100;

export interface AlicloudKeyPairApiOptions {
  /** `v3` (ACS3-HMAC-SHA256, default) or `v2` (RPC HMAC-SHA1) for gateways that only speak the old scheme. */
  readonly signatureVersion?: AlicloudSignatureVersion;
}

/**
 * Alibaba Cloud ECS key pairs behind the neutral interface. ECS identifies a key pair by its name in every
 * action (DescribeKeyPairs returns no id), so `id` is the name. Names are unique per region whatever the
 * resource group, so lookups by name search the whole region: a same-named pair in another group is
 * reported (and the lifecycle's ownership check decides), never hidden until a create collides with it.
 */
export function createAlicloudKeyPairApi(connection: CloudConnection, options: AlicloudKeyPairApiOptions = {}): KeyPairApi {
  return new AlicloudKeyPairApi({ ...connection, ...options });
}

class AlicloudKeyPairApi implements KeyPairApi {
  readonly cloud = 'alicloud' as const;
  readonly capabilities: KeyPairCapabilities = { tags: true, uniqueNames: true };

  private readonly client: AlicloudClient;

  constructor(private readonly connection: AlicloudConnection) {
    this.client = new AlicloudClient(connection);
  }

  get region(): string {
    return this.connection.region;
  }

  async create(input: CreateKeyPairInput): Promise<CreatedCloudKeyPair> {
    const created = await createKeyPair(this.client, {
      keyPairName: input.name,
      resourceGroupId: this.connection.scope,
      tags: input.tags,
    });
    // The private key is written unchanged, in whatever PEM flavour ECS chose
    // (docs/cloud-behaviour.md#alibaba-private-key-format).
    const privateKey = new SecretValue(created.privateKeyPem);
    const answered: CloudKeyPair = {
      id: created.keyPairName,
      name: created.keyPairName,
      fingerprint: created.fingerprint ?? '',
      tags: { ...input.tags },
      ...(created.requestId !== undefined ? { requestId: created.requestId } : {}),
    };
    const keyPair = created.fingerprint === undefined ? await this.completed(answered, 'CreateKeyPair') : answered;
    return { ...keyPair, privateKey };
  }

  async importPublicKey(input: ImportKeyPairInput): Promise<CloudKeyPair> {
    const imported = await importKeyPair(this.client, {
      keyPairName: input.name,
      publicKey: input.publicKey.trim(),
      resourceGroupId: this.connection.scope,
      tags: input.tags,
    });
    const answered: CloudKeyPair = {
      id: imported.keyPairName,
      name: imported.keyPairName,
      fingerprint: imported.fingerprint ?? '',
      tags: { ...input.tags },
      ...(imported.requestId !== undefined ? { requestId: imported.requestId } : {}),
    };
    return imported.fingerprint === undefined ? this.completed(answered, 'ImportKeyPair') : answered;
  }

  async findByName(name: string): Promise<CloudKeyPair[]> {
    const { keyPairs, requestId } = await this.describeAllNamed(name);
    // ECS reads `*` in a name filter as a wildcard: only exact names count
    // (docs/cloud-behaviour.md#name-filters-are-not-exact).
    return keyPairs.filter((keyPair) => keyPair.keyPairName === name).map((keyPair) => toCloudKeyPair(keyPair, requestId));
  }

  /** Alibaba's id is the name (docs/cloud-behaviour.md#key-pair-identifiers): an exact-name describe with the public key. */
  async describeById(id: string): Promise<CloudKeyPair | undefined> {
    return (await this.findByName(id))[0];
  }

  async delete(keyPair: Pick<CloudKeyPair, 'id' | 'name'>): Promise<DeleteKeyPairResult> {
    const result = await deleteKeyPairs(this.client, [nameOf(keyPair, 'deleted')]);
    return { alreadyGone: result.alreadyGone, ...(result.requestId !== undefined ? { requestId: result.requestId } : {}) };
  }

  /**
   * `UntagResources` for the keys to remove, then `TagResources` for the keys to set (new or changed: ECS
   * overwrites a key's value), as the official Terraform provider does: removing first leaves room under
   * the 20-tag quota. Each call takes at most 20 tags, so larger changes take several calls; all of them
   * are idempotent and resent on throttling, 5xx and timeouts. A key both set and removed is only set.
   * System tags (`acs:`, `aliyun…`) are the cloud's and never removed. A pair that is gone throws with
   * outcome `not-found` (`InvalidResourceId.NotFound`).
   */
  async updateTags(keyPair: Pick<CloudKeyPair, 'id' | 'name'>, change: TagChange): Promise<void> {
    const name = nameOf(keyPair, 'tagged');
    const set = Object.entries(change.set);
    const remove = [...new Set(change.remove)].filter((key) => !Object.prototype.hasOwnProperty.call(change.set, key) && !isSystemTagKey(key));
    const target = { resourceType: ALICLOUD_KEY_PAIR_RESOURCE_TYPE, resourceIds: [name] };
    for (const tagKeys of inChunks(remove, ALICLOUD_MAX_TAGS_PER_CALL)) await untagResources(this.client, { ...target, tagKeys });
    for (const tags of inChunks(set, ALICLOUD_MAX_TAGS_PER_CALL)) await tagResources(this.client, { ...target, tags: Object.fromEntries(tags) });
  }

  /**
   * A successful create or import whose answer lacked the fingerprint, completed by a describe. The action
   * took effect (and a create's private key is in hand), so a failed or empty describe does not fail it:
   * the pair is returned as answered, and a later read fills the gap.
   */
  private async completed(answered: CloudKeyPair, action: string): Promise<CloudKeyPair> {
    try {
      const [described] = await this.findByName(answered.name);
      if (described) return { ...described, requestId: answered.requestId ?? described.requestId };
      this.connection.log?.(`alicloud ${action}: the answer had no KeyPairFingerPrint and DescribeKeyPairs does not list "${answered.name}" yet`);
    } catch (err) {
      if (!(err instanceof CloudApiError)) throw err;
      this.connection.log?.(`alicloud ${action}: the answer had no KeyPairFingerPrint; DescribeKeyPairs to complete it failed with ${err.code}`);
    }
    return answered;
  }

  /**
   * Every key pair DescribeKeyPairs lists for this name, across all pages, with public keys. Pages are
   * followed until TotalCount is reached; a describe that would need more than ALICLOUD_MAX_DESCRIBE_PAGES
   * pages, or a page that brings nothing new before the total is reached, throws instead of returning a
   * partial list.
   */
  private async describeAllNamed(name: string): Promise<{ keyPairs: AlicloudKeyPair[]; requestId?: string }> {
    const byName = new Map<string, AlicloudKeyPair>();
    let requestId: string | undefined;
    for (let pageNumber = 1; ; pageNumber++) {
      const page = await describeKeyPairs(this.client, {
        keyPairName: name,
        pageNumber,
        pageSize: ALICLOUD_MAX_PAGE_SIZE,
        includePublicKey: true,
      });
      requestId ??= page.requestId;
      const before = byName.size;
      for (const keyPair of page.keyPairs) if (!byName.has(keyPair.keyPairName)) byName.set(keyPair.keyPairName, keyPair);
      const total = page.totalCount;
      // Without a total, a short page is the last one.
      if (total === undefined ? page.keyPairs.length < page.pageSize : byName.size >= total) break;
      if (total !== undefined && total > ALICLOUD_MAX_DESCRIBE_PAGES * ALICLOUD_MAX_PAGE_SIZE) {
        throw pagingError(ALICLOUD_PAGING_LIMIT_CODE, `DescribeKeyPairs reports ${total} key pairs for "${name}", more than the ${ALICLOUD_MAX_DESCRIBE_PAGES} pages of ${ALICLOUD_MAX_PAGE_SIZE} this client reads`, page.requestId);
      }
      if (byName.size === before) {
        throw pagingError(
          ALICLOUD_PAGING_INCOMPLETE_CODE,
          `DescribeKeyPairs page ${pageNumber} brought no new key pairs, but ${byName.size} of ${total ?? 'an unknown number'} were listed so far`,
          page.requestId,
        );
      }
      if (pageNumber >= ALICLOUD_MAX_DESCRIBE_PAGES) {
        throw pagingError(ALICLOUD_PAGING_LIMIT_CODE, `DescribeKeyPairs for "${name}" needs more than ${ALICLOUD_MAX_DESCRIBE_PAGES} pages`, page.requestId);
      }
    }
    return { keyPairs: [...byName.values()], ...(requestId !== undefined ? { requestId } : {}) };
  }
}

/** Alibaba identifies key pairs by name, which is also their id here; a mismatch is a caller's bug. */
function nameOf(keyPair: Pick<CloudKeyPair, 'id' | 'name'>, verb: string): string {
  if (keyPair.id && keyPair.name && keyPair.id !== keyPair.name) {
    // Guessing could act on the wrong pair.
    throw new Error(`Alibaba Cloud key pairs are ${verb} by name, and this one has id "${keyPair.id}" but name "${keyPair.name}"`);
  }
  return keyPair.name || keyPair.id;
}

/** Keys only the cloud sets (the contract forbids them to users), as the Terraform provider leaves them alone. */
function isSystemTagKey(key: string): boolean {
  return (TAG_RULES.alicloud?.key.forbiddenPrefixes ?? []).some((prefix) => key.startsWith(prefix));
}

function inChunks<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

function toCloudKeyPair(keyPair: AlicloudKeyPair, requestId: string | undefined): CloudKeyPair {
  return {
    id: keyPair.keyPairName,
    name: keyPair.keyPairName,
    // As the cloud gave it, with or without colons (docs/cloud-behaviour.md#alibaba-fingerprint-colons):
    // compare with normaliseMd5Fingerprint.
    fingerprint: keyPair.fingerprint,
    ...(keyPair.publicKey !== undefined ? { publicKey: keyPair.publicKey } : {}),
    tags: keyPair.tags,
    ...(requestId !== undefined ? { requestId } : {}),
  };
}

function pagingError(code: string, message: string, requestId: string | undefined): CloudApiError {
  return new CloudApiError({
    cloud: 'alicloud',
    action: 'DescribeKeyPairs',
    code,
    message,
    requestId,
    retryable: false,
    // Nothing was changed; a list that shifted while it was read may read whole on a later try.
    outcome: code === ALICLOUD_PAGING_LIMIT_CODE ? 'permanent' : 'refused',
    remedy: code === ALICLOUD_PAGING_LIMIT_CODE ? 'Check that the endpoint is Alibaba Cloud ECS and filters by name' : 'Run the command again',
  });
}
