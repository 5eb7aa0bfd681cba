import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildMirror } from './terraform-providers/build-mirror';
import { DEFAULT_MIRROR_DIRECTORY, providerAddresses } from './terraform-providers/mirror-layout';
import { providerMirrorDirectory } from './terraform-providers/mirror-selection';

export { PROVIDER_MIRROR_ENV, providerMirrorDirectory, usingStandInProviders } from './terraform-providers/mirror-selection';

/**
 * Runs the real `terraform` binary in a throwaway working directory wired to a provider mirror: the
 * offline stand-ins, or the real providers when CDKTF_KEYPAIR_PROVIDER_MIRROR names a mirror of them.
 * Each workspace has its own CLI config (selected with TF_CLI_CONFIG_FILE, so the user's own Terraform
 * configuration is never read), data dir and TMPDIR, and an allow-listed environment.
 */

/** Marks the processes of one workspace (Terraform passes its environment on to provider plugins). */
const WORKSPACE_MARKER_ENV = 'TERRAFORM_TEST_WORKSPACE';
const DEFAULT_TIMEOUT_MS = 120_000;
/** After a timeout, how long Terraform and its plugins get to stop before they are killed. */
const KILL_GRACE_MS = 3_000;
/** Commands whose output should carry no colour codes. */
const NO_COLOR_COMMANDS = ['init', 'validate', 'plan', 'apply', 'destroy', 'refresh', 'output', 'show', 'providers', 'state'];
/**
 * The only variables a workspace takes from the environment of the person running the tests. Anything
 * else (cloud credentials, TF_* settings, NODE_OPTIONS) would reach Terraform, its providers and every
 * program they start, and make a test pass or fail by who runs it.
 */
const INHERITED_VARIABLE = /^(PATH|HOME|LANG|LC_[A-Z]+|TZ|USER|SHELL)$/;

export interface TerraformRunResult {
  readonly args: readonly string[];
  /** null when the process was killed by a signal. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  readonly timedOut: boolean;
}

export interface TerraformRunOptions {
  /** Default: the workspace's timeout (120 s unless configured). */
  readonly timeoutMs?: number;
  /** Extra environment for this command only, e.g. `TF_VAR_name`. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Called with Terraform's process id once it runs (it leads its own process group: signal `-pid` to
   * reach every plugin and program it started), e.g. to interrupt it.
   */
  readonly onSpawn?: (pid: number) => void;
}

export interface TerraformWorkspaceOptions {
  /** Files to write into the working directory, e.g. `{ 'main.tf': '...' }`. */
  readonly files?: Readonly<Record<string, string>>;
  /**
   * The filesystem mirror Terraform installs null and external from. Default: `providerMirrorDirectory()`.
   * Only the stand-ins' own mirror (`.tf-providers/`) is built when needed; any other must be ready.
   */
  readonly mirrorDirectory?: string;
  /** Extra environment for every command (the only way to pass anything beyond the allow-list). */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** Default: `terraform` from PATH. */
  readonly terraformBinary?: string;
}

/** What a command left behind that it should not have. */
export interface TerraformLeftovers {
  /** Provider plugin processes of this workspace still running. */
  readonly pluginProcesses: readonly number[];
  /** Entries in the workspace's private TMPDIR (where plugins put their socket directories). */
  readonly tempEntries: readonly string[];
}

export class TerraformCommandError extends Error {
  constructor(readonly result: TerraformRunResult) {
    super(
      `terraform ${result.args.join(' ')} ${result.timedOut ? 'timed out' : `exited with ${result.exitCode ?? result.signal}`}`
      + `\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
    );
    this.name = 'TerraformCommandError';
  }
}

const mirrorsBuilt = new Map<string, Promise<unknown>>();

/** Builds the provider mirror once per test process (a no-op when its inputs are unchanged). */
function ensureMirror(mirrorDirectory: string): Promise<unknown> {
  let built = mirrorsBuilt.get(mirrorDirectory);
  if (!built) {
    built = buildMirror(mirrorDirectory);
    mirrorsBuilt.set(mirrorDirectory, built);
  }
  return built;
}

/** The variables of `env` a workspace passes on: PATH, HOME, locale, TZ, USER and SHELL. */
export function inheritedEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] =>
    INHERITED_VARIABLE.test(entry[0]) && entry[1] !== undefined));
}

/** Terraform wraps diagnostics to the terminal width; assertions read its output as one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** The CLI config that installs null and external from the mirror and nothing from any registry. */
export function cliConfigSelectingMirror(mirrorDirectory: string): string {
  return [
    'disable_checkpoint = true',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirrorDirectory)}`,
    `    include = ${JSON.stringify(providerAddresses())}`,
    '  }',
    '}',
    '',
  ].join('\n');
}

export class TerraformWorkspace {
  /** Creates a fresh workspace in a new temporary directory. */
  static async create(options: TerraformWorkspaceOptions = {}): Promise<TerraformWorkspace> {
    const mirrorDirectory = path.resolve(options.mirrorDirectory ?? providerMirrorDirectory());
    if (mirrorDirectory === DEFAULT_MIRROR_DIRECTORY) await ensureMirror(mirrorDirectory);
    const workspace = new TerraformWorkspace(mkdtempSync(path.join(tmpdir(), 'terraform-test-')), mirrorDirectory, options);
    for (const [file, content] of Object.entries(options.files ?? {})) workspace.writeFile(file, content);
    return workspace;
  }

  /** The configuration directory Terraform runs in (holds the lock file and the local state). */
  readonly workingDirectory: string;
  /** TMPDIR for Terraform and everything it starts; empty again after each well-behaved command. */
  readonly tempDirectory: string;
  /** The environment every command runs with (also marks the processes Terraform starts from it). */
  readonly environment: Readonly<NodeJS.ProcessEnv>;
  private readonly id = randomUUID();

  private constructor(readonly rootDirectory: string, readonly mirrorDirectory: string, private readonly options: TerraformWorkspaceOptions) {
    this.workingDirectory = path.join(rootDirectory, 'work');
    this.tempDirectory = path.join(rootDirectory, 'tmp');
    const dataDirectory = path.join(rootDirectory, 'terraform-data');
    const cliConfigFile = path.join(rootDirectory, 'terraform.rc');
    for (const directory of [this.workingDirectory, this.tempDirectory]) mkdirSync(directory, { recursive: true });
    writeFileSync(cliConfigFile, cliConfigSelectingMirror(mirrorDirectory));

    this.environment = {
      ...inheritedEnvironment(),
      TF_CLI_CONFIG_FILE: cliConfigFile,
      TF_DATA_DIR: dataDirectory,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      TMPDIR: this.tempDirectory,
      [WORKSPACE_MARKER_ENV]: this.id,
      ...Object.fromEntries(NO_COLOR_COMMANDS.map((command) => [`TF_CLI_ARGS_${command}`, '-no-color'])),
      ...options.env,
    };
  }

  writeFile(relativePath: string, content: string): void {
    const file = path.join(this.workingDirectory, relativePath);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }

  readFile(relativePath: string): string {
    return readFileSync(path.join(this.workingDirectory, relativePath), 'utf8');
  }

  /** Runs `terraform <args>` in the working directory; never throws for a non-zero exit. */
  run(args: readonly string[], options: TerraformRunOptions = {}): Promise<TerraformRunResult> {
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const started = Date.now();
    return new Promise((resolve, reject) => {
      // Its own process group, so a timeout stops Terraform and every plugin it started.
      const child = spawn(this.options.terraformBinary ?? 'terraform', args, {
        cwd: this.workingDirectory,
        env: { ...this.environment, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      if (child.pid !== undefined) options.onSpawn?.(child.pid);
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      let timedOut = false;
      let killTimer: NodeJS.Timeout | undefined;
      const timeoutTimer = setTimeout(() => {
        timedOut = true;
        signalGroup(child.pid, 'SIGTERM');
        killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
      }, timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timeoutTimer);
        reject(error);
      });
      child.on('close', (exitCode, signal) => {
        clearTimeout(timeoutTimer);
        clearTimeout(killTimer);
        resolve({
          args,
          exitCode,
          signal,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          durationMs: Date.now() - started,
          timedOut,
        });
      });
    });
  }

  /** Runs `terraform <args>` and throws a TerraformCommandError (with all output) unless it exits 0. */
  async runOrThrow(args: readonly string[], options: TerraformRunOptions = {}): Promise<TerraformRunResult> {
    const result = await this.run(args, options);
    if (result.exitCode !== 0) throw new TerraformCommandError(result);
    return result;
  }

  /** The root module's outputs, as `terraform output -json` reports their values. */
  async outputs(): Promise<Record<string, unknown>> {
    const result = await this.runOrThrow(['output', '-json']);
    const outputs = JSON.parse(result.stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.value]));
  }

  /** Plugin processes and temporary files of this workspace that outlived the last command. */
  leftovers(): TerraformLeftovers {
    return { pluginProcesses: findPluginProcesses(WORKSPACE_MARKER_ENV, this.id), tempEntries: readdirSync(this.tempDirectory) };
  }

  /** Stops any plugin this workspace left running and deletes the workspace. */
  dispose(): void {
    for (const pid of findPluginProcesses(WORKSPACE_MARKER_ENV, this.id)) signalProcess(pid, 'SIGKILL');
    rmSync(this.rootDirectory, { recursive: true, force: true });
  }
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid !== undefined) signalProcess(-pid, signal);
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Provider plugin processes (`terraform-provider-*` on their command line) whose environment carries
 * the given marker: other workspaces and parallel test workers have other markers.
 */
export function findPluginProcesses(markerName: string, markerValue: string): number[] {
  const marker = `${markerName}=${markerValue}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!commandLine.includes('terraform-provider-')) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(marker)) found.push(Number(entry));
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return found;
}
