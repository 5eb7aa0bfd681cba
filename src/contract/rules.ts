import type { CloudName } from './clouds';
import type { KeySource } from './inputs';

/**
 * A rule a cloud applies to a string (a key pair name, a tag key or value, a scope id), as data: the
 * constructs check literal values at synth, the handler checks token values before any cloud call, and
 * the emulator refuses what the cloud refuses — all from this one definition.
 */
export interface TextRule {
  /** What the value is, for messages ("key pair name", "tag key"). */
  readonly subject: string;
  /** Anchored regular expression source the whole value must match. */
  readonly pattern: string;
  /** Flags for `pattern` (`u` where Unicode letters are allowed). */
  readonly flags?: string;
  /** Length bounds in characters (Unicode code points), inclusive. */
  readonly minLength: number;
  readonly maxLength: number;
  /** Case-insensitive prefixes the cloud reserves. */
  readonly forbiddenPrefixes?: readonly string[];
  /** Case-insensitive substrings the cloud refuses anywhere in the value. */
  readonly forbiddenSubstrings?: readonly string[];
  /** The rule in the cloud's own words, quoted in every error. */
  readonly description: string;
}

/** A UTF-16 surrogate standing alone: not a character, and no cloud can store it (a UTF-8 encoder sends U+FFFD). */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Why `value` breaks `rule`, in one sentence that quotes the rule; undefined when it complies. */
export function ruleViolation(rule: TextRule, value: string): string | undefined {
  if (LONE_SURROGATE.test(value)) {
    // Quoting it would put the broken character in the message (JSON.stringify escapes it).
    return `${rule.subject} ${JSON.stringify(value)} is not valid Unicode (it holds a lone UTF-16 surrogate, which would reach the cloud as U+FFFD): ${rule.description}`;
  }
  const length = [...value].length;
  const broken =
    length < rule.minLength ||
    length > rule.maxLength ||
    !new RegExp(rule.pattern, rule.flags).test(value) ||
    (rule.forbiddenPrefixes ?? []).some((prefix) => value.toLowerCase().startsWith(prefix.toLowerCase())) ||
    (rule.forbiddenSubstrings ?? []).some((part) => value.toLowerCase().includes(part.toLowerCase()));
  return broken ? `${rule.subject} ${JSON.stringify(value)} is not valid: ${rule.description}` : undefined;
}

const NO_URL = ['http://', 'https://'];

/**
 * Alibaba CreateKeyPair: "2 to 128 characters, starting with a letter; letters, digits, colons, underscores
 * and hyphens; must not start with http:// or https://".
 */
const ALICLOUD_CREATE_NAME: TextRule = {
  subject: 'Alibaba Cloud key pair name',
  pattern: '^[A-Za-z][A-Za-z0-9:_-]*$',
  minLength: 2,
  maxLength: 128,
  forbiddenPrefixes: NO_URL,
  description:
    'CreateKeyPair names are 2 to 128 characters long, start with a letter, contain only letters, digits, ' +
    'colons (:), underscores (_) and hyphens (-), and do not start with http:// or https://',
};

/** Alibaba ImportKeyPair is broader: Unicode letters (Chinese included) and periods are allowed too. */
const ALICLOUD_IMPORT_NAME: TextRule = {
  subject: 'Alibaba Cloud key pair name',
  pattern: '^\\p{L}[\\p{L}0-9:_.-]*$',
  flags: 'u',
  minLength: 2,
  maxLength: 128,
  forbiddenPrefixes: NO_URL,
  description:
    'ImportKeyPair names are 2 to 128 characters long, start with a letter (Chinese characters included), ' +
    'contain only letters, digits, colons (:), underscores (_), periods (.) and hyphens (-), and do not start ' +
    'with http:// or https://',
};

/** Tencent CreateKeyPair/ImportKeyPair `KeyName`: "digits, letters and underscores, up to 25 characters". */
const TENCENTCLOUD_NAME: TextRule = {
  subject: 'Tencent Cloud key pair name',
  pattern: '^[A-Za-z0-9_]+$',
  minLength: 1,
  maxLength: 25,
  description: 'key names are 1 to 25 characters long and contain only letters, digits and underscores (_)',
};

/**
 * UCloud `KeyPairName`: "letters, digits and symbols, 1-63 characters" (Chinese characters are accepted
 * too). Control characters and surrounding spaces are refused here, as they never survive a form post.
 */
const UCLOUD_NAME: TextRule = {
  subject: 'UCloud key pair name',
  pattern: '^(?!\\s)[^\\u0000-\\u001f\\u007f]*(?<!\\s)$',
  flags: 'u',
  minLength: 1,
  maxLength: 63,
  description: 'key pair names are 1 to 63 characters long (letters, digits and symbols), without control characters or surrounding spaces',
};

/** Which name rule applies: Alibaba checks cloud-generated and imported names differently. */
export const NAME_RULES: Readonly<Record<CloudName, { readonly create: TextRule; readonly import: TextRule }>> = {
  alicloud: { create: ALICLOUD_CREATE_NAME, import: ALICLOUD_IMPORT_NAME },
  tencentcloud: { create: TENCENTCLOUD_NAME, import: TENCENTCLOUD_NAME },
  ucloud: { create: UCLOUD_NAME, import: UCLOUD_NAME },
};

/** Which of the two name rules each key source meets: a key generated locally reaches the cloud as an import. */
const NAME_RULE_OF_KEY_SOURCE: Readonly<Record<KeySource, 'create' | 'import'>> = {
  cloud: 'create',
  import: 'import',
  generate: 'import',
};

/** The name rule a key pair of `keySource` on `cloud` must meet. */
export function nameRule(cloud: CloudName, keySource: KeySource): TextRule {
  return NAME_RULES[cloud][NAME_RULE_OF_KEY_SOURCE[keySource]];
}

/** Tag rules of the clouds that tag key pairs; UCloud key pairs carry no tags. */
export interface TagRules {
  readonly key: TextRule;
  readonly value: TextRule;
  /** Tags per key pair, the ownership tag included. */
  readonly maxTags: number;
}

export const TAG_RULES: Readonly<Partial<Record<CloudName, TagRules>>> = {
  alicloud: {
    key: {
      subject: 'Alibaba Cloud tag key',
      pattern: '^[\\s\\S]*$',
      minLength: 1,
      maxLength: 128,
      forbiddenPrefixes: ['aliyun', 'acs:'],
      forbiddenSubstrings: NO_URL,
      description: 'tag keys are 1 to 128 characters long, do not start with aliyun or acs:, and do not contain http:// or https://',
    },
    value: {
      subject: 'Alibaba Cloud tag value',
      pattern: '^[\\s\\S]*$',
      minLength: 0,
      maxLength: 128,
      forbiddenPrefixes: ['acs:'],
      forbiddenSubstrings: NO_URL,
      description: 'tag values are up to 128 characters long, do not start with acs:, and do not contain http:// or https://',
    },
    maxTags: 20,
  },
  tencentcloud: {
    key: {
      subject: 'Tencent Cloud tag key',
      pattern: '^[\\p{L}\\p{N} +\\-=._:/@]+$',
      flags: 'u',
      minLength: 1,
      maxLength: 127,
      forbiddenPrefixes: ['qcloud', 'tencent', 'project'],
      description:
        'tag keys are 1 to 127 characters long (letters, digits, spaces and + - = . _ : / @) and do not start with qcloud, tencent or project',
    },
    value: {
      subject: 'Tencent Cloud tag value',
      pattern: '^[\\p{L}\\p{N} +\\-=._:/@]*$',
      flags: 'u',
      minLength: 0,
      maxLength: 255,
      description: 'tag values are up to 255 characters long (letters, digits, spaces and + - = . _ : / @)',
    },
    maxTags: 50,
  },
};

/** The scope a key pair lives in besides its region, and its id format. */
export const SCOPE_RULES: Readonly<Record<CloudName, TextRule>> = {
  alicloud: {
    subject: 'Alibaba Cloud resource group id',
    pattern: '^rg-[a-z0-9]+$',
    minLength: 4,
    maxLength: 64,
    description: 'resource group ids look like rg-aek2z3ry2lmkgjq',
  },
  tencentcloud: {
    subject: 'Tencent Cloud project id',
    pattern: '^(0|[1-9][0-9]*)$',
    minLength: 1,
    maxLength: 10,
    description: 'project ids are non-negative integers (0 is the default project)',
  },
  ucloud: {
    subject: 'UCloud project id',
    pattern: '^org-[A-Za-z0-9]+$',
    minLength: 5,
    maxLength: 64,
    description: 'project ids look like org-abc123',
  },
};

/** KeyPairId formats, for references by id (Tencent `DescribeKeyPairs` `KeyIds`). */
export const KEY_PAIR_ID_RULES: Readonly<Partial<Record<CloudName, TextRule>>> = {
  tencentcloud: {
    subject: 'Tencent Cloud key pair id',
    pattern: '^skey-[0-9a-z]{8}$',
    minLength: 13,
    maxLength: 13,
    description: 'key pair ids look like skey-3glfot13 (skey- and 8 lower-case letters or digits)',
  },
};

/** Region ids as all three clouds write them (`cn-hangzhou`, `ap-guangzhou`, `cn-bj2`, `hk`). */
export const REGION_RULE: TextRule = {
  subject: 'region',
  pattern: '^[a-z][a-z0-9-]*[a-z0-9]$',
  minLength: 2,
  maxLength: 64,
  description: 'region ids are lower-case letters, digits and hyphens, such as cn-hangzhou, ap-guangzhou or cn-bj2',
};

/** Public key algorithms by sshpk's type names. */
export type PublicKeyAlgorithm = 'rsa' | 'dsa' | 'ecdsa' | 'ed25519';

/**
 * The public key types each cloud's import accepts, as documented: Alibaba lists rsa, dsa and ecdsa
 * (ed25519 is not documented); Tencent and UCloud take ssh-rsa only
 * (docs/cloud-behaviour.md#importable-key-types).
 */
export const IMPORTABLE_KEY_TYPES: Readonly<Record<CloudName, readonly PublicKeyAlgorithm[]>> = {
  alicloud: ['rsa', 'dsa', 'ecdsa'],
  tencentcloud: ['rsa'],
  ucloud: ['rsa'],
};

/** OpenSSH type names by algorithm, for messages. */
export const OPENSSH_TYPE_NAMES: Readonly<Record<PublicKeyAlgorithm, string>> = {
  rsa: 'ssh-rsa',
  dsa: 'ssh-dss',
  ecdsa: 'ecdsa-sha2-nistp256/384/521',
  ed25519: 'ssh-ed25519',
};

/** `ssh-rsa, ssh-dss, …`: the OpenSSH type names of `algorithms`, for messages. */
export function openSshTypeList(algorithms: readonly PublicKeyAlgorithm[]): string {
  return algorithms.map((algorithm) => OPENSSH_TYPE_NAMES[algorithm]).join(', ');
}
