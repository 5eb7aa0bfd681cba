import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as sshpk from 'sshpk';
import { EmulatorReady, spawnEmulatorBin } from './bin';
import { CLOUDS, RunningEmulator, startEmulator } from '../../emulator';
import { openSshKeyBlob, pemPrivateKeysIn, RsaKeySource } from '../../emulator/key-pool';
import { keyPairApiFor } from '../../handler/clouds/factory';
import { CloudName } from '../../src/contract';
import { REGIONS } from '../support/regions';

/**
 * The key pool (EmulatorOptions.keyPool, `--key-pool`): creates hand out pooled keys before generating
 * their own, each key to one pair only, and only to a create of its size.
 */


const rsaPem = (bits: number, type: 'pkcs8' | 'pkcs1' = 'pkcs8') =>
  generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ type, format: 'pem' }).toString();
/** The OpenSSH blob of a PEM private key's public half, read by sshpk (not by the emulator's own code). */
const blobOf = (pem: string) => openSshKeyBlob(sshpk.parsePrivateKey(pem, 'pem').toPublic().toString('ssh'));

// Two 2048-bit keys (one of them PKCS#1) and a 1024-bit one, made once for the file.
const POOL = [rsaPem(2048), rsaPem(1024), rsaPem(2048, 'pkcs1')];
const POOL_BLOBS = POOL.map(blobOf);

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

let directory: string;
beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'key-pool-'));
});
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

async function create(cloud: CloudName, name: string): Promise<{ blob: string; privateKeyBlob: string }> {
  const created = await keyPairApiFor({ cloud, region: REGIONS[cloud] }, emulator!.handlerEnvironment()).create({ name });
  const stored = emulator!.listKeyPairs(cloud).find((keyPair) => keyPair.name === name)!;
  return { blob: openSshKeyBlob(stored.publicKey), privateKeyBlob: blobOf(created.privateKey.reveal()) };
}

test('creates on every cloud hand out the pooled keys of their size in order, each once, then generate their own', async () => {
  emulator = await startEmulator({ keyPool: POOL });
  const first = await create('alicloud', 'pool_first');
  const second = await create('tencentcloud', 'pool_second');
  const third = await create('ucloud', 'pool_third');
  const fourth = await create('alicloud', 'pool_fourth');

  expect([first.blob, second.blob]).toEqual([POOL_BLOBS[0], POOL_BLOBS[2]]); // the 1024-bit key is skipped
  for (const pair of [first, second, third, fourth]) expect(pair.privateKeyBlob).toBe(pair.blob); // the key handed out is the pair's
  expect(POOL_BLOBS).not.toContain(third.blob);
  expect(new Set([first, second, third, fourth].map((pair) => pair.blob)).size).toBe(4);
  expect(sshpk.parseKey(emulator.listKeyPairs('ucloud')[0].publicKey, 'ssh').size).toBe(2048);
});

test('a create of another size takes the pooled key of that size, or generates one (UCloud-Global 4096 bits)', async () => {
  emulator = await startEmulator({ keyPool: POOL, generatedKeyBits: 1024 });
  expect((await create('tencentcloud', 'small')).blob).toBe(POOL_BLOBS[1]);
  const generated = await create('alicloud', 'small_fresh');
  expect(POOL_BLOBS).not.toContain(generated.blob);
  expect(sshpk.parseKey(emulator.listKeyPairs('alicloud')[0].publicKey, 'ssh').size).toBe(1024);
});

test('a pooled key that a pair of the state file holds is never handed out again, after a restart too', async () => {
  const stateFile = path.join(directory, 'state.json');
  emulator = await startEmulator({ keyPool: POOL, stateFile });
  const before = await create('alicloud', 'before_restart');
  await emulator.stop();

  emulator = await startEmulator({ keyPool: POOL, stateFile });
  const after = await create('alicloud', 'after_restart');
  expect(before.blob).toBe(POOL_BLOBS[0]);
  expect(after.blob).toBe(POOL_BLOBS[2]);
});

test('an entry that is not an RSA private key is refused at start, by its place in the pool', async () => {
  const ed25519 = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await expect(startEmulator({ keyPool: [POOL[0], ed25519] })).rejects.toThrow('key pool entry 2 is ed25519 key; the clouds generate RSA keys');
  await expect(startEmulator({ keyPool: ['not a key'] })).rejects.toThrow(/^key pool entry 1 is not a PEM private key: /);
});

test('RsaKeySource asks for the held keys only when it has a pooled key to offer', () => {
  let asked = 0;
  const source = new RsaKeySource([POOL[1]], () => {
    asked += 1;
    return new Set([POOL_BLOBS[1]]);
  });
  expect(blobOf(source.next(1024).privateKeyPkcs8Pem)).not.toBe(POOL_BLOBS[1]); // held: skipped, then generated
  source.next(1024);
  expect(asked).toBe(1);
});

test('pemPrivateKeysIn finds every PEM private key of a file, whatever its label', () => {
  expect(pemPrivateKeysIn(`# pool\n${POOL.join('\n')}\ntrailing text`)).toEqual(POOL.map((pem) => pem.trim()));
  expect(pemPrivateKeysIn('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n')).toEqual([]);
});

describe('cdktf-keypair-emulator --key-pool', () => {
  interface StartedBin {
    readonly ready: EmulatorReady;
    stop(): void;
  }

  async function startBin(args: string[]): Promise<StartedBin> {
    const bin = spawnEmulatorBin(args);
    return { ready: await bin.ready, stop: () => bin.child.kill('SIGTERM') };
  }

  test('hands out the keys of the file', async () => {
    const file = path.join(directory, 'pool.pem');
    fs.writeFileSync(file, POOL.join(''));
    const bin = await startBin(['--key-pool', file]);
    try {
      const created = await keyPairApiFor({ cloud: 'ucloud', region: REGIONS.ucloud }, bin.ready.environment).create({ name: 'from_the_file' });
      expect(blobOf(created.privateKey.reveal())).toBe(POOL_BLOBS[0]);
    } finally {
      bin.stop();
    }
  });

  test('refuses a file without a private key', async () => {
    const file = path.join(directory, 'empty.pem');
    fs.writeFileSync(file, 'nothing here\n');
    await expect(startBin(['--key-pool', file])).rejects.toThrow(`cdktf-keypair-emulator: --key-pool ${file}: no PEM private key in it`);
  });
});

test('every cloud generates a fresh key per create without a pool', async () => {
  emulator = await startEmulator();
  const blobs = await Promise.all(CLOUDS.map((cloud, index) => create(cloud, `fresh_${index}`).then((pair) => pair.blob)));
  expect(new Set(blobs).size).toBe(CLOUDS.length);
});
