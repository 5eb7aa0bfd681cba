import * as path from 'node:path';
import {
  DEFAULT_SECRET_RECOVERY_WINDOW_DAYS,
  endpointViolation,
  generatedAlgorithmViolation,
  HANDLER_ENV,
  isCloudName,
  isSecretStoreName,
  KEY_SOURCES,
  KeySource,
  nameRule,
  parseOwnerValue,
  privateKeyFileViolation,
  RECORD_KEYS,
  recoveryWindowViolation,
  REGION_RULE,
  ruleViolation,
  SCOPE_RULES,
  SECRET_NAME_RULES,
  SECRET_STORES,
  TAG_RULES,
  tagViolations,
  TRIGGER_KEYS,
  unreachable,
  type CloudName,
  type GeneratedKeyAlgorithm,
  type SecretStoreName,
  type TextRule,
} from '../../src/contract';
import { importablePublicKey } from '../../src/public-key-line';
import type { KeyPairTarget } from '../clouds/factory';
import { InvalidInputError } from '../invalid-input-error';

/**
 * What a lifecycle step works on, read from the triggers (create, delete) or the data source's query
 * (read) and checked with the same contract rules the constructs apply at synth: a value that was a token
 * at synth is checked here, before any cloud call.
 */
export interface KeyPairInputs {
  readonly target: KeyPairTarget;
  readonly keyPairName: string;
  readonly keySource: KeySource;
  /** For imports: the public key line, trimmed. */
  readonly publicKey?: string;
  readonly keyAlgorithm?: GeneratedKeyAlgorithm;
  readonly privateKeyFile?: string;
  /** The secret store the private key is also (or only) kept in, when the construct names one. */
  readonly privateKeySecret?: PrivateKeySecretInputs;
  /** The ownership tag's value: `<deployment>/<construct>`. */
  readonly owner: string;
}

/** Where a private key is kept besides (or instead of) its file: one secret of one store (`TRIGGER_KEYS.secret*`). */
export interface PrivateKeySecretInputs {
  readonly store: SecretStoreName;
  readonly name: string;
  /** The store's region: the pair's own unless the construct names another. */
  readonly region: string;
  /** The KMS key that encrypts the secret; the store's default when absent. */
  readonly encryptionKeyId?: string;
  /**
   * Days a deleted secret stays restorable (`HANDLER_ENV.secretRecoveryWindowDays`; 0, the default, deletes
   * at once). Only the delete step uses it: a create deletes what it made, or a leftover of its own, at once.
   */
  readonly recoveryWindowDays: number;
}

/** What the stack registry recorded of the pair in Terraform state (its destroy step passes it). */
export interface RecordedKeyPair {
  readonly keyPairId: string;
  readonly fingerprint: string;
}

/** Parses a JSON object of strings (the triggers, the query, the tags), naming where it came from. */
export function parseStringMap(text: string | undefined, source: string): Record<string, string> {
  if (text === undefined || text.trim() === '') throw new InvalidInputError(`${source} is empty: the handler is run by Terraform with its inputs`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidInputError(`${source} is not JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidInputError(`${source} is not a JSON object`);
  const map: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string') throw new InvalidInputError(`${source}: "${key}" must be a string`);
    map[key] = value;
  }
  return map;
}

/**
 * The lifecycle inputs from a triggers (or query) map, every rule checked. A relative private key path is
 * resolved against `baseDirectory` (the directory synth ran in), else the working directory. Keys that
 * do not define the pair are ignored: `TRIGGER_KEYS.replacementKey` is there only so that changing it
 * replaces the carrier, and the query's own keys (`READ_QUERY_KEYS`) are read by the caller.
 */
export function readKeyPairInputs(map: Readonly<Record<string, string>>, baseDirectory?: string, recoveryWindowDays?: string): KeyPairInputs {
  const cloud = required(map, TRIGGER_KEYS.cloud);
  if (!isCloudName(cloud)) throw new InvalidInputError(`unknown cloud "${cloud}"`);
  const keySource = (map[TRIGGER_KEYS.keySource] ?? KEY_SOURCES.cloud) as KeySource;
  if (!(Object.values(KEY_SOURCES) as string[]).includes(keySource)) throw new InvalidInputError(`unknown key source "${keySource}"`);

  const region = check(REGION_RULE, required(map, TRIGGER_KEYS.region));
  const keyPairName = required(map, TRIGGER_KEYS.keyPairName);
  check(nameRule(cloud, keySource), keyPairName);
  const scope = optional(map, TRIGGER_KEYS.scope);
  if (scope !== undefined) check(SCOPE_RULES[cloud], scope);
  const endpoint = optional(map, TRIGGER_KEYS.endpoint);
  if (endpoint !== undefined) reject(endpointViolation(endpoint));

  let publicKey: string | undefined;
  let keyAlgorithm: GeneratedKeyAlgorithm | undefined;
  switch (keySource) {
    case KEY_SOURCES.import: {
      publicKey = required(map, TRIGGER_KEYS.publicKey).trim();
      // A token at synth (a variable, a file read at plan time): the cloud would refuse it, or worse, take it.
      const key = importablePublicKey(cloud, publicKey);
      if (typeof key === 'string') throw new InvalidInputError(key);
      break;
    }
    case KEY_SOURCES.generate: {
      const algorithm = required(map, TRIGGER_KEYS.keyAlgorithm);
      reject(generatedAlgorithmViolation(cloud, algorithm));
      keyAlgorithm = algorithm as GeneratedKeyAlgorithm;
      break;
    }
    case KEY_SOURCES.cloud:
      break; // the cloud makes the key: nothing to carry
    default:
      return unreachable(keySource, 'key source');
  }
  const privateKeyFile = optional(map, TRIGGER_KEYS.privateKeyFile);
  if (privateKeyFile !== undefined) reject(privateKeyFileViolation(privateKeyFile));
  const privateKeySecret = readPrivateKeySecret(map, region, recoveryWindowDays);
  if (keySource === KEY_SOURCES.import && privateKeySecret !== undefined) {
    throw new InvalidInputError(
      `an imported key pair has no private key to keep: remove "${TRIGGER_KEYS.secretStore}" (privateKeySecret), or let the cloud or cdktf-keypair generate the key`,
    );
  }
  if (keySource !== KEY_SOURCES.import && privateKeyFile === undefined && privateKeySecret === undefined) {
    throw new InvalidInputError(
      `a ${KEY_SOURCE_ADJECTIVES[keySource]} key pair needs "${TRIGGER_KEYS.privateKeyFile}" or "${TRIGGER_KEYS.secretStore}" (or both): the private key has to go somewhere`,
    );
  }
  return {
    target: { cloud, region, scope, endpoint },
    keyPairName,
    keySource,
    publicKey,
    keyAlgorithm,
    privateKeyFile: privateKeyFile === undefined ? undefined : path.resolve(baseDirectory || process.cwd(), privateKeyFile),
    ...(privateKeySecret !== undefined ? { privateKeySecret } : {}),
    owner: ownerOf(map),
  };
}

/**
 * The secret destination, when the triggers name a store: the store known, the name by the store's rule and
 * the region by the region rule, before any call. Secret keys without a store are refused (a half-written
 * destination would silently keep the key nowhere). `recoveryWindowDays` is the environment's text.
 */
function readPrivateKeySecret(
  map: Readonly<Record<string, string>>,
  keyPairRegion: string,
  recoveryWindowDays: string | undefined,
): PrivateKeySecretInputs | undefined {
  const store = optional(map, TRIGGER_KEYS.secretStore);
  if (store === undefined) {
    const secretKeys = [TRIGGER_KEYS.secretName, TRIGGER_KEYS.secretRegion, TRIGGER_KEYS.secretEncryptionKeyId];
    const stray = secretKeys.find((key) => optional(map, key) !== undefined);
    if (stray !== undefined) throw new InvalidInputError(`"${stray}" is set without "${TRIGGER_KEYS.secretStore}": name the secret store too`);
    return undefined;
  }
  if (!isSecretStoreName(store)) {
    throw new InvalidInputError(`unknown secret store "${store}": the private key can be kept in ${Object.values(SECRET_STORES).join(' or ')}`);
  }
  const name = check(SECRET_NAME_RULES[store], required(map, TRIGGER_KEYS.secretName));
  const region = check(REGION_RULE, optional(map, TRIGGER_KEYS.secretRegion) ?? keyPairRegion);
  const encryptionKeyId = optional(map, TRIGGER_KEYS.secretEncryptionKeyId);
  // eslint-disable-next-line no-control-regex
  if (encryptionKeyId !== undefined && (encryptionKeyId.trim() !== encryptionKeyId || /[\s\u0000-\u001f\u007f]/.test(encryptionKeyId))) {
    throw new InvalidInputError(`"${TRIGGER_KEYS.secretEncryptionKeyId}" ${JSON.stringify(encryptionKeyId)} is not valid: a KMS key id or ARN has no spaces or control characters`);
  }
  return {
    store,
    name,
    region,
    ...(encryptionKeyId !== undefined ? { encryptionKeyId } : {}),
    recoveryWindowDays: readSecretRecoveryWindowDays(store, recoveryWindowDays),
  };
}

/** `HANDLER_ENV.secretRecoveryWindowDays`: unset or blank is the default (0, delete at once); else days the store takes. */
export function readSecretRecoveryWindowDays(store: SecretStoreName, text: string | undefined): number {
  if (text === undefined || text.trim() === '') return DEFAULT_SECRET_RECOVERY_WINDOW_DAYS;
  const days = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  const violation = recoveryWindowViolation(store, days, JSON.stringify(text));
  if (violation !== undefined) throw new InvalidInputError(`${HANDLER_ENV.secretRecoveryWindowDays}: ${violation}`);
  return days;
}

function ownerOf(map: Readonly<Record<string, string>>): string {
  const owner = required(map, TRIGGER_KEYS.owner);
  // Anything else would match no tag we ever set, and on UCloud prove nothing.
  if (parseOwnerValue(owner) === undefined) throw new InvalidInputError(`"${TRIGGER_KEYS.owner}" is not an ownership value (<deployment uuid>/<hex>): "${owner}"`);
  return owner;
}

/** The record the stack registry's destroy step passes, or undefined (every other step). */
export function readRecordedKeyPair(text: string | undefined): RecordedKeyPair | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const map = parseStringMap(text, HANDLER_ENV.record);
  const keyPairId = map[RECORD_KEYS.keyPairId] ?? '';
  return keyPairId === '' ? undefined : { keyPairId, fingerprint: map[RECORD_KEYS.fingerprint] ?? '' };
}

/** The declared tags (a JSON object of strings; empty when absent). */
export function readDeclaredTags(text: string | undefined, source: string): Record<string, string> {
  return text === undefined || text.trim() === '' ? {} : parseStringMap(text, source);
}

/**
 * The declared tags, checked with the cloud's rules (they may have been tokens at synth): the user's own,
 * without the keys cdktf-keypair reserves.
 */
export function checkDeclaredTags(cloud: CloudName, userTags: Readonly<Record<string, string>>): Record<string, string> {
  const problems = tagViolations(cloud, userTags);
  if (problems.length > 0) throw new InvalidInputError(problems.join('; '));
  return TAG_RULES[cloud] === undefined ? {} : { ...userTags };
}

/** How messages name a key pair of each key source. */
const KEY_SOURCE_ADJECTIVES: Readonly<Record<KeySource, string>> = {
  cloud: 'cloud-generated',
  import: 'imported',
  generate: 'locally generated',
};

function reject(violation: string | undefined): void {
  if (violation) throw new InvalidInputError(violation);
}

function check(rule: TextRule, value: string): string {
  const violation = ruleViolation(rule, value);
  if (violation) throw new InvalidInputError(violation);
  return value;
}

function required(map: Readonly<Record<string, string>>, key: string): string {
  const value = map[key];
  if (value === undefined || value === '') throw new InvalidInputError(`"${key}" is missing`);
  return value;
}

function optional(map: Readonly<Record<string, string>>, key: string): string | undefined {
  const value = map[key];
  return value === undefined || value === '' ? undefined : value;
}
