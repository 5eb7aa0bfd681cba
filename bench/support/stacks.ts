/**
 * The stacks the benchmarks deploy, synthesized with cdktf in this process: key pairs through the
 * library's constructs, and the baseline of bare `null_resource`s whose provisioner runs `node -e 0`.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { Resource } from '@cdktf/provider-null/lib/resource';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { AlicloudKeyPair, KeySource, PrivateKeySecret, TencentcloudKeyPair, UcloudKeyPair } from '../../src';
import { HANDLER_ENV, parseReadQueryKey, readQueryKey, TRIGGER_KEYS, type CloudName } from '../../src/contract';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** The shipped handler bundle (`npx projen bundle`). */
export const HANDLER_BUNDLE = path.join(REPO_ROOT, 'assets', 'handler.js');

export const CLOUDS: readonly CloudName[] = ['alicloud', 'tencentcloud', 'ucloud'];
export const REGIONS: Readonly<Record<CloudName, string>> = { alicloud: 'cn-hangzhou', tencentcloud: 'ap-guangzhou', ucloud: 'cn-bj2' };

export interface KeyPairStackSpec {
  readonly cloud: CloudName;
  /** Construct id and key pair name: letters, digits and `_` (valid on every cloud). */
  readonly name: string;
  /** Imported public key (`ssh-rsa …`); otherwise the cloud generates the pair. */
  readonly publicKey?: string;
  /** For a cloud-generated pair: where its private key is written; none when `privateKeySecret` alone keeps it. */
  readonly privateKeyFile?: string;
  /** For a cloud-generated pair: the secret store that keeps its private key, besides or instead of the file. */
  readonly privateKeySecret?: PrivateKeySecret;
}

/** Synthesizes one stack as `cdktf synth` would and returns its directory (`cdktf.out/stacks/<id>`). */
function synthesize(outdir: string, build: (stack: TerraformStack) => void): string {
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'bench');
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  build(stack);
  app.synth();
  return path.join(outdir, 'stacks', 'bench');
}

export function synthKeyPairStack(outdir: string, specs: readonly KeyPairStackSpec[]): string {
  return synthesize(outdir, (stack) => {
    for (const spec of specs) {
      const common = {
        region: REGIONS[spec.cloud],
        keyPairName: spec.name,
        ...(spec.publicKey !== undefined
          ? { keySource: KeySource.importPublicKey(spec.publicKey) }
          : { keySource: KeySource.cloudGenerated(), privateKeyFile: spec.privateKeyFile, privateKeySecret: spec.privateKeySecret }),
      };
      if (spec.cloud === 'alicloud') new AlicloudKeyPair(stack, spec.name, common);
      else if (spec.cloud === 'tencentcloud') new TencentcloudKeyPair(stack, spec.name, common);
      else new UcloudKeyPair(stack, spec.name, common);
    }
  });
}

/**
 * The baseline: `count` `null_resource`s, each running `node -e 0` at create and at destroy, as a key
 * pair's carrier runs the handler at both. A plan runs no provisioner: to a plan these are bare
 * `null_resource`s.
 */
export function synthNullStack(outdir: string, count: number): string {
  return synthesize(outdir, (stack) => {
    new NullProvider(stack, 'null');
    for (let i = 0; i < count; i++) {
      new Resource(stack, `nr${i}`, {
        triggers: { name: `nr${i}` },
        provisioners: [
          { type: 'local-exec', command: 'node -e 0' },
          { type: 'local-exec', when: 'destroy', command: 'node -e 0' },
        ],
      });
    }
  });
}

/** Public keys made so far, reused by every stack: each stack is destroyed before the next is applied. */
const publicKeyPool: string[] = [];

/** The key pairs' `count` specs over the three clouds in turn, each with its own imported RSA key. */
export function importSpecs(count: number, prefix: string): KeyPairStackSpec[] {
  while (publicKeyPool.length < count) publicKeyPool.push(rsaPublicKey());
  return Array.from({ length: count }, (_, i) => ({ cloud: CLOUDS[i % CLOUDS.length], name: `${prefix}${i}`, publicKey: publicKeyPool[i] }));
}

/** A fresh RSA public key in OpenSSH form (`ssh-rsa <base64>`), which every cloud imports. */
export function rsaPublicKey(): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  const mpint = (base64url: string) => {
    const bytes = Buffer.from(base64url, 'base64url');
    // An mpint with its top bit set gets a leading zero byte (it is not negative).
    return field(bytes[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
  };
  const blob = Buffer.concat([field(Buffer.from('ssh-rsa')), mpint(jwk.e!), mpint(jwk.n!)]);
  return `ssh-rsa ${blob.toString('base64')}`;
}

interface SynthesizedStack {
  readonly resource?: { readonly null_resource?: Record<string, { triggers: Record<string, string>; provisioner: Array<{ 'local-exec': LocalExec }> }> };
  readonly data?: { readonly external?: Record<string, { query: Record<string, string> }> };
}

interface LocalExec {
  readonly command: string;
  readonly environment?: Record<string, string>;
  readonly when?: string;
}

/** The stack's plan-time read (src/deployment.ts): its query holds every pair's fields as `<pair>#<field>`. */
const STACK_READ = 'cdktf_keypair_read';

/** What Terraform hands the handler for one key pair of a synthesized stack: each step's environment, the read's query. */
export interface HandlerInputs {
  readonly name: string;
  /** The pair's key in the stack read's query and answer (its construct path below the stack). */
  readonly entry: string;
  readonly createEnv: Record<string, string>;
  readonly deleteEnv: Record<string, string>;
  /** The stack read's query with this pair's fields alone, as JSON. */
  readonly readQuery: string;
}

/**
 * The handler's inputs for every key pair of a synthesized stack, as Terraform would pass them: the
 * provisioners' environments with `jsonencode(self.triggers)` evaluated, and the pair's part of the stack
 * read's query (`<pair>#<field>` keys) as JSON.
 */
export function handlerInputs(stackDirectory: string): HandlerInputs[] {
  const json = JSON.parse(fs.readFileSync(path.join(stackDirectory, 'cdk.tf.json'), 'utf8')) as SynthesizedStack;
  const carriers = Object.values(json.resource?.null_resource ?? {});
  const stackQuery = json.data?.external?.[STACK_READ]?.query;
  if (!stackQuery) throw new Error(`no data.external.${STACK_READ} in the synthesized stack`);
  // The deployment identity is a Terraform-made UUID (terraform_data.cdktf_keypair_identity.id): the
  // benchmark runs the handler without Terraform, so it stands in for one.
  const identity = randomUUID();
  const resolve = (text: string) => text.replace(/\$\{terraform_data\.cdktf_keypair_identity\.id\}/g, identity);
  const queryByEntry = new Map<string, Record<string, string>>();
  for (const [key, value] of Object.entries(stackQuery)) {
    const parsed = parseReadQueryKey(key);
    if (!parsed) throw new Error(`the stack read's query key "${key}" is not <pair>#<field>`);
    queryByEntry.set(parsed.entry, { ...queryByEntry.get(parsed.entry), [key]: resolve(value) });
  }
  return carriers.map((synthesized) => {
    const carrier = { ...synthesized, triggers: JSON.parse(resolve(JSON.stringify(synthesized.triggers))) as typeof synthesized.triggers };
    const name = carrier.triggers[TRIGGER_KEYS.keyPairName];
    const entry = [...queryByEntry].find(([candidate, query]) => query[readQueryKey(candidate, TRIGGER_KEYS.keyPairName)] === name)?.[0];
    if (entry === undefined) throw new Error(`the stack read has no entry for ${name}`);
    const env = (when: 'create' | 'destroy') => {
      const step = carrier.provisioner.map((p) => p['local-exec']).find((p) => (p.when ?? 'create') === when)!;
      return Object.fromEntries(
        Object.entries(step.environment ?? {}).map(([key, value]) => [key, key === HANDLER_ENV.triggers ? JSON.stringify(carrier.triggers) : value]),
      );
    };
    return { name, entry, createEnv: env('create'), deleteEnv: env('destroy'), readQuery: JSON.stringify(queryByEntry.get(entry)) };
  });
}

/** The stack read's answer for one pair: the read result its entry holds (JSON inside the answer's JSON). */
export function pairReadResult(stdout: string, entry: string): Record<string, string> | undefined {
  const answer = JSON.parse(stdout) as Record<string, string>;
  return typeof answer[entry] === 'string' ? (JSON.parse(answer[entry]) as Record<string, string>) : undefined;
}
