/**
 * What the fault and load suite shares: the handler's tuning for fast faults, the clouds' codes for each
 * fault, counting what reached the emulator, and the one question every test asks after a fault — is every
 * key pair either there with its private key, or gone with its file (no orphan, no lost key)?
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KeyFileLog, saveEvidence } from './evidence';
import type { JournalEntry, RunningEmulator, StoredKeyPair } from '../../../emulator';
import { TUNING_ENV } from '../../../handler/tuning';
import type { CloudName } from '../../../src/contract';
import { CLOUDS, CREATE_ACTIONS, DELETE_ACTION, DESCRIBE_ACTION, EndToEnd, KeySourceName } from '../../e2e/helpers';
import { withoutComment } from '../../support/public-key-lines';
import { sshKeygenPublicKeyOf } from '../../support/ssh-keygen';

/**
 * RSA size of the keys the emulator generates for this suite (EmulatorOptions.generatedKeyBits) and of the
 * keys it imports: hundreds of pairs are made, and no test here looks at a key's size, while generating a
 * 2048-bit key costs ten times as much CPU. The clouds' real sizes are the end-to-end suite's subject.
 */
export const SUITE_KEY_BITS = 1024;

/** A key pair to import, made by the real `ssh-keygen` as a user would (with a comment), of SUITE_KEY_BITS. */
export function importKeyPair(comment: string): { publicKey: string; privateKey: string } {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-ssh-keygen-'));
  try {
    const file = path.join(directory, 'key');
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', String(SUITE_KEY_BITS), '-N', '', '-C', comment, '-f', file]);
    return { publicKey: fs.readFileSync(`${file}.pub`, 'utf8'), privateKey: fs.readFileSync(file, 'utf8') };
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

export { CLOUDS, CREATE_ACTIONS, DELETE_ACTION, DESCRIBE_ACTION };

/** One value per cloud, so a failing expectation shows which cloud differs. */
export { perCloud } from '../../../src/contract';

/** The action that makes a pair of this key source: CreateKeyPair for cloud-generated, the import otherwise. */
export function createActionOf(cloud: CloudName, source: KeySourceName): string {
  return CREATE_ACTIONS[cloud][source === 'cloud' ? 0 : 1];
}

/** How each cloud says it: the code the handler's error must name for each fault. */
export const CLOUD_CODES: Readonly<Record<string, Readonly<Record<CloudName, string>>>> = {
  'throttle': { alicloud: 'Throttling.User', tencentcloud: 'RequestLimitExceeded', ucloud: '153' },
  // Tencent answers its internal error at HTTP 200 (docs/cloud-behaviour.md#tencent-errors-at-http-200), as the emulator does.
  'server-error': { alicloud: 'InternalError', tencentcloud: 'InternalError', ucloud: '150' },
  'latency': { alicloud: 'RequestTimeout', tencentcloud: 'RequestTimeout', ucloud: 'RequestTimeout' },
  'drop-connection': { alicloud: 'NetworkError', tencentcloud: 'NetworkError', ucloud: 'NetworkError' },
  'malformed-body': { alicloud: 'MalformedResponse', tencentcloud: 'MalformedResponse', ucloud: 'MalformedResponse' },
  'wrong-secret': { alicloud: 'SignatureDoesNotMatch', tencentcloud: 'AuthFailure.SignatureFailure', ucloud: '171' },
  // Alibaba answers an unknown AccessKey with HTTP 404: never to be taken for "key pair gone" (docs/cloud-behaviour.md#not-found-codes).
  'unknown-access-key': { alicloud: 'InvalidAccessKeyId.NotFound', tencentcloud: 'AuthFailure.SecretIdNotFound', ucloud: '172' },
  'expired-token': { alicloud: 'InvalidSecurityToken.MismatchWithAccessKey', tencentcloud: 'AuthFailure.TokenFailure', ucloud: '174' },
  'quota': { alicloud: 'QuotaExceed.KeyPair', tencentcloud: 'InvalidKeyPair.LimitExceeded', ucloud: '8095' },
  // UCloud documents no duplicate-name code (docs/cloud-behaviour.md#ucloud-documents-no-key-pair-codes): 8510 is the
  // emulator's; the handler explains it by describing.
  'duplicate-name': { alicloud: 'KeyPair.AlreadyExist', tencentcloud: 'InvalidKeyPairName.Duplicate', ucloud: '8510' },
  'in-use': { alicloud: 'InvalidParameter.KeypairAlreadyAttachedInstance', tencentcloud: 'InvalidParameterValue.KeyPairNotSupported', ucloud: '8514' },
};

/** The handler's error line for a failed cloud call names the action and the cloud's code. */
export function failedWith(code: string): string {
  return ` failed: ${code}: `;
}

/** Credentials that are not the emulator's, per fault, under the variable names the handler reads. */
export const BAD_CREDENTIALS: Readonly<Record<'wrong-secret' | 'unknown-access-key' | 'expired-token', Readonly<Record<string, string>>>> = {
  'wrong-secret': {
    ALICLOUD_SECRET_KEY: 'faults-wrong-alicloud-secret-5c1e',
    TENCENTCLOUD_SECRET_KEY: 'faults-wrong-tencentcloud-secret-9b2d',
    UCLOUD_PRIVATE_KEY: 'faults-wrong-ucloud-private-key-4e7a',
  },
  'unknown-access-key': {
    ALICLOUD_ACCESS_KEY: 'LTAIfaultsUnknownAccessKey',
    TENCENTCLOUD_SECRET_ID: 'AKIDfaultsUnknownSecretId',
    UCLOUD_PUBLIC_KEY: 'faults-unknown-ucloud-public-key',
  },
  'expired-token': {
    ALICLOUD_SECURITY_TOKEN: 'faults-expired-alicloud-sts-token-1a2b',
    TENCENTCLOUD_SECURITY_TOKEN: 'faults-expired-tencentcloud-sts-token-3c4d',
    UCLOUD_SECURITY_TOKEN: 'faults-expired-ucloud-sts-token-5e6f',
  },
};

/** The secrets among BAD_CREDENTIALS (the scan looks for them too). */
export const BAD_SECRETS: ReadonlyArray<{ what: string; value: string }> = [
  ...Object.entries(BAD_CREDENTIALS['wrong-secret']).map(([name, value]) => ({ what: `the wrong secret in ${name}`, value })),
  ...Object.entries(BAD_CREDENTIALS['expired-token']).map(([name, value]) => ({ what: `the expired token in ${name}`, value })),
];

/** STS credentials for an emulator that requires a security token (so a stale token can be refused). */
export const STS_CREDENTIALS = {
  alicloud: [{ accessKeyId: 'STS.faultsAlicloudKey', accessKeySecret: 'faults-sts-alicloud-secret-8d3f', securityToken: 'faults-sts-alicloud-token-0a9e' }],
  tencentcloud: [{ accessKeyId: 'AKIDfaultsStsSecretId', accessKeySecret: 'faults-sts-tencentcloud-secret-7c2b', securityToken: 'faults-sts-tencentcloud-token-6b1a' }],
  ucloud: [{ accessKeyId: 'faults-sts-ucloud-public-key', accessKeySecret: 'faults-sts-ucloud-private-key-5f0c', securityToken: 'faults-sts-ucloud-token-4e8d' }],
} as const;

/**
 * The handler's tuning for terraform runs of this suite: the default attempts (6) and backoff, 1 s between
 * deletes of a pair in use. Faults that need a short request timeout set it themselves.
 */
export const SUITE_TUNING: Readonly<Record<string, string>> = {
  [TUNING_ENV.inUseRetrySeconds]: '1',
};

/**
 * For files whose faults are retried and settled, not waited for: short backoff, and a settle time of 1 s
 * (UCloud sends a lost create again only after the name stayed free that long; the emulator shows new pairs
 * at once).
 */
export const FAST_SETTLE_TUNING: Readonly<Record<string, string>> = {
  ...SUITE_TUNING,
  [TUNING_ENV.settleSeconds]: '1',
  [TUNING_ENV.backoffBaseSeconds]: '0.05',
  [TUNING_ENV.backoffMaxSeconds]: '0.5',
};

/** Journal entries of one cloud's create actions that reached the cloud's action (not answered by a fault in its place). */
export function handledCreates(emulator: RunningEmulator, cloud: CloudName, since = 0): JournalEntry[] {
  return emulator.requests(cloud).slice(since).filter((entry) => entry.handled && CREATE_ACTIONS[cloud].includes(entry.action ?? ''));
}

/** Waits (polling) until a condition holds: see test/support/eventually.ts. */
export { eventually } from '../../support/eventually';

/** Every injected fault has been used up (or none was left waiting for a request that never came). */
export function noFaultsLeft(emulator: RunningEmulator): unknown[] {
  return emulator.pendingFaults();
}

/** What is there for one key pair, as a user would find it. */
export const PAIR_WITH_ITS_KEY = 'key pair with its private key file';
export const IMPORTED_PAIR = 'imported key pair';
export const NOTHING = 'no key pair, no key file';

export interface PairLookup {
  readonly emulator: RunningEmulator;
  readonly cloud: CloudName;
  readonly name: string;
  readonly source: KeySourceName;
  /** Where its private key goes (cloud-generated and locally generated pairs). */
  readonly privateKeyFile?: string;
  /** Pairs under the name that someone else made: not counted as this pair. */
  readonly strangers?: readonly string[];
  /** Records the file's mode for the suite's key file check. */
  readonly keyFiles?: KeyFileLog;
  readonly context?: string;
}

/**
 * One key pair's standing: `PAIR_WITH_ITS_KEY` (exactly one pair under the name, and a 0600 file holding its
 * private key), `IMPORTED_PAIR`, `NOTHING`, or a sentence saying what is wrong (an orphan: a pair whose
 * private key nobody has; a leftover file; a file of another key; several pairs; a file anyone can read).
 */
export function pairStanding(lookup: PairLookup): string {
  const { emulator, cloud, name, source } = lookup;
  const pairs = emulator.listKeyPairs(cloud).filter((keyPair) => keyPair.name === name && !(lookup.strangers ?? []).includes(keyPair.id));
  if (pairs.length > 1) return `${pairs.length} key pairs named ${name}`;
  const [pair] = pairs;
  if (source === 'import') return pair ? IMPORTED_PAIR : NOTHING;
  const file = lookup.privateKeyFile;
  if (!file) throw new Error(`no private key file given for ${cloud} ${name}`);
  const observed = lookup.keyFiles?.record(file, lookup.context ?? `${cloud} ${name}`) ?? observeMode(file);
  if (!pair) return observed ? `LEFTOVER: a key file without its key pair (${path.basename(file)})` : NOTHING;
  if (!observed) return `ORPHAN: key pair ${pair.id} without its private key file`;
  if (!holdsKeyOf(pair, file)) return `key pair ${pair.id} with another key in its file`;
  if (observed.mode !== 0o600) return `key pair with its private key file, but the file has mode ${observed.mode.toString(8)}`;
  return PAIR_WITH_ITS_KEY;
}

function observeMode(file: string): { mode: number } | undefined {
  return new KeyFileLog().record(file, '');
}

/** Whether the private key file belongs to the stored pair (ssh-keygen's public key against the cloud's). */
export function holdsKeyOf(pair: StoredKeyPair, privateKeyFile: string): boolean {
  return publicKeyOfKeyFile(privateKeyFile) === withoutComment(pair.publicKey);
}

/** ssh-keygen's public key of each private key seen, by the file's content: asked once per key, not per check. */
const publicKeysByContent = new Map<string, string>();

function publicKeyOfKeyFile(privateKeyFile: string): string {
  const content = createHash('sha256').update(fs.readFileSync(privateKeyFile)).digest('hex');
  let publicKey = publicKeysByContent.get(content);
  if (publicKey === undefined) {
    publicKey = sshKeygenPublicKeyOf(privateKeyFile);
    publicKeysByContent.set(content, publicKey);
  }
  return publicKey;
}

/** Saves what an EndToEnd harness recorded, for the suite's secret scan (see evidence.ts). */
export function saveHarnessEvidence(
  file: string,
  e2e: EndToEnd,
  keyFiles: KeyFileLog,
  extraSecrets: ReadonlyArray<{ what: string; value: string }> = [],
): void {
  saveEvidence({
    file,
    evidence: e2e.evidenceRecords(),
    needles: [...e2e.secretNeedles(), ...extraSecrets],
    keyFiles: keyFiles.observations,
  });
}

/** TF_LOG=TRACE for one command: the suite keeps every log for the secret scan. */
export const TRACE = { env: { TF_LOG: 'TRACE' } } as const;

/**
 * Creates sent again without proof that it was safe, one line each. A create or import may follow an
 * earlier one only when the cloud refused that one by throttling (it did nothing), or after a describe of the
 * name that answered: the name was settled first (free, or holding what the lost call made, deleted before
 * a resend). Whether a resend made a second pair is what the final count of pairs per name shows. With
 * `keyPairName`, only the requests about that pair count (the emulator journals the names a request is about).
 */
export function unsettledResends(journal: readonly JournalEntry[], cloud: CloudName, keyPairName?: string): string[] {
  const entries = keyPairName === undefined ? journal : journal.filter((entry) => entry.keyPairNames.includes(keyPairName));
  const problems: string[] = [];
  let previous: { readonly index: number; readonly entry: JournalEntry } | undefined;
  entries.forEach((entry, index) => {
    if (!CREATE_ACTIONS[cloud].includes(entry.action ?? '')) return;
    if (previous !== undefined && previous.entry.fault !== 'throttle') {
      const between = entries.slice(previous.index + 1, index);
      if (!between.some((other) => other.action === DESCRIBE_ACTION[cloud] && other.handled && other.fault === undefined)) {
        problems.push(`${keyPairName ?? ''} request ${index} (${entry.action}) was sent again with no describe after request ${previous.index}`.trim());
      }
    }
    previous = { index, entry };
  });
  return problems;
}
