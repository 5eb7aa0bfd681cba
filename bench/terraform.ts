/**
 * Real `terraform apply`, `plan` and `destroy` of N key pairs against the emulator, side by side with N
 * `null_resource`s running `node -e 0` at create and at destroy, through test/support/terraform.ts: with
 * the offline provider stand-ins, and in the same run, interleaved with them, with the real providers when
 * CDKTF_KEYPAIR_PROVIDER_MIRROR names a mirror of them. A preload (`NODE_OPTIONS --require`) has every node
 * process Terraform starts record its arguments, start, end and CPU time, so the report shows which
 * handler commands ran and how much of each command's wall time a handler (or `node -e 0`) was running.
 * The cost of one more pair is the slope of a line fitted through the sizes. Last, one apply of 50
 * cloud-generated key pairs without faults and one with throttling and lost answers injected: each must
 * converge in that one apply (see faultedApply).
 */
import * as fs from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { FaultSpec, RunningEmulator, startEmulator } from '../emulator';
import { fitLine, GNU_TIME, interleaved, ms, range, ratio, stats, Stats, table } from './support/measure';
import type { PartReport, TargetResult } from './support/report';
import { CLOUDS, importSpecs, synthKeyPairStack, synthNullStack } from './support/stacks';
import type { CloudName } from '../src/contract';
import { providerMirrorDirectory, TerraformWorkspace, usingStandInProviders } from '../test/support/terraform';
import { DEFAULT_MIRROR_DIRECTORY } from '../test/support/terraform-providers/mirror-layout';

export interface TerraformBenchOptions {
  readonly sizes: readonly number[];
  /** Timed rounds per size up to `targetSize` (after one untimed warm-up round). */
  readonly runs: number;
  /** Timed rounds per size above `targetSize`, without a warm-up round (the smaller sizes warmed the files). */
  readonly largeRuns: number;
  /** The size the targets are set at. */
  readonly targetSize: number;
  /** Key pairs in the clean and the faulted apply. */
  readonly throttledSize: number;
}

type Kind = 'keypair' | 'null';
type Command = 'apply' | 'plan' | 'destroy';
const COMMANDS: readonly Command[] = ['apply', 'plan', 'destroy'];
const KINDS: readonly Kind[] = ['keypair', 'null'];

/** Targets of docs/design.md#performance-targets: key pairs' wall time over the baseline's, at `targetSize`. */
const TARGETS: Readonly<Record<Command, number>> = { plan: 1.5, apply: 2, destroy: 2 };

/** Where Terraform installs hashicorp/null and hashicorp/external from. */
interface ProviderSet {
  readonly id: 'standins' | 'real';
  /** Short, for the targets table. */
  readonly name: string;
  readonly label: string;
  readonly mirrorDirectory: string;
  /** Key pair name prefix: letters and `_`, valid on every cloud. */
  readonly prefix: string;
}

/** The stand-ins always; the real providers too when CDKTF_KEYPAIR_PROVIDER_MIRROR names a mirror of them. */
function providerSets(): ProviderSet[] {
  const sets: ProviderSet[] = [{
    id: 'standins',
    name: 'stand-ins',
    label: 'the provider stand-ins (hashicorp/null and hashicorp/external served by small node programs)',
    mirrorDirectory: DEFAULT_MIRROR_DIRECTORY,
    prefix: 's',
  }];
  if (!usingStandInProviders()) {
    sets.push({
      id: 'real',
      name: 'real providers',
      label: 'the real providers (hashicorp/null 3.2.4 and hashicorp/external 2.3.5, Go programs, from the mirror CDKTF_KEYPAIR_PROVIDER_MIRROR names)',
      mirrorDirectory: providerMirrorDirectory(),
      prefix: 'r',
    });
  }
  return sets;
}

/** The emulator's actions that make a key pair, per cloud. */
const CREATE_ACTIONS: Readonly<Record<CloudName, readonly string[]>> = {
  alicloud: ['CreateKeyPair', 'ImportKeyPair'],
  tencentcloud: ['CreateKeyPair', 'ImportKeyPair'],
  ucloud: ['CreateUHostKeyPair', 'ImportUHostKeyPairs'],
};

/** Records each node process's arguments, start (node's time origin), end and CPU time, as one JSON line, in BENCH_PROCESS_LOG. */
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
  /** Step processes by handler command (`create`, `read`, …); `node -e 0` for the baseline. */
  readonly stepCommands: Readonly<Record<string, number>>;
  /** Sum of the step processes' lifetimes. */
  readonly stepMs: number;
  /** Time during which at least one step process was running. */
  readonly coveredMs: number;
  /** CPU time of the step processes. */
  readonly stepCpuMs: number;
  /** CPU time of the provider plugins when they are node programs (the stand-ins); undefined otherwise. */
  readonly providerCpuMs?: number;
  /** CPU time of terraform and everything it ran (GNU time), when GNU time is installed. */
  readonly totalCpuMs?: number;
  /** CPU time of the emulator (this process, idle otherwise while terraform runs). */
  readonly emulatorCpuMs: number;
}

/** A variant of one size: a stack on a provider set. */
type VariantId = `${ProviderSet['id']}:${Kind}`;

export async function runTerraformBench(options: TerraformBenchOptions): Promise<PartReport> {
  const scratch = fs.mkdtempSync(path.join(tmpdir(), 'bench-terraform-'));
  const preload = path.join(scratch, 'preload.js');
  fs.writeFileSync(preload, PRELOAD);
  const emulator = await startEmulator({ quotaPerScope: 100_000 });
  const workspaces: TerraformWorkspace[] = [];
  const sets = providerSets();
  const log = (text: string) => process.stderr.write(`bench: terraform: ${text}\n`);
  try {
    const samples = new Map<string, CommandSample[]>();
    for (const size of options.sizes) {
      const setups = new Map<VariantId, Setup>();
      for (const set of sets) {
        for (const kind of KINDS) {
          const setup = await setUp(set, kind, size, emulator, preload, scratch);
          workspaces.push(setup.workspace);
          setups.set(`${set.id}:${kind}`, setup);
        }
      }
      const large = size > options.targetSize;
      log(`${size} key pairs, ${large ? options.largeRuns : options.runs} rounds${large ? ' (no warm-up)' : ''}`);
      // Every stack of this size in turn (stand-ins and real providers alike), so the machine's load hits all of them.
      await interleaved([...setups.keys()], large ? options.largeRuns : options.runs, async (variant, timed) => {
        const setup = setups.get(variant)!;
        // Above the target size only apply and plan: the growth the report follows. A destroy there would
        // take longer than both, so the state and the emulator's pairs are dropped instead.
        for (const command of large ? COMMANDS.filter((c) => c !== 'destroy') : COMMANDS) {
          const sample = await runCommand(setup, command);
          checkOutcome(command, setup, emulator);
          if (timed) {
            const key = sampleKey(setup.set, setup.kind, size, command);
            samples.set(key, [...(samples.get(key) ?? []), sample]);
          }
        }
        if (large) forget(setup, emulator);
        return 0;
      }, { warmUp: !large });
      for (const setup of setups.values()) setup.workspace.dispose();
    }
    // The real providers when there are, as users meet them.
    const faultSet = sets[sets.length - 1];
    log(`apply of ${options.throttledSize} without and with faults (${faultSet.name})`);
    const clean = await faultedApply(faultSet, options.throttledSize, false, emulator, preload, scratch, workspaces);
    const faulted = await faultedApply(faultSet, options.throttledSize, true, emulator, preload, scratch, workspaces);
    return report(options, sets, samples, { set: faultSet, clean, faulted });
  } finally {
    for (const workspace of workspaces) workspace.dispose();
    await emulator.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function sampleKey(set: ProviderSet, kind: Kind, size: number, command: Command): string {
  return `${set.id}-${kind}-${size}-${command}`;
}

interface Setup {
  readonly set: ProviderSet;
  readonly kind: Kind;
  readonly size: number;
  readonly workspace: TerraformWorkspace;
  readonly processLog: string;
  /** Where GNU time writes terraform's CPU time; undefined without GNU time. */
  readonly rusageFile?: string;
  readonly names: readonly string[];
}

async function setUp(set: ProviderSet, kind: Kind, size: number, emulator: RunningEmulator, preload: string, scratch: string): Promise<Setup> {
  const id = `${set.id}-${kind}-${size}`;
  const processLog = path.join(scratch, `${id}.processes`);
  const rusageFile = fs.existsSync(GNU_TIME) ? path.join(scratch, `${id}.rusage`) : undefined;
  const workspace = await TerraformWorkspace.create({
    mirrorDirectory: set.mirrorDirectory,
    env: {
      ...emulator.handlerEnvironment(),
      NODE_OPTIONS: `--require ${preload}`,
      BENCH_PROCESS_LOG: processLog,
      ...(rusageFile ? { BENCH_RUSAGE_FILE: rusageFile } : {}),
    },
    timeoutMs: 1_200_000,
    terraformBinary: rusageFile ? timedTerraform(scratch) : undefined,
  });
  const outdir = path.join(scratch, `synth-${id}`);
  // Imported public keys: a cloud-generated pair would have the emulator, in this process, generate an
  // RSA key per create, on the same cores as Terraform: work a real cloud does on its own machines.
  const specs = kind === 'keypair' ? importSpecs(size, `${set.prefix}${size}_`) : [];
  const stackDirectory = kind === 'keypair' ? synthKeyPairStack(outdir, specs) : synthNullStack(outdir, size);
  fs.cpSync(stackDirectory, workspace.workingDirectory, { recursive: true });
  fs.rmSync(outdir, { recursive: true, force: true });
  await workspace.runOrThrow(['init']);
  return { set, kind, size, workspace, processLog, rusageFile, names: specs.map((spec) => spec.name) };
}

/** The wrapper that runs terraform under GNU time (written once). */
function timedTerraform(scratch: string): string {
  const file = path.join(scratch, 'terraform-timed.sh');
  if (!fs.existsSync(file)) fs.writeFileSync(file, TIMED_TERRAFORM, { mode: 0o755 });
  return file;
}

/** The handler command a process ran (`create`, `read`, …), or undefined when it is no handler. */
function handlerCommand(record: ProcessRecord): string | undefined {
  const index = record.args.findIndex((arg) => arg.endsWith('handler.js'));
  return index < 0 ? undefined : record.args[index + 1] ?? '?';
}

async function runCommand(setup: Setup, command: Command): Promise<CommandSample> {
  fs.rmSync(setup.processLog, { force: true });
  const args = command === 'plan' ? ['plan'] : [command, '-auto-approve'];
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  const result = await setup.workspace.runOrThrow(args);
  const emulatorCpu = process.cpuUsage(cpuBefore);
  const ended = Date.now();
  // The plan after an apply must change nothing: a plan with changes would time something else.
  if (command === 'plan' && !result.stdout.includes('No changes.')) {
    throw new Error(`terraform plan of ${setup.size} ${setup.kind} (${setup.set.name}) after apply is not a no-op:\n${result.stdout}`);
  }
  const records = fs.existsSync(setup.processLog)
    ? fs.readFileSync(setup.processLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as ProcessRecord)
    : [];
  const stepName = (record: ProcessRecord) => (setup.kind === 'keypair' ? handlerCommand(record) : record.args.join(' ') === '-e 0' ? 'node -e 0' : undefined);
  const steps = records.filter((record) => stepName(record) !== undefined);
  const stepCommands: Record<string, number> = {};
  for (const step of steps) stepCommands[stepName(step)!] = (stepCommands[stepName(step)!] ?? 0) + 1;
  const providers = records.filter((record) => record.args.some((arg) => arg.includes('terraform-provider-')));
  let totalCpuMs: number | undefined;
  if (setup.rusageFile) {
    const [user, system] = fs.readFileSync(setup.rusageFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    totalCpuMs = (user + system) * 1000;
  }
  return {
    wallMs: result.durationMs,
    steps: steps.length,
    stepCommands,
    stepMs: steps.reduce((sum, step) => sum + (step.end - step.start), 0),
    coveredMs: coveredTime(steps.map((step) => [Math.max(step.start, started), Math.min(step.end, ended)] as const)),
    stepCpuMs: steps.reduce((sum, step) => sum + step.cpuMs, 0),
    providerCpuMs: providers.length === 0 ? undefined : providers.reduce((sum, provider) => sum + provider.cpuMs, 0),
    totalCpuMs,
    emulatorCpuMs: (emulatorCpu.user + emulatorCpu.system) / 1000,
  };
}

/** The total length of the union of intervals. */
function coveredTime(intervals: ReadonlyArray<readonly [number, number]>): number {
  const sorted = [...intervals].filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let current: [number, number] | undefined;
  for (const [start, end] of sorted) {
    if (current && start <= current[1]) {
      current[1] = Math.max(current[1], end);
    } else {
      if (current) total += current[1] - current[0];
      current = [start, end];
    }
  }
  return total + (current ? current[1] - current[0] : 0);
}

/** Drops a stack's state, and its key pairs from the emulator (nothing else is in it meanwhile): as if destroyed. */
function forget(setup: Setup, emulator: RunningEmulator): void {
  for (const file of ['terraform.tfstate', 'terraform.tfstate.backup']) fs.rmSync(path.join(setup.workspace.workingDirectory, file), { force: true });
  if (setup.kind === 'keypair') emulator.reset();
}

/** After apply (and the plan that follows) every key pair exists once; after destroy none is left. */
function checkOutcome(command: Command, setup: Setup, emulator: RunningEmulator): void {
  if (setup.kind !== 'keypair') return;
  const existing = CLOUDS.flatMap((cloud) => emulator.listKeyPairs(cloud).map((keyPair) => keyPair.name));
  const names = new Set(existing.filter((name) => setup.names.includes(name)));
  const expected = command === 'destroy' ? 0 : setup.size;
  if (names.size !== expected) {
    throw new Error(`after terraform ${command} of ${setup.size} key pairs (${setup.set.name}) the emulator holds ${names.size} of them, expected ${expected}`);
  }
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
  set: ProviderSet,
  size: number,
  faulted: boolean,
  emulator: RunningEmulator,
  preload: string,
  scratch: string,
  workspaces: TerraformWorkspace[],
): Promise<FaultedApplyResult> {
  const label = faulted ? 'faulted' : 'clean';
  const workspace = await TerraformWorkspace.create({
    mirrorDirectory: set.mirrorDirectory,
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
  sets: readonly ProviderSet[],
  samples: ReadonlyMap<string, CommandSample[]>,
  faults: { readonly set: ProviderSet; readonly clean: FaultedApplyResult; readonly faulted: FaultedApplyResult },
): PartReport {
  const medianOf = (values: number[]) => stats(values).median;
  const targets: TargetResult[] = [];
  const sections: string[] = [];
  const growthRows: string[][] = [];
  const n = options.targetSize;
  for (const set of sets) {
    const get = (kind: Kind, size: number, command: Command) => samples.get(sampleKey(set, kind, size, command))!;
    // Sizes at which a command was timed (no destroy above the target size).
    const sizesOf = (command: Command) => options.sizes.filter((size) => samples.has(sampleKey(set, 'keypair', size, command)));
    const timedCommands = (size: number) => COMMANDS.filter((command) => samples.has(sampleKey(set, 'keypair', size, command)));
    const wall = (kind: Kind, size: number, command: Command): Stats => stats(get(kind, size, command).map((s) => s.wallMs));
    const cpuMedian = (kind: Kind, size: number, command: Command, field: 'totalCpuMs' | 'stepCpuMs' | 'providerCpuMs' | 'emulatorCpuMs' | 'rest') => {
      const values = get(kind, size, command).flatMap((s) => {
        const value = field === 'rest' ? (s.totalCpuMs === undefined ? undefined : s.totalCpuMs - s.stepCpuMs) : s[field];
        return value === undefined ? [] : [value];
      });
      return values.length === 0 ? undefined : medianOf(values);
    };
    const cpu = (...args: Parameters<typeof cpuMedian>) => {
      const value = cpuMedian(...args);
      return value === undefined ? '—' : ms(value);
    };
    const share = (kind: Kind, size: number, command: Command) => {
      const runs = get(kind, size, command);
      if (runs[0].steps === 0) return '—';
      const covered = medianOf(runs.map((s) => s.coveredMs));
      const counts = Object.entries(runs[0].stepCommands).map(([name, count]) => `${count} ${kind === 'keypair' ? `\`${name}\`` : ''}`.trim()).join(' + ');
      return `${counts}, ${ms(medianOf(runs.map((s) => s.stepMs / s.steps)))} each; running ${ms(covered)} (${((100 * covered) / wall(kind, size, command).median).toFixed(0)}%)`;
    };
    const rows = options.sizes.flatMap((size) =>
      timedCommands(size).map((command) => [
        `${command} ${size}`,
        range(wall('keypair', size, command)),
        share('keypair', size, command),
        range(wall('null', size, command)),
        share('null', size, command),
        ratio(wall('keypair', size, command).median / wall('null', size, command).median),
      ]),
    );
    const cpuRows = options.sizes.flatMap((size) =>
      timedCommands(size).map((command) => [
        `${command} ${size}`,
        cpu('keypair', size, command, 'totalCpuMs'),
        cpu('keypair', size, command, 'stepCpuMs'),
        cpu('keypair', size, command, 'rest'),
        cpu('keypair', size, command, 'providerCpuMs'),
        cpu('keypair', size, command, 'emulatorCpuMs'),
        cpu('null', size, command, 'totalCpuMs'),
        cpu('null', size, command, 'stepCpuMs'),
        cpu('null', size, command, 'rest'),
      ]),
    );
    if (options.sizes.includes(n)) {
      for (const command of ['plan', 'apply', 'destroy'] as const) {
        const value = wall('keypair', n, command).median / wall('null', n, command).median;
        const baseline = command === 'plan' ? `the plan of ${n} bare \`null_resource\`s` : `${n} \`null_resource\`s running \`node -e 0\` at ${command === 'apply' ? 'create' : 'destroy'}`;
        targets.push({ target: `${command} of ${n} key pairs ≤ ${TARGETS[command]}× ${baseline} (${set.name})`, figure: ratio(value), met: value <= TARGETS[command] });
      }
    }
    for (const command of COMMANDS) {
      const sizes = sizesOf(command);
      if (sizes.length >= 2) {
        const line = (value: (size: number) => number | undefined) => {
          const points = sizes.flatMap((size) => {
            const y = value(size);
            return y === undefined ? [] : [[size, y] as const];
          });
          return points.length >= 2 ? fitLine(points) : undefined;
        };
        const kp = line((size) => wall('keypair', size, command).median)!;
        const nr = line((size) => wall('null', size, command).median)!;
        const kpCpu = line((size) => cpuMedian('keypair', size, command, 'totalCpuMs'));
        const nrCpu = line((size) => cpuMedian('null', size, command, 'totalCpuMs'));
        // What one more pair cost between successive sizes: a cost that grows with N shows here, not in the line.
        const steps = (kind: Kind) =>
          sizes.slice(1).map((size, i) => {
            const previous = sizes[i];
            return ms((wall(kind, size, command).median - wall(kind, previous, command).median) / (size - previous));
          }).join(', ');
        growthRows.push([
          `${set.name}: ${command} (${sizes.join(', ')})`,
          `${ms(kp.slope)} + ${ms(kp.intercept)}`,
          steps('keypair'),
          `${ms(nr.slope)} + ${ms(nr.intercept)}`,
          steps('null'),
          ratio(kp.slope / nr.slope),
          kpCpu && nrCpu ? `${ms(kpCpu.slope)} / ${ms(nrCpu.slope)} (${ratio(kpCpu.slope / nrCpu.slope)})` : '—',
        ]);
      }
    }
    sections.push(
      `### With ${set.label}`,
      '',
      table(['command, N', 'key pairs: wall', 'handler processes; running', '`null_resource`s: wall', '`node -e 0` processes; running', 'ratio'], rows),
      '',
      `**Where the CPU goes** (medians; ${availableParallelism()} cores): CPU time of terraform and every process it ran (GNU time), of which the step processes (preload)` +
        ' and the rest (terraform itself, the provider plugins, the shells of `local-exec`), and of that the plugins when they are node programs (the stand-ins; the real providers are Go programs the preload does not see);' +
        ' the emulator\'s CPU is extra (it runs in the benchmark\'s own process).',
      '',
      table(['command, N', 'key pairs: all', 'handler', 'rest', 'of which providers', 'emulator', '`null_resource`s: all', '`node -e 0`', 'rest'], cpuRows),
      '',
    );
  }
  const { clean, faulted } = faults;
  targets.push({
    target: `one apply of ${faulted.size} key pairs converges under throttling and lost answers`,
    figure: `${faulted.keyPairs} pairs, ${faulted.keyFiles} key files in one apply (${faulted.throttled} throttled, ${faulted.lost} lost or failed answers)`,
    met: faulted.keyPairs === faulted.size && faulted.keyFiles === faulted.size && faulted.leftAfterDestroy === 0,
  });
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const large = options.sizes.filter((size) => size > n);
  const rounds = large.length === 0 ? '' : `; at ${large.join(', ')} pairs ${plural(options.largeRuns, 'round')} of apply → plan without a warm-up round, and no destroy (the state and the emulator's pairs are dropped instead)`;
  const markdown = [
    `Real Terraform with ${sets.map((set) => set.label).join(' and, in the same run, ')}; the emulator in the benchmark's process.` +
      ' Key pairs import their own RSA public keys, the three clouds in turn (a cloud-generated pair would have the emulator, on these same cores, generate an RSA key per create: a real cloud\'s work).' +
      ' The baseline is as many `null_resource`s running `node -e 0` at create and at destroy (a plan runs neither: to a plan they are bare `null_resource`s).' +
      ` Per size, every stack in turn (${sets.length * 2} stacks: key pairs and baseline${sets.length > 1 ? ', on each provider set' : ''}), ${plural(options.runs, 'round')} of apply → plan → destroy after one untimed warm-up round` +
      `${rounds}; \`terraform init\` untimed; Terraform's default parallelism (10). Every plan after an apply must be a no-op.` +
      ' Step processes: the handler (by command) or `node -e 0`, each timed from node\'s time origin to exit by a `NODE_OPTIONS=--require` preload (in both stacks);' +
      ' "running" is the time at least one of them was running, and its share of the command\'s wall time.',
    '',
    ...sections,
    ...(growthRows.length === 0 ? [] : [
      '### The cost of one more pair',
      '',
      'A least-squares line through the median wall time (and the median CPU time of terraform and all it ran) at each size: the slope is what one more key pair, or one more' +
        ' `null_resource`, adds; the intercept is the fixed cost of the command. Beside it, what one more pair cost between successive sizes' +
        ' (in the order of the sizes): a cost per pair that grows with N is superlinear, which the line hides.',
      '',
      table(
        ['provider set: command', 'key pairs: per pair + fixed', 'key pairs: per pair between sizes', '`null_resource`s: per pair + fixed', '`null_resource`s: between sizes', 'per-pair ratio', 'CPU per pair: key pairs / null'],
        growthRows,
      ),
      '',
    ]),
    `### Under faults (${faults.set.name})`,
    '',
    `One \`terraform apply\` of ${faulted.size} cloud-generated key pairs (the three clouds in turn; the handler's default retry policy) while every cloud throttles` +
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
  return {
    id: 'terraform',
    title: `Terraform: apply, plan and destroy of ${options.sizes.join(', ')} key pairs vs \`null_resource\`s running \`node -e 0\``,
    markdown,
    targets,
  };
}
