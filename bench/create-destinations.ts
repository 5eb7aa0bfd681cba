/**
 * The handler's `create` of a cloud-generated key pair with each destination of its private key, side by
 * side: the whole `node assets/handler.js create` process, its environment as Terraform's provisioner sets
 * it (from a synthesized stack), against the emulator started once in this process. Interleaved, the order
 * rotated every round:
 * - (a) an Alibaba Cloud pair, its private key to a file;
 * - (b) the same, to an Alibaba Cloud KMS secret only;
 * - (c) the same, to a file and a KMS secret;
 * - (d) a Tencent Cloud pair, to a file;
 * - (e) the same, to a Tencent Cloud SSM secret only.
 * Every create makes a new pair (and secret) under a name of its own, is checked (exit 0, the pair in the
 * emulator, the key in the file and in the secret), and is then deleted by the handler's `delete`,
 * untimed, so the emulator stays far below its quotas. The emulator's request journal gives the requests
 * of each create. No target: docs/design.md#performance-targets names no budget for a create, so this is a
 * comparison of one run.
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type JournalEntry, type RunningEmulator, type SecretStoreCloud, startEmulator } from '../emulator';
import { PrivateKeySecret } from '../src';
import { interleaved, ms, ProcessSpec, range, ratio, stats, Stats, table, timedRun } from './support/measure';
import type { PartReport } from './support/report';
import { HANDLER_BUNDLE, handlerInputs, HandlerInputs, KeyPairStackSpec, REGIONS, synthKeyPairStack } from './support/stacks';
import { PRIVATE_KEY_SECRET_VERSION_ID, SECRET_STORE_LABELS, SECRET_STORES, type CloudName } from '../src/contract';

interface Destination {
  /** The variant's letter, as the report names it. */
  readonly letter: 'a' | 'b' | 'c' | 'd' | 'e';
  readonly label: string;
  readonly cloud: CloudName;
  /** Whether the private key goes to a file. */
  readonly file: boolean;
  /** The secret store that keeps the private key too (or instead), by the cloud whose store it is. */
  readonly secret?: SecretStoreCloud;
  /** The file-only variant of the same cloud it is compared with. */
  readonly against?: Destination['letter'];
}

const DESTINATIONS: readonly Destination[] = [
  { letter: 'a', label: 'Alibaba Cloud pair → file', cloud: 'alicloud', file: true },
  { letter: 'b', label: 'Alibaba Cloud pair → KMS secret only', cloud: 'alicloud', file: false, secret: 'alicloud', against: 'a' },
  { letter: 'c', label: 'Alibaba Cloud pair → file + KMS secret', cloud: 'alicloud', file: true, secret: 'alicloud', against: 'a' },
  { letter: 'd', label: 'Tencent Cloud pair → file', cloud: 'tencentcloud', file: true },
  { letter: 'e', label: 'Tencent Cloud pair → SSM secret only', cloud: 'tencentcloud', file: false, secret: 'tencentcloud', against: 'd' },
];
type Letter = Destination['letter'];

const STORE_OF: Readonly<Record<SecretStoreCloud, string>> = {
  alicloud: SECRET_STORE_LABELS[SECRET_STORES.alicloudKms],
  tencentcloud: SECRET_STORE_LABELS[SECRET_STORES.tencentcloudSsm],
};

/** RSA size of the emulator's generated keys (see runCreateBench). */
const GENERATED_KEY_BITS = 1024;

export interface CreateBenchOptions {
  /** Timed rounds of every variant (after one untimed warm-up round). */
  readonly rounds: number;
}

/**
 * The key pair's (and secret's) name of one run of a variant: letters, digits and `_`, which every cloud
 * and both stores accept, and within Tencent's 25 characters. Run 0 is the warm-up.
 */
function pairName(destination: Destination, run: number): string {
  return `bench_create_${destination.letter}_${run}`;
}

function secretFor(destination: Destination, name: string): PrivateKeySecret | undefined {
  if (destination.secret === 'alicloud') return PrivateKeySecret.alicloud({ secretName: name });
  if (destination.secret === 'tencentcloud') return PrivateKeySecret.tencentcloud({ secretName: name });
  return undefined;
}

/** The requests of one create, as the emulator's journal recorded them. */
interface CreateRequests {
  readonly actions: readonly string[];
  /** Of them, those sent to a secret store. */
  readonly secretStore: number;
}

export async function runCreateBench(options: CreateBenchOptions): Promise<PartReport> {
  const scratch = fs.mkdtempSync(path.join(tmpdir(), 'bench-create-'));
  // The cloud's key generation, which a real cloud runs on its own machines, runs here in the benchmark's
  // process: at 2048 bits it takes a random 60 to 700 ms on a busy 2-core machine, more than what the
  // destinations differ by. At 1024 bits it is about ten times shorter, and the same for every variant.
  const emulator = await startEmulator({ generatedKeyBits: GENERATED_KEY_BITS });
  try {
    // Only what the calls need: PATH and the emulator's environment, nothing from the caller's shell.
    const baseEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...emulator.handlerEnvironment() };
    const handler = (command: string, env: Record<string, string>): ProcessSpec => ({
      command: process.execPath,
      args: [HANDLER_BUNDLE, command],
      env: { ...baseEnv, ...env },
      cwd: scratch,
    });
    const keyFile = (name: string) => path.join(scratch, 'keys', `${name}.pem`);

    // Every run's pair in one stack, synthesized once: a name of its own per variant and run.
    const runs = options.rounds + 1;
    const specs: KeyPairStackSpec[] = DESTINATIONS.flatMap((destination) => Array.from({ length: runs }, (_, run) => {
      const name = pairName(destination, run);
      return {
        cloud: destination.cloud,
        name,
        privateKeyFile: destination.file ? keyFile(name) : undefined,
        privateKeySecret: secretFor(destination, name),
      };
    }));
    const inputs = new Map<string, HandlerInputs>(handlerInputs(synthKeyPairStack(path.join(scratch, 'cdktf.out'), specs)).map((input) => [input.name, input]));

    const byLetter = new Map(DESTINATIONS.map((destination) => [destination.letter, destination]));
    const runsMade = Object.fromEntries(DESTINATIONS.map((destination) => [destination.letter, 0])) as Record<Letter, number>;
    const requests =
      Object.fromEntries(DESTINATIONS.map((destination) => [destination.letter, [] as CreateRequests[]])) as Record<Letter, CreateRequests[]>;
    const samples = await interleaved(DESTINATIONS.map((destination) => destination.letter), options.rounds, async (letter, timed) => {
      const destination = byLetter.get(letter)!;
      const pair = inputs.get(pairName(destination, runsMade[letter]++))!;
      const before = emulator.requests().length;
      const wallMs = await timedRun(`create (${letter}) ${pair.name}`, handler('create', pair.createEnv));
      const made = emulator.requests().slice(before);
      checkCreated(emulator, destination, pair.name, keyFile(pair.name));
      if (timed) requests[letter].push(requestsOf(made));
      await timedRun(`delete (${letter}) ${pair.name}`, handler('delete', pair.deleteEnv));
      checkDeleted(emulator, destination, pair.name);
      fs.rmSync(keyFile(pair.name), { force: true });
      return wallMs;
    }, { rotate: true });
    const wall = Object.fromEntries(Object.entries(samples).map(([letter, values]) => [letter, stats(values)])) as Record<Letter, Stats>;
    return report(options, wall, requests);
  } finally {
    await emulator.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function requestsOf(entries: readonly JournalEntry[]): CreateRequests {
  return {
    actions: entries.map((entry) => entry.action ?? '(none)'),
    secretStore: entries.filter((entry) => entry.secretNames !== undefined).length,
  };
}

/** The create made what it should: one pair of that name, the key in the file and in the secret (the same key in both). */
function checkCreated(emulator: RunningEmulator, destination: Destination, name: string, file: string): void {
  const fail = (what: string) => {
    throw new Error(`create (${destination.letter}) ${name}: ${what}`);
  };
  if (emulator.listKeyPairs(destination.cloud).filter((pair) => pair.name === name).length !== 1) fail(`the emulator does not hold exactly one ${destination.cloud} key pair of that name`);
  const fileKey = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (destination.file && !fileKey?.includes('PRIVATE KEY-----')) fail('no private key in its file');
  if (!destination.file && fileKey !== undefined) fail('a private key file was written, and none was asked for');
  if (destination.secret === undefined) return;
  const listed = emulator.listSecrets(destination.secret).filter((secret) => secret.name === name);
  if (listed.length !== 1 || listed[0].status !== 'enabled') fail(`the ${STORE_OF[destination.secret]} does not hold one live secret of that name`);
  const secretKey = emulator.secretValue(destination.secret, REGIONS[destination.cloud], name, PRIVATE_KEY_SECRET_VERSION_ID);
  if (!secretKey?.includes('PRIVATE KEY-----')) fail(`no private key in its secret's version ${PRIVATE_KEY_SECRET_VERSION_ID}`);
  if (fileKey !== undefined && secretKey?.trim() !== fileKey.trim()) fail('the file and the secret hold different keys');
}

/** The delete left nothing: no pair, no secret (deleted at once: the recovery window is 0 by default). */
function checkDeleted(emulator: RunningEmulator, destination: Destination, name: string): void {
  if (emulator.listKeyPairs(destination.cloud).some((pair) => pair.name === name)) throw new Error(`delete (${destination.letter}) ${name}: the key pair is still there`);
  if (destination.secret !== undefined && emulator.listSecrets(destination.secret).some((secret) => secret.name === name)) {
    throw new Error(`delete (${destination.letter}) ${name}: the secret is still there`);
  }
}

/** `DescribeSecret, CreateSecret` from the actions one list has beyond another (each action counted). */
function extraActions(actions: readonly string[], baseline: readonly string[]): string[] {
  const left = [...baseline];
  return actions.filter((action) => {
    const at = left.indexOf(action);
    if (at < 0) return true;
    left.splice(at, 1);
    return false;
  });
}

/** `7`, or `7–9` when the creates of a variant did not all send as many requests. */
function countRange(values: readonly number[]): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? String(low) : `${low}–${high}`;
}

/** The actions of a variant's most frequent request sequence, in order. */
function typicalActions(runs: readonly CreateRequests[]): readonly string[] {
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(run.actions.join('\n'), (counts.get(run.actions.join('\n')) ?? 0) + 1);
  const [typical] = [...counts].sort((x, y) => y[1] - x[1])[0];
  return typical === '' ? [] : typical.split('\n');
}

function report(options: CreateBenchOptions, wall: Record<Letter, Stats>, requests: Record<Letter, CreateRequests[]>): PartReport {
  const median = (letter: Letter) => wall[letter].median;
  const counts = (letter: Letter) => requests[letter].map((run) => run.actions.length);
  const mainTable = table(
    ['variant', 'min / **median** / max', 'spread (max − min)', 'vs its file variant', 'requests per create', 'of which to the secret store'],
    DESTINATIONS.map((destination) => {
      const s = wall[destination.letter];
      return [
        `(${destination.letter}) ${destination.label}`,
        range(s),
        `${ms(s.max - s.min)} (${((100 * (s.max - s.min)) / s.median).toFixed(0)} % of the median)`,
        destination.against === undefined ? '—' : ratio(median(destination.letter) / median(destination.against)),
        countRange(counts(destination.letter)),
        countRange(requests[destination.letter].map((run) => run.secretStore)),
      ];
    }),
  );
  const compared = DESTINATIONS.filter((destination) => destination.against !== undefined);
  const ratioTable = table(
    ['comparison', 'ratio of medians', 'difference of medians', 'extra requests per create', 'which (typical create)'],
    compared.map((destination) => {
      const against = destination.against!;
      const extra = extraActions(typicalActions(requests[destination.letter]), typicalActions(requests[against]));
      const extraCounts = requests[destination.letter].map((run) => run.actions.length - stats(counts(against)).median);
      return [
        `(${destination.letter}) / (${against})`,
        ratio(median(destination.letter) / median(against)),
        `${median(destination.letter) >= median(against) ? '+' : '−'}${ms(Math.abs(median(destination.letter) - median(against)))}`,
        countRange(extraCounts),
        extra.length === 0 ? '—' : extra.map((action) => `\`${action}\``).join(', '),
      ];
    }),
    ['l', 'r', 'r', 'r', 'l'],
  );
  const sequences = table(
    ['variant', 'requests of a typical create, in order'],
    DESTINATIONS.map((destination) => [`(${destination.letter})`, typicalActions(requests[destination.letter]).map((action) => `\`${action}\``).join(' → ')]),
    ['l', 'l'],
  );

  const markdown = [
    'Wall time of the whole `node assets/handler.js create` process, spawn to exit, its environment as Terraform\'s provisioner sets it;' +
      ` ${options.rounds} interleaved rounds of every variant after one untimed warm-up round, the order rotated every round.` +
      ' Every create makes a new cloud-generated key pair (and secret) under a name of its own, and is checked: exit 0, one pair of that name' +
      ' in the emulator, the private key in its file and in its secret (the same key in both), no file where none was asked for. Each is then deleted by' +
      ' the handler\'s `delete`, untimed. The emulator runs in the benchmark\'s process and generates each pair\'s RSA key there, work a real cloud' +
      ` does on its own machines: at ${GENERATED_KEY_BITS} bits (\`generatedKeyBits\`), not the clouds' 2048, whose random 60 to 700 ms of prime search` +
      ' on a busy machine would drown what the destinations differ by. It is the same for every variant, and still part of each one\'s time and spread.',
    '',
    'No target: the design (docs/design.md#performance-targets) names no budget for a create. This compares the destinations, one run on one machine.',
    '',
    mainTable,
    '',
    '**What a secret destination adds** (ratios and differences of medians; requests from the emulator\'s request journal, per create).' +
      ' Before it makes anything, a create with a secret describes the secret\'s name (absent, or ours from an earlier run of the step); it' +
      ' stores the key with one `CreateSecret` after the pair is made. Every request is a loopback round trip to the emulator.',
    '',
    ratioTable,
    '',
    sequences,
  ].join('\n');
  return { id: 'create', title: 'Handler `create`: private key to a file, a secret store, or both', markdown, targets: [] };
}
