/**
 * One key pair API call, made the way Terraform's provisioners make it: a fresh `node` process that
 * loads one bundle, describes one key pair by name against the local emulator, prints what it found and
 * exits. Compares the project's thin clients with the clouds' official Node SDKs (bundled the same way),
 * and both with a bare `node -e 0` start (DESIGN.md §7).
 *
 * Run: npx projen bench   (or: npx ts-node --project tsconfig.dev.json bench/describe-round-trip.ts)
 * Env: BENCH_RUNS (default 21) timed runs of each variant, interleaved, after one untimed warm-up round.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { RunningEmulator, startEmulator } from '../emulator';
import { keyPairApiFor } from '../handler/clouds/factory';

const REPO_ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const TIME_BINARY = '/usr/bin/time';
const ALICLOUD_REGION = 'cn-hangzhou';
const TENCENTCLOUD_REGION = 'ap-guangzhou';
const ALICLOUD_KEY_NAME = 'bench-key-pair';
const TENCENTCLOUD_KEY_NAME = 'bench_key_pair';

/**
 * The entry scripts. Each reads the emulator's endpoint and credentials from the environment (as the
 * handler does), makes one describe call, and prints the names it found: the parent checks them, so a
 * failing call is never timed as a fast one.
 */
const ENTRIES = {
  'tencentcloud-ours': `
    import { keyPairApiFor } from './handler/clouds/factory';
    keyPairApiFor({ cloud: 'tencentcloud', region: process.env.BENCH_REGION! }, process.env)
      .findByName(process.env.BENCH_KEY_NAME!)
      .then((found) => console.log(JSON.stringify(found.map((k) => k.name))));
  `,
  'tencentcloud-sdk': `
    import * as http from 'node:http';
    import { cvm } from 'tencentcloud-sdk-nodejs-cvm';
    // The SDK names the TC3 service after the endpoint's first label, so it is given cvm.localhost:<port>;
    // this agent resolves that name to the loopback address and no other name at all.
    const agent = new http.Agent({
      lookup: (host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
        host.endsWith('.localhost')
          ? options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)
          : callback(new Error('loopback only: ' + host)),
    });
    const client = new cvm.v20170312.Client({
      credential: { secretId: process.env.TENCENTCLOUD_SECRET_ID, secretKey: process.env.TENCENTCLOUD_SECRET_KEY },
      region: process.env.BENCH_REGION,
      profile: { httpProfile: { endpoint: 'cvm.localhost:' + new URL(process.env.CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT!).port, protocol: 'http://', agent } },
    });
    client.DescribeKeyPairs({ Filters: [{ Name: 'key-name', Values: [process.env.BENCH_KEY_NAME!] }], Limit: 100 })
      .then((answer) => console.log(JSON.stringify((answer.KeyPairSet ?? []).map((k) => k.KeyName))));
  `,
  'alicloud-ours': `
    import { keyPairApiFor } from './handler/clouds/factory';
    keyPairApiFor({ cloud: 'alicloud', region: process.env.BENCH_REGION! }, process.env)
      .findByName(process.env.BENCH_KEY_NAME!)
      .then((found) => console.log(JSON.stringify(found.map((k) => k.name))));
  `,
  'alicloud-sdk': `
    import Ecs, { DescribeKeyPairsRequest } from '@alicloud/ecs20140526';
    import { Config } from '@alicloud/openapi-client';
    const client = new Ecs(new Config({
      accessKeyId: process.env.ALICLOUD_ACCESS_KEY,
      accessKeySecret: process.env.ALICLOUD_SECRET_KEY,
      regionId: process.env.BENCH_REGION,
      endpoint: new URL(process.env.CDKTF_KEYPAIR_ALICLOUD_ENDPOINT!).host,
      protocol: 'http',
    }));
    client.describeKeyPairs(new DescribeKeyPairsRequest({ regionId: process.env.BENCH_REGION, keyPairName: process.env.BENCH_KEY_NAME, pageSize: 50 }))
      .then((answer) => console.log(JSON.stringify((answer.body?.keyPairs?.keyPair ?? []).map((k) => k.keyPairName))));
  `,
} as const;

type EntryName = keyof typeof ENTRIES;
type VariantName = EntryName | 'baseline';

interface Variant {
  readonly name: VariantName;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** What the process must print; undefined for the baseline, which prints nothing. */
  readonly expectedOutput?: string;
  readonly bundleBytes?: number;
}

interface Sample {
  readonly wallMs: number;
  /** Peak resident set size in KiB, when it could be measured. */
  readonly maxRssKiB?: number;
}

async function bundleEntries(outDir: string): Promise<Record<EntryName, string>> {
  const outputs = {} as Record<EntryName, string>;
  for (const [name, contents] of Object.entries(ENTRIES) as [EntryName, string][]) {
    const outfile = path.join(outDir, `${name}.js`);
    // The handler's own esbuild settings (see the `bundle` task), applied to every variant alike.
    await build({
      stdin: { contents, resolveDir: REPO_ROOT, sourcefile: `${name}.ts`, loader: 'ts' },
      bundle: true,
      platform: 'node',
      target: 'node20',
      minify: true,
      legalComments: 'none',
      logLevel: 'error',
      outfile,
    });
    outputs[name] = outfile;
  }
  return outputs;
}

/** Runs one fresh process; wall time from spawn to exit, peak RSS from GNU time when it is installed. */
function runOnce(variant: Variant, scratchDir: string): Promise<Sample> {
  const rssFile = path.join(scratchDir, 'rss.txt');
  const useTime = existsSync(TIME_BINARY);
  const [command, args] = useTime
    ? [TIME_BINARY, ['-f', '%M', '-o', rssFile, process.execPath, ...variant.args]]
    : [process.execPath, [...variant.args]];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env: variant.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) return reject(new Error(`${variant.name} exited with ${code}: ${stderr.trim()}`));
      if (variant.expectedOutput !== undefined && stdout.trim() !== variant.expectedOutput) {
        return reject(new Error(`${variant.name} printed ${stdout.trim()}, expected ${variant.expectedOutput}`));
      }
      const maxRssKiB = useTime ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : undefined;
      resolve({ wallMs, maxRssKiB });
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function createBenchKeyPairs(emulator: RunningEmulator): Promise<void> {
  const env = emulator.handlerEnvironment();
  await keyPairApiFor({ cloud: 'alicloud', region: ALICLOUD_REGION }, env).create({ name: ALICLOUD_KEY_NAME });
  await keyPairApiFor({ cloud: 'tencentcloud', region: TENCENTCLOUD_REGION }, env).create({ name: TENCENTCLOUD_KEY_NAME });
}

function formatTable(variants: readonly Variant[], samples: ReadonlyMap<VariantName, Sample[]>): string {
  const wall = (name: VariantName) => median(samples.get(name)!.map((s) => s.wallMs));
  const rss = (name: VariantName) => {
    const values = samples.get(name)!.flatMap((s) => (s.maxRssKiB === undefined ? [] : [s.maxRssKiB]));
    return values.length === 0 ? 'n/a' : `${(median(values) / 1024).toFixed(1)} MiB`;
  };
  const baseline = wall('baseline');
  const lines = [
    '| variant | median wall | vs `node -e 0` | bundle | peak RSS (median) |',
    '|---|---:|---:|---:|---:|',
    ...variants.map((v) =>
      `| ${v.name} | ${wall(v.name).toFixed(1)} ms | ${(wall(v.name) / baseline).toFixed(2)}× | ${
        v.bundleBytes === undefined ? '—' : `${(v.bundleBytes / 1024).toFixed(1)} KiB`
      } | ${rss(v.name)} |`),
    '',
    '| cloud | official SDK / ours | ours / `node -e 0` |',
    '|---|---:|---:|',
    ...(['tencentcloud', 'alicloud'] as const).map((cloud) => {
      const ours = wall(`${cloud}-ours`);
      return `| ${cloud} | ${(wall(`${cloud}-sdk`) / ours).toFixed(2)}× | ${(ours / baseline).toFixed(2)}× |`;
    }),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const scratchDir = mkdtempSync(path.join(tmpdir(), 'cdktf-keypair-bench-'));
  const emulator = await startEmulator();
  try {
    await createBenchKeyPairs(emulator);
    const bundles = await bundleEntries(scratchDir);
    const emulatorEnv = emulator.handlerEnvironment();
    // Only what the call needs: PATH and the emulator's environment, nothing from the caller's shell.
    const baseEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...emulatorEnv };
    const entryVariant = (name: EntryName, region: string, keyName: string): Variant => ({
      name,
      args: [bundles[name]],
      env: { ...baseEnv, BENCH_REGION: region, BENCH_KEY_NAME: keyName },
      expectedOutput: JSON.stringify([keyName]),
      bundleBytes: statSync(bundles[name]).size,
    });
    const variants: Variant[] = [
      entryVariant('tencentcloud-ours', TENCENTCLOUD_REGION, TENCENTCLOUD_KEY_NAME),
      entryVariant('tencentcloud-sdk', TENCENTCLOUD_REGION, TENCENTCLOUD_KEY_NAME),
      entryVariant('alicloud-ours', ALICLOUD_REGION, ALICLOUD_KEY_NAME),
      entryVariant('alicloud-sdk', ALICLOUD_REGION, ALICLOUD_KEY_NAME),
      { name: 'baseline', args: ['-e', '0'], env: { PATH: process.env.PATH } },
    ];

    // One untimed round warms the file cache; then interleaved rounds, so machine noise hits all alike.
    for (const variant of variants) await runOnce(variant, scratchDir);
    const samples = new Map<VariantName, Sample[]>(variants.map((v) => [v.name, []]));
    for (let round = 0; round < RUNS; round++) {
      for (const variant of variants) samples.get(variant.name)!.push(await runOnce(variant, scratchDir));
    }

    const table = formatTable(variants, samples);
    const header = [
      `# describe-round-trip — ${new Date().toISOString()}`,
      '',
      `Node ${process.version}, ${RUNS} interleaved runs per variant after one warm-up round; emulator on loopback,` +
        ` peak RSS ${existsSync(TIME_BINARY) ? `from ${TIME_BINARY} -f %M` : 'not measured (no GNU time)'}.`,
      '',
      '',
    ].join('\n');
    const report = `${header}${table}\n`;
    process.stdout.write(report);
    const resultsDir = path.join(REPO_ROOT, 'bench', 'results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(path.join(resultsDir, 'latest.md'), report);
  } finally {
    await emulator.stop();
    rmSync(scratchDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`describe-round-trip: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
