/**
 * Shared setup of the end-to-end tests: the cloud emulator, key pair stacks synthesized by cdktf, and real
 * `terraform` running them in a throwaway workspace (the offline stand-ins, or the mirror that
 * CDKTF_KEYPAIR_PROVIDER_MIRROR names). Every terraform command's output, every state file and every
 * synthesized file is kept, for the secret scan each test file ends with.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, AssetType, Fn, LocalBackend, TerraformAsset, TerraformOutput, TerraformResource, TerraformStack } from 'cdktf';
import { EmulatorOptions, RunningEmulator, startEmulator } from '../../emulator';
import { keyPairApiFor } from '../../handler/clouds/factory';
import {
  AlicloudKeyPair,
  IKeyPair,
  KeyAlgorithm,
  KeyPairBase,
  KeyPairCarrier,
  KeyPairDeployment,
  KeySource,
  PrivateKeySecret,
  TencentcloudKeyPair,
  UcloudKeyPair,
} from '../../src';
import {
  CLOUD_NAMES,
  KEY_SOURCES as CONTRACT_KEY_SOURCES,
  RECORD_KEYS,
  TAG_RULES,
  unreachable,
  type CloudName,
  type KeySource as KeySourceName,
  type SecretStoreName,
} from '../../src/contract';
import { missingPairWarning } from '../../src/lifecycle-resources';
import { HANDLER_ASSET_ID } from '../../src/stack-support';
import { TerraformData } from '../../src/terraform-data';
import { TEST_HANDLER_TUNING } from '../support/handler-tuning';
import { CREATE_ACTIONS, DELETE_ACTION, DESCRIBE_ACTION } from '../support/key-pair-actions';
import { emulatorKeyPool, UserRsaKeys } from '../support/key-pools';
import { privateKeyBodyLines } from '../support/private-key-lines';
import { REGIONS } from '../support/regions';
import { sshKeygenKeyPair } from '../support/ssh-keygen';
import { TerraformCommandError, TerraformRunOptions, TerraformRunResult, TerraformWorkspace } from '../support/terraform';
import { readZipEntries } from '../support/zip';

export { oneLine } from '../support/terraform';

export const CLOUDS: readonly CloudName[] = CLOUD_NAMES;
/** The clouds whose key pairs carry tags (and whose deletes refuse a pair bound to an instance). */
export const TAGGING_CLOUDS: readonly CloudName[] = CLOUD_NAMES.filter((cloud) => TAG_RULES[cloud] !== undefined);

export type { KeySourceName };
/** Every key source each cloud supports (generate locally: RSA, which every cloud imports). */
export const KEY_SOURCES: readonly KeySourceName[] = Object.values(CONTRACT_KEY_SOURCES);

export { REGIONS };

/** KeyPairId as each cloud gives it: Alibaba identifies key pairs by name, Tencent `skey-…`, UCloud `uhostkp-…`. */
export function keyPairIdFormat(cloud: CloudName, name: string): RegExp {
  switch (cloud) {
    case 'alicloud':
      return new RegExp(`^${name}$`);
    case 'tencentcloud':
      return /^skey-[0-9a-z]{8}$/;
    case 'ucloud':
      return /^uhostkp-[0-9a-z]+$/;
    default:
      return unreachable(cloud, 'cloud');
  }
}

export { CREATE_ACTIONS, DELETE_ACTION, DESCRIBE_ACTION };

/** The deployment identity every stack with a key pair holds (docs/ownership.md). */
export const IDENTITY_ADDRESS = 'terraform_data.cdktf_keypair_identity';
/** The stack's tag resource, present when a key pair is on a cloud with tags. */
export const TAGS_ADDRESS = 'terraform_data.cdktf_keypair_tags';

/** A key pair's entry in the stack's registry, keyed by its construct path below the stack (its id, in these tests). */
export function registryAddress(id: string): string {
  return `terraform_data.cdktf_keypair_registry["${id}"]`;
}

/** What a plan does to one resource. */
export type ResourceAction = 'create' | 'replace' | 'update' | 'destroy';

const PLANNED_ACTION = /^\s*# (\S+) (will be created|will be destroyed|will be updated in-place|must be replaced|is tainted, so must be replaced|will be replaced, as requested|will be replaced due to changes in replace_triggered_by)$/;

/**
 * The resource actions a plan lists, by address, as `terraform plan`, `apply` and `destroy` print them
 * (without colour). Data sources are left out: reads are no change.
 */
export function plannedActions(output: string): Record<string, ResourceAction> {
  const actions: Record<string, ResourceAction> = {};
  for (const line of output.split('\n')) {
    const match = PLANNED_ACTION.exec(line);
    if (!match || match[1].startsWith('data.')) continue;
    const verb = match[2];
    actions[match[1]] = verb === 'will be created' ? 'create' : verb === 'will be destroyed' ? 'destroy' : verb === 'will be updated in-place' ? 'update' : 'replace';
  }
  return actions;
}

/** `{ address: action }` for every address. */
export function allPlanned(addresses: readonly string[], action: ResourceAction): Record<string, ResourceAction> {
  return Object.fromEntries(addresses.map((address) => [address, action]));
}

/** What a key pair's registry entry recorded in state (the destroy step's proof on UCloud). */
export interface RegistryRecord {
  readonly recordedKeyPairId: string;
  readonly recordedFingerprint: string;
  readonly deleteTimeoutSeconds: string;
}

/** One key pair construct of a test stack. */
export interface KeyPairSpec {
  /** Construct id, also the stem of its outputs (`<id>_key_pair_id`, …): letters, digits and `_`. */
  readonly id: string;
  readonly cloud: CloudName;
  readonly source: KeySourceName;
  readonly name: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly deleteTimeoutSeconds?: number;
  /** The carrier (default: null_resource). */
  readonly carrier?: KeyPairCarrier;
  /** The key's algorithm, for a key generated here or imported (default: RSA, which every cloud takes; Alibaba takes ECDSA too). */
  readonly keyAlgorithm?: KeyAlgorithm.RSA | KeyAlgorithm.ECDSA;
  /** Alibaba resource group id, Tencent project id (decimal), UCloud project id. */
  readonly scope?: string;
  /** The construct's replacementKey (unset: none). */
  readonly replacementKey?: string;
  /** The construct's region (default: the cloud's in `REGIONS`). */
  readonly region?: string;
  /** The construct's endpoint (unset: none; the handler then reaches the emulator through the environment). */
  readonly endpoint?: string;
  /**
   * Where the private key goes, for the key sources that yield one (default: `privateKeyFile(id)`); `false`:
   * no file (the secret store is the only destination).
   */
  readonly privateKeyFile?: string | false;
  /** The secret store the private key is also (or only) kept in (unset: none). */
  readonly privateKeySecret?: SecretSpec;
  /** The construct's `outputs` prop (unset: the default, true). */
  readonly outputs?: boolean;
}

/** A `privateKeySecret` destination. */
export interface SecretSpec {
  readonly store: SecretStoreName;
  readonly secretName: string;
  /** The store's region (default: the key pair's, when the store is on its cloud). */
  readonly region?: string;
  readonly recoveryWindowDays?: number;
}

/** The construct prop for a secret destination. */
function privateKeySecretOf(secret: SecretSpec): PrivateKeySecret {
  const props = {
    secretName: secret.secretName,
    ...(secret.region !== undefined ? { region: secret.region } : {}),
    ...(secret.recoveryWindowDays !== undefined ? { recoveryWindowDays: secret.recoveryWindowDays } : {}),
  };
  switch (secret.store) {
    case 'alicloud-kms':
      return PrivateKeySecret.alicloud(props);
    case 'tencentcloud-ssm':
      return PrivateKeySecret.tencentcloud(props);
    default:
      return unreachable(secret.store, 'secret store');
  }
}

/** A reference to a key pair made elsewhere, with outputs `<id>_key_pair_id`, `<id>_fingerprint`, ... */
export interface ReferenceSpec {
  readonly id: string;
  readonly cloud: CloudName;
  readonly name?: string;
  /** Tencent only: by id. */
  readonly keyPairId?: string;
}

/** What else a synth puts into the stack. */
export interface SynthOptions {
  /** References to key pairs made elsewhere. */
  readonly references?: readonly ReferenceSpec[];
  /** Keep the stack's KeyPairDeployment even without key pairs (`KeyPairDeployment.of(stack)`). */
  readonly keepDeployment?: boolean;
  /**
   * A `terraform_data` consumer per key pair and reference (`consumer_<id>`), whose input is the pair's name
   * and id, as an instance would take them.
   */
  readonly consumers?: boolean;
  /**
   * A handler bundle the stack ships instead of this checkout's `assets/handler.js`, as another release of
   * the library would (its content, so its asset path, differs).
   */
  readonly handlerBundle?: string;
  /**
   * The directory synth runs in (`process.cwd()` while the app synthesizes), with `cdktf.out` under it, as
   * `cdktf synth` in another checkout would. Default: this process's directory, and a temporary `outdir`.
   */
  readonly synthDirectory?: string;
}

/** What the outputs say about one key pair. */
export interface KeyPairOutputs {
  readonly keyPairId: string;
  readonly keyPairName: string;
  readonly fingerprint: string;
  readonly fingerprintSha256: string;
  readonly publicKey: string;
}

/** One emulator request as its log reports it. */
export interface EmulatorRequestRecord {
  readonly cloud: string;
  readonly action: string;
  readonly status: number;
  readonly line: string;
}

type RequestListener = (request: EmulatorRequestRecord) => void;

/** A text the secret scan reads, with where it came from. */
export interface Evidence {
  readonly source: string;
  readonly text: string;
}

/** A value the secret scan looks for, with what it is (the finding names that, never the value). */
export interface SecretNeedle {
  readonly what: string;
  readonly value: string;
}

/** Long runs of base64 (lines of a private key's body are such runs): looked up by their first characters. */
const BASE64_RUN = /[A-Za-z0-9+/=]{24,}/g;
const BASE64_PREFIX = 24;

/**
 * Where each needle occurs in the evidence: `<what> in <source>`, once each. Needles made of base64 alone
 * (the lines of private keys: thousands of them, against megabytes of TRACE logs) are found through an index
 * of their first characters, run by run of base64 in the text; every other needle by a plain search.
 */
export function findSecrets(evidence: readonly Evidence[], needles: readonly SecretNeedle[]): string[] {
  const byPrefix = new Map<string, SecretNeedle[]>();
  const plain: SecretNeedle[] = [];
  for (const needle of needles) {
    if (new RegExp(`^${BASE64_RUN.source}$`).test(needle.value)) {
      const prefix = needle.value.slice(0, BASE64_PREFIX);
      byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), needle]);
    } else {
      plain.push(needle);
    }
  }
  const findings: string[] = [];
  for (const { source, text } of evidence) {
    for (const needle of plain) {
      if (text.includes(needle.value)) findings.push(`${needle.what} in ${source}`);
    }
    if (byPrefix.size === 0) continue;
    for (const [run] of text.matchAll(BASE64_RUN)) {
      for (let offset = 0; offset + BASE64_PREFIX <= run.length; offset++) {
        for (const needle of byPrefix.get(run.slice(offset, offset + BASE64_PREFIX)) ?? []) {
          if (run.startsWith(needle.value, offset)) findings.push(`${needle.what} in ${source}`);
        }
      }
    }
  }
  return [...new Set(findings)];
}

/**
 * One test file's world: an emulator of the three clouds, the deployments made against it, and everything
 * they produced. Start it in `beforeAll`, stop it in `afterAll`.
 */
export class EndToEnd {
  /**
   * Starts the emulator (with these options: quota, state file, credentials, ports...) for one test file. Its
   * cloud-generated pairs get their keys from the run's key pool unless `keyPool` says otherwise.
   */
  static async start(options: Omit<EmulatorOptions, 'log'> = {}): Promise<EndToEnd> {
    const harness = new EndToEnd();
    harness.emulatorOptions = { keyPool: emulatorKeyPool(), ...options };
    harness.emulator = await startEmulator({ ...harness.emulatorOptions, log: (line) => harness.onLog(line) });
    harness.rememberCredentials();
    return harness;
  }

  emulator!: RunningEmulator;
  private emulatorOptions: Omit<EmulatorOptions, 'log'> = {};
  /** Every access key secret and STS token of every emulator this harness ran. */
  private readonly credentialSecrets: SecretNeedle[] = [];
  /** Every request the emulator answered, in order. */
  readonly requests: EmulatorRequestRecord[] = [];
  private readonly listeners = new Set<RequestListener>();
  private readonly evidence: Evidence[] = [];
  private readonly seenEvidence = new Set<string>();
  /** Private keys seen during the runs (key files, imported keys' private halves). */
  private readonly privateKeys = new Set<string>();
  /** Other secrets a test handed to terraform (e.g. a wrong access key secret). */
  private readonly extraSecrets: Array<{ what: string; value: string }> = [];
  private readonly deployments = new Set<Deployment>();
  /** Key pairs for import, one per construct id, stable within the file (re-synth imports the same key). */
  private readonly importKeys = new Map<string, { publicKey: string; privateKey: string }>();
  private readonly userRsaKeys = new UserRsaKeys();

  private constructor() {}

  private onLog(line: string): void {
    const match = /^(\w+) (\S+): HTTP (\d+)/.exec(line);
    if (!match) return;
    const request = { cloud: match[1], action: match[2], status: Number(match[3]), line };
    this.requests.push(request);
    for (const listener of [...this.listeners]) listener(request);
  }

  /**
   * Calls `action` synchronously while the emulator handles the first request matching `predicate`, before
   * its answer is sent (so before the handler can make its next request).
   */
  onceRequest(predicate: (request: EmulatorRequestRecord) => boolean, action: (request: EmulatorRequestRecord) => void): void {
    const listener: RequestListener = (request) => {
      if (!predicate(request)) return;
      this.listeners.delete(listener);
      action(request);
    };
    this.listeners.add(listener);
  }

  /** How many requests of these actions on this cloud the emulator has answered so far. */
  countRequests(cloud: CloudName, actions: readonly string[]): number {
    return this.requests.filter((request) => request.cloud === cloud && actions.includes(request.action)).length;
  }

  /**
   * The import key of a construct id, made with the real ssh-keygen (with a comment) for its first call, of
   * that call's algorithm; RSA keys from the run's pool of such keys while it lasts.
   */
  importKey(id: string, algorithm: KeyAlgorithm.RSA | KeyAlgorithm.ECDSA = KeyAlgorithm.RSA): { publicKey: string; privateKey: string } {
    let key = this.importKeys.get(id);
    if (key === undefined) {
      key = algorithm === KeyAlgorithm.ECDSA ? sshKeygenKeyPair('ecdsa', `${id}@e2e`) : this.userRsaKeys.take(`${id}@e2e`);
      this.importKeys.set(id, key);
      this.rememberPrivateKey(key.privateKey);
    }
    return key;
  }

  /**
   * Stops the emulator and starts it again on the same ports (so workspaces keep reaching it) with these
   * options changed, e.g. a higher quota. Key pairs survive only through a `stateFile`. The restarted
   * emulator generates its keys: the pool's may have gone to pairs deleted before the restart, which its
   * state no longer shows.
   */
  async restartEmulator(changes: Omit<EmulatorOptions, 'log' | 'ports'>): Promise<void> {
    const ports = Object.fromEntries(CLOUDS.map((cloud) => [cloud, Number(new URL(this.emulator.endpoints[cloud]).port)]));
    await this.emulator.stop();
    this.emulatorOptions = { ...this.emulatorOptions, keyPool: undefined, ...changes };
    this.emulator = await startEmulator({ ...this.emulatorOptions, ports, log: (line) => this.onLog(line) });
    this.rememberCredentials();
  }

  private rememberCredentials(): void {
    for (const cloud of CLOUDS) {
      for (const credential of this.emulator.credentials[cloud]) {
        this.credentialSecrets.push({ what: `${cloud} access key secret`, value: credential.accessKeySecret });
        if (credential.securityToken) this.credentialSecrets.push({ what: `${cloud} security token`, value: credential.securityToken });
      }
    }
  }

  /**
   * A new workspace for one stack, with the emulator's handler environment (and `env`, e.g. the handler's
   * tuning variables); dispose it at the end of the test.
   */
  async deployment(stackId = 'e2e', env: Readonly<Record<string, string>> = {}): Promise<Deployment> {
    const workspace = await TerraformWorkspace.create({ env: { ...this.emulator.handlerEnvironment(), ...TEST_HANDLER_TUNING, ...env } });
    const deployment = new Deployment(this, stackId, workspace);
    this.deployments.add(deployment);
    return deployment;
  }

  /**
   * Synthesizes one App with a stack per deployment, as `cdktf synth` does for an app of several stacks, and
   * copies each stack into its deployment's working directory. Each stack keeps its state in its working
   * directory by absolute path, so a stack that uses another's tokens reads them through cdktf's
   * `terraform_remote_state`. `build` gets the stacks in the order of `deployments`.
   */
  synthApp(deployments: readonly Deployment[], build: (stacks: TerraformStack[]) => void): void {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-synth-app-'));
    try {
      const app = new App({ outdir });
      build(deployments.map((deployment) => deployment.stackIn(app)));
      app.synth();
      for (const deployment of deployments) deployment.takeSynthesized(outdir);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }

  /** The emulator's key pairs of one cloud, by name. */
  keyPairsNamed(cloud: CloudName, name: string) {
    return this.emulator.listKeyPairs(cloud).filter((keyPair) => keyPair.name === name);
  }

  /** Deletes a key pair behind Terraform's back, through the cloud's API (the handler's own client). */
  async deleteOutOfBand(cloud: CloudName, name: string): Promise<void> {
    const api = keyPairApiFor({ cloud, region: REGIONS[cloud] }, this.emulator.handlerEnvironment());
    const found = await api.findByName(name);
    if (found.length !== 1) throw new Error(`expected one ${cloud} key pair named ${name}, found ${found.length}`);
    await api.delete(found[0]);
  }

  /** @internal */
  record(source: string, text: string): void {
    if (!text) return;
    const digest = createHash('sha256').update(text).digest('hex');
    if (this.seenEvidence.has(digest)) return;
    this.seenEvidence.add(digest);
    this.evidence.push({ source, text });
  }

  /** @internal */
  rememberPrivateKey(pem: string): void {
    this.privateKeys.add(pem);
  }

  /** A secret the scan must not find either. */
  addSecret(what: string, value: string): void {
    this.extraSecrets.push({ what, value });
  }

  /** How many private keys the scan looks for. */
  privateKeyCount(): number {
    return this.privateKeys.size;
  }

  /**
   * Every place a secret showed up in the recorded texts: the emulator's access key secrets (and STS tokens),
   * the words `PRIVATE KEY`, and any line of the body of a private key seen during the runs.
   */
  secretFindings(): string[] {
    return findSecrets(this.evidenceRecords(), this.secretNeedles());
  }

  /** Every text recorded so far (state files, plans, outputs, logs, synthesized files), collected now. */
  evidenceRecords(): readonly Evidence[] {
    for (const deployment of this.deployments) deployment.collectFiles();
    return this.evidence;
  }

  /** What the secret scan looks for: see `secretFindings`. */
  secretNeedles(): SecretNeedle[] {
    const needles: SecretNeedle[] = [...this.credentialSecrets, ...this.extraSecrets];
    needles.push({ what: 'a PEM private key header', value: 'PRIVATE KEY' });
    for (const pem of this.privateKeys) {
      for (const line of privateKeyBodyLines(pem)) needles.push({ what: 'a line of a private key', value: line });
    }
    return [...new Map(needles.map((needle) => [`${needle.what}\0${needle.value}`, needle])).values()];
  }

  /** How many texts the secret scan reads, per kind (to prove it read something of each). */
  evidenceKinds(): Record<string, number> {
    const kinds: Record<string, number> = {};
    for (const { source } of this.evidence) {
      const kind = source.split(':')[0];
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    return kinds;
  }

  /** The total size of the recorded terraform logs at TRACE level. */
  traceLogBytes(): number {
    return this.evidence.filter((entry) => entry.source.startsWith('trace')).reduce((sum, entry) => sum + entry.text.length, 0);
  }

  async stop(): Promise<void> {
    for (const deployment of this.deployments) deployment.dispose();
    await this.emulator?.stop();
  }
}

/** One stack in one Terraform workspace: synth (and re-synth) it, run terraform on it. */
export class Deployment {
  /** The constructs of the last synth, by id. */
  readonly keyPairs = new Map<string, KeyPairBase>();
  private specs: KeyPairSpec[] = [];
  private readonly outdir: string;
  private synthCount = 0;
  private disposed = false;

  constructor(private readonly harness: EndToEnd, readonly stackId: string, readonly workspace: TerraformWorkspace) {
    this.outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-synth-'));
  }

  /**
   * Every resource the last synth manages: each key pair's carrier and registry entry, the deployment
   * identity, and the tag resource when a key pair is on a cloud with tags.
   */
  stackAddresses(): string[] {
    if (this.specs.length === 0) return [];
    return [
      ...this.specs.flatMap((spec) => [this.address(spec.id), this.childAddress(spec.id, 'presence'), this.childAddress(spec.id, 'result')]),
      ...this.specs.map((spec) => registryAddress(spec.id)),
      IDENTITY_ADDRESS,
      ...(this.specs.some((spec) => TAGGING_CLOUDS.includes(spec.cloud)) ? [TAGS_ADDRESS] : []),
    ];
  }

  /** The registry entries in state, by key (the construct id, in these tests). */
  async registryRecords(): Promise<Record<string, RegistryRecord>> {
    const shown = JSON.parse((await this.runOrThrow(['show', '-json'])).stdout) as {
      values?: { root_module?: { resources?: Array<{ address: string; index?: string; values: { input?: Record<string, string> } }> } };
    };
    const records: Record<string, RegistryRecord> = {};
    for (const resource of shown.values?.root_module?.resources ?? []) {
      if (!resource.address.startsWith('terraform_data.cdktf_keypair_registry[') || resource.index === undefined) continue;
      const input = resource.values.input ?? {};
      records[resource.index] = {
        recordedKeyPairId: input[RECORD_KEYS.keyPairId],
        recordedFingerprint: input[RECORD_KEYS.fingerprint],
        deleteTimeoutSeconds: input.delete_timeout_seconds,
      };
    }
    return records;
  }

  /** Where a key pair's private key goes: inside the workspace, so disposing the workspace removes it. */
  privateKeyFile(id: string): string {
    return path.join(this.workspace.rootDirectory, 'keys', `${id}.pem`);
  }

  /** The carrier's address, which `terraform apply -replace=` takes. */
  address(id: string): string {
    const keyPair = this.keyPair(id);
    return `${keyPair.carrier.terraformResourceType}.${keyPair.carrier.friendlyUniqueId}`;
  }

  /** The address of a key pair's own `terraform_data` beside its carrier: `presence` (made again when gone) or `result` (its tokens). */
  childAddress(id: string, child: 'presence' | 'result'): string {
    const resource = this.keyPair(id).node.findChild(child) as TerraformResource;
    return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
  }

  keyPair(id: string): KeyPairBase {
    const keyPair = this.keyPairs.get(id);
    if (keyPair === undefined) throw new Error(`no key pair ${id} in the last synth`);
    return keyPair;
  }

  spec(id: string): KeyPairSpec {
    const spec = this.specs.find((candidate) => candidate.id === id);
    if (spec === undefined) throw new Error(`no key pair ${id} in the last synth`);
    return spec;
  }

  /**
   * Synthesizes a stack with these key pairs (a new App each time, as `cdktf synth` would) and copies
   * `cdktf.out/stacks/<stack>` into the working directory, over the previous synth (the state stays).
   */
  synth(specs: readonly KeyPairSpec[], options: SynthOptions = {}): void {
    if (options.synthDirectory === undefined) {
      this.synthIn(this.outdir, specs, options);
      return;
    }
    const previous = process.cwd();
    process.chdir(options.synthDirectory);
    try {
      this.synthIn(path.join(options.synthDirectory, 'cdktf.out'), specs, options);
    } finally {
      process.chdir(previous);
    }
  }

  /**
   * Synthesizes a stack the caller builds, for constructs a spec cannot express (values from Terraform
   * variables, say), as `synth` does; returns its key pairs by id.
   */
  synthStack(build: (stack: TerraformStack) => Record<string, KeyPairBase>): Record<string, KeyPairBase> {
    this.specs = [];
    this.keyPairs.clear();
    let keyPairs: Record<string, KeyPairBase> = {};
    this.synthesize(this.outdir, (stack) => {
      keyPairs = build(stack);
    });
    for (const [id, keyPair] of Object.entries(keyPairs)) this.keyPairs.set(id, keyPair);
    return keyPairs;
  }

  /** A new App with one stack and a local backend, `build` run on it, synthesized into `outdir` and copied into the working directory. */
  private synthesize(outdir: string, build: (stack: TerraformStack) => void): void {
    fs.rmSync(outdir, { recursive: true, force: true });
    const app = new App({ outdir });
    const stack = this.stackIn(app, 'terraform.tfstate');
    build(stack);
    app.synth();
    this.takeSynthesized(outdir);
  }

  /** @internal This deployment's stack in `app`, its state at `statePath` (relative to the working directory, or absolute). */
  stackIn(app: App, statePath = path.join(this.workspace.workingDirectory, 'terraform.tfstate')): TerraformStack {
    const stack = new TerraformStack(app, this.stackId);
    new LocalBackend(stack, { path: statePath });
    return stack;
  }

  /** @internal Records what `app.synth()` wrote to `outdir` for the secret scan, and copies this stack into the working directory. */
  takeSynthesized(outdir: string): void {
    this.synthCount++;
    for (const file of listFiles(outdir)) {
      if (file.endsWith('.json')) this.harness.record(`synth:${this.stackId}:${this.synthCount}:${path.relative(outdir, file)}`, fs.readFileSync(file, 'utf8'));
    }
    fs.cpSync(path.join(outdir, 'stacks', this.stackId), this.workspace.workingDirectory, { recursive: true });
  }

  private synthIn(outdir: string, specs: readonly KeyPairSpec[], options: SynthOptions): void {
    this.specs = [...specs];
    this.keyPairs.clear();
    this.synthesize(outdir, (stack) => this.build(stack, specs, options));
  }

  /** The key pairs of `specs`, their outputs, and what `options` add, in `stack`. */
  private build(stack: TerraformStack, specs: readonly KeyPairSpec[], options: SynthOptions): void {
    // Made before any key pair, under the library's own id: the key pairs take it for the stack's handler.
    if (options.handlerBundle !== undefined) new TerraformAsset(stack, HANDLER_ASSET_ID, { path: options.handlerBundle, type: AssetType.FILE });
    if (options.keepDeployment) KeyPairDeployment.of(stack);
    // (a key pair construct adds its KeyPairId and fingerprint outputs itself)
    const wire = (id: string, keyPair: IKeyPair) => {
      addKeyPairOutputs(stack, id, keyPair, ['fingerprintSha256', 'publicKey', 'keyPairName']);
      if (options.consumers) {
        new TerraformData(stack, `consumer-${id}`, { input: Fn.jsonencode({ name: keyPair.keyPairName, id: keyPair.keyPairId }) }).overrideLogicalId(`consumer_${id}`);
      }
    };
    for (const spec of specs) {
      const keyPair = this.construct(stack, spec);
      this.keyPairs.set(spec.id, keyPair);
      wire(spec.id, keyPair);
      if (spec.privateKeySecret !== undefined) {
        new TerraformOutput(stack, `${spec.id}-secret-resource-name`, { value: keyPair.privateKeySecretResourceName })
          .overrideLogicalId(`${spec.id}_secret_resource_name`);
      }
    }
    for (const reference of options.references ?? []) {
      const keyPair = referenceTo(stack, reference);
      addKeyPairOutputs(stack, reference.id, keyPair, ['keyPairId', 'fingerprint']);
      wire(reference.id, keyPair);
    }
  }

  private construct(stack: TerraformStack, spec: KeyPairSpec): KeyPairBase {
    const common = {
      region: spec.region ?? REGIONS[spec.cloud],
      keyPairName: spec.name,
      ...(spec.deleteTimeoutSeconds !== undefined ? { deleteTimeoutSeconds: spec.deleteTimeoutSeconds } : {}),
      ...(spec.carrier !== undefined ? { carrier: spec.carrier } : {}),
      ...(spec.replacementKey !== undefined ? { replacementKey: spec.replacementKey } : {}),
      ...(spec.endpoint !== undefined ? { endpoint: spec.endpoint } : {}),
      ...(spec.outputs !== undefined ? { outputs: spec.outputs } : {}),
    };
    const destinations = {
      ...(spec.privateKeyFile === false ? {} : { privateKeyFile: spec.privateKeyFile ?? this.privateKeyFile(spec.id) }),
      ...(spec.privateKeySecret !== undefined ? { privateKeySecret: privateKeySecretOf(spec.privateKeySecret) } : {}),
    };
    const sources: Record<KeySourceName, () => { keySource: KeySource; privateKeyFile?: string; privateKeySecret?: PrivateKeySecret }> = {
      cloud: () => ({ keySource: KeySource.cloudGenerated(), ...destinations }),
      generate: () => ({ keySource: KeySource.generateLocally(spec.keyAlgorithm ?? KeyAlgorithm.RSA), ...destinations }),
      import: () => ({ keySource: KeySource.importPublicKey(this.harness.importKey(spec.id, spec.keyAlgorithm).publicKey) }),
    };
    const source = sources[spec.source]();
    const tags = spec.tags ? { tags: { ...spec.tags } } : {};
    switch (spec.cloud) {
      case 'alicloud':
        return new AlicloudKeyPair(stack, spec.id, { ...common, ...source, ...tags, resourceGroupId: spec.scope });
      case 'tencentcloud': {
        const projectId = spec.scope === undefined ? undefined : Number(spec.scope);
        return new TencentcloudKeyPair(stack, spec.id, { ...common, ...source, ...tags, projectId });
      }
      case 'ucloud':
        return new UcloudKeyPair(stack, spec.id, { ...common, ...source, projectId: spec.scope });
      default:
        return unreachable(spec.cloud, 'cloud');
    }
  }

  /** Runs `terraform <args>`; records its output and the state files for the secret scan. Never throws. */
  async run(args: readonly string[], options: TerraformRunOptions = {}): Promise<TerraformRunResult> {
    const result = await this.workspace.run(args, options);
    const label = `${options.env?.TF_LOG ? 'trace' : 'terraform'}:${this.stackId}:${args.join(' ')}`;
    this.harness.record(`${label}:stdout`, result.stdout);
    this.harness.record(`${label}:stderr`, result.stderr);
    this.collectFiles();
    return result;
  }

  /** Runs `terraform <args>` and throws a TerraformCommandError (with all output) unless it exits 0. */
  async runOrThrow(args: readonly string[], options: TerraformRunOptions = {}): Promise<TerraformRunResult> {
    const result = await this.run(args, options);
    if (result.exitCode !== 0) throw new TerraformCommandError(result);
    return result;
  }

  async init(): Promise<TerraformRunResult> {
    return this.runOrThrow(['init']);
  }

  async apply(options: TerraformRunOptions = {}, extraArgs: readonly string[] = []): Promise<TerraformRunResult> {
    return this.runOrThrow(['apply', '-auto-approve', ...extraArgs], options);
  }

  async destroy(options: TerraformRunOptions = {}): Promise<TerraformRunResult> {
    return this.runOrThrow(['destroy', '-auto-approve'], options);
  }

  /** The root module's outputs. */
  async outputs(): Promise<Record<string, string>> {
    const result = await this.runOrThrow(['output', '-json']);
    const outputs = JSON.parse(result.stdout) as Record<string, { value: string }>;
    return Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.value]));
  }

  /** One key pair's outputs, from `terraform output -json`. */
  async outputsOf(id: string): Promise<KeyPairOutputs> {
    return outputsOf(await this.outputs(), id);
  }

  /** The private key file of a key pair, when there is one; remembered for the secret scan. */
  readPrivateKey(id: string): { pem: string; mode: number } | undefined {
    const file = this.privateKeyFile(id);
    if (!fs.existsSync(file)) return undefined;
    const pem = fs.readFileSync(file, 'utf8');
    this.harness.rememberPrivateKey(pem);
    return { pem, mode: fs.statSync(file).mode % 0o1000 }; // the permission bits
  }

  /**
   * Reads the state files, saved plan files (`*.tfplan`, `tfplan`: every file inside the archive) and private
   * key files now (the secret scan reads them later).
   */
  collectFiles(): void {
    if (this.disposed) return;
    const directory = this.workspace.workingDirectory;
    for (const entry of fs.readdirSync(directory)) {
      if (entry.endsWith('.tfstate') || entry.endsWith('.tfstate.backup')) {
        this.harness.record(`state:${this.stackId}:${entry}`, fs.readFileSync(path.join(directory, entry), 'utf8'));
      } else if (entry === 'tfplan' || entry.endsWith('.tfplan')) {
        for (const file of readZipEntries(fs.readFileSync(path.join(directory, entry)))) {
          this.harness.record(`plan:${this.stackId}:${entry}/${file.name}`, file.content.toString('utf8'));
        }
      }
    }
    for (const spec of this.specs) this.readPrivateKey(spec.id);
  }

  dispose(): void {
    if (this.disposed) return;
    this.collectFiles();
    this.disposed = true;
    this.workspace.dispose();
    fs.rmSync(this.outdir, { recursive: true, force: true });
  }
}

/** A reference construct for `spec`. */
function referenceTo(stack: TerraformStack, spec: ReferenceSpec): IKeyPair {
  const region = REGIONS[spec.cloud];
  switch (spec.cloud) {
    case 'alicloud':
      return AlicloudKeyPair.fromKeyPairName(stack, spec.id, { region, keyPairName: spec.name! });
    case 'tencentcloud':
      return spec.keyPairId !== undefined
        ? TencentcloudKeyPair.fromKeyPairId(stack, spec.id, { region, keyPairId: spec.keyPairId })
        : TencentcloudKeyPair.fromKeyPairName(stack, spec.id, { region, keyPairName: spec.name! });
    case 'ucloud':
      return UcloudKeyPair.fromKeyPairName(stack, spec.id, { region, keyPairName: spec.name! });
    default:
      return unreachable(spec.cloud, 'cloud');
  }
}

/** The output of each of a key pair's values is `<id>_<suffix>` (the KeyPairId's and fingerprint's as the constructs name theirs). */
const OUTPUT_SUFFIXES: Readonly<Record<keyof KeyPairOutputs, string>> = {
  keyPairId: 'key_pair_id',
  keyPairName: 'key_pair_name',
  fingerprint: 'fingerprint',
  fingerprintSha256: 'fingerprint_sha256',
  publicKey: 'public_key',
};

/** Outputs of `keyPair`'s `values` in `stack`, as `outputsOf` reads them back. */
export function addKeyPairOutputs(stack: TerraformStack, id: string, keyPair: IKeyPair, values: ReadonlyArray<keyof KeyPairOutputs>): void {
  for (const value of values) {
    const suffix = OUTPUT_SUFFIXES[value];
    new TerraformOutput(stack, `${id}-${suffix.replace(/_/g, '-')}`, { value: keyPair[value] }).overrideLogicalId(`${id}_${suffix}`);
  }
}

/** One key pair's share of `terraform output -json`. */
export function outputsOf(outputs: Record<string, string>, id: string): KeyPairOutputs {
  const output = (value: keyof KeyPairOutputs) => outputs[`${id}_${OUTPUT_SUFFIXES[value]}`];
  return {
    keyPairId: output('keyPairId'),
    keyPairName: output('keyPairName'),
    fingerprint: output('fingerprint'),
    fingerprintSha256: output('fingerprintSha256'),
    publicKey: output('publicKey'),
  };
}

function listFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

/** The words after the path in every missing-pair warning (`missingPairWarning`): "was missing when this run began". */
export const MISSING_PAIR_NEEDLE = missingPairWarning('PATH').split('PATH ')[1].split(':')[0];

/** Short cloud names for construct ids and key pair names that must stay short (`ali`, `tc`, `uc`). */
export const SHORT_CLOUD_NAMES: Readonly<Record<CloudName, string>> = { alicloud: 'ali', tencentcloud: 'tc', ucloud: 'uc' };

/**
 * One key pair per cloud and key source, in that order: key pair name `name(cloud, source)`, construct id
 * `<cloud>_<source>` unless `id` says otherwise, and `extra(cloud)` on top (tags, a carrier, a scope).
 */
export function everyCloudAndSource(
  name: (cloud: CloudName, source: KeySourceName) => string,
  extra: (cloud: CloudName) => Partial<KeyPairSpec> = () => ({}),
  id: (cloud: CloudName, source: KeySourceName) => string = (cloud, source) => `${cloud}_${source}`,
): KeyPairSpec[] {
  return CLOUDS.flatMap((cloud) =>
    KEY_SOURCES.map((source) => ({ id: id(cloud, source), cloud, source, name: name(cloud, source), ...extra(cloud) })),
  );
}

/** `{ tags }` on a cloud whose key pairs carry tags; nothing on the others. */
export function tagsWhereTheCloudHasThem(cloud: CloudName, tags: Record<string, string>): { tags?: Record<string, string> } {
  return TAGGING_CLOUDS.includes(cloud) ? { tags } : {};
}

/** Key pair specs of one cloud, one per key source, named `<prefix>_<source>`. */
export function specsPerSource(cloud: CloudName, prefix: string, extra: Partial<KeyPairSpec> = {}): KeyPairSpec[] {
  return KEY_SOURCES.map((source) => ({ id: `${source}_kp`, cloud, source, name: `${prefix}_${source}`, ...extra }));
}
