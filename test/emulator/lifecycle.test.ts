import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { EMULATOR_BIN, EmulatorReady, firstLine, spawnEmulatorBin } from './bin';
import { CLOUDS, startEmulator } from '../../emulator';
import { isPassThrough, ProcessTable, watchLifeline } from '../../emulator/lifeline';
import { emulatedClients } from '../support/emulated-clients';
import { waitUntil } from '../support/eventually';
import { processIsRunning } from '../support/processes';

const ROOT = path.join(__dirname, '..', '..');
// Built by `npx projen bundle` (run before jest by `npx projen test`).

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
    if (child?.pid && processIsRunning(child.pid)) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function startBin(args: string[]): Promise<EmulatorReady> {
    const bin = spawnEmulatorBin(args);
    child = bin.child;
    return bin.ready;
  }

  function waitForExit(): Promise<number | string | null> {
    return new Promise((resolve) => child!.once('exit', (code, signal) => resolve(code ?? signal)));
  }

  test.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('prints its endpoints when ready and leaves no process or port after %s', async (signal) => {
    // GIVEN a running emulator
    const ready = await startBin(['--state', path.join(dir, 'state.json')]);
    expect(Object.keys(ready.endpoints).sort()).toEqual([...CLOUDS].sort());
    expect(ready.environment.CDKTF_KEYPAIR_UCLOUD_ENDPOINT).toBe(ready.endpoints.ucloud);
    expect(ready.pid).toBe(child!.pid);
    for (const url of Object.values(ready.endpoints)) expect(await isListening(url)).toBe(true);
    // WHEN it is asked to stop
    const exited = waitForExit();
    child!.kill(signal);
    // THEN it exits cleanly and frees its ports
    expect(await exited).toBe(0);
    expect(processIsRunning(child!.pid!)).toBe(false);
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
    const bin = spawnEmulatorBin(['--quota', 'lots']);
    child = bin.child;
    expect(await bin.exited).toBe(1);
    expect(bin.stderr()).toContain('--quota must be a positive integer');
  });
});

/**
 * The stand-in for the jsii Python runtime (not installable offline) that runs the console script jsii-pacmak
 * generates: `JSIIAssembly.load` does nothing, and `invokeBinScript` does what the runtime's does, spawning
 * through the shell, with the command the jsii kernel's `getBinScriptCommand` answers (the package's `bin`
 * entry in the unpacked package, with this node first on PATH), and passing no signal on.
 */
const JSII_RUNTIME_STAND_IN = `
import json, os, subprocess

class JSIIAssembly:
    @classmethod
    def load(cls, name, version, module, filename):
        return cls()

    @classmethod
    def invokeBinScript(cls, pkgname, script, args=None):
        package_dir = os.environ["STAND_IN_PACKAGE_DIR"]
        with open(os.path.join(package_dir, "package.json")) as package_json:
            command = os.path.join(package_dir, json.load(package_json)["bin"][script])
        env = dict(os.environ, NODE_OPTIONS="", PATH=os.environ["STAND_IN_NODE_DIR"] + ":" + os.environ["PATH"])
        result = subprocess.run(" ".join([command, *(args or [])]), encoding="utf-8", shell=True, env=env)
        return result.returncode
`;

/** A wrapper as small as they come: spawns the bin through the shell, as the jsii kernel does, and forwards no signal. */
const NODE_WRAPPER = `
const { spawn } = require('node:child_process');
const [bin, ...args] = process.argv.slice(2);
spawn(bin, args, { shell: true, stdio: 'inherit' }).on('exit', (code) => process.exit(code ?? 1));
`;

/** A test runner, as far as the bin is concerned: runs a command (no shell) and tells its pid on stderr. */
const RUNNER = `
const { spawn } = require('node:child_process');
const child = spawn(process.argv[2], process.argv.slice(3), { stdio: 'inherit' });
process.stderr.write(JSON.stringify({ childPid: child.pid }) + '\\n');
`;

function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('cdktf-keypair-emulator bin under a wrapper that passes no signal on', () => {
  let dir: string;
  let pythonScript: string;
  const started: Array<{ wrapper: ChildProcess; emulatorPid?: number }> = [];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-wrapped-'));
    fs.writeFileSync(path.join(dir, 'wrapper.js'), NODE_WRAPPER);
    fs.writeFileSync(path.join(dir, 'runner.js'), RUNNER);
    // npx finds the bin in node_modules/.bin of the directory it runs in, as in a project that installed the package.
    fs.mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
    fs.symlinkSync(EMULATOR_BIN, path.join(dir, 'node_modules', '.bin', 'cdktf-keypair-emulator'));
    // The console script the Python package installs, generated from the compiled assembly by jsii-pacmak.
    if (!hasPython()) throw new Error('python3 is not on PATH: it runs the Python package\'s console script');
    if (!fs.existsSync(path.join(ROOT, '.jsii'))) throw new Error('no .jsii: run `npx projen compile` (or `npx projen test`) first');
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'jsii-pacmak'), ['--code-only', '--target', 'python', '--outdir', path.join(dir, 'pacmak')], {
      cwd: ROOT,
      stdio: 'pipe',
      env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
    });
    const pythonPackage = path.join(dir, 'pacmak', 'python');
    pythonScript = path.join(pythonPackage, 'src', 'cdktf_keypair', '_jsii', 'bin', 'cdktf-keypair-emulator');
    expect(fs.readFileSync(path.join(pythonPackage, 'setup.py'), 'utf8')).toContain('"src/cdktf_keypair/_jsii/bin/cdktf-keypair-emulator"');
    expect(fs.readFileSync(pythonScript, 'utf8')).toContain('invokeBinScript(');
    fs.mkdirSync(path.join(dir, 'stand-in', 'jsii'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'stand-in', 'jsii', '__init__.py'), JSII_RUNTIME_STAND_IN);
  }, 60_000);

  afterEach(() => {
    for (const { wrapper, emulatorPid } of started.splice(0)) {
      if (wrapper.pid && processIsRunning(wrapper.pid)) wrapper.kill('SIGKILL');
      if (emulatorPid && processIsRunning(emulatorPid)) process.kill(emulatorPid, 'SIGKILL');
    }
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const pythonEnvironment = () => ({
    ...process.env,
    PYTHONPATH: path.join(dir, 'stand-in'),
    STAND_IN_PACKAGE_DIR: ROOT,
    STAND_IN_NODE_DIR: path.dirname(process.execPath),
  });

  /** Each starts the bin with `args` through its wrapper, and reads the wrapper's stdout (the bin's, inherited). */
  const wrappers: Record<string, (args: string[]) => ChildProcess> = {
    'the Python package\'s console script': (args) =>
      spawn('python3', [pythonScript, ...args], { env: pythonEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] }),
    'npx (npm exec)': (args) =>
      spawn('npx', ['--no-install', 'cdktf-keypair-emulator', ...args], {
        cwd: dir,
        env: { ...process.env, npm_config_update_notifier: 'false' },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    'a node wrapper spawning through the shell': (args) =>
      spawn(process.execPath, [path.join(dir, 'wrapper.js'), EMULATOR_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }),
  };

  async function startWrapped(
    start: ChildProcess | string,
    args: string[] = ['--quota', '7'],
  ): Promise<{ wrapper: ChildProcess; ready: EmulatorReady; stderr: () => string }> {
    const wrapper = typeof start === 'string' ? wrappers[start](args) : start;
    const entry: { wrapper: ChildProcess; emulatorPid?: number } = { wrapper };
    started.push(entry);
    // What a wrapper says (the runner prints its child's pid there); its own complaint when killed (Python's
    // KeyboardInterrupt) is expected.
    let stderr = '';
    wrapper.stderr!.on('data', (chunk) => (stderr += chunk));
    const ready = JSON.parse(await firstLine(wrapper)) as EmulatorReady;
    entry.emulatorPid = ready.pid;
    return { wrapper, ready, stderr: () => stderr };
  }

  async function expectGone(ready: EmulatorReady): Promise<void> {
    await waitUntil(() => !processIsRunning(ready.pid), `the emulator (pid ${ready.pid}) has exited`, 5000);
    for (const url of Object.values(ready.endpoints)) expect(await isListening(url)).toBe(false);
  }

  const cases = Object.keys(wrappers).flatMap((name) => (['SIGTERM', 'SIGKILL'] as const).map((signal) => [name, signal] as const));
  test.each(cases)('under %s, %s to the wrapper stops the emulator and frees its ports', async (name, signal) => {
    // GIVEN the emulator, serving, started by a wrapper whose child it is not
    const { wrapper, ready } = await startWrapped(name);
    expect(ready.pid).not.toBe(wrapper.pid);
    for (const url of Object.values(ready.endpoints)) expect(await isListening(url)).toBe(true);
    // WHEN only the wrapper gets the signal (not the process group, as Ctrl-C would)
    wrapper.kill(signal);
    // THEN
    await expectGone(ready);
  });

  test.each(['SIGINT', 'SIGHUP'] as const)('under the Python package\'s console script, %s to the Python process alone stops it too', async (signal) => {
    const { wrapper, ready } = await startWrapped('the Python package\'s console script');
    wrapper.kill(signal);
    await expectGone(ready);
  });

  test('under the Python package\'s console script, the test runner that started it dying stops the emulator, and the script exits', async () => {
    // GIVEN a runner that started the console script (runner → python → sh → node)
    const runner = spawn(process.execPath, [path.join(dir, 'runner.js'), 'python3', pythonScript], {
      env: pythonEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { ready, stderr } = await startWrapped(runner);
    const consoleScriptPid = Number(/"childPid":(\d+)/.exec(stderr())?.[1]);
    expect(processIsRunning(consoleScriptPid)).toBe(true);
    // WHEN the runner is killed, leaving the console script behind, blocked on its child
    runner.kill('SIGKILL');
    // THEN the emulator stops, and so the console script returns and exits
    await expectGone(ready);
    await waitUntil(() => !processIsRunning(consoleScriptPid), `the console script (pid ${consoleScriptPid}) has exited`, 5000);
  });

  test('under the Python package\'s console script, SIGTERM to the emulator\'s own pid stops both, the script with exit code 0', async () => {
    const { wrapper, ready } = await startWrapped('the Python package\'s console script');
    const exited = new Promise((resolve) => wrapper.once('exit', (code, signal) => resolve(code ?? signal)));
    process.kill(ready.pid, 'SIGTERM');
    expect(await exited).toBe(0);
    await expectGone(ready);
  });

  test('--outlive-parent keeps it serving after the wrapper is killed, until it is stopped itself', async () => {
    // GIVEN
    const { wrapper, ready } = await startWrapped('a node wrapper spawning through the shell', ['--outlive-parent']);
    // WHEN the wrapper is killed, and several of the lifeline's checks go by
    wrapper.kill('SIGKILL');
    await waitUntil(() => !processIsRunning(wrapper.pid!), 'the wrapper has exited', 5000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // THEN it still serves; a SIGTERM of its own stops it
    expect(processIsRunning(ready.pid)).toBe(true);
    for (const url of Object.values(ready.endpoints)) expect(await isListening(url)).toBe(true);
    process.kill(ready.pid, 'SIGTERM');
    await expectGone(ready);
  });
});

describe('watchLifeline', () => {
  /**
   * A process table holding this process's ancestors above its parent, by pid: each with its command line and
   * the parents it is read to have, one per read (the last one stays).
   */
  function fakeTable(ancestors: Record<number, { command: string[]; parents: number[] }>): ProcessTable & { reads: Record<number, number> } {
    const reads: Record<number, number> = {};
    return {
      reads,
      commandOf: (pid) => ancestors[pid]?.command,
      parentOf: (pid) => {
        const ancestor = ancestors[pid];
        if (!ancestor) return undefined;
        reads[pid] = (reads[pid] ?? 0) + 1;
        return ancestor.parents[Math.min(reads[pid], ancestor.parents.length) - 1];
      },
    };
  }

  test('shells and wrappers that only run the bin are looked through: the parent of any going away stops it', async () => {
    // GIVEN this process under `sh -c`, under the Python console script, under a test runner
    const table = fakeTable({
      [process.ppid]: { command: ['/bin/sh', '-c', '/pkg/assets/emulator/cli.js'], parents: [90001] },
      90001: { command: ['/venv/bin/python', '/venv/bin/cdktf-keypair-emulator'], parents: [90002, 90002, 90002, 1] },
      90002: { command: ['/venv/bin/python', '-m', 'pytest'], parents: [90003] },
    });
    let gone = 0;
    // WHEN the console script's parent (the test runner) goes away at the third check
    watchLifeline(() => (gone += 1), { intervalMs: 10, table });
    await waitUntil(() => gone > 0, 'the lifeline has fired', 2000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // THEN it fires once, and stops checking; the runner itself is not watched
    expect(gone).toBe(1);
    expect(table.reads).toEqual({ [process.ppid]: 4, 90001: 4 });
  });

  test('above the first process that is not a pass-through, nothing is watched', async () => {
    const table = fakeTable({
      [process.ppid]: { command: ['/bin/sh', '-c', 'node cli.js'], parents: [90001] },
      90001: { command: ['/usr/bin/python3', 'run_tests.py'], parents: [90002, 1] },
    });
    let gone = 0;
    const stop = watchLifeline(() => (gone += 1), { intervalMs: 10, table });
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop();
    expect(gone).toBe(0);
    expect(table.reads[90001]).toBeUndefined();
  });

  test.each([
    [['/bin/sh', '-c', 'cli.js'], true],
    [['dash', '-c', 'node cli.js'], true],
    [['-bash', '-c', 'cli.js'], true],
    [['/usr/bin/zsh', '-c', 'cli.js'], true],
    [['/venv/bin/python', '/venv/bin/cdktf-keypair-emulator', '--port', '4000'], true],
    [['npm exec cdktf-keypair-emulator'], true],
    [['node', '/usr/bin/npx', 'cdktf-keypair-emulator'], true],
    [['timeout', '600', 'cdktf-keypair-emulator'], true],
    [['/bin/sh', 'script.sh'], false],
    [['/bin/bash'], false],
    [['/usr/bin/python3', '-c', 'print()'], false],
    [['node', 'jest', 'test/cdktf-keypair-emulator.test.ts'], false],
    [undefined, false],
  ])('isPassThrough(%j) is %s', (command, expected) => {
    expect(isPassThrough(command)).toBe(expected);
  });
});
