import * as path from 'path';
import { Token } from 'cdktf';
import { KeyPairCloud } from './cloud';
import {
  CLOUD_LABELS,
  DEFAULT_SECRET_RECOVERY_WINDOW_DAYS,
  privateKeyFileViolation,
  recoveryWindowViolation,
  REGION_RULE,
  ruleViolation,
  SECRET_NAME_RULES,
  SECRET_STORE_LABELS,
  SECRET_STORES,
  TRIGGER_KEYS,
  type CloudName,
  type KeySource as KeySourceName,
  type SecretStoreName,
} from './contract';
import type { KeySource } from './key-source';
import type { PrivateKeySecret } from './private-key-secret';
import { terraformString } from './terraform-string';
import type { PropsCheck } from './validation';

/**
 * Where a key pair's private key goes: a file on the deploying machine, a cloud secret store, or both. At
 * least one when the key source yields a private key; neither for an imported public key.
 */

/** The secret store as checked: what its triggers and the delete steps' environment are made of. */
export interface CheckedSecret {
  readonly store: SecretStoreName;
  /** As written (a literal or a token). */
  readonly secretName: string;
  /** The store's region: the secret's own, or the key pair's where the pair is on the store's cloud. */
  readonly region: string;
  readonly encryptionKeyId?: string;
  /** As the delete steps get it: the number, or the token's string. */
  readonly recoveryWindowDays: string;
}

/** The private key's destinations, once checked. */
export interface PrivateKeyDestinations {
  /** Absolute (or a token), for the construct's attribute. */
  readonly privateKeyFile?: string;
  /** As the user wrote it, for the triggers. */
  readonly privateKeyFileAsWritten?: string;
  readonly secret?: CheckedSecret;
}

/** Where the private key of each key source comes from, for the message that asks for a destination. */
const PRIVATE_KEY_ORIGINS: Readonly<Record<KeySourceName, string>> = {
  cloud: 'the cloud generates the key pair',
  generate: 'the key pair is generated locally',
  import: 'no private key is involved',
};

/** The cloud whose region a store shares: a pair on that cloud lends the secret its region. */
const STORE_CLOUDS: Readonly<Record<SecretStoreName, CloudName>> = {
  [SECRET_STORES.alicloudKms]: KeyPairCloud.ALICLOUD,
  [SECRET_STORES.tencentcloudSsm]: KeyPairCloud.TENCENTCLOUD,
};

/** The private key's destinations: at least one when the key source yields a private key, none otherwise. */
export function checkedPrivateKeyDestinations(
  check: PropsCheck,
  cloud: CloudName,
  keyPairRegion: string,
  keySource: KeySource,
  file: string | undefined,
  secret: PrivateKeySecret | undefined,
): PrivateKeyDestinations {
  if (!keySource._yieldsPrivateKey) {
    if (file !== undefined) check.report('privateKeyFile is refused for an imported public key: no private key is involved (remove privateKeyFile)');
    if (secret !== undefined) check.report('privateKeySecret is refused for an imported public key: no private key is involved (remove privateKeySecret)');
    return {};
  }
  if (file === undefined && secret === undefined) {
    check.report(
      `privateKeyFile or privateKeySecret is required: ${PRIVATE_KEY_ORIGINS[keySource._name]}, and its private key must be kept somewhere: ` +
        'a file on the deploying machine (privateKeyFile: mode 0600, never overwritten), a cloud secret store that outlives that machine ' +
        '(privateKeySecret), or both',
    );
    return {};
  }
  return {
    ...(file === undefined ? {} : checkedFile(check, file)),
    ...(secret === undefined ? {} : { secret: checkedSecret(check, cloud, keyPairRegion, secret) }),
  };
}

/** The file, checked against the path rule unless it is a token; resolved against the directory synth runs in. */
function checkedFile(check: PropsCheck, written: string): Pick<PrivateKeyDestinations, 'privateKeyFile' | 'privateKeyFileAsWritten'> {
  if (Token.isUnresolved(written)) return { privateKeyFile: written, privateKeyFileAsWritten: written };
  const violation = privateKeyFileViolation(written);
  check.report(violation);
  return { privateKeyFile: violation === undefined ? path.resolve(written) : undefined, privateKeyFileAsWritten: written };
}

/** The secret's literal values against its store's rules; tokens pass (the handler checks them). */
function checkedSecret(check: PropsCheck, cloud: CloudName, keyPairRegion: string, secret: PrivateKeySecret): CheckedSecret {
  const store = secret._store;
  const report = (problem: string | undefined) => check.report(problem === undefined ? undefined : `privateKeySecret: ${problem}`);
  if (secret._secretName === undefined) report('secretName is required');
  else if (!Token.isUnresolved(secret._secretName)) report(ruleViolation(SECRET_NAME_RULES[store], secret._secretName));
  if (secret._region !== undefined && !Token.isUnresolved(secret._region)) report(ruleViolation(REGION_RULE, secret._region));
  const onStoreCloud = STORE_CLOUDS[store] === cloud;
  const region = secret._region ?? (onStoreCloud ? keyPairRegion : undefined);
  // (a key pair without its own region is reported as such)
  if (region === undefined && !onStoreCloud) {
    report(
      `region is required: a secret takes the key pair's region only when the key pair is on the store's cloud (${CLOUD_LABELS[STORE_CLOUDS[store]]} ` +
        `for ${SECRET_STORE_LABELS[store]}), and this key pair is on ${CLOUD_LABELS[cloud]}`,
    );
  }
  const encryptionKeyId = secret._encryptionKeyId;
  if (encryptionKeyId !== undefined && !Token.isUnresolved(encryptionKeyId) && encryptionKeyId.trim() === '') {
    report(`${secret._encryptionKeyProp} is empty: name a key, or leave it unset for the store's default`);
  }
  return {
    store,
    secretName: secret._secretName,
    region: region ?? '',
    encryptionKeyId,
    recoveryWindowDays: checkedRecoveryWindow(report, store, secret._recoveryWindowDays),
  };
}

/** The recovery window as the delete steps get it, checked against the store's windows unless it is a token. */
function checkedRecoveryWindow(report: (problem: string | undefined) => void, store: SecretStoreName, days: number | undefined): string {
  const window = days ?? DEFAULT_SECRET_RECOVERY_WINDOW_DAYS;
  if (Token.isUnresolved(window)) return terraformString(Token.asString(window));
  const violation = recoveryWindowViolation(store, window);
  report(violation === undefined ? undefined : `recoveryWindowDays: ${violation}`);
  return String(window);
}

/**
 * The secret's triggers: the store, the name, the region, and the encryption key when one is named. Changing
 * any of them replaces the key pair (a new key in the new secret); the recovery window is no trigger.
 */
export function secretTriggers(secret: CheckedSecret): Record<string, string> {
  const triggers: Record<string, string> = {
    [TRIGGER_KEYS.secretStore]: secret.store,
    [TRIGGER_KEYS.secretName]: terraformString(secret.secretName),
    [TRIGGER_KEYS.secretRegion]: terraformString(secret.region),
  };
  if (secret.encryptionKeyId !== undefined) triggers[TRIGGER_KEYS.secretEncryptionKeyId] = terraformString(secret.encryptionKeyId);
  return triggers;
}
