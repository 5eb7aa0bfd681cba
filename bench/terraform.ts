/**
 * Real `terraform apply`, `plan` and `destroy` of N key pairs against the emulator, side by side with N
 * `null_resource`s whose provisioner runs `node -e 0`, with the offline provider stand-ins (or the mirror
 * CDKTF_KEYPAIR_PROVIDER_MIRROR names) through test/support/terraform.ts. A preload (`NODE_OPTIONS
 * --require`) has every node process Terraform starts record when it started and ended, so the report
 * shows how much of each command's wall time a handler (or `node -e 0`) was running. Last, one apply of
 * 50 cloud-generated key pairs without faults and one with throttling and lost answers injected: each must
 * converge in that one apply (see faultedApply).
 */
import * as fs from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { FaultSpec, RunningEmulator, startEmulator } from '../emulator';
import { GNU_TIME, interleaved, ms, range, ratio, stats, Stats, table } from './support/measure';
import type { PartReport } from './support/report';
import { CLOUDS, importSpecs, synthKeyPairStack, synthNullStack } from './support/stacks';
import type { CloudName } from '../src/contract';
import { TerraformWorkspace } from '../test/support/terraform';

export interface TerraformBenchOptions {
  readonly sizes: readonly number[];
  /** Timed rounds per size (after one untimed warm-up round). */
  readonly runs: number;
  /** Key pairs in the clean and the faulted apply. */
  readonly throttledSize: number;
}

type Kind = 'keypair' | 'null';
type Command = 'apply' | 'plan' | 'destroy';
const COMMANDS: readonly Command[] = ['apply', 'plan', 'destroy'];

/** The emulator's actions that make a key pair, per cloud. */
const CREATE_ACTIONS: Readonly<Record<CloudName, readonly string[]>> = {
  alicloud: ['CreateKeyPair', 'ImportKeyPair'],
  tencentcloud: ['CreateKeyPair', 'ImportKeyPair'],
  ucloud: ['CreateUHostKeyPair', 'ImportUHostKeyPairs'],
};

/** Records each node process's start (node's time origin) and end, as one JSON line, in BENCH_PROCESS_LOG. */
const PRELOAD = `
const { appendFileSync } = require('fs');
const { performance } = require('perf_hooks');
const log = process.env.BENCH_PROCESS_LOG;
if (log) {
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    const entry = { args: process.argv.slice(1).concat(process.execArgv), start: performance.timeOrigin, end: performance.timeOrigin + performance.now(), cpuMs: (cpu.user + cpu.system) / 1000 };
    try { appendFileSync(log, JSON.stringify(entry) + '\\n'); } catch {}
  });
}
`;

interface ProcessRecord {
  readonly args: readonly string[];
  readonly start: number;
  readonly end: number;
  /** User + system CPU time of the process. */
  readonly cpuMs: number;
}

/** Runs terraform under GNU time, which writes the CPU time of terraform and every process it waited for. */
const TIMED_TERRAFORM = `#!/bin/sh
exec ${GNU_TIME} -f '%U %S' -o "$BENCH_RUSAGE_FILE" terraform "$@"
`;

/** One terraform command: its wall time, and the step processes (handler or `node -e 0`) it ran. */
interface CommandSample {
  readonly wallMs: number;
  readonly steps: number;
  /** Sum of the step processes' lifetimes. */
  readonly stepMs: number;
  /** Time during which at least one step process was running. */
  readonly coveredMs: number;
  /** CPU time of the step processes. */
  readonly stepCpuMs: number;
  /** CPU time of the provider plugins (the stand-ins are node programs). */
  readonly providerCpuMs: number;
  /** CPU time of terraform and everything it ran (GNU time), when GNU time is installed. */
  readonly totalCpuMs?: number;
  /** CPU time of the emulator (this process, idle otherwise while terraform runs). */
  readonly emulatorCpuMs: number;
}

export async function runTerraformBench(options: TerraformBenchOptions): Promise<PartReport> {
  const scratch = fs.mkdtempSync(path.join(tmpdir(), 'bench-terraform-'));
  const preload = path.join(scratch, 'preload.js');
  fs.writeFileSync(preload, PRELOAD);
  const emulator = await startEmulator({ quotaPerScope: 100_000 });
  const workspaces: TerraformWorkspace[] = [];
  try {
    const samples = new Map<string, CommandSample[]>();
    for (const size of options.sizes) {
      const setups = {} as Record<Kind, Setup>;
      for (const kind of ['keypair', 'null'] as const) {
        setups[kind] = await setUp(kind, size, emulator, preload, scratch);
        workspaces.push(setups[kind].workspace);
      }
      await interleaved(['keypair', 'null'] as const, options.runs, async (kind) => {
        for (const command of COMMANDS) {
          const key = `${kind}-${size}-${command}`;
          samples.set(key, [...(samples.get(key) ?? []), await runCommand(setups[kind], command)]);
          checkOutcome(kind, command, size, setups[kind], emulator);
        }
        return 0;
      });
      // interleaved() ran one untimed warm-up round first: drop it.
      for (const kind of ['keypair', 'null'] as const) for (const command of COMMANDS) samples.get(`${kind}-${size}-${command}`)!.shift();
    }
    const clean = await faultedApply(options.throttledSize, false, emulator, preload, scratch, workspaces);
    const faulted = await faultedApply(options.throttledSize, true, emulator, preload, scratch, workspaces);
    return report(options, samples, { clean, faulted });
  } finally {
    for (const workspace of workspaces) workspace.dispose();
    await emulator.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

interface Setup {
  readonly kind: Kind;
  readonly size: number;
  readonly workspace: TerraformWorkspace;
  readonly processLog: string;
  /** Where GNU time writes terraform's CPU time; undefined without GNU time. */
  readonly rusageFile?: string;
  readonly names: readonly string[];
}

async function setUp(kind: Kind, size: number, emulator: RunningEmulator, preload: string, scratch: string): Promise<Setup> {
  const processLog = path.join(scratch, `${kind}-${size}.processes`);
  const rusageFile = fs.existsSync(GNU_TIME) ? path.join(scratch, `${kind}-${size}.rusage`) : undefined;
  const workspace = await TerraformWorkspace.create({
    env: {
      ...emulator.handlerEnvironment(),
      NODE_OPTIONS: `--require ${preload}`,
      BENCH_PROCESS_LOG: processLog,
      ...(rusageFile ? { BENCH_RUSAGE_FILE: rusageFile } : {}),
    },
    timeoutMs: 600_000,
    terraformBinary: rusageFile ? timedTerraform(scratch) : undefined,
  });
  const outdir = path.join(scratch, `synth-${kind}-${size}`);
  // Imported public keys: a cloud-generated pair would have the emulator, in this process, generate an
  // RSA key per create, on the same cores as Terraform: work a real cloud does on its own machines.
  const specs = kind === 'keypair' ? importSpecs(size, `kp${size}_`) : [];
  const stackDirectory = kind === 'keypair' ? synthKeyPairStack(outdir, specs) : synthNullStack(outdir, size);
  fs.cpSync(stackDirectory, workspace.workingDirectory, { recursive: true });
  await workspace.runOrThrow(['init']);
  return { kind, size, workspace, processLog, rusageFile, names: specs.map((spec) => spec.name) };
}

/** The wrapper that runs terraform under GNU time (written once). */
function timedTerraform(scratch: string): string {
  const file = path.join(scratch, 'terraform-timed.sh');
  if (!fs.existsSync(file)) fs.writeFileSync(file, TIMED_TERRAFORM, { mode: 0o755 });
  return file;
}

async function runCommand(setup: Setup, command: Command): Promise<CommandSample> {
  fs.rmSync(setup.processLog, { force: true });
  const args = command === 'plan' ? ['plan'] : [command, '-auto-approve'];
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  const result = await setup.workspace.runOrThrow(args);
  const emulatorCpu = process.cpuUsage(cpuBefore);
  const ended = Date.now();
  const records = fs.existsSync(setup.processLog)
    ? fs.readFileSync(setup.processLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as ProcessRecord)
    : [];
  const steps = records.filter((record) => (setup.kind === 'keypair' ? record.args.some((arg) => arg.endsWith('handler.js')) : record.args.join(' ') === '-e 0'));
  const providers = records.filter((record) => record.args.some((arg) => arg.includes('terraform-provider-')));
  let totalCpuMs: number | undefined;
  if (setup.rusageFile) {
    const [user, system] = fs.readFileSync(setup.rusageFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    totalCpuMs = (user + system) * 1000;
  }
  return {
    wallMs: result.durationMs,
    steps: steps.length,
    stepMs: steps.reduce((sum, step) => sum + (step.end - step.start), 0),
    coveredMs: coveredTime(steps.map((step) => [Math.max(step.start, started), Math.min(step.end, ended)] as const)),
    stepCpuMs: steps.reduce((sum, step) => sum + step.cpuMs, 0),
    providerCpuMs: providers.reduce((sum, provider) => sum + provider.cpuMs, 0),
    totalCpuMs,
    emulatorCpuMs: (emulatorCpu.user + emulatorCpu.system) / 1000,
  };
}

function nproc(): number {
  return availableParallelism();
}

/** The total length of the union of intervals. */
function coveredTime(intervals: ReadonlyArray<readonly [number, number]>): number {
  const sorted = [...intervals].filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let current: [number, number] | undefined;
  for (const [start, end] of sorted) {
    if (current && start <= current[1]) {current[1] = Math.max(current[1], end);} else {
      if (current) total += current[1] - current[0];
      current = [start, end];
    }
  }
  return total + (current ? current[1] - current[0] : 0);
}

/** After apply every key pair exists once; after destroy none is left. */
function checkOutcome(kind: Kind, command: Command, size: number, setup: Setup, emulator: RunningEmulator): void {
  if (kind !== 'keypair') return;
  const existing = CLOUDS.flatMap((cloud) => emulator.listKeyPairs(cloud).map((keyPair) => keyPair.name));
  const names = new Set(existing.filter((name) => setup.names.includes(name)));
  const expected = command === 'destroy' ? 0 : size;
  if (names.size !== expected) throw new Error(`after terraform ${command} of ${size} key pairs the emulator holds ${names.size} of them, expected ${expected}`);
}

interface FaultedApplyResult {
  readonly size: number;
  readonly wallMs: number;
  /** Requests the emulator answered for the apply. */
  readonly requests: number;
  readonly throttled: number;
  /** Answers lost after the cloud acted, and internal errors in front of it. */
  readonly lost: number;
  readonly createsHandled: number;
  readonly keyPairs: number;
  readonly keyFiles: number;
  readonly leftAfterDestroy: number;
}

/** What the faulted apply meets on each cloud: throttling on every action, lost answers, Tencent's internal errors. */
function faultsOf(cloud: CloudName, size: number): FaultSpec[] {
  const create = CREATE_ACTIONS[cloud][0];
  return [
    { cloud, kind: 'throttle', count: Math.ceil((3 * size) / CLOUDS.length) },
    { cloud, action: create, kind: 'drop-connection', count: 2, afterAction: true },
    { cloud, action: create, kind: 'malformed-body', count: 1, afterAction: true },
    ...(cloud === 'tencentcloud' ? [{ cloud, action: create, kind: 'server-error' as const, count: 2 }] : []),
  ];
}

/**
 * One apply of `size` cloud-generated key pairs (the three clouds in turn) without faults, then the same apply
 * (a fresh stack) with throttling on every action and lost answers to creates: both must end with one pair
 * and one key file per name in a single apply, and nothing after destroy. Reports how long convergence took
 * and how many requests each pair cost, against the clean apply.
 */
async function faultedApply(
  size: number,
  faulted: boolean,
  emulator: RunningEmulator,
  preload: string,
  scratch: string,
  workspaces: TerraformWorkspace[],
): Promise<FaultedApplyResult> {
  const label = faulted ? 'faulted' : 'clean';
  const workspace = await TerraformWorkspace.create({
    env: { ...emulator.handlerEnvironment(), NODE_OPTIONS: `--require ${preload}` },
    timeoutMs: 900_000,
  });
  workspaces.push(workspace);
  const specs = Array.from({ length: size }, (_, i) => ({
    cloud: CLOUDS[i % CLOUDS.length],
    name: `${label}_${i}`,
    privateKeyFile: path.join(workspace.rootDirectory, 'keys', `${label}_${i}.pem`),
  }));
  fs.cpSync(synthKeyPairStack(path.join(scratch, `synth-${label}`), specs), workspace.workingDirectory, { recursive: true });
  await workspace.runOrThrow(['init']);
  emulator.reset();
  if (faulted) for (const cloud of CLOUDS) for (const fault of faultsOf(cloud, size)) emulator.injectFault(fault);
  const applied = await workspace.runOrThrow(['apply', '-auto-approve']);
  const journal = emulator.requests();
  if (emulator.pendingFaults().length > 0) throw new Error(`${label} apply: faults left unmet: ${JSON.stringify(emulator.pendingFaults())}`);
  const names = new Set(specs.map((spec) => spec.name));
  const held = CLOUDS.flatMap((cloud) => emulator.listKeyPairs(cloud)).map((keyPair) => keyPair.name);
  const keyPairs = held.filter((name) => names.has(name)).length;
  if (keyPairs !== size || new Set(held).size !== held.length) throw new Error(`${label} apply: ${keyPairs} of ${held.length} key pairs are ours, expected ${size}, one per name`);
  const keyFiles = specs.filter((spec) => fs.existsSync(spec.privateKeyFile)).length;
  if (keyFiles !== size) throw new Error(`${label} apply: ${keyFiles} private key files written, expected ${size}`);
  await workspace.runOrThrow(['destroy', '-auto-approve']);
  const leftAfterDestroy = CLOUDS.flatMap((cloud) => emulator.listKeyPairs(cloud)).filter((keyPair) => names.has(keyPair.name)).length;
  if (leftAfterDestroy !== 0) throw new Error(`${label} apply: ${leftAfterDestroy} key pairs left after destroy`);
  return {
    size,
    wallMs: applied.durationMs,
    requests: journal.length,
    throttled: journal.filter((entry) => entry.fault === 'throttle').length,
    lost: journal.filter((entry) => entry.fault !== undefined && entry.fault !== 'throttle').length,
    createsHandled: journal.filter((entry) => entry.handled && CREATE_ACTIONS[entry.cloud].includes(entry.action ?? '')).length,
    keyPairs,
    keyFiles,
    leftAfterDestroy,
  };
}

function report(
  options: TerraformBenchOptions,
  samples: ReadonlyMap<string, CommandSample[]>,
  { clean, faulted }: { readonly clean: FaultedApplyResult; readonly faulted: FaultedApplyResult },
): PartReport {
  const get = (kind: Kind, size: number, command: Command) => samples.get(`${kind}-${size}-${command}`)!;
  const wall = (kind: Kind, size: number, command: Command): Stats => stats(get(kind, size, command).map((s) => s.wallMs));
  const medianOf = (values: number[]) => stats(values).median;
  const share = (kind: Kind, size: number, command: Command) => {
    const runs = get(kind, size, command);
    const covered = medianOf(runs.map((s) => s.coveredMs));
    return runs[0].steps === 0 ? '—' : `${runs[0].steps} × ${ms(medianOf(runs.map((s) => s.stepMs / s.steps)))}; running ${ms(covered)} (${((100 * covered) / wall(kind, size, command).median).toFixed(0)}%)`;
  };
  const rows = options.sizes.flatMap((size) =>
    COMMANDS.map((command) => [
      `${command} ${size}`,
      range(wall('keypair', size, command)),
      share('keypair', size, command),
      range(wall('null', size, command)),
      share('null', size, command),
      ratio(wall('keypair', size, command).median / wall('null', size, command).median),
    ]),
  );
  const cpu = (kind: Kind, size: number, command: Command, field: 'totalCpuMs' | 'stepCpuMs' | 'providerCpuMs' | 'emulatorCpuMs') => {
    const values = get(kind, size, command).flatMap((s) => (s[field] === undefined ? [] : [s[field]!]));
    return values.length === 0 ? 'n/a' : ms(medianOf(values));
  };
  const cpuRows = options.sizes.flatMap((size) =>
    COMMANDS.map((command) => [
      `${command} ${size}`,
      cpu('keypair', size, command, 'totalCpuMs'),
      cpu('keypair', size, command, 'stepCpuMs'),
      cpu('keypair', size, command, 'providerCpuMs'),
      cpu('keypair', size, command, 'emulatorCpuMs'),
      cpu('null', size, command, 'totalCpuMs'),
      cpu('null', size, command, 'stepCpuMs'),
      cpu('null', size, command, 'providerCpuMs'),
    ]),
  );
  const largest = Math.max(...options.sizes);
  const applyRatio = wall('keypair', largest, 'apply').median / wall('null', largest, 'apply').median;
  const targets = [
    { target: `\`terraform apply\` of ${largest} key pairs ≤ 1.3× ${largest} \`null_resource\`s running \`node -e 0\``, figure: ratio(applyRatio), met: applyRatio <= 1.3 },
    {
      target: `one apply of ${faulted.size} key pairs converges under throttling and lost answers`,
      figure: `${faulted.keyPairs} pairs, ${faulted.keyFiles} key files in one apply (${faulted.throttled} throttled, ${faulted.lost} lost or failed answers)`,
      met: faulted.keyPairs === faulted.size && faulted.keyFiles === faulted.size && faulted.leftAfterDestroy === 0,
    },
  ];
  const markdown = [
    'Real Terraform with the provider stand-ins (hashicorp/null and hashicorp/external served by small node programs), the emulator in the benchmark\'s process.' +
      ' Key pairs import their own RSA public keys, the three clouds in turn (a cloud-generated pair would have the emulator, on these same cores, generate an RSA key per create: a real cloud\'s work).' +
      ` ${options.runs} interleaved rounds of apply → plan → destroy per size and stack, after one untimed warm-up round; \`terraform init\` untimed.` +
      ' Step processes: the handler (key pairs: on apply a create and a read per pair, on plan a read, on destroy a read and a delete) or `node -e 0` (the baseline, on apply only), each timed from node\'s time origin to exit by a `NODE_OPTIONS=--require` preload (in both stacks);' +
      ' "running" is the time at least one of them was running, and its share of the command\'s wall time.',
    '',
    table(['command, N', 'key pairs: wall', 'handler processes: count × median life; running', '`null_resource`s: wall', '`node -e 0` processes', 'ratio'], rows),
    '',
    `**Where the CPU goes** (medians; ${nproc()} cores): CPU time of terraform and every process it ran (GNU time), of which the step processes and the provider plugins (preload);` +
      ' the emulator\'s CPU is extra (it runs in the benchmark\'s own process).',
    '',
    table(['command, N', 'key pairs: all', 'handler', 'providers', 'emulator', '`null_resource`s: all', '`node -e 0`', 'providers'], cpuRows),
    '',
    `**Under faults**: one \`terraform apply\` of ${faulted.size} cloud-generated key pairs (the three clouds in turn; the handler's default retry policy) while every cloud throttles` +
      ` ${Math.ceil((3 * faulted.size) / CLOUDS.length)} requests on any action, loses the answers to three creates after acting (two dropped connections, one truncated body)` +
      ' and, on Tencent, answers two creates with an internal error; against the same apply without faults, in the same run:',
    '',
    table(
      ['apply of ' + faulted.size, 'wall', 'requests', 'requests per pair', 'creates carried out', 'pairs and key files after the one apply', 'left after destroy'],
      [clean, faulted].map((result) => [
        result === clean ? 'no faults' : `${result.throttled} throttled, ${result.lost} lost or failed`,
        ms(result.wallMs),
        String(result.requests),
        (result.requests / result.size).toFixed(1),
        String(result.createsHandled),
        `${result.keyPairs}, ${result.keyFiles}`,
        String(result.leftAfterDestroy),
      ]),
    ),
    '',
    `Convergence under faults took ${ratio(faulted.wallMs / clean.wallMs)} the clean apply's time.`,
  ].join('\n');
  return { id: 'terraform', title: `Terraform: apply, plan and destroy of ${options.sizes.join(', ')} key pairs vs \`null_resource\`s running \`node -e 0\``, markdown, targets };
}
