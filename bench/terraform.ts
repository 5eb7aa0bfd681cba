/**
 * Real `terraform apply`, `plan` and `destroy` of N key pairs against the emulator, side by side with N
 * `null_resource`s whose provisioner runs `node -e 0`, with the offline provider stand-ins (or the mirror
 * CDKTF_KEYPAIR_PROVIDER_MIRROR names) through test/support/terraform.ts. A preload (`NODE_OPTIONS
 * --require`) has every node process Terraform starts record when it started and ended, so the report
 * shows how much of each command's wall time a handler (or `node -e 0`) was running. Last, one apply of
 * 50 cloud-generated key pairs with throttling injected: every pair must be created exactly once (the
 * emulator's request journal).
 */
import * as fs from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { RunningEmulator, startEmulator } from '../emulator';
import { GNU_TIME, interleaved, ms, range, ratio, stats, Stats, table } from './support/measure';
import type { PartReport } from './support/report';
import { CLOUDS, importSpecs, synthKeyPairStack, synthNullStack } from './support/stacks';
import type { CloudName } from '../src/contract';
import { TerraformWorkspace } from '../test/support/terraform';

export interface TerraformBenchOptions {
  readonly sizes: readonly number[];
  /** Timed rounds per size (after one untimed warm-up round). */
  readonly runs: number;
  /** Key pairs in the throttled apply. */
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
    const throttled = await throttledApply(options.throttledSize, emulator, preload, scratch, workspaces);
    return report(options, samples, throttled);
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

interface ThrottledResult {
  readonly size: number;
  readonly wallMs: number;
  readonly throttled: number;
  readonly requests: number;
  readonly createsHandled: number;
  readonly keyPairs: number;
  readonly keyFiles: number;
  readonly leftAfterDestroy: number;
}

/**
 * One apply of `size` cloud-generated key pairs with the first requests to each cloud throttled (as many
 * as that cloud has pairs, on any action), then destroy: the journal must show one handled create per pair.
 */
async function throttledApply(
  size: number,
  emulator: RunningEmulator,
  preload: string,
  scratch: string,
  workspaces: TerraformWorkspace[],
): Promise<ThrottledResult> {
  const workspace = await TerraformWorkspace.create({
    env: { ...emulator.handlerEnvironment(), NODE_OPTIONS: `--require ${preload}` },
    timeoutMs: 600_000,
  });
  workspaces.push(workspace);
  const specs = Array.from({ length: size }, (_, i) => ({
    cloud: CLOUDS[i % CLOUDS.length],
    name: `throttled_${i}`,
    privateKeyFile: path.join(workspace.rootDirectory, 'keys', `throttled_${i}.pem`),
  }));
  fs.cpSync(synthKeyPairStack(path.join(scratch, 'synth-throttled'), specs), workspace.workingDirectory, { recursive: true });
  await workspace.runOrThrow(['init']);
  emulator.reset();
  const perCloud = (cloud: CloudName) => specs.filter((spec) => spec.cloud === cloud).length;
  for (const cloud of CLOUDS) emulator.injectFault({ cloud, kind: 'throttle', count: perCloud(cloud) });
  const applied = await workspace.runOrThrow(['apply', '-auto-approve']);
  const journal = emulator.requests();
  const createsHandled = journal.filter((entry) => entry.handled && CREATE_ACTIONS[entry.cloud].includes(entry.action ?? '')).length;
  for (const cloud of CLOUDS) {
    const creates = journal.filter((entry) => entry.cloud === cloud && entry.handled && CREATE_ACTIONS[cloud].includes(entry.action ?? '')).length;
    if (creates !== perCloud(cloud)) throw new Error(`throttled apply: ${creates} creates handled on ${cloud}, expected ${perCloud(cloud)}`);
  }
  const names = new Set(specs.map((spec) => spec.name));
  const keyPairs = CLOUDS.flatMap((cloud) => emulator.listKeyPairs(cloud)).filter((keyPair) => names.has(keyPair.name)).length;
  if (keyPairs !== size) throw new Error(`throttled apply: ${keyPairs} key pairs exist, expected ${size}`);
  const keyFiles = specs.filter((spec) => fs.existsSync(spec.privateKeyFile)).length;
  if (keyFiles !== size) throw new Error(`throttled apply: ${keyFiles} private key files written, expected ${size}`);
  const throttled = journal.filter((entry) => entry.fault === 'throttle').length;
  if (throttled !== size) throw new Error(`throttled apply: ${throttled} requests throttled, expected ${size}`);
  await workspace.runOrThrow(['destroy', '-auto-approve']);
  const leftAfterDestroy = CLOUDS.flatMap((cloud) => emulator.listKeyPairs(cloud)).filter((keyPair) => names.has(keyPair.name)).length;
  if (leftAfterDestroy !== 0) throw new Error(`throttled apply: ${leftAfterDestroy} key pairs left after destroy`);
  return { size, wallMs: applied.durationMs, throttled, requests: journal.length, createsHandled, keyPairs, keyFiles, leftAfterDestroy };
}

function report(options: TerraformBenchOptions, samples: ReadonlyMap<string, CommandSample[]>, throttled: ThrottledResult): PartReport {
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
      target: `apply of ${throttled.size} key pairs with throttling injected: each created exactly once`,
      figure: `${throttled.throttled} requests throttled; ${throttled.createsHandled} creates handled for ${throttled.size} pairs`,
      met: throttled.createsHandled === throttled.size && throttled.keyPairs === throttled.size,
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
    `**Throttling**: one \`terraform apply\` of ${throttled.size} cloud-generated key pairs (the three clouds in turn) with the first requests to each cloud throttled` +
      ` (as many as it has pairs, on any action; the handler's default retry policy): ${ms(throttled.wallMs)};` +
      ` ${throttled.throttled} of ${throttled.requests} requests throttled; ${throttled.createsHandled} creates carried out for ${throttled.size} pairs (exactly once each, per cloud);` +
      ` ${throttled.keyPairs} pairs and ${throttled.keyFiles} private key files afterwards; ${throttled.leftAfterDestroy} left after \`terraform destroy\`.`,
  ].join('\n');
  return { id: 'terraform', title: `Terraform: apply, plan and destroy of ${options.sizes.join(', ')} key pairs vs \`null_resource\`s running \`node -e 0\``, markdown, targets };
}
