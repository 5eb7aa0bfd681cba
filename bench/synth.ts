/**
 * Synth of N key pairs vs N bare `null_resource`s (each with a local-exec provisioner), each run in a
 * fresh `node` process as `cdktf synth` runs an app. The entry (synth-entry.ts) is bundled with esbuild
 * first, cdktf, constructs and the provider packages left external, so what is timed is synth and not
 * TypeScript compilation. A third stack, the same Terraform elements written by hand with plain cdktf,
 * separates the library's own cost from cdktf's cost of the elements a key pair is made of.
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { interleaved, ms, range, ratio, runProcess, stats, Stats, table } from './support/measure';
import type { PartReport } from './support/report';
import { REPO_ROOT } from './support/stacks';
import type { SynthPhases } from './synth-entry';

export interface SynthBenchOptions {
  readonly runs: number;
  readonly sizes: readonly number[];
  /** The size compared against the target (and with the hand-written elements). */
  readonly targetSize: number;
}

type Kind = 'keypair' | 'elements' | 'null';

/** Resources per key pair: the carrier, its presence and its result. */
const RESOURCES_PER_PAIR = 3;
/** Resources per stack of key pairs: the identity, the registry, the tag resource. */
const PER_STACK_RESOURCES = 3;

interface Sample {
  readonly wallMs: number;
  readonly phases: SynthPhases;
}

export async function runSynthBench(options: SynthBenchOptions): Promise<PartReport> {
  const entry = await bundleEntry();
  const scratch = fs.mkdtempSync(path.join(tmpdir(), 'bench-synth-'));
  try {
    const results = new Map<string, Sample[]>();
    const runOnce = async (kind: Kind, size: number): Promise<number> => {
      const outdir = path.join(scratch, `${kind}-${size}`);
      const args = [entry, kind, String(size), outdir];
      const result = await runProcess({ command: process.execPath, args, env: { PATH: process.env.PATH }, cwd: scratch });
      fs.rmSync(outdir, { recursive: true, force: true });
      if (result.exitCode !== 0) throw new Error(`synth of ${size} ${kind} exited with ${result.exitCode}: ${result.stderr.trim()}`);
      const phases = JSON.parse(result.stdout) as SynthPhases;
      const expected = kind === 'null' ? size : RESOURCES_PER_PAIR * size + PER_STACK_RESOURCES;
      if (phases.resources !== expected) throw new Error(`synth of ${size} ${kind} made ${phases.resources} resources, not ${expected}`);
      const key = `${kind}-${size}`;
      results.set(key, [...(results.get(key) ?? []), { wallMs: result.wallMs, phases }]);
      return result.wallMs;
    };
    for (const size of options.sizes) {
      const kinds: Kind[] = size === options.targetSize ? ['keypair', 'elements', 'null'] : ['keypair', 'null'];
      await interleaved(kinds, options.runs, (kind) => runOnce(kind, size));
      // interleaved() ran one untimed warm-up round first: drop it.
      for (const kind of kinds) results.get(`${kind}-${size}`)!.shift();
    }
    return report(options, results);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Bundles synth-entry.ts into bench/results/build/ (inside the repository, so the external packages
 * resolve from its node_modules). src/ finds the handler bundle through `__dirname`, defined here as src/.
 */
async function bundleEntry(): Promise<string> {
  const outfile = path.join(REPO_ROOT, 'bench', 'results', 'build', 'synth-entry.js');
  await build({
    entryPoints: [path.join(REPO_ROOT, 'bench', 'synth-entry.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: ['cdktf', 'constructs', '@cdktf/*'],
    define: { __dirname: JSON.stringify(path.join(REPO_ROOT, 'src')) },
    logLevel: 'error',
    outfile,
  });
  return outfile;
}

function report(options: SynthBenchOptions, results: ReadonlyMap<string, Sample[]>): PartReport {
  const get = (kind: Kind, size: number) => results.get(`${kind}-${size}`)!;
  const wall = (kind: Kind, size: number): Stats => stats(get(kind, size).map((s) => s.wallMs));
  const inProcess = (kind: Kind, size: number): Stats => stats(get(kind, size).map((s) => s.phases.synthesized.cpuMs - s.phases.loaded.cpuMs));
  const phase = (kind: Kind, size: number, from: 'started' | 'loaded' | 'constructed', to: 'loaded' | 'constructed' | 'synthesized') =>
    stats(get(kind, size).map((s) => s.phases[to].cpuMs - s.phases[from].cpuMs)).median;

  const rows = options.sizes.map((size) => {
    const kp = wall('keypair', size);
    const nr = wall('null', size);
    const kpIn = inProcess('keypair', size).median;
    const nrIn = inProcess('null', size).median;
    return [
      String(size),
      range(kp),
      range(nr),
      ratio(kp.median / nr.median),
      `${ms(kpIn)} / ${ms(nrIn)}`,
      ratio(kpIn / nrIn),
      `${(kpIn / size).toFixed(2)} ms`,
    ];
  });
  const n = options.targetSize;
  const kinds: Array<[Kind, string]> = [
    ['keypair', `${n} key pairs (the library)`],
    ['elements', 'the same elements by hand (plain cdktf, no tokens)'],
    ['null', `${n} bare \`null_resource\`s`],
  ];
  const phaseRows = kinds.map(([kind, label]) => [
    label,
    range(wall(kind, n)),
    ms(phase(kind, n, 'started', 'loaded')),
    ms(phase(kind, n, 'loaded', 'constructed')),
    ms(phase(kind, n, 'constructed', 'synthesized')),
    ratio(wall(kind, n).median / wall('null', n).median),
    ratio(inProcess(kind, n).median / inProcess('null', n).median),
  ]);
  const wallRatio = wall('keypair', n).median / wall('null', n).median;
  const targets = [{ target: `synth of ${n} key pairs ≤ 1.5× ${n} bare \`null_resource\`s (whole process)`, figure: ratio(wallRatio), met: wallRatio <= 1.5 }];

  const markdown = [
    'Each synth in a fresh `node` process (the entry bundled with esbuild; cdktf, constructs and the provider packages loaded from node_modules):' +
      ` wall time from spawn to exit, and the CPU time of construct + \`app.synth()\` inside it. ${options.runs} interleaved runs per stack after one untimed warm-up run.` +
      ' Key pairs: generated by the cloud (the default), the three clouds in turn, default names, outputs on (the default).' +
      ' Each key pair synthesizes a `null_resource` carrier with two provisioners, a `presence` and a `result` (`terraform_data`), a check block, two outputs, and its fields in the' +
      ' two stack reads\' queries, the registry and the tag resource; the baseline is one `null_resource` with one provisioner.',
    '',
    table(['N', 'key pairs: wall', '`null_resource`s: wall', 'wall ratio', 'construct + synth CPU (key pairs / null)', 'CPU ratio', 'CPU per key pair'], rows),
    '',
    `**At N = ${n}, by phase** (CPU medians: loading cdktf and the packages, constructing, \`app.synth()\`):`,
    '',
    table(['stack', 'wall', 'load', 'construct', 'synth', 'wall vs null', 'construct + synth vs null'], phaseRows),
  ].join('\n');
  return { id: 'synth', title: `Synth: ${options.sizes.join(', ')} key pairs vs as many bare \`null_resource\`s`, markdown, targets };
}
