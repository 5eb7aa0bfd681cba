import { randomInt } from 'node:crypto';
import { TencentcloudFault } from './envelope';
import {
  expectArray,
  expectInteger,
  expectObject,
  expectString,
  expectStringArray,
  Parameters,
  rejectUnknownParameters,
  requiredParameter,
} from './parameters';
import { IMPORTABLE_KEY_TYPES, KEY_PAIR_ID_RULES, NAME_RULES, ruleViolation, TAG_RULES, TextRule } from '../../../src/contract';
import type { EmulatorContext, StoredKeyPair } from '../../cloud-emulator';
import { PublicKeyRefused, readOpenSshPublicKey } from '../../openssh-public-key';

/** What an action needs besides its parameters: the store and the scope (the region). */
export interface ActionScope {
  readonly context: EmulatorContext;
  readonly region: string;
}

export type TencentcloudAction = (parameters: Parameters, scope: ActionScope) => Record<string, unknown>;

/**
 * Tencent's documented key pair quota: "each Tencent Cloud account can have up to 100 SSH keys" — per
 * account, all regions together (docs/cloud-behaviour.md#key-pair-quotas). The emulator's quota option
 * lowers or raises it; see `emulator/index.ts`.
 */
export const TENCENTCLOUD_ACCOUNT_QUOTA = 100;
/**
 * A binding whose "instance" id starts with this is a custom image made from an instance that used the
 * key pair (docs/cloud-behaviour.md#tencent-image-holds-key-pair): its delete answers
 * `InvalidKeyPair.NotSupported` instead of the in-use code.
 */
export const IMAGE_ID_PREFIX = 'img-';
const TAG_RULE = TAG_RULES.tencentcloud!;
const MAX_IDS_PER_CALL = 100;
const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 20;
const KEY_ID_RULE = KEY_PAIR_ID_RULES.tencentcloud!;
const KEY_FILTERS = ['key-name', 'project-id', 'tag-key', 'tag-value'];

export const TENCENTCLOUD_ACTIONS: Readonly<Record<string, TencentcloudAction>> = {
  CreateKeyPair: (parameters, scope) => {
    rejectUnknownParameters(parameters, ['KeyName', 'ProjectId', 'TagSpecification']);
    const { name, projectId, tags } = validateNewKeyPair(parameters, scope, NAME_RULES.tencentcloud.create);
    // Tencent generates OpenSSH RSA 2048 pairs and hands out the private key in PKCS#1 PEM, once.
    const material = scope.context.newRsaKeyPair();
    const stored = storeKeyPair(scope, name, material.publicKeyOpenSsh, projectId, tags);
    return { KeyPair: { ...describeItem(stored), PrivateKey: material.privateKeyPkcs1Pem } };
  },

  ImportKeyPair: (parameters, scope) => {
    rejectUnknownParameters(parameters, ['KeyName', 'ProjectId', 'PublicKey', 'TagSpecification']);
    const { name, projectId, tags } = validateNewKeyPair(parameters, scope, NAME_RULES.tencentcloud.import);
    const publicKey = expectString(requiredParameter(parameters, 'PublicKey'), 'PublicKey').trim();
    try {
      // Tencent documents OpenSSH RSA only; its one code for anything else is Malformed.
      readOpenSshPublicKey(publicKey, IMPORTABLE_KEY_TYPES.tencentcloud);
    } catch (err) {
      if (!(err instanceof PublicKeyRefused)) throw err;
      throw new TencentcloudFault('InvalidPublicKey.Malformed', `The public key does not meet the OpenSSH RSA format: ${err.message}.`);
    }
    const material = keyMaterialOf(publicKey);
    if (scope.context.store.list(scope.region).some((keyPair) => keyMaterialOf(keyPair.publicKey) === material)) {
      throw new TencentcloudFault('InvalidPublicKey.Duplicate', 'The public key already exists in another key pair.');
    }
    return { KeyId: storeKeyPair(scope, name, publicKey, projectId, tags).id };
  },

  DescribeKeyPairs: (parameters, scope) => {
    rejectUnknownParameters(parameters, ['KeyIds', 'Filters', 'Offset', 'Limit']);
    if (parameters.KeyIds !== undefined && parameters.Filters !== undefined) {
      throw new TencentcloudFault('InvalidParameter', 'The parameters `KeyIds` and `Filters` cannot be specified at the same time.');
    }
    const offset = parameters.Offset === undefined ? 0 : expectInteger(parameters.Offset, 'Offset');
    if (offset < 0) throw new TencentcloudFault('InvalidParameterValueOffset', 'The value of `Offset` must not be negative.');
    const limit = parameters.Limit === undefined ? DEFAULT_PAGE_SIZE : expectInteger(parameters.Limit, 'Limit');
    if (limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new TencentcloudFault('InvalidParameterValueLimit', `The value of \`Limit\` must be between 1 and ${MAX_PAGE_SIZE}, got ${limit}.`);
    }
    let matches = scope.context.store.describable(scope.region);
    if (parameters.KeyIds !== undefined) {
      const ids = validateKeyIds(parameters.KeyIds);
      matches = matches.filter((keyPair) => ids.includes(keyPair.id));
    }
    if (parameters.Filters !== undefined) {
      for (const filter of expectArray(parameters.Filters, 'Filters').map((item, index) => readFilter(item, index))) {
        matches = matches.filter((keyPair) => filter(keyPair));
      }
    }
    return { TotalCount: matches.length, KeyPairSet: matches.slice(offset, offset + limit).map(describeItem) };
  },

  DeleteKeyPairs: (parameters, scope) => {
    rejectUnknownParameters(parameters, ['KeyIds']);
    const ids = validateKeyIds(requiredParameter(parameters, 'KeyIds'));
    if (ids.length === 0) throw new TencentcloudFault('MissingParameter', 'The request is missing a required parameter `KeyIds`.');
    const existing = new Set(scope.context.store.list(scope.region).map((keyPair) => keyPair.id));
    const missing = ids.find((id) => !existing.has(id));
    // All or nothing: one unknown id fails the whole call before anything is deleted.
    if (missing !== undefined) throw new TencentcloudFault('InvalidKeyPairId.NotFound', `The key pair \`${missing}\` does not exist.`);
    for (const id of ids) {
      const boundTo = scope.context.store.takeDeleteBlocker(id);
      if (boundTo === undefined) continue;
      if (boundTo.startsWith(IMAGE_ID_PREFIX)) {
        // The wording (and its spelling) of the answer quoted in hashicorp/packer#7910.
        throw new TencentcloudFault(
          'InvalidKeyPair.NotSupported',
          `The key pair \`${id}\` is not supported to be deleted, which associastes with image \`${boundTo}\`.`,
        );
      }
      throw new TencentcloudFault(
        'InvalidParameterValue.KeyPairNotSupported',
        `The specified key pair \`${id}\` does not support the current operation: it is bound to instance \`${boundTo}\`.`,
      );
    }
    for (const id of ids) scope.context.store.remove(scope.region, id);
    return {};
  },
};

interface NewKeyPair {
  readonly name: string;
  readonly projectId: number;
  readonly tags: Record<string, string>;
}

/** Name rules, project, tags, uniqueness and quota, in the order Tencent reports them. */
function validateNewKeyPair(parameters: Parameters, scope: ActionScope, nameRule: TextRule): NewKeyPair {
  const name = expectString(requiredParameter(parameters, 'KeyName'), 'KeyName');
  checkName(name, nameRule);
  const projectId = expectInteger(requiredParameter(parameters, 'ProjectId'), 'ProjectId');
  if (projectId < 0) throw new TencentcloudFault('InvalidProjectId.NotFound', `The project \`${projectId}\` does not exist.`);
  const tags = parameters.TagSpecification === undefined ? {} : readTagSpecification(parameters.TagSpecification);

  if (scope.context.store.list(scope.region).some((keyPair) => keyPair.name === name)) {
    throw new TencentcloudFault('InvalidKeyPairName.Duplicate', `The key pair name \`${name}\` already exists.`);
  }
  // The quota is the account's, whatever the region: every region's pairs count.
  const quota = scope.context.quotaPerScope;
  if (scope.context.store.listAll().length >= quota) {
    throw new TencentcloudFault('InvalidKeyPair.LimitExceeded', `The number of key pairs in this account has reached the limit of ${quota}.`);
  }
  return { name, projectId, tags };
}

/**
 * The contract's name rule, answered with Tencent's three codes: one for an empty name, one for a name
 * over the rule's length, one for anything else the rule refuses.
 */
function checkName(name: string, rule: TextRule): void {
  const violation = ruleViolation(rule, name);
  if (violation === undefined) return;
  const length = [...name].length;
  if (length === 0) throw new TencentcloudFault('InvalidKeyPairNameEmpty', `The key pair name must not be empty: ${rule.description}.`);
  if (length > rule.maxLength) {
    throw new TencentcloudFault('InvalidKeyPairNameTooLong', `The key pair name must not exceed ${rule.maxLength} characters: ${rule.description}.`);
  }
  throw new TencentcloudFault('InvalidKeyPairNameIncludeIllegalChar', `The key pair name includes illegal characters: ${rule.description}.`);
}

/**
 * `TagSpecification` checked against the contract's tag rules: a reserved key prefix answers
 * `FailedOperation.TagKeyReserved`, more tags than allowed `LimitExceeded.TagResourceQuota`, any other
 * broken rule `InvalidParameterValue` (CreateKeyPair's documented codes; ImportKeyPair lists the same
 * quota code and `InvalidParameterValue`).
 */
function readTagSpecification(value: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [index, item] of expectArray(value, 'TagSpecification').entries()) {
    const specification = expectObject(item, `TagSpecification.${index}`);
    if (specification.ResourceType !== 'keypair') {
      throw new TencentcloudFault('InvalidParameterValue', 'The value of `TagSpecification.ResourceType` must be `keypair`.');
    }
    for (const [tagIndex, tagItem] of expectArray(specification.Tags ?? [], `TagSpecification.${index}.Tags`).entries()) {
      const tag = expectObject(tagItem, `TagSpecification.${index}.Tags.${tagIndex}`);
      const key = expectString(tag.Key, `TagSpecification.${index}.Tags.${tagIndex}.Key`);
      const tagValue = expectString(tag.Value ?? '', `TagSpecification.${index}.Tags.${tagIndex}.Value`);
      const reserved = (TAG_RULE.key.forbiddenPrefixes ?? []).find((prefix) => key.toLowerCase().startsWith(prefix.toLowerCase()));
      if (reserved !== undefined) {
        throw new TencentcloudFault('FailedOperation.TagKeyReserved', `The tag key \`${key}\` is reserved by the system (prefix \`${reserved}\`).`);
      }
      const violation = ruleViolation(TAG_RULE.key, key) ?? ruleViolation(TAG_RULE.value, tagValue);
      if (violation !== undefined) throw new TencentcloudFault('InvalidParameterValue', `${violation}.`);
      if (Object.prototype.hasOwnProperty.call(tags, key)) {
        throw new TencentcloudFault('InvalidParameterValue', `The tag key \`${key}\` is given more than once.`);
      }
      tags[key] = tagValue;
    }
  }
  if (Object.keys(tags).length > TAG_RULE.maxTags) {
    throw new TencentcloudFault('LimitExceeded.TagResourceQuota', `A key pair takes at most ${TAG_RULE.maxTags} tags, got ${Object.keys(tags).length}.`);
  }
  return tags;
}

function validateKeyIds(value: unknown): string[] {
  const ids = expectStringArray(value, 'KeyIds');
  if (ids.length > MAX_IDS_PER_CALL) {
    throw new TencentcloudFault('InvalidParameterValue.LimitExceeded', `At most ${MAX_IDS_PER_CALL} key pair ids may be given, got ${ids.length}.`);
  }
  const malformed = ids.find((id) => ruleViolation(KEY_ID_RULE, id) !== undefined);
  if (malformed !== undefined) throw new TencentcloudFault('InvalidKeyPairId.Malformed', `The key pair id \`${malformed}\` is malformed.`);
  return ids;
}

/**
 * One `{Name, Values}` filter as a predicate (values ORed). `key-name` matches fuzzily here: Tencent does
 * not document whether it is exact, and a fuzzy emulator keeps clients honest about matching exactly.
 */
function readFilter(item: unknown, index: number): (keyPair: StoredKeyPair) => boolean {
  const filter = expectObject(item, `Filters.${index}`);
  const name = expectString(requiredParameter(filter, 'Name'), `Filters.${index}.Name`);
  const values = expectStringArray(requiredParameter(filter, 'Values'), `Filters.${index}.Values`);
  if (values.length > MAX_IDS_PER_CALL) {
    throw new TencentcloudFault('InvalidFilterValue.LimitExceeded', `Filter \`${name}\` takes at most ${MAX_IDS_PER_CALL} values.`);
  }
  if (name.startsWith('tag:')) {
    const tagKey = name.slice('tag:'.length);
    return (keyPair) => tagKey in keyPair.tags && values.includes(keyPair.tags[tagKey]);
  }
  switch (name) {
    case 'key-name':
      return (keyPair) => values.some((value) => keyPair.name.includes(value));
    case 'project-id':
      if (values.some((value) => !/^\d+$/.test(value))) {
        throw new TencentcloudFault('InvalidParameterValue', 'The values of filter `project-id` must be integers.');
      }
      return (keyPair) => values.includes(keyPair.attributes.projectId);
    case 'tag-key':
      return (keyPair) => values.some((value) => value in keyPair.tags);
    case 'tag-value':
      return (keyPair) => values.some((value) => Object.values(keyPair.tags).includes(value));
    default:
      throw new TencentcloudFault('InvalidFilter', `The filter \`${name}\` is not supported; use one of ${KEY_FILTERS.join(', ')} or tag:<key>.`);
  }
}

/**
 * Stores a new pair. Tencent keeps the public key under a comment of its own, `skey_<digits>`, whatever
 * comment it was given (docs/cloud-behaviour.md#tencent-public-key-comment): Create and Describe both
 * return it that way.
 */
function storeKeyPair(scope: ActionScope, name: string, publicKey: string, projectId: number, tags: Record<string, string>): StoredKeyPair {
  const keyPair: StoredKeyPair = {
    id: newKeyId(scope),
    name,
    publicKey: `${keyMaterialOf(publicKey)} skey_${randomInt(100_000, 1_000_000)}`,
    fingerprint: '', // Tencent reports no fingerprint.
    createdAt: scope.context.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    tags,
    attributes: { projectId: String(projectId), description: '' },
  };
  scope.context.store.add(scope.region, keyPair);
  return keyPair;
}

/** A key pair as Tencent's `KeyPair` structure (without the private key). */
function describeItem(keyPair: StoredKeyPair): Record<string, unknown> {
  return {
    KeyId: keyPair.id,
    KeyName: keyPair.name,
    ProjectId: Number(keyPair.attributes.projectId ?? 0),
    Description: keyPair.attributes.description ?? '',
    PublicKey: keyPair.publicKey,
    AssociatedInstanceIds: [],
    CreatedTime: keyPair.createdAt,
    Tags: Object.entries(keyPair.tags).map(([Key, Value]) => ({ Key, Value })),
  };
}

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

function newKeyId(scope: ActionScope): string {
  // Ids are the account's, unique across regions.
  const taken = new Set(scope.context.store.listAll().map((keyPair) => keyPair.id));
  for (;;) {
    const id = `skey-${Array.from({ length: 8 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('')}`;
    if (!taken.has(id)) return id;
  }
}

/** `<type> <base64>`: how a public key is compared, whatever its comment. */
function keyMaterialOf(publicKey: string): string {
  return publicKey.trim().split(/\s+/).slice(0, 2).join(' ');
}
