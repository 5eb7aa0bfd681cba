/**
 * The whole story, offline: start the cloud emulator, `cdktf deploy` the example app (providers from the
 * stand-ins' filesystem mirror, or the mirror CDKTF_KEYPAIR_PROVIDER_MIRROR names), print the outputs and
 * check every private key against the public key the cloud holds, rotate one key by giving it a new
 * `replacementKey` and running `cdktf deploy` again, `cdktf destroy`, check the clouds are empty, stop the
 * emulator. Exits non-zero on any failure and leaves nothing running.
 *
 * Run it with `npx projen demo` (which builds the handler bundle and the provider stand-ins first).
 * It resets the example's own state: leftover private keys in examples/basic/keys/ and the local state in
 * examples/basic/cdktf.out are removed first (the emulator starts empty, so they describe nothing), and so
 * are the lock file and providers of an earlier init (the mirror may have been rebuilt since).
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunningEmulator, startEmulator } from '../../emulator';
import { CloudName, RESERVED_TAG_KEYS } from '../../src/contract';
import { cliConfigSelectingMirror, providerMirrorDirectory } from '../../test/support/terraform';
import { buildMirror } from '../../test/support/terraform-providers/build-mirror';
import { DEFAULT_MIRROR_DIRECTORY } from '../../test/support/terraform-providers/mirror-layout';

const EXAMPLE_DIRECTORY = __dirname;
const KEYS_DIRECTORY = path.join(EXAMPLE_DIRECTORY, 'keys');
const STACK = 'basic';
const STACK_DIRECTORY = path.join(EXAMPLE_DIRECTORY, 'cdktf.out', 'stacks', STACK);
const HANDLER_BUNDLE = path.join(EXAMPLE_DIRECTORY, '..', '..', 'assets', 'handler.js');
/** A cdktf command that runs longer than this is stopped (with everything it started). */
const COMMAND_TIMEOUT_MS = 240_000;

/** One of the example's key pairs: construct id and cloud (outputs are `<id>_key_pair_id`, `<id>_fingerprint`). */
interface ExampleKeyPair {
  readonly id: string;
  readonly cloud: CloudName;
  readonly imported: boolean;
  /** The tags main.ts declares. */
  readonly tags?: Readonly<Record<string, string>>;
}
const KEY_PAIRS: readonly ExampleKeyPair[] = [
  { id: 'alicloud_bastion', cloud: 'alicloud', imported: false, tags: { team: 'infra', purpose: 'cdktf-keypair-example' } },
  { id: 'alicloud_imported', cloud: 'alicloud', imported: true },
  { id: 'tencentcloud_ci', cloud: 'tencentcloud', imported: false },
  { id: 'ucloud_edge', cloud: 'ucloud', imported: false },
];
const CLOUDS: readonly CloudName[] = ['alicloud', 'tencentcloud', 'ucloud'];
/** The pair the demo rotates, and the variable main.ts reads its replacementKey from. */
const ROTATED = 'tencentcloud_ci';
const ROTATION_VARIABLE = 'EXAMPLE_CI_KEY_GENERATION';

function step(message: string): void {
  process.stdout.write(`demo: ${message}\n`);
}

class DemoFailure extends Error {}

function check(condition: boolean, message: string): void {
  if (!condition) throw new DemoFailure(message);
  step(`ok   ${message}`);
}

/** `<type> <base64>` of an OpenSSH public key line: what the comparison is about. */
function keyBody(line: string): string {
  return line.trim().split(/\s+/).slice(0, 2).join(' ');
}

/**
 * Runs `npx cdktf <args>` in the example directory in its own process group; returns its output. Deploy and
 * destroy pass --skip-provider-lock: locking needs the registry (docs/cloud-behaviour.md#provider-lock-files).
 */
function runCdktf(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['cdktf', ...args], { cwd: EXAMPLE_DIRECTORY, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const timer = setTimeout(() => {
      output += `\n(stopped after ${COMMAND_TIMEOUT_MS / 1000} s)`;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, COMMAND_TIMEOUT_MS);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Whatever the outcome, nothing of this command's process group may outlive it.
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
      if (code === 0) {
        resolve(output);
      } else {
        const tail = output.split('\n').slice(-60).join('\n');
        reject(new DemoFailure(`cdktf ${args[0]} exited with ${code ?? signal}; its last lines:\n${tail}`));
      }
    });
  });
}

/**
 * cdktf's outputs file nests the outputs by construct path (`{ basic: { alicloud_bastion: { key_pair_id } } }`
 * for an output a construct adds); joined with `_` they are the Terraform output names again.
 */
function flattenOutputs(value: unknown, prefix = ''): Record<string, string> {
  if (value === null || typeof value !== 'object') return prefix ? { [prefix]: String(value) } : {};
  return Object.assign({}, ...Object.entries(value as Record<string, unknown>)
    .map(([key, inner]) => flattenOutputs(inner, `${prefix ? `${prefix}_` : ''}${key.replace(/\W/g, '_')}`)));
}

function removeLeftovers(): void {
  for (const file of fs.existsSync(KEYS_DIRECTORY) ? fs.readdirSync(KEYS_DIRECTORY) : []) {
    if (file.endsWith('.pem') || file.endsWith('.pem.pending')) fs.rmSync(path.join(KEYS_DIRECTORY, file), { force: true });
  }
  for (const file of fs.existsSync(STACK_DIRECTORY) ? fs.readdirSync(STACK_DIRECTORY) : []) {
    if (file.startsWith('terraform.basic.tfstate') || file === '.terraform.lock.hcl' || file === '.terraform') {
      fs.rmSync(path.join(STACK_DIRECTORY, file), { recursive: true, force: true });
    }
  }
}

function demoEnvironment(emulator: RunningEmulator, workDirectory: string, mirrorDirectory: string): NodeJS.ProcessEnv {
  const cliConfigFile = path.join(workDirectory, 'terraform.rc');
  fs.writeFileSync(cliConfigFile, cliConfigSelectingMirror(mirrorDirectory));
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TF_') && name !== ROTATION_VARIABLE)),
    ...emulator.handlerEnvironment(),
    TF_CLI_CONFIG_FILE: cliConfigFile,
    CHECKPOINT_DISABLE: '1',
    // cdktf would otherwise point Terraform at a shared plugin cache in the home directory.
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1',
    CI: '1',
    FORCE_COLOR: '0',
  };
}

async function deployAndCheck(emulator: RunningEmulator, env: NodeJS.ProcessEnv, outputsFile: string): Promise<void> {
  step('cdktf deploy (synth, terraform init from the mirror, apply) ...');
  const started = Date.now();
  try {
    await runCdktf(['deploy', STACK, '--auto-approve', '--skip-provider-lock', '--outputs-file', outputsFile], env);
    step(`deployed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    checkDeployment(emulator, outputsFile);
  } catch (err) {
    // Leave neither key pairs nor key files behind a failed run: destroy what was deployed, then report.
    step('cleaning up after the failure: cdktf destroy ...');
    await runCdktf(['destroy', STACK, '--auto-approve', '--skip-provider-lock'], env).catch(() => step('cdktf destroy failed as well'));
    throw err;
  }
}

function readOutputs(outputsFile: string): Record<string, string> {
  return flattenOutputs((JSON.parse(fs.readFileSync(outputsFile, 'utf8')) as Record<string, unknown>)[STACK]);
}

function checkDeployment(emulator: RunningEmulator, outputsFile: string): void {
  const outputs = readOutputs(outputsFile);
  const missing = KEY_PAIRS.flatMap(({ id }) => ['key_pair_id', 'fingerprint', 'fingerprint_sha256', 'private_key_file'].map((name) => `${id}_${name}`))
    .filter((name) => outputs[name] === undefined);
  check(missing.length === 0, `cdktf deploy wrote every output (${Object.keys(outputs).length} outputs)${missing.length ? `; missing: ${missing.join(', ')}` : ''}`);
  for (const { id, cloud, imported, tags } of KEY_PAIRS) {
    const keyPairId = outputs[`${id}_key_pair_id`];
    const fingerprint = outputs[`${id}_fingerprint`];
    const privateKeyFile = outputs[`${id}_private_key_file`];
    step(`${id} (${cloud}): KeyPairId ${keyPairId}, fingerprint ${fingerprint || '(none from this cloud)'}, ${outputs[`${id}_fingerprint_sha256`]}`);
    step(`${id}: private key: ${path.isAbsolute(privateKeyFile) ? path.relative(EXAMPLE_DIRECTORY, privateKeyFile) : privateKeyFile}`);
    // Alibaba Cloud identifies key pairs by name: its KeyPairId is the name.
    const stored = emulator.listKeyPairs(cloud).find((keyPair) => (cloud === 'alicloud' ? keyPair.name : keyPair.id) === keyPairId);
    check(stored !== undefined, `${id}: the ${cloud} emulator holds ${keyPairId}`);
    check(stored!.fingerprint === fingerprint, `${id}: the fingerprint output is the cloud's`);
    if (tags !== undefined) {
      // cdktf-keypair's own tags (ownership, tag revision) aside, the cloud holds exactly the declared ones.
      const own = Object.keys(stored!.tags).filter((key) => !RESERVED_TAG_KEYS.includes(key));
      const same = own.length === Object.keys(tags).length && own.every((key) => stored!.tags[key] === tags[key]);
      check(same, `${id}: the cloud holds its declared tags`);
    }
    if (path.isAbsolute(privateKeyFile)) {
      const mode = fs.statSync(privateKeyFile).mode % 0o1000; // the permission bits
      check(mode === 0o600, `${id}: the private key file has mode 0600`);
      // ssh-keygen prints only the public key derived from the private one.
      const derived = execFileSync('ssh-keygen', ['-y', '-f', privateKeyFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      check(keyBody(derived) === keyBody(stored!.publicKey), `${id}: ssh-keygen -y -f <file> matches the cloud's public key`);
    } else {
      check(imported, `${id}: an imported public key, so no private key file`);
    }
  }
}

/** What a deployment left of each key pair: the cloud's record of it and its private key file's content. */
function snapshot(emulator: RunningEmulator, outputsFile: string): Record<string, { readonly stored: string; readonly keyFile?: string }> {
  const outputs = readOutputs(outputsFile);
  return Object.fromEntries(KEY_PAIRS.map(({ id, cloud }) => {
    const keyPairId = outputs[`${id}_key_pair_id`];
    const stored = emulator.listKeyPairs(cloud).find((keyPair) => (cloud === 'alicloud' ? keyPair.name : keyPair.id) === keyPairId);
    const file = outputs[`${id}_private_key_file`];
    return [id, { stored: JSON.stringify(stored), keyFile: path.isAbsolute(file) ? fs.readFileSync(file, 'utf8') : undefined }];
  }));
}

/**
 * Rotating a key from code: a new replacementKey on one pair, `cdktf deploy`, and that pair alone is
 * replaced (a new id, a new private key, the old pair gone from the cloud); every other pair is untouched.
 */
async function rotateAndCheck(emulator: RunningEmulator, env: NodeJS.ProcessEnv, outputsFile: string): Promise<void> {
  const rotated = KEY_PAIRS.find(({ id }) => id === ROTATED)!;
  const oldId = readOutputs(outputsFile)[`${ROTATED}_key_pair_id`];
  const before = snapshot(emulator, outputsFile);
  step(`${ROTATED}: rotating its key: replacementKey "2" (${ROTATION_VARIABLE}=2), cdktf deploy ...`);
  const started = Date.now();
  await runCdktf(['deploy', STACK, '--auto-approve', '--skip-provider-lock', '--outputs-file', outputsFile], env);
  step(`deployed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  checkDeployment(emulator, outputsFile);

  const newId = readOutputs(outputsFile)[`${ROTATED}_key_pair_id`];
  const after = snapshot(emulator, outputsFile);
  check(newId !== oldId, `${ROTATED}: cdktf deploy replaced the key pair: KeyPairId ${oldId} -> ${newId}`);
  const sameName = emulator.listKeyPairs(rotated.cloud).filter((keyPair) => keyPair.name === 'example_ci');
  check(sameName.length === 1 && sameName[0].id === newId, `${ROTATED}: the old key pair is gone from the cloud; the new one has its name`);
  check(after[ROTATED].keyFile !== undefined && after[ROTATED].keyFile !== before[ROTATED].keyFile, `${ROTATED}: its private key file holds a new key`);
  for (const { id } of KEY_PAIRS.filter((keyPair) => keyPair.id !== ROTATED)) {
    check(after[id].stored === before[id].stored && after[id].keyFile === before[id].keyFile, `${id}: untouched by the rotation (the cloud's record and the key file)`);
  }
}

async function demo(emulator: RunningEmulator, workDirectory: string, mirrorDirectory: string): Promise<void> {
  const env = demoEnvironment(emulator, workDirectory, mirrorDirectory);
  const outputsFile = path.join(workDirectory, 'outputs.json');
  removeLeftovers();
  await deployAndCheck(emulator, env, outputsFile);

  // From here on the app sets the rotated pair's replacementKey (main.ts reads it from the environment).
  const rotatedEnv = { ...env, [ROTATION_VARIABLE]: '2' };
  try {
    await rotateAndCheck(emulator, rotatedEnv, outputsFile);
  } catch (err) {
    step('cleaning up after the failure: cdktf destroy ...');
    await runCdktf(['destroy', STACK, '--auto-approve', '--skip-provider-lock'], rotatedEnv).catch(() => step('cdktf destroy failed as well'));
    throw err;
  }

  step('cdktf destroy ...');
  const started = Date.now();
  await runCdktf(['destroy', STACK, '--auto-approve', '--skip-provider-lock'], rotatedEnv);
  step(`destroyed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const cloud of CLOUDS) check(emulator.listKeyPairs(cloud).length === 0, `the ${cloud} emulator holds no key pair`);
  const keyFilesLeft = fs.readdirSync(KEYS_DIRECTORY).filter((file) => file.endsWith('.pem'));
  check(keyFilesLeft.length === 0, 'destroy removed the private key files');
}

async function main(): Promise<number> {
  if (!fs.existsSync(HANDLER_BUNDLE)) {
    step('the handler bundle is missing: run `npx projen bundle` (or `npx projen demo`)');
    return 1;
  }
  const mirrorDirectory = providerMirrorDirectory();
  if (mirrorDirectory === DEFAULT_MIRROR_DIRECTORY) await buildMirror(mirrorDirectory);
  step(`providers from the filesystem mirror ${path.relative(process.cwd(), mirrorDirectory) || mirrorDirectory}`);

  const workDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-keypair-demo-'));
  const emulator = await startEmulator();
  step(`emulator started: ${CLOUDS.map((cloud) => `${cloud} ${emulator.endpoints[cloud]}`).join(', ')}`);
  try {
    await demo(emulator, workDirectory, mirrorDirectory);
    step('PASSED: 4 key pairs deployed with cdktf deploy, checked, one rotated with replacementKey and cdktf deploy, and destroyed with cdktf destroy');
    return 0;
  } catch (err) {
    step(`FAILED: ${err instanceof DemoFailure ? err.message : err instanceof Error ? err.stack : String(err)}`);
    return 1;
  } finally {
    await emulator.stop();
    fs.rmSync(workDirectory, { recursive: true, force: true });
    step('emulator stopped');
  }
}

main().then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    step(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
