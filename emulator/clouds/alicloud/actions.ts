import { ALICLOUD_ERRORS, AlicloudFault, alicloudSuccess, missingParameter } from './envelope';
import { ALICLOUD_REGION_IDS, checkKeyPairName, keyPairNameMatcher, readPagingNumber, readTags } from './parameters';
import { IMPORTABLE_KEY_TYPES } from '../../../src/contract';
import type { EmulatorContext, EmulatorResponse, StoredKeyPair } from '../../cloud-emulator';
import { OpenSshPublicKey, PublicKeyRefused, readOpenSshPublicKey } from '../../openssh-public-key';

/** What an action receives: the verified call's parameters, a request id, and the emulator's services. */
export interface AlicloudActionInput {
  readonly params: Readonly<Record<string, string>>;
  readonly requestId: string;
  readonly context: EmulatorContext;
}

export type AlicloudAction = (input: AlicloudActionInput) => EmulatorResponse;

const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 50;
const MAX_DELETE_NAMES = 100;
const RESOURCE_GROUP = 'resourceGroupId';

/** ECS's four key pair actions (its tag actions are in ./tag-actions.ts; ./index.ts serves both). */
export const ALICLOUD_KEY_PAIR_ACTIONS: Readonly<Record<string, AlicloudAction>> = {
  CreateKeyPair: createKeyPair,
  ImportKeyPair: importKeyPair,
  DescribeKeyPairs: describeKeyPairs,
  DeleteKeyPairs: deleteKeyPairs,
};

/**
 * ECS generates an RSA 2048 pair and hands out the private key once, unencrypted. The reference says
 * PKCS#8, but its examples show `-----BEGIN RSA PRIVATE KEY-----` (PKCS#1): the emulator answers PKCS#1,
 * so a client that assumed PKCS#8 fails here rather than in front of a user
 * (docs/cloud-behaviour.md#alibaba-private-key-format).
 */
function createKeyPair({ params, requestId, context }: AlicloudActionInput): EmulatorResponse {
  const region = requireRegion(params);
  const name = checkKeyPairName(params.KeyPairName, 'create');
  const tags = readTags(params, true);
  checkRoomFor(context, region, name);
  const generated = context.newRsaKeyPair();
  const stored = storeKeyPair(context, region, name, generated.publicKey, tags, params.ResourceGroupId);
  return alicloudSuccess(requestId, {
    KeyPairId: stored.id,
    KeyPairName: stored.name,
    KeyPairFingerPrint: answeredFingerprint(generated.publicKey),
    PrivateKeyBody: generated.privateKeyPkcs1Pem,
  });
}

/** Registers a user's public key; the answer carries no KeyPairId. */
function importKeyPair({ params, requestId, context }: AlicloudActionInput): EmulatorResponse {
  const region = requireRegion(params);
  const name = checkKeyPairName(params.KeyPairName, 'import');
  if (!params.PublicKeyBody) throw missingParameter('PublicKeyBody');
  const tags = readTags(params, true);
  let key;
  try {
    key = readOpenSshPublicKey(params.PublicKeyBody, IMPORTABLE_KEY_TYPES.alicloud);
  } catch (err) {
    if (err instanceof PublicKeyRefused) throw new AlicloudFault(ALICLOUD_ERRORS.publicKeyMalformed);
    throw err;
  }
  checkRoomFor(context, region, name);
  const stored = storeKeyPair(context, region, name, key, tags, params.ResourceGroupId);
  return alicloudSuccess(requestId, { KeyPairName: stored.name, KeyPairFingerPrint: answeredFingerprint(key) });
}

/** Filters by exact or `*` name, fingerprint, resource group and tags; pages of at most 50. */
function describeKeyPairs({ params, requestId, context }: AlicloudActionInput): EmulatorResponse {
  const region = requireRegion(params);
  const pageNumber = readPagingNumber('PageNumber', params.PageNumber, 1, Number.MAX_SAFE_INTEGER);
  const pageSize = readPagingNumber('PageSize', params.PageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const nameMatches = params.KeyPairName ? keyPairNameMatcher(params.KeyPairName) : () => true;
  const tagFilter = readTags(params, false);
  const includePublicKey = params.IncludePublicKey === 'true';

  const matching = context.store.describable(region).filter(
    (keyPair) =>
      nameMatches(keyPair.name) &&
      (!params.KeyPairFingerPrint || keyPair.fingerprint === params.KeyPairFingerPrint) &&
      (!params.ResourceGroupId || keyPair.attributes[RESOURCE_GROUP] === params.ResourceGroupId) &&
      Object.entries(tagFilter).every(([tagKey, tagValue]) => keyPair.tags[tagKey] !== undefined && (tagValue === '' || keyPair.tags[tagKey] === tagValue)),
  );
  const page = matching.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return alicloudSuccess(requestId, {
    PageNumber: pageNumber,
    PageSize: pageSize,
    TotalCount: matching.length,
    // The XML-derived nesting of every ECS list: KeyPairs.KeyPair[], Tags.Tag[].
    KeyPairs: { KeyPair: page.map((keyPair) => describeItem(keyPair, includePublicKey)) },
  });
}

/**
 * Deletes by name (a JSON array in a string, ≤ 100). Names that do not exist are skipped; when none of
 * them exists the answer is `InvalidKeyPair.NotFound` (not documented for this action; the official
 * Terraform provider treats that code as "already deleted"). A pair still bound to an instance refuses
 * the whole call with `InvalidParameter.KeypairAlreadyAttachedInstance`, and nothing is deleted
 * (docs/cloud-behaviour.md#bound-key-pair-delete).
 */
function deleteKeyPairs({ params, requestId, context }: AlicloudActionInput): EmulatorResponse {
  const region = requireRegion(params);
  if (!params.KeyPairNames) throw missingParameter('KeyPairNames');
  const names = parseNameList(params.KeyPairNames);
  const existing = context.store.list(region).filter((keyPair) => names.includes(keyPair.name));
  if (existing.length === 0) throw new AlicloudFault(ALICLOUD_ERRORS.keyPairNotFound);
  // Every bound pair counts one refused delete, so none is skipped by an earlier one in the list.
  const blockers = existing.map((keyPair) => context.store.takeDeleteBlocker(keyPair.id)).filter((instance) => instance !== undefined);
  if (blockers.length > 0) throw new AlicloudFault(ALICLOUD_ERRORS.keyPairAttached);
  for (const keyPair of existing) context.store.remove(region, keyPair.id);
  return alicloudSuccess(requestId, {});
}

// ---------------------------------------------------------------------------------------------------

function requireRegion(params: Readonly<Record<string, string>>): string {
  if (!params.RegionId) throw new AlicloudFault(ALICLOUD_ERRORS.missingRegionId);
  if (!ALICLOUD_REGION_IDS.has(params.RegionId)) throw new AlicloudFault(ALICLOUD_ERRORS.regionNotFound);
  return params.RegionId;
}

/**
 * Alibaba's fingerprint is the MD5 of the key blob, but one of its actions writes it with colons and
 * another without (docs/cloud-behaviour.md#alibaba-fingerprint-colons). The emulator's choice:
 * CreateKeyPair and ImportKeyPair answer `aa:bb:…` (as the API reference's examples do), DescribeKeyPairs
 * lists bare hex. Clients must compare them normalised (colons removed, lower case).
 */
function answeredFingerprint(key: OpenSshPublicKey): string {
  return key.md5WithColons;
}

/** Names are unique per region; the quota counts key pairs per region. */
function checkRoomFor(context: EmulatorContext, region: string, name: string): void {
  const existing = context.store.list(region);
  if (existing.some((keyPair) => keyPair.name === name)) throw new AlicloudFault(ALICLOUD_ERRORS.keyPairAlreadyExists);
  if (existing.length >= context.quotaPerScope) throw new AlicloudFault(ALICLOUD_ERRORS.keyPairQuotaExceeded);
}

/** Stored with the fingerprint as DescribeKeyPairs lists it here: bare lower-case hex. */
function storeKeyPair(
  context: EmulatorContext,
  region: string,
  name: string,
  key: OpenSshPublicKey,
  tags: Record<string, string>,
  resourceGroupId: string | undefined,
): StoredKeyPair {
  const stored: StoredKeyPair = {
    id: keyPairId(context),
    name,
    publicKey: key.canonical,
    fingerprint: key.md5Hex,
    createdAt: context.now().toISOString(),
    tags,
    attributes: resourceGroupId ? { [RESOURCE_GROUP]: resourceGroupId } : {},
  };
  context.store.add(region, stored);
  return stored;
}

/** `ssh-` and 20 lowercase alphanumerics, like `ssh-bp67acfmxazb4p****` in the API reference. */
function keyPairId(context: EmulatorContext): string {
  return `ssh-${context.randomUuid().replace(/-/g, '').slice(0, 20).toLowerCase()}`;
}

function describeItem(keyPair: StoredKeyPair, includePublicKey: boolean): Record<string, unknown> {
  return {
    KeyPairName: keyPair.name,
    KeyPairFingerPrint: keyPair.fingerprint,
    // ECS shows creation time to the minute: `2023-09-04T08:33Z`.
    CreationTime: keyPair.createdAt.replace(/:\d{2}(\.\d+)?Z$/, 'Z'),
    ResourceGroupId: keyPair.attributes[RESOURCE_GROUP] ?? '',
    ...(includePublicKey ? { PublicKey: keyPair.publicKey } : {}),
    Tags: { Tag: Object.entries(keyPair.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) },
  };
}

function parseNameList(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.length > 0 &&
    parsed.length <= MAX_DELETE_NAMES &&
    parsed.every((name) => typeof name === 'string' && name !== '');
  if (!valid) throw new AlicloudFault(ALICLOUD_ERRORS.keyPairNamesNotSupported);
  return parsed as string[];
}
