/**
 * The deploy-time half of the bad-input catalogue: each case runs the handler step Terraform would run, as
 * Terraform runs it (triggers and tags in the environment, the query on stdin), against the emulator, and
 * asserts the refusal, the cloud calls it took (the emulator's request journal: none, or only the one the
 * decision needed), and that nothing was created or written.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEPLOY_CASES, DeployCase, DeployWorld, privateKeyFileOf } from './catalogue';
import { RunningEmulator, startEmulator } from '../../emulator';
import type { HandlerOutcome } from '../../handler/run';
import { CLOUD_NAMES, HANDLER_ENV, ownerValue } from '../../src/contract';
import { fastSettings } from '../support/emulated-clients';
import { runPairStep } from '../support/handler-steps';
import { endpointWhereNothingListens } from '../support/loopback-server';
import { stackReadQuery } from '../support/stack-read';
import { keyPairTriggers } from '../support/triggers';

/** The bundled handler, as the synthesized stack runs it (built by `npx projen bundle` before jest). */
const BUNDLE = path.join(__dirname, '..', '..', 'assets', 'handler.js');
/** Who runs the bundled CLI for `unprivileged` cases: root may write anywhere, `nobody` may not. */
const NOBODY = 65534;

let emulator: RunningEmulator;
let root: string;
let closedEndpoint: string;

beforeAll(async () => {
  emulator = await startEmulator();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-input-'));
  fs.chmodSync(root, 0o755); // an unprivileged handler must reach its case's directory
  closedEndpoint = await endpointWhereNothingListens();
});
afterAll(async () => {
  await emulator?.stop();
  if (root) {
    for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (entry.isDirectory()) fs.chmodSync(path.join(entry.parentPath, entry.name), 0o755);
    }
    fs.rmSync(root, { recursive: true, force: true });
  }
});
beforeEach(() => emulator.reset());

/** A valid cloud-generated key pair's triggers, with the case's changes. */
function triggersOf(testCase: DeployCase, world: DeployWorld): Record<string, string> {
  return keyPairTriggers(
    { cloud: testCase.cloud, name: 'bad_input', privateKeyFile: privateKeyFileOf(world), owner: ownerValue(DEPLOYMENT, '0123456789abcdef') },
    testCase.triggers?.(world),
  );
}

/** Runs the handler step of a case: in process, or the bundled CLI as a user who cannot write the key's directory. */
async function runStep(testCase: DeployCase, world: DeployWorld, triggers: Record<string, string>): Promise<HandlerOutcome> {
  const command = testCase.command ?? 'create';
  // The case's tags as written (they may not be JSON), and its own variables.
  const caseEnv: Record<string, string> = { ...(command === 'create' ? { [HANDLER_ENV.tags]: testCase.tags ?? '{}' } : {}), ...testCase.env?.(world) };
  if (!testCase.unprivileged) {
    return runPairStep(command, { emulator, triggers, env: caseEnv, settings: fastSettings() });
  }
  const env: Record<string, string> = { ...emulator.handlerEnvironment(), [HANDLER_ENV.triggers]: JSON.stringify(triggers), ...caseEnv };
  const query = stackReadQuery(triggers);
  const asRoot = process.getuid?.() === 0;
  // A copy beside the case: `nobody` may not be able to read the checkout (a fresh clone in a 0700 temp dir).
  const bundle = path.join(root, 'handler.js');
  if (!fs.existsSync(bundle)) fs.copyFileSync(BUNDLE, bundle);
  fs.chmodSync(bundle, 0o644);
  const child = spawn(process.execPath, [bundle, command], {
    env: { PATH: process.env.PATH ?? '', ...env },
    cwd: world.directory,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  child.stdin.end(query);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
  return { exitCode, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
}

let caseNumber = 0;
/** The deployment identity of these cases (the id of `terraform_data.cdktf_keypair_identity` in a state). */
const DEPLOYMENT = randomUUID();

describe('bad input at deploy time, through the handler', () => {
  test.each(DEPLOY_CASES.map((testCase) => [`${testCase.category}: ${testCase.title}`, testCase] as const))('%s', async (_title, testCase) => {
    // GIVEN a deploying machine prepared as the case says
    caseNumber += 1;
    const world: DeployWorld = { emulator, directory: path.join(root, `case-${caseNumber}`), closedEndpoint };
    fs.mkdirSync(world.directory);
    const file = privateKeyFileOf(world);
    await testCase.arrange?.(world, file);
    const journalBefore = emulator.requests().length;
    const fileBefore = fs.existsSync(file);
    const triggers = triggersOf(testCase, world);

    // WHEN
    const outcome = await runStep(testCase, world, triggers);

    // THEN the step fails with the rule (or the variables, or the endpoint) in its message
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(testCase.message);
    // AND it made no cloud call it did not need, and nothing exists that did not exist before
    expect(emulator.requests().slice(journalBefore).map((request) => request.action)).toEqual(testCase.calls);
    expect(CLOUD_NAMES.flatMap((cloud) => emulator.listKeyPairs(cloud))).toEqual([]);
    if (!fileBefore) expect(fs.existsSync(file)).toBe(false);
    testCase.verify?.(world, file);
    // AND the message holds no secret
    for (const cloud of CLOUD_NAMES) {
      for (const credential of emulator.credentials[cloud]) expect(outcome.stderr).not.toContain(credential.accessKeySecret);
    }
    for (const text of testCase.mustNotQuote?.() ?? []) expect(outcome.stderr).not.toContain(text);
  });
});
