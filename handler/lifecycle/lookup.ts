import { LifecycleError } from './context';
import { InvalidInputError } from '../invalid-input-error';
import { describedResult, type ReadResult } from './read';
import {
  endpointViolation,
  isCloudName,
  KEY_PAIR_ID_RULES,
  LOOKUP_QUERY_KEYS,
  NAME_RULES,
  REGION_RULE,
  ruleViolation,
  SCOPE_RULES,
  TRIGGER_KEYS,
} from '../../src/contract';
import type { KeyPairTarget } from '../clouds/factory';
import type { CloudKeyPair, KeyPairApi } from '../clouds/key-pair-api';
import { publicKeyWithoutComment } from '../keys/public-key';

/** A key pair made elsewhere, as a reference's query names it: by name, or by id. */
export interface LookupInputs {
  readonly target: KeyPairTarget;
  readonly by: { readonly name: string } | { readonly id: string };
}

/** The reference's query, every value checked before any cloud call. */
export function readLookupInputs(map: Readonly<Record<string, string>>): LookupInputs {
  const cloud = map[TRIGGER_KEYS.cloud] ?? '';
  if (!isCloudName(cloud)) throw new InvalidInputError(`unknown cloud "${cloud}"`);
  const refuse = (violation: string | undefined) => {
    if (violation) throw new InvalidInputError(violation);
  };
  const region = map[TRIGGER_KEYS.region] ?? '';
  refuse(ruleViolation(REGION_RULE, region));
  const scope = map[TRIGGER_KEYS.scope] || undefined;
  if (scope !== undefined) refuse(ruleViolation(SCOPE_RULES[cloud], scope));
  const endpoint = map[TRIGGER_KEYS.endpoint] || undefined;
  if (endpoint !== undefined) refuse(endpointViolation(endpoint));
  const id = map[LOOKUP_QUERY_KEYS.keyPairId] || undefined;
  if (id !== undefined) {
    const idRule = KEY_PAIR_ID_RULES[cloud];
    if (idRule === undefined) throw new InvalidInputError(`${cloud} key pairs are referenced by name, not by id`);
    refuse(ruleViolation(idRule, id));
    return { target: { cloud, region, scope, endpoint }, by: { id } };
  }
  const name = map[TRIGGER_KEYS.keyPairName] ?? '';
  // A pair made elsewhere may carry any name the cloud accepts: its broadest rule applies.
  refuse(ruleViolation(NAME_RULES[cloud].import, name));
  return { target: { cloud, region, scope, endpoint }, by: { name } };
}

/**
 * `handler lookup`: describes a key pair made elsewhere for a reference's data source, on every plan. It is
 * never created, changed or deleted; a missing or ambiguous pair fails the plan, naming it.
 */
export async function lookUpKeyPair(api: KeyPairApi, inputs: LookupInputs): Promise<ReadResult> {
  const where = `${inputs.target.cloud} region ${inputs.target.region}${inputs.target.scope ? ` (${inputs.target.scope})` : ''}`;
  let found: CloudKeyPair[];
  let what: string;
  if ('id' in inputs.by) {
    what = `key pair id "${inputs.by.id}"`;
    const keyPair = await api.describeById(inputs.by.id);
    found = keyPair ? [keyPair] : [];
  } else {
    what = `key pair name "${inputs.by.name}"`;
    found = await api.findByName(inputs.by.name);
  }
  if (found.length === 0) {
    throw new LifecycleError(`the referenced ${what} does not exist in ${where}`, 'Check the name (or id), region and project of the reference, or create the key pair first');
  }
  if (found.length > 1) {
    throw new LifecycleError(`the referenced ${what} matches ${found.length} key pairs in ${where}`, 'Reference it by id, or delete the extra ones');
  }
  const [keyPair] = found;
  // Ownership plays no part, and tags are not ours to keep: no revision.
  return describedResult(keyPair, keyPair.publicKey ? publicKeyWithoutComment(keyPair.publicKey) : undefined, '');
}
