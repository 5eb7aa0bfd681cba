import { execFile } from 'node:child_process';
import { generateKeyPair } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { sshKeygenKeyPair } from './ssh-keygen';
import { pemPrivateKeysIn } from '../../emulator/key-pool';

/**
 * RSA 2048 keys made once per checkout by the suites' jest global setup, for the tests that deploy through
 * Terraform, where making a key per pair was most of the CPU of the test processes (measured with
 * `node --cpu-prof`): 100–200 ms of CPU for each. Two pools, made by the tools that make such keys outside
 * the tests:
 * - the emulator's (EmulatorOptions.keyPool), by node:crypto, which its creates hand out to cloud-generated
 *   pairs;
 * - the users' (`UserRsaKeys`), by the real `ssh-keygen`, for pairs that import a user's public key.
 * The keys are test material only: they live under node_modules/.cache, never in the repository or the
 * package, and each test file's emulator holds every key once at most.
 */
const POOL_BITS = 2048;
const EMULATOR_POOL_SIZE = 48;
const USER_POOL_SIZE = 24;
const CACHE = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'cdktf-keypair');
const EMULATOR_POOL_FILE = path.join(CACHE, `emulator-key-pool-rsa${POOL_BITS}x${EMULATOR_POOL_SIZE}.pem`);
const USER_POOL_DIRECTORY = path.join(CACHE, `ssh-keygen-rsa${POOL_BITS}x${USER_POOL_SIZE}`);

/** Jest global setup: makes the pools this checkout lacks, each written whole or not at all. */
export async function prepareKeyPools(): Promise<void> {
  await Promise.all([prepareEmulatorKeyPool(), prepareUserKeyPool()]);
}

async function prepareEmulatorKeyPool(): Promise<void> {
  if (fs.existsSync(EMULATOR_POOL_FILE)) return;
  const generate = promisify(generateKeyPair);
  // Asynchronous, so that libuv's threads generate the keys on every core.
  const keys = await Promise.all(
    Array.from({ length: EMULATOR_POOL_SIZE }, () =>
      generate('rsa', { modulusLength: POOL_BITS, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }),
    ),
  );
  fs.mkdirSync(CACHE, { recursive: true });
  const partial = `${EMULATOR_POOL_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(partial, keys.map(({ privateKey }) => privateKey).join(''), { mode: 0o600 });
  fs.renameSync(partial, EMULATOR_POOL_FILE);
}

async function prepareUserKeyPool(): Promise<void> {
  if (fs.existsSync(USER_POOL_DIRECTORY)) return;
  fs.mkdirSync(CACHE, { recursive: true });
  const partial = fs.mkdtempSync(`${USER_POOL_DIRECTORY}.tmp-`);
  const sshKeygen = promisify(execFile);
  await Promise.all(
    Array.from({ length: USER_POOL_SIZE }, (_, index) =>
      sshKeygen('ssh-keygen', ['-q', '-t', 'rsa', '-b', String(POOL_BITS), '-N', '', '-C', 'user@laptop', '-f', path.join(partial, `key-${index}`)]),
    ),
  );
  try {
    fs.renameSync(partial, USER_POOL_DIRECTORY);
  } catch (err) {
    // Another suite's global setup, started at the same time, made the pool first: keep that one.
    fs.rmSync(partial, { recursive: true, force: true });
    if (!fs.existsSync(USER_POOL_DIRECTORY)) throw err;
  }
}

function missingPool(where: string): Error {
  return new Error(`no key pool at ${where}: the jest global setup (test/support/global-setup.ts) makes it`);
}

let emulatorKeys: readonly string[] | undefined;

/** The emulator's pool, for `startEmulator({ keyPool })`. */
export function emulatorKeyPool(): readonly string[] {
  if (!emulatorKeys) {
    if (!fs.existsSync(EMULATOR_POOL_FILE)) throw missingPool(EMULATOR_POOL_FILE);
    emulatorKeys = pemPrivateKeysIn(fs.readFileSync(EMULATOR_POOL_FILE, 'utf8'));
  }
  return emulatorKeys;
}

/**
 * Users' RSA key pairs made by `ssh-keygen`, each handed out once by one instance: the pool's while they last,
 * then freshly made ones. The public key line carries the comment asked for, as `ssh-keygen -C` writes it.
 */
export class UserRsaKeys {
  private next = 0;

  take(comment: string): { publicKey: string; privateKey: string } {
    if (!fs.existsSync(USER_POOL_DIRECTORY)) throw missingPool(USER_POOL_DIRECTORY);
    if (this.next >= USER_POOL_SIZE) return sshKeygenKeyPair('rsa', comment);
    const file = path.join(USER_POOL_DIRECTORY, `key-${this.next++}`);
    const [type, blob] = fs.readFileSync(`${file}.pub`, 'utf8').split(' ');
    return { publicKey: `${type} ${blob} ${comment}\n`, privateKey: fs.readFileSync(file, 'utf8') };
  }
}
