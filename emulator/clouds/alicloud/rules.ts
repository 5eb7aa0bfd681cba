import { ALICLOUD_ERRORS, AlicloudFault, missingParameter } from './envelope';

/**
 * CreateKeyPair names: 2-128 characters, starting with a letter; letters, digits, `:`, `_`, `-`; not
 * starting with `http://` or `https://` (ECS CreateKeyPair reference).
 */
const CREATE_NAME = /^[A-Za-z][A-Za-z0-9:_-]{1,127}$/;

/**
 * ImportKeyPair names are broader: they may start with any letter, Chinese characters included, and
 * may also contain `.` (ECS ImportKeyPair reference).
 */
const IMPORT_NAME = /^\p{L}[\p{L}0-9:_.-]{1,127}$/u;

export function checkKeyPairName(name: string | undefined, rule: 'create' | 'import'): string {
  if (name === undefined || name === '') throw missingParameter('KeyPairName');
  const pattern = rule === 'create' ? CREATE_NAME : IMPORT_NAME;
  if (!pattern.test(name) || /^https?:\/\//i.test(name)) throw new AlicloudFault(ALICLOUD_ERRORS.keyPairNameMalformed);
  return name;
}

/** At most 20 tags per resource. */
const MAX_TAGS = 20;

/**
 * `Tag.N.Key` / `Tag.N.Value` (N = 1..20) as a map. Keys: non-empty, ≤ 128 characters, not starting
 * with `aliyun` or `acs:`, no `http(s)://`; values: ≤ 128 characters, not starting with `acs:`, no
 * `http(s)://`. When `validate` is false (filters), only the shape is read.
 */
export function readTags(params: Readonly<Record<string, string>>, validate: boolean): Record<string, string> {
  const tags: Record<string, string> = {};
  const indexes = new Set<number>();
  for (const name of Object.keys(params)) {
    const match = /^Tag\.(\d+)\.(Key|Value)$/.exec(name);
    if (match) indexes.add(Number(match[1]));
  }
  for (const index of [...indexes].sort((a, b) => a - b)) {
    if (index < 1 || index > MAX_TAGS) throw new AlicloudFault(ALICLOUD_ERRORS.tagQuotaExceeded);
    const key = params[`Tag.${index}.Key`];
    const value = params[`Tag.${index}.Value`] ?? '';
    if (key === undefined || key === '') {
      if (validate) throw new AlicloudFault(ALICLOUD_ERRORS.tagKeyMalformed);
      continue;
    }
    if (validate) {
      if ([...key].length > 128 || /^(aliyun|acs:)/i.test(key) || /https?:\/\//i.test(key)) throw new AlicloudFault(ALICLOUD_ERRORS.tagKeyMalformed);
      if ([...value].length > 128 || /^acs:/i.test(value) || /https?:\/\//i.test(value)) throw new AlicloudFault(ALICLOUD_ERRORS.tagValueMalformed);
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
