import { ALICLOUD_ERRORS, AlicloudFault, missingParameter } from './envelope';
import { NAME_RULES, ruleViolation, TAG_RULES } from '../../../src/contract';

/**
 * CreateKeyPair and ImportKeyPair check names by different rules (import also allows `.` and Unicode
 * letters); both come from the contract, the same data the constructs and the handler use.
 */
export function checkKeyPairName(name: string | undefined, rule: 'create' | 'import'): string {
  if (name === undefined || name === '') throw missingParameter('KeyPairName');
  if (ruleViolation(NAME_RULES.alicloud[rule], name) !== undefined) throw new AlicloudFault(ALICLOUD_ERRORS.keyPairNameMalformed);
  return name;
}

const ALICLOUD_TAG_RULES = (() => {
  const rules = TAG_RULES.alicloud;
  if (!rules) throw new Error('the contract defines no Alibaba Cloud tag rules');
  return rules;
})();

/**
 * `Tag.N.Key` / `Tag.N.Value` (N = 1..20) as a map, checked by the contract's tag rules. When `validate`
 * is false (filters), only the shape is read.
 */
export function readTags(params: Readonly<Record<string, string>>, validate: boolean): Record<string, string> {
  const tags: Record<string, string> = {};
  const indexes = new Set<number>();
  for (const name of Object.keys(params)) {
    const match = /^Tag\.(\d+)\.(Key|Value)$/.exec(name);
    if (match) indexes.add(Number(match[1]));
  }
  for (const index of [...indexes].sort((a, b) => a - b)) {
    if (index < 1 || index > ALICLOUD_TAG_RULES.maxTags) throw new AlicloudFault(ALICLOUD_ERRORS.tagQuotaExceeded);
    const key = params[`Tag.${index}.Key`];
    const value = params[`Tag.${index}.Value`] ?? '';
    if (key === undefined || key === '') {
      if (validate) throw new AlicloudFault(ALICLOUD_ERRORS.tagKeyMalformed);
      continue;
    }
    if (validate) {
      if (ruleViolation(ALICLOUD_TAG_RULES.key, key) !== undefined) throw new AlicloudFault(ALICLOUD_ERRORS.tagKeyMalformed);
      if (ruleViolation(ALICLOUD_TAG_RULES.value, value) !== undefined) throw new AlicloudFault(ALICLOUD_ERRORS.tagValueMalformed);
      if (key in tags) throw new AlicloudFault(ALICLOUD_ERRORS.duplicateTagKey);
    }
    tags[key] = value;
  }
  return tags;
}

/** `*` matches any run of characters; without one, the name must match exactly. */
export function keyPairNameMatcher(pattern: string): (name: string) => boolean {
  if (!pattern.includes('*')) return (name) => name === pattern;
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 's');
  return (name) => regex.test(name);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A positive integer parameter within bounds, or the default; anything else is the paging error. */
export function readPagingNumber(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number >= 1 && number <= max)) {
    throw new AlicloudFault(ALICLOUD_ERRORS.invalidPaging, `The specified parameter "${name}" is not valid.`);
  }
  return number;
}
