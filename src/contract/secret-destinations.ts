import type { TextRule } from './rules';

/**
 * A private key's second destination besides a file: a cloud secret store. One definition for the
 * constructs (which check literal values at synth), the handler (which checks what reaches it) and the
 * emulator: the store names, each store's rules in its own words, and how a secret says whose it is.
 */

/** The secret stores a private key can be kept in. UCloud has none; a pair of any cloud may use either. */
export const SECRET_STORES = {
  /** Alibaba Cloud KMS Secrets Manager (API 2016-01-20). */
  alicloudKms: 'alicloud-kms',
  /** Tencent Cloud Secrets Manager, SSM (API 2019-09-23). */
  tencentcloudSsm: 'tencentcloud-ssm',
} as const;

export type SecretStoreName = (typeof SECRET_STORES)[keyof typeof SECRET_STORES];

export function isSecretStoreName(value: string): value is SecretStoreName {
  return (Object.values(SECRET_STORES) as string[]).includes(value);
}

/** Each store as users know it, for messages. */
export const SECRET_STORE_LABELS: Readonly<Record<SecretStoreName, string>> = {
  'alicloud-kms': 'Alibaba Cloud KMS Secrets Manager',
  'tencentcloud-ssm': 'Tencent Cloud SSM',
};

/** CreateSecret's `SecretName`, per store (docs/cloud-behaviour.md#secret-store-names-and-limits). */
export const SECRET_NAME_RULES: Readonly<Record<SecretStoreName, TextRule>> = {
  'alicloud-kms': {
    subject: 'Alibaba Cloud KMS secret name',
    pattern: '^[A-Za-z0-9_/+=.@-]+$',
    minLength: 1,
    maxLength: 192,
    forbiddenPrefixes: ['acs/'],
    description: 'KMS secret names are 1 to 192 characters of letters, digits and _ / + = . - @, and do not start with acs/',
  },
  'tencentcloud-ssm': {
    subject: 'Tencent Cloud SSM secret name',
    pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$',
    minLength: 1,
    maxLength: 128,
    description: 'SSM secret names are 1 to 128 letters, digits, underscores (_) and hyphens (-), starting with a letter or a digit',
  },
};

/**
 * The recovery windows each store takes besides 0 (0: the secret is deleted at once, so a stack can be
 * destroyed and deployed again under the same secret name). Alibaba: 7 to 30 days (`RecoveryWindowInDays`;
 * 0 is sent as `ForceDeleteWithoutRecovery`); Tencent: 1 to 30 days (0 is its own "at once")
 * (docs/cloud-behaviour.md#secret-deletion).
 */
export const SECRET_RECOVERY_WINDOW_DAYS: Readonly<Record<SecretStoreName, { readonly min: number; readonly max: number }>> = {
  'alicloud-kms': { min: 7, max: 30 },
  'tencentcloud-ssm': { min: 1, max: 30 },
};

export const DEFAULT_SECRET_RECOVERY_WINDOW_DAYS = 0;

/**
 * The longest recovery window every store takes: what a key pair's own destroy step schedules when the window
 * was given as a token (a destroy step can reference nothing but its own resource), the side on which no key
 * is lost sooner than the user may have asked.
 */
export const LONGEST_COMMON_SECRET_RECOVERY_WINDOW_DAYS = Math.min(...Object.values(SECRET_RECOVERY_WINDOW_DAYS).map((window) => window.max));

/** Why `days` is no recovery window of `store`, or undefined. */
export function recoveryWindowViolation(store: SecretStoreName, days: number, written = String(days)): string | undefined {
  const { min, max } = SECRET_RECOVERY_WINDOW_DAYS[store];
  if (days === 0 || (Number.isInteger(days) && days >= min && days <= max)) return undefined;
  return `${SECRET_STORE_LABELS[store]} takes a recovery window of 0 days (delete at once) or ${min} to ${max} days; got ${written}`;
}

/**
 * A secret's description says whose private key it holds, in words a person reads in the console and the
 * handler parses: the proof of ownership where a store does not return tags (Tencent's DescribeSecret is
 * not documented to). The ownership tag says the same where tags are returned.
 */
export function secretDescription(keyPairName: string, owner: string): string {
  return `cdktf-keypair: the private key of key pair "${keyPairName}" (owner ${owner})`;
}

/** The owner a secret's description names, or undefined when the description is not one of ours. */
export function ownerInSecretDescription(description: string | undefined): string | undefined {
  return /^cdktf-keypair: the private key of key pair ".*" \(owner (\S+)\)$/.exec(description ?? '')?.[1];
}

/**
 * The version id of the one version cdktf-keypair stores. Fixed, so that a create resent after a lost answer
 * can never store a second value (both stores refuse a version id twice), and so that users fetch the key
 * by a name they can read here (Tencent's GetSecretValue requires a version id).
 */
export const PRIVATE_KEY_SECRET_VERSION_ID = 'cdktf-keypair-private-key';
