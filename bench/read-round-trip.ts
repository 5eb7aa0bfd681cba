/**
 * The read that runs on every `terraform plan`, as Terraform's external data source runs it: a fresh
 * `node` process running the SHIPPED handler (`node assets/handler.js read`, the query JSON on stdin)
 * against the emulator. Side by side, in interleaved rounds:
 * - `node -e 0`: node's own start;
 * - the floor: a bare node script that sends one HTTP request to the same emulator and prints the answer;
 * - a script that loads the bundle (with and without sshpk), nothing run;
 * - the handler's `read` on each cloud (a cloud-generated pair, made first by the handler's `create`), its
 *   query one pair's `<pair>#<field>` keys as the stack's read holds them; and the three pairs in one query;
 * - one describe through our thin client alone and through each cloud's official Node SDK (bundled with
 *   the handler's esbuild settings; UCloud publishes no JS SDK on npm).
 * Then the handler bundle's size and the peak RSS of every command it has (docs/design.md#performance-targets).
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { startEmulator } from '../emulator';
import { interleaved, ms, peakRssMethod, ProcessSpec, range, ratio, resourceUsage, ResourceUsage, stats, Stats, table, timedRun } from './support/measure';
import type { PartReport } from './support/report';
import { CLOUDS, HANDLER_BUNDLE, handlerInputs, HandlerInputs, pairReadResult, REGIONS, REPO_ROOT, synthKeyPairStack } from './support/stacks';
import { READ_STATUS, RESULT_KEYS, type CloudName } from '../src/contract';

/** Entry scripts of the describe-only variants: each prints the names it found, which the benchmark checks. */
const DESCRIBE_ENTRIES = {
  'tencentcloud-client': `
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
  'alicloud-client': `
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
type DescribeEntry = keyof typeof DESCRIBE_ENTRIES;
const SDK_CLOUDS = ['tencentcloud', 'alicloud'] as const;

/**
 * The floor: one HTTP request from a bare node process to the same emulator, its answer printed. It and the
 * other load-only variants are script files, like the handler: `node -e` makes node's built-in modules
 * globals and loads some of them differently.
 */
const FLOOR_SCRIPT =
  "require('http').get(process.env.BENCH_FLOOR_URL, (r) => { let b = ''; r.on('data', (c) => (b += c)); r.on('end', () => process.stdout.write(b)); });\n";

/** Writes a one-line script into `directory` and returns its path. */
function script(directory: string, name: string, text: string): string {
  const file = path.join(directory, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Bytes in the budgets of docs/design.md#performance-targets (decimal units, the stricter reading). */
const BUNDLE_BUDGET_BYTES = 300_000;
const RSS_BUDGET_BYTES = 60_000_000;

export interface ReadBenchOptions {
  /** Timed rounds of every variant (after one untimed warm-up round). */
  readonly rounds: number;
  /** Runs per command for the peak RSS figures. */
  readonly rssRuns: number;
}

interface Variant {
  readonly name: string;
  readonly label: string;
  readonly spec: ProcessSpec;
  readonly check?: (stdout: string) => boolean;
  readonly bundleBytes?: number;
}

export async function runReadBench(options: ReadBenchOptions): Promise<PartReport> {
  const scratch = fs.mkdtempSync(path.join(tmpdir(), 'bench-read-'));
  const emulator = await startEmulator();
  try {
    const emulatorEnv = emulator.handlerEnvironment();
    // Only what the calls need: PATH and the emulator's environment, nothing from the caller's shell.
    const baseEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...emulatorEnv };
    const handler = (command: string, env: Record<string, string>, stdin?: string): ProcessSpec => ({
      command: process.execPath,
      args: [HANDLER_BUNDLE, command],
      env: { ...baseEnv, ...env },
      cwd: scratch,
      stdin,
    });

    // One cloud-generated pair per cloud, made by the handler's own create, as Terraform would.
    const stackDirectory = synthKeyPairStack(path.join(scratch, 'cdktf.out'), CLOUDS.map((cloud) => ({
      cloud,
      name: `bench_read_${cloud}`,
      privateKeyFile: path.join(scratch, 'keys', `${cloud}.pem`),
    })));
    const inputs = new Map<CloudName, HandlerInputs>(handlerInputs(stackDirectory).map((input, i) => [CLOUDS[i], input]));
    for (const cloud of CLOUDS) await timedRun(`create on ${cloud}`, handler('create', inputs.get(cloud)!.createEnv));

    const bundles = await bundleDescribeEntries(scratch);
    const withoutSshpk = await bundleHandlerWithoutSshpk(scratch);
    // The stack read answers one entry per pair of its query: every pair asked for must be there, present,
    // with its fingerprints, and nothing else.
    const present = (pairs: readonly HandlerInputs[]) => (stdout: string) =>
      Object.keys(JSON.parse(stdout) as object).length === pairs.length &&
      pairs.every((pair) => {
        const result = pairReadResult(stdout, pair.entry);
        return result?.[RESULT_KEYS.status] === READ_STATUS.present && result[RESULT_KEYS.keyPairName] === pair.name && result[RESULT_KEYS.fingerprintSha256] !== '';
      });
    // The three pairs in one query, as the stack's read gets them: one process, a describe per pair.
    const stackQuery = JSON.stringify(Object.assign({}, ...CLOUDS.map((cloud) => JSON.parse(inputs.get(cloud)!.readQuery) as object)));
    const variants: Variant[] = [
      { name: 'node-e-0', label: '`node -e 0`', spec: { command: process.execPath, args: ['-e', '0'], env: { PATH: process.env.PATH } } },
      {
        name: 'floor',
        label: 'floor: a bare node script, one HTTP GET to the emulator',
        spec: {
          command: process.execPath,
          args: [script(scratch, 'floor.js', FLOOR_SCRIPT)],
          env: { PATH: process.env.PATH, BENCH_FLOOR_URL: `${emulator.endpoints.tencentcloud}/_emulator/health` },
        },
        check: (stdout) => stdout.includes('"healthy":true'),
      },
      {
        name: 'builtins',
        label: 'a script loading `http`, `https`, `crypto` (what the handler needs of node)',
        spec: { command: process.execPath, args: [script(scratch, 'builtins.js', "require('http'); require('https'); require('crypto');\n")], env: { PATH: process.env.PATH } },
      },
      {
        name: 'bundle-load-without-sshpk',
        label: 'a script loading the handler bundled without sshpk (load only; not shipped)',
        spec: { command: process.execPath, args: [script(scratch, 'load-without-sshpk.js', `require(${JSON.stringify(withoutSshpk.file)});\n`)], env: { PATH: process.env.PATH } },
        bundleBytes: withoutSshpk.bytes,
      },
      {
        name: 'bundle-load',
        label: 'a script loading `handler.js` (load only: its entry runs only as the main module)',
        spec: { command: process.execPath, args: [script(scratch, 'load.js', `require(${JSON.stringify(HANDLER_BUNDLE)});\n`)], env: { PATH: process.env.PATH } },
      },
      ...CLOUDS.map((cloud): Variant => ({
        name: `read-${cloud}`,
        label: `handler \`read\`, ${cloud}`,
        spec: handler('read', {}, inputs.get(cloud)!.readQuery),
        check: present([inputs.get(cloud)!]),
      })),
      {
        name: 'read-stack',
        label: 'handler `read`, the three pairs in one query (not a target: the cost of more pairs in one read)',
        spec: handler('read', {}, stackQuery),
        check: present(CLOUDS.map((cloud) => inputs.get(cloud)!)),
      },
      ...SDK_CLOUDS.flatMap((cloud) => (['client', 'sdk'] as const).map((kind): Variant => {
        const name: DescribeEntry = `${cloud}-${kind}`;
        const keyName = `bench_read_${cloud}`;
        return {
          name,
          label: kind === 'client' ? `describe, our ${cloud} client alone` : `describe, official ${cloud} SDK`,
          spec: { command: process.execPath, args: [bundles[name]], env: { ...baseEnv, BENCH_REGION: REGIONS[cloud], BENCH_KEY_NAME: keyName } },
          check: (stdout) => stdout.trim() === JSON.stringify([keyName]),
          bundleBytes: fs.statSync(bundles[name]).size,
        };
      })),
    ];
    const byName = new Map(variants.map((variant) => [variant.name, variant]));
    const samples = await interleaved(variants.map((v) => v.name), options.rounds, (name) => {
      const variant = byName.get(name)!;
      return timedRun(variant.label, variant.spec, variant.check);
    });
    const wall = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, stats(values)])) as Record<string, Stats>;

    // Peak RSS: every handler command, and the describe variants.
    const rss = new Map<string, ResourceUsage[]>();
    const addRss = async (label: string, spec: ProcessSpec) => {
      const values = rss.get(label) ?? [];
      values.push(await resourceUsage(label, spec));
      rss.set(label, values);
    };
    for (let run = 0; run < options.rssRuns; run++) {
      for (const variant of variants) await addRss(variant.label, variant.spec);
      // create and delete of a cloud-generated pair per cloud (sshpk checks the delivered key).
      for (const cloud of CLOUDS) {
        const [extra] = handlerInputs(synthKeyPairStack(path.join(scratch, `rss-${cloud}`), [
          { cloud, name: `bench_rss_${cloud}`, privateKeyFile: path.join(scratch, 'rss-keys', `${cloud}-${run}.pem`) },
        ]));
        await addRss(`handler \`create\` (cloud-generated), ${cloud}`, handler('create', extra.createEnv));
        await addRss(`handler \`delete\`, ${cloud}`, handler('delete', extra.deleteEnv));
      }
    }
    const bundleBytes = fs.statSync(HANDLER_BUNDLE).size;
    return report(options, variants, wall, rss, bundleBytes);
  } finally {
    await emulator.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The handler bundled as the `bundle` task does, but with sshpk left out (it is loaded lazily, by the
 * commands that parse keys): how much of loading the bundle is sshpk's code. Loading is all it is used for.
 */
async function bundleHandlerWithoutSshpk(outDir: string): Promise<{ file: string; bytes: number }> {
  const file = path.join(outDir, 'handler-without-sshpk.js');
  await build({
    entryPoints: [path.join(REPO_ROOT, 'handler', 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'error',
    external: ['sshpk'],
    outfile: file,
  });
  return { file, bytes: fs.statSync(file).size };
}

async function bundleDescribeEntries(outDir: string): Promise<Record<DescribeEntry, string>> {
  const outputs = {} as Record<DescribeEntry, string>;
  for (const [name, contents] of Object.entries(DESCRIBE_ENTRIES) as [DescribeEntry, string][]) {
    const outfile = path.join(outDir, `${name}.js`);
    // The handler's own esbuild settings (the `bundle` task), for every variant alike.
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

/** `+12.3 ms` or `−4.5 ms`. */
function signedMs(value: number): string {
  return `${value < 0 ? '−' : '+'}${ms(Math.abs(value))}`;
}

function report(
  options: ReadBenchOptions,
  variants: readonly Variant[],
  wall: Record<string, Stats>,
  rss: ReadonlyMap<string, ResourceUsage[]>,
  bundleBytes: number,
): PartReport {
  const median = (name: string) => wall[name].median;
  const baseline = median('node-e-0');
  const floor = median('floor');
  const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

  const wallTable = table(
    ['variant', 'min / **median** / max', 'vs floor', 'vs `node -e 0`', 'bundle'],
    variants.map((v) => [
      v.label,
      range(wall[v.name]),
      ratio(median(v.name) / floor),
      ratio(median(v.name) / baseline),
      v.bundleBytes === undefined ? (v.name.startsWith('read') || v.name === 'bundle-load' ? `${(bundleBytes / 1024).toFixed(1)} KiB` : '—') : `${(v.bundleBytes / 1024).toFixed(1)} KiB`,
    ]),
  );
  const targets = CLOUDS.flatMap((cloud) => {
    const read = median(`read-${cloud}`);
    return [{ target: `read (${cloud}) ≤ 1.15× the floor`, figure: ratio(read / floor), met: read / floor <= 1.15 }];
  });
  const sdkRows = SDK_CLOUDS.map((cloud) => {
    const sdk = median(`${cloud}-sdk`);
    return [cloud, ms(sdk), ratio(sdk / median(`read-${cloud}`)), ratio(sdk / median(`${cloud}-client`))];
  });
  for (const cloud of SDK_CLOUDS) {
    const factor = median(`${cloud}-sdk`) / median(`read-${cloud}`);
    targets.push({ target: `read (${cloud}) faster than the official SDK's describe`, figure: `SDK takes ${ratio(factor)} as long`, met: factor > 1 });
  }
  targets.push({ target: 'handler bundle ≤ 300 KB', figure: `${bundleBytes.toLocaleString('en-US')} bytes (${(bundleBytes / 1024).toFixed(1)} KiB)`, met: bundleBytes <= BUNDLE_BUDGET_BYTES });

  const cpuOf = (label: string) => stats(rss.get(label)!.map((usage) => usage.cpuMs)).median;
  const rssRows = [...rss].map(([label, values]) => {
    const peak = stats(values.map((usage) => usage.peakRssKiB));
    const cpu = stats(values.map((usage) => usage.cpuMs));
    return [label, range(cpu), `${mib(peak.min)} / **${mib(peak.median)}** / ${mib(peak.max)}`];
  });
  const handlerPeak = Math.max(...[...rss].filter(([label]) => label.startsWith('handler')).flatMap(([, values]) => values.map((usage) => usage.peakRssKiB)));
  targets.push({ target: 'handler peak RSS ≤ 60 MB', figure: `${mib(handlerPeak)} at most (${((handlerPeak * 1024) / 1e6).toFixed(1)} MB)`, met: handlerPeak * 1024 <= RSS_BUDGET_BYTES });
  const labelOf = (name: string) => variants.find((v) => v.name === name)!.label;
  const cpuRatios = CLOUDS.map((cloud) =>
    `${cloud} ${ratio(cpuOf(labelOf(`read-${cloud}`)) / cpuOf(labelOf('floor')))} the floor's, ${ratio(cpuOf(labelOf(`read-${cloud}`)) / cpuOf(labelOf('node-e-0')))} \`node -e 0\`'s`).join('; ');

  const markdown = [
    `Wall time of one fresh process, spawn to exit; ${options.rounds} interleaved rounds of every variant after one untimed warm-up round.`,
    'Each read and describe is checked (the right key pair, present, fingerprints filled), so a failed call is never timed as a fast one.',
    '',
    wallTable,
    '',
    '**Against the official SDKs** (describe by name; bundled with the handler\'s esbuild settings, which favours the SDKs: no `node_modules` resolution at run time):',
    '',
    table(['cloud', 'SDK describe (median)', 'SDK / our whole `read`', 'SDK / our client\'s describe alone'], sdkRows),
    '',
    `**Handler bundle**: \`assets/handler.js\`, ${bundleBytes.toLocaleString('en-US')} bytes (${(bundleBytes / 1024).toFixed(1)} KiB).`,
    '',
    `**CPU time and peak RSS** (CPU: user + system of the node process, written at exit by a \`NODE_OPTIONS=--require\` preload; peak RSS: ${peakRssMethod()};` +
      ` ${options.rssRuns} runs each, min / **median** / max). CPU time hardly depends on what else the machine is doing, so it cross-checks the wall-time ratios:` +
      ` the read's CPU time is ${cpuRatios}.`,
    '',
    table(['process', 'CPU time', 'peak RSS'], rssRows),
    '',
    `Where the read's time goes (medians): node's own start ${ms(baseline)};` +
      ` loading \`http\`, \`https\` and \`crypto\` +${ms(median('builtins') - baseline)};` +
      ` loading the whole bundle (those modules included) +${ms(median('bundle-load') - baseline)}, of which sshpk's code, never run by a read of Alibaba or Tencent,` +
      ` ${ms(median('bundle-load') - median('bundle-load-without-sshpk'))};` +
      ` the floor's one HTTP round trip (\`http\` included) +${ms(floor - baseline)};` +
      ` the whole read +${ms(median('read-tencentcloud') - baseline)} (Tencent), +${ms(median('read-alicloud') - baseline)} (Alibaba),` +
      ` +${ms(median('read-ucloud') - baseline)} (UCloud, which returns no public key: the read derives it from the private key file with sshpk).` +
      ` The three pairs in one query (the stack's read: one process, three describes, up to eight at a time) took ${ms(median('read-stack'))},` +
      ` ${signedMs(median('read-stack') - Math.max(...CLOUDS.map((cloud) => median(`read-${cloud}`))))} against the slowest single-pair read.`,
  ].join('\n');
  return { id: 'read', title: 'Handler `read` round trip: shipped handler vs floor vs `node -e 0` vs official SDKs', markdown, targets };
}
