/**
 * The benchmark report: every part's figures from one run, the machine it ran on, and each target of
 * docs/design.md#performance-targets with its measured figure.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { table, verdict } from './measure';

export interface TargetResult {
  readonly target: string;
  readonly figure: string;
  readonly met: boolean;
}

export interface PartReport {
  readonly id: string;
  readonly title: string;
  /** The part's figures as Markdown. */
  readonly markdown: string;
  readonly targets: readonly TargetResult[];
}

/** The machine, without any of its paths: core count, CPU model, memory, node and terraform versions. */
export function machineDescription(): string[] {
  const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const memoryKiB = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  let terraform = 'not found';
  try {
    terraform = (JSON.parse(execFileSync('terraform', ['version', '-json'], { encoding: 'utf8', env: { PATH: process.env.PATH, CHECKPOINT_DISABLE: '1' } })) as { terraform_version: string }).terraform_version;
  } catch {
    // Reported as not found.
  }
  const nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  return [
    `- CPU: ${nproc} cores (\`nproc\`), ${model}; ${(memoryKiB / 1024 / 1024).toFixed(1)} GiB memory; ${process.platform} ${process.arch}`,
    `- Node ${process.version}, Terraform ${terraform}`,
  ];
}

/** The report of one run of `npx projen bench`, as Markdown. */
export function renderReport(
  parts: readonly PartReport[],
  options: { command: string; started: Date; durationMs: number; settings: string },
): string {
  const targets = parts.flatMap((part) => part.targets);
  return [
    '# Benchmark results',
    '',
    `One run of \`${options.command}\`, started ${options.started.toISOString()}, ${(options.durationMs / 1000).toFixed(0)} s in all (${options.settings}).`,
    '',
    ...machineDescription(),
    '',
    'Figures are min / **median** / max over the repeated runs; every ratio is of medians measured side by side in the same run.',
    '',
    '## Targets (docs/design.md#performance-targets)',
    '',
    targets.length === 0
      ? 'None of the parts of this run has a target.'
      : table(['target', 'this run', ''], targets.map((t) => [t.target, t.figure, verdict(t.met)]), ['l', 'r', 'l']),
    '',
    ...parts.flatMap((part) => [`## ${part.title}`, '', part.markdown, '']),
  ].join('\n');
}
