import { READ_QUERY_KEYS, readQueryKey } from '../../src/contract';

/** The registry key the tests give the one pair of a stack read they run by hand. */
export const READ_ENTRY = 'kp';

/**
 * The standard input of `handler read` for one pair, as the stack's read sends it: the pair's triggers with
 * its declared tags (and base directory, when given), each under `kp#<field>`.
 */
export function stackReadQuery(
  triggers: Readonly<Record<string, string>>,
  declaredTags: Readonly<Record<string, string>> = {},
  baseDirectory?: string,
): string {
  const pair: Record<string, string> = { ...triggers, [READ_QUERY_KEYS.tags]: JSON.stringify(declaredTags) };
  if (baseDirectory !== undefined) pair[READ_QUERY_KEYS.baseDirectory] = baseDirectory;
  return JSON.stringify(Object.fromEntries(Object.entries(pair).map(([field, value]) => [readQueryKey(READ_ENTRY, field), value])));
}

/** The one pair's result from `handler read`'s standard output (the JSON of its result map), or the text as it is when it is not one. */
export function pairResultText(stdout: string): string {
  try {
    const answer = JSON.parse(stdout) as Record<string, unknown>;
    const entry = answer[READ_ENTRY];
    return typeof entry === 'string' ? `${entry}\n` : stdout;
  } catch {
    return stdout;
  }
}

/** The standard input of `handler read` for one reference's lookup, as the stack's plan-time read sends it. */
export function stackLookupQuery(lookup: Readonly<Record<string, string>>): string {
  const fields = { ...lookup, [READ_QUERY_KEYS.lookup]: 'true' };
  return JSON.stringify(Object.fromEntries(Object.entries(fields).map(([field, value]) => [readQueryKey(READ_ENTRY, field), value])));
}
