import { ALICLOUD_ERRORS, AlicloudFault, missingParameter } from './envelope';
import { NAME_RULES, ruleViolation, TAG_RULES } from '../../../src/contract';
import type { EmulatorRequest } from '../../cloud-emulator';

/** An incoming call, read but not yet trusted. */
export interface IncomingAlicloudCall {
  /** `acs3` when an ACS3 Authorization header came, `rpc` when a `Signature` parameter came. */
  readonly scheme: 'acs3' | 'rpc' | 'unsigned';
  readonly action?: string;
  /** Parameters of the URL query alone (what the ACS3 canonical query covers). */
  readonly queryParams: Readonly<Record<string, string>>;
  /** Query and form body merged: what the action reads, and what the RPC signature covers. */
  readonly params: Readonly<Record<string, string>>;
  /** Header values as strings (repeated headers joined with `,`, as the SDK does). */
  readonly headers: Readonly<Record<string, string>>;
  readonly hostId: string;
}

/**
 * Reads an RPC-style call: parameters in the query string of `POST /` (or `GET /`), or in an
 * `application/x-www-form-urlencoded` body as the legacy RPC clients send them.
 */
export function readIncomingCall(request: EmulatorRequest, defaultHostId: string): IncomingAlicloudCall {
  const queryParams = Object.fromEntries(request.url.searchParams.entries());
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const isForm = (headers['content-type'] ?? '').toLowerCase().includes('application/x-www-form-urlencoded');
  const bodyParams = isForm && request.body !== '' ? Object.fromEntries(new URLSearchParams(request.body).entries()) : {};
  const params = { ...queryParams, ...bodyParams };
  const authorization = headers.authorization;
  const scheme = authorization !== undefined ? 'acs3' : params.Signature !== undefined ? 'rpc' : 'unsigned';
  return {
    scheme,
    // ACS3 names the action in a header, RPC in a parameter.
    action: scheme === 'rpc' ? params.Action : headers['x-acs-action'] ?? params.Action,
    queryParams,
    params,
    headers,
    hostId: headers.host ?? defaultHostId,
  };
}

/**
 * The ECS region ids the emulator serves; any other RegionId is `InvalidRegionId.NotFound` (HTTP 404), as
 * on the real gateway. These are the public, finance and government regions of Alibaba Cloud's region
 * list (2025), including a few that have since closed to new users: a stack that passes here must name
 * a region the cloud knows.
 */
export const ALICLOUD_REGION_IDS: ReadonlySet<string> = new Set([
  // Chinese mainland
  'cn-qingdao', 'cn-beijing', 'cn-zhangjiakou', 'cn-huhehaote', 'cn-wulanchabu', 'cn-hangzhou', 'cn-shanghai',
  'cn-nanjing', 'cn-fuzhou', 'cn-shenzhen', 'cn-heyuan', 'cn-guangzhou', 'cn-chengdu', 'cn-wuhan-lr',
  // Finance and government clouds
  'cn-hangzhou-finance', 'cn-shanghai-finance-1', 'cn-shenzhen-finance-1', 'cn-beijing-finance-1', 'cn-north-2-gov-1',
  // Outside the Chinese mainland
  'cn-hongkong', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
  'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'ap-south-1', 'us-east-1', 'us-west-1', 'na-south-1',
  'eu-west-1', 'eu-central-1', 'me-east-1', 'me-central-1',
]);

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
