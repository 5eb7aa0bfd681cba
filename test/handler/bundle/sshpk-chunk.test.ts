/**
 * The shipped bundle keeps sshpk as a chunk in comments (handler/bundle/chunks.ts): each command, run as
 * Terraform runs it, compiles sshpk only if it calls it. A preload logs every module Node's CommonJS loader
 * compiles: the bundle itself, and its chunks under `<bundle>#<name>`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunningEmulator, startEmulator } from '../../../emulator';
import { decodeChunk, readIndex } from '../../../handler/bundle/chunks';
import { HANDLER_ENV, KEY_SOURCES, READ_STATUS, RESULT_KEYS, TRIGGER_KEYS } from '../../../src/contract';
import { sshKeygenKeyPair } from '../../support/ssh-keygen';
import { pairResultText, stackLookupQuery, stackReadQuery } from '../../support/stack-read';
import { HandlerDeployment, tagEntry } from '../lifecycle/support';

const BUNDLE = path.join(__dirname, '..', '..', '..', 'assets', 'handler.js');

/** Logs the file name of every module compiled by Node's CommonJS loader, one a line. */
const COMPILE_LOG_PRELOAD = `
const Module = require('node:module');
const fs = require('node:fs');
const compile = Module.prototype._compile;
Module.prototype._compile = function (code, filename, ...rest) {
  fs.appendFileSync(process.env.COMPILE_LOG, filename + '\\n');
  return compile.call(this, code, filename, ...rest);
};
`;

interface Run {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The modules compiled, as file names relative to the bundle's directory. */
  readonly compiled: string[];
}

/** Names only sshpk's code holds: its error class, the OpenSSH private key format's magic, its key derivation. */
const SSHPK_MARKERS = ['KeyEncryptedError', 'openssh-key-v1', 'bcrypt_pbkdf'];

test('the code node compiles as handler.js holds none of sshpk: all of it is in the sshpk chunk, in comments', () => {
  const bytes = fs.readFileSync(BUNDLE);
  const index = readIndex(bytes.toString('utf8'));
  const place = index.get('sshpk')!;
  const chunk = decodeChunk('sshpk', bytes.subarray(place.offset, place.offset + place.length).toString('utf8'));
  const beforeChunks = bytes.subarray(0, Math.min(...[...index.values()].map((p) => p.offset))).toString('utf8');
  for (const marker of SSHPK_MARKERS) {
    expect(chunk).toContain(marker);
    expect(beforeChunks).not.toContain(marker);
  }
});

describe('the handler bundle compiles sshpk only for the commands that call it', () => {
  let emulator: RunningEmulator;
  let scratch: string;
  let bundle: string;
  let preload: string;
  let deployment: HandlerDeployment;
  let runs = 0;

  beforeAll(async () => {
    emulator = await startEmulator();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sshpk-chunk-'));
    // The bundle alone in a directory, as Terraform runs the synthesized asset.
    bundle = path.join(scratch, 'handler.js');
    fs.copyFileSync(BUNDLE, bundle);
    preload = path.join(scratch, 'compile-log.js');
    fs.writeFileSync(preload, COMPILE_LOG_PRELOAD);
    deployment = new HandlerDeployment(scratch, 'app', () => emulator);
  });
  afterAll(async () => {
    await emulator.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  function expectSuccess(outcome: Run): void {
    expect({ exitCode: outcome.exitCode, stderr: outcome.exitCode === 0 ? '' : outcome.stderr }).toEqual({ exitCode: 0, stderr: '' });
  }


  /** Runs `node handler.js <command>` as Terraform does (never blocking the emulator in this process). */
  function run(command: string, env: Record<string, string> = {}, stdin = ''): Promise<Run> {
    const log = path.join(scratch, `compiled-${runs++}.log`);
    const child = spawn(process.execPath, ['--require', preload, bundle, command], {
      cwd: scratch,
      env: { PATH: process.env.PATH, ...emulator.handlerEnvironment(), ...env, COMPILE_LOG: log },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.stdin.end(stdin);
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (exitCode) => {
        const compiled = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').map((file) => path.relative(scratch, file)) : [];
        resolve({ exitCode, stdout, stderr, compiled });
      });
    });
  }

  test('--help: the handler alone', async () => {
    const help = await run('--help');
    expect(help.exitCode).toBe(0);
    expect(help.compiled).toEqual(['handler.js']);
  });

  test('create, read, tags, lookup and delete of a cloud-generated pair: none compiles sshpk (node:crypto reads the PEM key file)', async () => {
    const triggers = deployment.triggers('tencentcloud', 'sshpk_chunk');
    const carrierEnv = { [HANDLER_ENV.triggers]: JSON.stringify(triggers), [HANDLER_ENV.tags]: '{}' };

    // create checks the delivered private key against the cloud's public key
    const create = await run('create', carrierEnv);
    expectSuccess(create);
    expect(create.compiled).toEqual(['handler.js']);

    // read, on every plan: fingerprints from the cloud's public key line
    const read = await run('read', {}, stackReadQuery(triggers));
    expectSuccess(read);
    const result = JSON.parse(pairResultText(read.stdout)) as Record<string, string>;
    expect(result[RESULT_KEYS.status]).toBe(READ_STATUS.present);
    expect(result[RESULT_KEYS.fingerprintSha256]).toMatch(/^SHA256:/);
    expect(read.compiled).toEqual(['handler.js']);

    // tags, when the declared tags change
    const entries = { kp: tagEntry(triggers, result[RESULT_KEYS.keyPairId], { team: 'web' }, '1') };
    const tags = await run('tags', { [HANDLER_ENV.tagEntries]: JSON.stringify(entries) });
    expectSuccess(tags);
    expect(tags.compiled).toEqual(['handler.js']);

    // a reference's lookup of the same pair by name (the stack's read)
    const lookupQuery = { [TRIGGER_KEYS.cloud]: 'tencentcloud', [TRIGGER_KEYS.region]: triggers[TRIGGER_KEYS.region], [TRIGGER_KEYS.keyPairName]: 'sshpk_chunk' };
    const lookup = await run('read', {}, stackLookupQuery(lookupQuery));
    expectSuccess(lookup);
    expect(lookup.compiled).toEqual(['handler.js']);

    // delete proves the private key file is this pair's before removing it
    const deletion = await run('delete', carrierEnv);
    expectSuccess(deletion);
    expect(deletion.compiled).toEqual(['handler.js']);
  });

  test('the UCloud read, which derives the public key from the private key file, does not compile sshpk either', async () => {
    const triggers = deployment.triggers('ucloud', 'sshpk_chunk_u');
    expectSuccess(await run('create', { [HANDLER_ENV.triggers]: JSON.stringify(triggers), [HANDLER_ENV.tags]: '{}' }));
    const read = await run('read', {}, stackReadQuery(triggers));
    expectSuccess(read);
    expect((JSON.parse(pairResultText(read.stdout)) as Record<string, string>)[RESULT_KEYS.publicKey]).toMatch(/^ssh-rsa /);
    expect(read.compiled).toEqual(['handler.js']);
  });

  test('a command that parses an OpenSSH public key compiles sshpk, once: the UCloud import checks the key first', async () => {
    const triggers = deployment.triggers('ucloud', 'sshpk_chunk_import', {
      [TRIGGER_KEYS.keySource]: KEY_SOURCES.import,
      [TRIGGER_KEYS.publicKey]: sshKeygenKeyPair('rsa').publicKey,
      [TRIGGER_KEYS.privateKeyFile]: undefined,
    });
    const create = await run('create', { [HANDLER_ENV.triggers]: JSON.stringify(triggers), [HANDLER_ENV.tags]: '{}' });
    expectSuccess(create);
    expect(create.compiled).toEqual(['handler.js', 'handler.js#sshpk']);
  });
});
