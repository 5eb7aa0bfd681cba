import { generateKeyPair } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { pemPrivateKeysIn } from '../../emulator/key-pool';

/**
 * The emulator's key pool (EmulatorOptions.keyPool) for every test that deploys through Terraform: RSA 2048
 * keys, the size the clouds generate, made once per checkout by the suites' global setup. Without it each
 * test file's emulator generated a fresh key for every cloud-generated pair, which was half the CPU of the
 * test processes of `npx projen test` (measured with `node --cpu-prof`). The keys are test material only:
 * they live under node_modules/.cache, never in the repository or the package.
 */
const POOL_SIZE = 48;
const POOL_BITS = 2048;
const POOL_FILE = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'cdktf-keypair', `emulator-key-pool-rsa${POOL_BITS}x${POOL_SIZE}.pem`);

/** Jest global setup: generates the pool unless this checkout has it (written whole or not at all). */
export async function prepareEmulatorKeyPool(): Promise<void> {
  if (fs.existsSync(POOL_FILE)) return;
  const generate = promisify(generateKeyPair);
  // Asynchronous, so that libuv's threads generate the keys on every core.
  const keys = await Promise.all(
    Array.from({ length: POOL_SIZE }, () => generate('rsa', { modulusLength: POOL_BITS, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })),
  );
  fs.mkdirSync(path.dirname(POOL_FILE), { recursive: true });
  const partial = `${POOL_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(partial, keys.map(({ privateKey }) => privateKey).join(''), { mode: 0o600 });
  fs.renameSync(partial, POOL_FILE);
}

let pool: readonly string[] | undefined;

/** The pool's keys, for `startEmulator({ keyPool })`. */
export function emulatorKeyPool(): readonly string[] {
  if (!pool) {
    if (!fs.existsSync(POOL_FILE)) throw new Error(`no emulator key pool at ${POOL_FILE}: the jest global setup (test/support/global-setup.ts) makes it`);
    pool = pemPrivateKeysIn(fs.readFileSync(POOL_FILE, 'utf8'));
  }
  return pool;
}
