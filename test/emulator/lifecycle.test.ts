import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { CLOUDS, startEmulator } from '../../emulator';
import { emulatedClients } from '../support/emulated-clients';

// Built by `npx projen bundle` (run before jest by `npx projen test`).
const EMULATOR_BIN = path.join(__dirname, '..', '..', 'assets', 'emulator', 'cli.js');

/** Resolves true when something accepts a TCP connection on the URL's port. */
function isListening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function getJson(url: string, init?: RequestInit): Promise<any> {
  const response = await fetch(url, init);
  return response.json();
}

describe('startEmulator', () => {
  test('serves every cloud on its own loopback port and frees all of them on stop', async () => {
    // GIVEN
    const emulator = await startEmulator();
    const urls = CLOUDS.map((cloud) => emulator.endpoints[cloud]);
    expect(new Set(urls).size).toBe(3);
    for (const url of urls) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await isListening(url)).toBe(true);
    }
    // WHEN
    await emulator.stop();
    // THEN no port is left behind
    for (const url of urls) expect(await isListening(url)).toBe(false);
  });

  test('stop closes connections that are still open (a client kept alive does not block it)', async () => {
    // Held far beyond the test's own timeout: a stop that waited for it would fail the test.
    const emulator = await startEmulator({ faults: [{ cloud: 'tencentcloud', kind: 'latency', latencyMs: 3_600_000 }] });
    const pending = fetch(emulator.endpoints.tencentcloud, { method: 'POST', body: '{}' }).then(
      () => 'answered',
      (err: Error) => `failed: ${err.message}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await emulator.stop();
    expect(await pending).toMatch(/^failed: /);
  });

  test('a state file carries every cloud\'s key pairs across a restart', async () => {
    // GIVEN an emulator on a state file, with one key pair created on each cloud through the real clients
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-restart-'));
    const stateFile = path.join(dir, 'state.json');
    try {
      const first = await startEmulator({ stateFile });
      const ids: Record<string, string> = {};
      for (const cloud of CLOUDS) ids[cloud] = await emulatedClients(first)[cloud].create(`persisted_${cloud}`);
      await first.stop();
      // WHEN a new emulator starts on the same file (new ports)
      const second = await startEmulator({ stateFile });
      try {
        // THEN every cloud still describes its key pair, and no private key was written to the file
        for (const cloud of CLOUDS) {
          expect(await emulatedClients(second)[cloud].describeByName(`persisted_${cloud}`)).toEqual([`persisted_${cloud}`]);
          expect(second.listKeyPairs(cloud).map((keyPair) => keyPair.id)).toEqual([ids[cloud]]);
        }
        expect(fs.readFileSync(stateFile, 'utf8')).not.toMatch(/PRIVATE KEY/);
      } finally {
        await second.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the inspection API lists key pairs, takes faults and resets, on every cloud port', async () => {
    const emulator = await startEmulator();
    try {
      for (const cloud of CLOUDS) {
        const base = `${emulator.endpoints[cloud]}/_emulator`;
        expect(await getJson(`${base}/health`)).toEqual({ cloud, healthy: true });
        expect(await getJson(`${base}/key-pairs`)).toEqual({ cloud, keyPairs: [] });
        const added = await getJson(`${base}/faults`, { method: 'POST', body: JSON.stringify({ kind: 'throttle', count: 2 }) });
        expect(added.faults).toEqual([expect.objectContaining({ cloud, kind: 'throttle', remaining: 2 })]);
        const refused = await fetch(`${base}/faults`, { method: 'POST', body: JSON.stringify({ kind: 'meteor' }) });
        expect(refused.status).toBe(400);
        expect(await getJson(`${base}/reset`, { method: 'POST' })).toEqual({ reset: true });
        expect(emulator.pendingFaults()).toEqual([]);
      }
    } finally {
      await emulator.stop();
    }
  });
});

describe('cdktf-keypair-emulator bin', () => {
  let child: ChildProcess | undefined;
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-bin-'));
  });
  afterEach(() => {
    if (child?.pid && processExists(child.pid)) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function startBin(args: string[]): Promise<{ endpoints: Record<string, string>; environment: Record<string, string> }> {
    child = spawn(process.execPath, [EMULATOR_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = createInterface({ input: child.stdout! });
    const [first] = (await Promise.race([
      new Promise((resolve) => lines.once('line', (line) => resolve([line]))),
      new Promise((_, reject) => child!.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)))),
    ])) as [string];
    return JSON.parse(first);
  }

  function waitForExit(): Promise<number | string | null> {
    return new Promise((resolve) => child!.once('exit', (code, signal) => resolve(code ?? signal)));
  }

  test.each(['SIGTERM', 'SIGINT'] as const)('prints its endpoints when ready and leaves no process or port after %s', async (signal) => {
    // GIVEN a running emulator
    const ready = await startBin(['--state', path.join(dir, 'state.json')]);
    expect(Object.keys(ready.endpoints).sort()).toEqual([...CLOUDS].sort());
    expect(ready.environment.CDKTF_KEYPAIR_UCLOUD_ENDPOINT).toBe(ready.endpoints.ucloud);
    for (const url of Object.values(ready.endpoints)) expect(await isListening(url)).toBe(true);
    // WHEN it is asked to stop
    const exited = waitForExit();
    child!.kill(signal);
    // THEN it exits cleanly and frees its ports
    expect(await exited).toBe(0);
    expect(processExists(child!.pid!)).toBe(false);
    for (const url of Object.values(ready.endpoints)) expect(await isListening(url)).toBe(false);
  });

  test('--port lays the clouds out on consecutive ports', async () => {
    // GIVEN a free port (found by asking the OS), with the next two presumably free too
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const base = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    // WHEN
    const ready = await startBin(['--port', String(base)]);
    // THEN
    expect(ready.endpoints).toEqual({
      alicloud: `http://127.0.0.1:${base}`,
      tencentcloud: `http://127.0.0.1:${base + 1}`,
      ucloud: `http://127.0.0.1:${base + 2}`,
    });
    const exited = waitForExit();
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  test('a bad option fails at once with a message', async () => {
    child = spawn(process.execPath, [EMULATOR_BIN, '--quota', 'lots'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    expect(await waitForExit()).toBe(1);
    expect(stderr).toContain('--quota must be a positive integer');
  });
});
