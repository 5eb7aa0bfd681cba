import * as path from 'node:path';
import {
  endpointViolation,
  generatedAlgorithmViolation,
  HANDLER_ENV,
  isCloudName,
  KEY_SOURCES,
  KeySource,
  nameRule,
  parseOwnerValue,
  privateKeyFileViolation,
  RECORD_KEYS,
  REGION_RULE,
  ruleViolation,
  SCOPE_RULES,
  TAG_RULES,
  tagViolations,
  TRIGGER_KEYS,
  unreachable,
  type CloudName,
  type GeneratedKeyAlgorithm,
  type TextRule,
} from '../../src/contract';
import { importablePublicKey } from '../../src/public-key-line';
import type { KeyPairTarget } from '../clouds/factory';

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
  /** The ownership tag's value: `<deployment>/<construct>`. */
  readonly owner: string;
}

/** What the stack registry recorded of the pair in Terraform state (its destroy step passes it). */
export interface RecordedKeyPair {
  readonly keyPairId: string;
  readonly fingerprint: string;
}

/** Input that breaks a rule: reported before any cloud call, with the rule. */
export class InvalidInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
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
export function readKeyPairInputs(map: Readonly<Record<string, string>>, baseDirectory?: string): KeyPairInputs {
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
  if (keySource !== KEY_SOURCES.import && privateKeyFile === undefined) {
    throw new InvalidInputError(`a ${KEY_SOURCE_ADJECTIVES[keySource]} key pair needs "${TRIGGER_KEYS.privateKeyFile}": the private key has to go somewhere`);
  }
  return {
    target: { cloud, region, scope, endpoint },
    keyPairName,
    keySource,
    publicKey,
    keyAlgorithm,
    privateKeyFile: privateKeyFile === undefined ? undefined : path.resolve(baseDirectory || process.cwd(), privateKeyFile),
    owner: ownerOf(map),
  };
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
