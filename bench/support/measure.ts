/**
 * What every benchmark part needs: a fresh process timed from spawn to exit, its peak RSS, and min /
 * median / max over repeated runs.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** GNU time, whose `-f %M` reports a process's peak resident set size in KiB. */
export const GNU_TIME = '/usr/bin/time';

export interface ProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Written to standard input, which is then closed (the external data source's query). */
  readonly stdin?: string;
}

export interface ProcessResult {
  readonly wallMs: number;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one process to its end; wall time from spawn to the close of its output. Never throws for a non-zero exit. */
export function runProcess(spec: ProcessSpec): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(spec.command, [...spec.args], {
      env: spec.env,
      cwd: spec.cwd,
      stdio: [spec.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      resolve({
        wallMs: Number(process.hrtime.bigint() - started) / 1e6,
        exitCode,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
    if (spec.stdin !== undefined) child.stdin!.end(spec.stdin);
  });
}

/** Runs a process that must succeed (exit 0, and print what `check` accepts); returns its wall time. */
export async function timedRun(name: string, spec: ProcessSpec, check?: (stdout: string) => boolean): Promise<number> {
  const result = await runProcess(spec);
  if (result.exitCode !== 0) throw new Error(`${name} exited with ${result.exitCode}: ${result.stderr.trim()}`);
  if (check && !check(result.stdout)) throw new Error(`${name} printed an unexpected answer: ${result.stdout.trim().slice(0, 300)}`);
  return result.wallMs;
}

/** How peak RSS is measured on this machine. */
export function peakRssMethod(): string {
  return existsSync(GNU_TIME) ? 'GNU time -f %M' : '/proc/<pid>/status VmHWM, polled every millisecond';
}

/** Has a node process write its own CPU time (user + system, ms) to BENCH_CPU_FILE when it exits. */
const CPU_PRELOAD = `process.on('exit', () => {
  const cpu = process.cpuUsage();
  try { require('fs').writeFileSync(process.env.BENCH_CPU_FILE, String((cpu.user + cpu.system) / 1000)); } catch {}
});
`;

export interface ResourceUsage {
  /** Peak resident set size, KiB. */
  readonly peakRssKiB: number;
  /** CPU time (user + system) of the node process, from a `NODE_OPTIONS=--require` preload. */
  readonly cpuMs: number;
}

/**
 * Peak resident set size and CPU time of one run of a node process: peak RSS from GNU time when it is
 * installed, else by polling the process's VmHWM (its own high-water mark) until it exits; CPU time from
 * a preload that writes process.cpuUsage() at exit.
 */
export async function resourceUsage(name: string, spec: ProcessSpec): Promise<ResourceUsage> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'bench-usage-'));
  const preload = path.join(scratch, 'cpu-preload.js');
  const cpuFile = path.join(scratch, 'cpu');
  writeFileSync(preload, CPU_PRELOAD);
  const env = { ...spec.env, NODE_OPTIONS: `--require ${preload}`, BENCH_CPU_FILE: cpuFile };
  try {
    let peakRssKiB: number;
    if (existsSync(GNU_TIME)) {
      const output = path.join(scratch, 'rss');
      const result = await runProcess({ ...spec, env, command: GNU_TIME, args: ['-f', '%M', '-o', output, spec.command, ...spec.args] });
      if (result.exitCode !== 0) throw new Error(`${name} exited with ${result.exitCode}: ${result.stderr.trim()}`);
      peakRssKiB = Number(readFileSync(output, 'utf8').trim().split('\n').pop());
    } else {
      peakRssKiB = await polledPeakRssKiB(name, { ...spec, env });
    }
    return { peakRssKiB, cpuMs: Number(readFileSync(cpuFile, 'utf8')) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function polledPeakRssKiB(name: string, spec: ProcessSpec): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(spec.command, [...spec.args], { env: spec.env, cwd: spec.cwd, stdio: [spec.stdin === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    let peak = 0;
    let stderr = '';
    const poll = setInterval(() => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peak = Math.max(peak, Number(match[1]));
      } catch {
        // Gone already.
      }
    }, 1);
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`${name} exited with ${code}: ${stderr.trim()}`));
      else resolve(peak);
    });
    if (spec.stdin !== undefined) child.stdin!.end(spec.stdin);
  });
}

export interface Stats {
  readonly runs: number;
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export function stats(values: readonly number[]): Stats {
  if (values.length === 0) throw new Error('no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { runs: sorted.length, min: sorted[0], median, max: sorted[sorted.length - 1] };
}

/**
 * Runs each variant once untimed (warm file cache), then `rounds` interleaved rounds, so machine noise hits
 * all alike. `warmUp: false` skips the untimed round, for variants too slow to run once more whose files
 * an earlier part already read. `rotate: true` starts each timed round one variant later (A B C, B C A,
 * C A B, …), so that no variant always runs right after the same other one (whose leftovers it might meet).
 */
export async function interleaved<T extends string>(
  names: readonly T[],
  rounds: number,
  runOnce: (name: T, timed: boolean) => Promise<number>,
  options: { readonly warmUp?: boolean; readonly rotate?: boolean } = {},
): Promise<Record<T, number[]>> {
  if (options.warmUp ?? true) for (const name of names) await runOnce(name, false);
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<T, number[]>;
  for (let round = 0; round < rounds; round++) {
    const shift = options.rotate ? round % names.length : 0;
    for (const name of [...names.slice(shift), ...names.slice(0, shift)]) samples[name].push(await runOnce(name, true));
  }
  return samples;
}

/** The least-squares line through (x, y) points: `slope` per unit of x, `intercept` at x = 0. */
export function fitLine(points: ReadonlyArray<readonly [number, number]>): { readonly slope: number; readonly intercept: number } {
  if (points.length < 2) throw new Error('a line needs two points');
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxx = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  const sxy = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX };
}

/** `12.3 ms`, or seconds from 10 s on. */
export function ms(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}

/** `min / median / max`, in ms. */
export function range(s: Stats): string {
  return `${ms(s.min)} / **${ms(s.median)}** / ${ms(s.max)}`;
}

export function ratio(value: number): string {
  return `${value.toFixed(2)}×`;
}

/** A Markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const rule = header.map((_, i) => ((align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : '---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Whether a figure meets its target, as the report shows it. */
export function verdict(met: boolean): string {
  return met ? '**met**' : '**missed**';
}
