import { settleEach } from './concurrency';
import { type LifecycleContext } from './context';
import { checkDeclaredTags, readDeclaredTags, readKeyPairInputs, type KeyPairInputs } from './inputs';
import { InvalidInputError } from '../invalid-input-error';
import { lookUpKeyPair, readLookupInputs } from './lookup';
import { readKeyPair, type ReadResult } from './read';
import { parseReadQueryKey, READ_QUERY_KEYS } from '../../src/contract';
import type { KeyPairTarget } from '../clouds/factory';
import type { KeyPairApi } from '../clouds/key-pair-api';

/** One entry of the stack's read: a key pair of the stack, or a reference to one made elsewhere. */
interface Entry {
  readonly key: string;
  readonly target: KeyPairTarget;
  read(): Promise<ReadResult>;
}

/**
 * Pairs described at once by the stack's read: a plan of a large stack waits for one handler process, and
 * the clouds' describe limits (Alibaba and Tencent: tens of calls per second per account) stay far away.
 */
export const READ_CONCURRENCY = 8;

/**
 * `handler read`: the stack's read. The query holds each field of each pair (its triggers, base directory
 * and declared tags) under `<registry key>#<field>`, and each reference's lookup (marked `lookup`); the
 * answer has one entry per key, the JSON of that pair's `readKeyPair` (or `lookUpKeyPair`) result. Every entry is checked before any call; every pair is described, and
 * every failure reported, naming its pair.
 */
export async function readStack(
  query: Readonly<Record<string, string>>,
  contextFor: (inputs: KeyPairInputs) => LifecycleContext,
  apiFor: (target: KeyPairTarget) => KeyPairApi,
): Promise<Record<string, string>> {
  const pairs: Entry[] = [];
  const invalid: string[] = [];
  for (const [key, pairQuery] of pairQueries(query)) {
    try {
      if (pairQuery[READ_QUERY_KEYS.lookup] === 'true') {
        const lookup = readLookupInputs(pairQuery);
        pairs.push({ key, target: lookup.target, read: () => lookUpKeyPair(apiFor(lookup.target), lookup) });
        continue;
      }
      const inputs = readKeyPairInputs(pairQuery, pairQuery[READ_QUERY_KEYS.baseDirectory]);
      const declaredTags = readDeclaredTags(pairQuery[READ_QUERY_KEYS.tags], `the query's entry "${key}" ${READ_QUERY_KEYS.tags}`);
      // Checked here too, though only the create step sets them: every bad input stops the plan at once.
      checkDeclaredTags(inputs.target.cloud, declaredTags);
      pairs.push({ key, target: inputs.target, read: () => readKeyPair(contextFor(inputs), declaredTags) });
    } catch (err) {
      invalid.push(`${err instanceof Error ? err.message : String(err)} (the key pair of ${key})`);
    }
  }
  // Every pair checked before any call: all the bad inputs at once, and nothing sent.
  if (invalid.length === 1) throw new InvalidInputError(invalid[0]);
  if (invalid.length > 1) throw new InvalidInputError(`${invalid.length} key pairs have invalid inputs:\n  ${invalid.map((line) => `invalid input: ${line}`).join('\n  ')}`);
  const outcomes = await settleEach(pairs, READ_CONCURRENCY, async (pair) => JSON.stringify(await pair.read()));
  const failures = outcomes.flatMap((outcome, index) =>
    outcome.ok ? [] : [`${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)} (the key pair of ${pairs[index].key})`],
  );
  if (failures.length === 1) throw new Error(failures[0]);
  if (failures.length > 1) throw new Error(`${failures.length} key pairs could not be read:\n  ${failures.join('\n  ')}`);
  return Object.fromEntries(pairs.map((pair, index) => [pair.key, (outcomes[index] as { value: string }).value]));
}

/** The query's fields, by pair, in the order the pairs first appear. */
function pairQueries(query: Readonly<Record<string, string>>): Map<string, Record<string, string>> {
  const pairs = new Map<string, Record<string, string>>();
  for (const [key, value] of Object.entries(query)) {
    const parsed = parseReadQueryKey(key);
    if (parsed === undefined) throw new InvalidInputError(`the query key "${key}" is not <pair>#<field>: the stack's read is synthesized by cdktf-keypair`);
    const fields = pairs.get(parsed.entry) ?? {};
    fields[parsed.field] = value;
    pairs.set(parsed.entry, fields);
  }
  return pairs;
}
