import { randomUUID } from 'node:crypto';
import type { CloudEmulator, EmulatorCredential, KeyPairBinding, StoredKeyPair } from './cloud-emulator';
import { DEFAULT_BOUND_INSTANCE, RunningCloudServer, startCloudServer } from './cloud-server';
import { createAlicloudEmulator } from './clouds/alicloud';
import { KMS_REGIONLESS_SCOPE } from './clouds/alicloud/kms-actions';
import { createTencentcloudEmulator } from './clouds/tencentcloud';
import { createUcloudEmulator } from './clouds/ucloud';
import { FaultQueue, FaultSpec, HeldRequests } from './faults';
import { DEFAULT_GENERATED_KEY_BITS } from './key-material';
import { EmulatorState } from './key-pair-store';
import { openSshKeyBlob, RsaKeySource } from './key-pool';
import { JournalEntry, RequestJournal } from './request-journal';
import type { ListedSecret } from './secret-store';
import { CLOUD_NAMES, CloudName, perCloud } from '../src/contract';

export type { FaultKind, FaultSpec } from './faults';
export type { JournalEntry } from './request-journal';
export type { StoredKeyPair, EmulatorCredential, KeyPairBinding } from './cloud-emulator';
export type { ListedSecret, SecretStatus } from './secret-store';

/** The clouds with a secret store (UCloud has none). */
export type SecretStoreCloud = Exclude<CloudName, 'ucloud'>;

/** Each cloud's API module, with the options that choose how it plays what its cloud leaves open. */
function cloudEmulators(options: EmulatorOptions): Record<CloudName, CloudEmulator> {
  return {
    alicloud: createAlicloudEmulator(),
    tencentcloud: createTencentcloudEmulator(),
    ucloud: createUcloudEmulator({
      generatedKeyBits: options.ucloudGeneratedKeyBits,
      duplicateNames: options.ucloudDuplicateNames,
      refuseBoundDeletes: options.ucloudRefuseBoundDeletes,
    }),
  };
}

export const CLOUDS: readonly CloudName[] = CLOUD_NAMES;

/** The quota when none is given; Tencent documents 100 key pairs per account (docs/cloud-behaviour.md#key-pair-quotas). */
const DEFAULT_QUOTAS: Record<CloudName, number> = { alicloud: 500, tencentcloud: 100, ucloud: 500 };

/**
 * The access keys the emulator accepts unless told otherwise. They are well known on purpose: the
 * emulator guards nothing, and tests and the demo need fixed values. Never use them against a real cloud.
 */
export const DEFAULT_EMULATOR_CREDENTIALS: Record<CloudName, EmulatorCredential> = {
  alicloud: { accessKeyId: 'LTAIemulatorAccessKey', accessKeySecret: 'emulator-alicloud-secret' },
  tencentcloud: { accessKeyId: 'AKIDemulatorSecretId', accessKeySecret: 'emulator-tencentcloud-secret' },
  ucloud: { accessKeyId: 'emulator-ucloud-public-key', accessKeySecret: 'emulator-ucloud-private-key' },
};

export interface EmulatorOptions {
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** A port per cloud; 0 (the default) picks a free one. */
  readonly ports?: Partial<Record<CloudName, number>>;
  /** Persist state to this JSON file, so restarts and later runs see the same clouds. @default in memory only */
  readonly stateFile?: string;
  /** Credentials each cloud accepts. @default DEFAULT_EMULATOR_CREDENTIALS, one per cloud */
  readonly credentials?: Partial<Record<CloudName, readonly EmulatorCredential[]>>;
  /**
   * Key pairs before the quota error: per region on Alibaba, per region and project on UCloud, per account
   * (all regions together) on Tencent, as the clouds count them. @default 500; Tencent's own 100
   */
  readonly quotaPerScope?: number;
  /**
   * The emulator's clock: for signature-expiry checks, creation times and the describe lag. A test that
   * hands the same clock to the handler can play a lag without waiting for it. @default the system clock
   */
  readonly now?: () => Date;
  /** Faults to inject from the start. */
  readonly faults?: readonly FaultSpec[];
  /**
   * RSA size of UCloud's generated keys: UCloud's own 2048, or 4096 as the UCloud-Global white-label
   * generates them (docs/cloud-behaviour.md#ucloud-generated-keys). @default 2048
   */
  readonly ucloudGeneratedKeyBits?: number;
  /**
   * Let UCloud accept a second key pair under a name already used in the region and project. UCloud does
   * not document whether names are unique (docs/cloud-behaviour.md#ucloud-name-uniqueness-unconfirmed).
   * @default false: a duplicate gets the emulator's code 8510
   */
  readonly ucloudDuplicateNames?: boolean;
  /**
   * Make UCloud refuse to delete a key pair bound to an instance (emulator's code 8514). By default a bound
   * pair is deleted, as UCloud very likely does (its instances then show `KeyPairState: Deleted`:
   * docs/cloud-behaviour.md#ucloud-bound-key-pair-delete).
   * @default false
   */
  readonly ucloudRefuseBoundDeletes?: boolean;
  /**
   * How long a new key pair stays out of describes (read-after-write lag, which none of the three clouds
   * documents: a client must cope with some). Duplicate-name and quota checks see it at once. @default 0
   */
  readonly describeLagMs?: number;
  /**
   * RSA size of the keys every cloud's create generates, overriding the clouds' own (and
   * `ucloudGeneratedKeyBits`): for tests that make hundreds of pairs and never look at their size, 1024 bits
   * are generated about ten times faster than 2048, and stall the emulator's event loop (shared with any
   * client in the same process) that much less. At least 1024, the smallest RSA key OpenSSH reads.
   * @default each cloud's own: 2048 (UCloud: `ucloudGeneratedKeyBits`)
   */
  readonly generatedKeyBits?: number;
  /**
   * RSA private keys (PEM, any format node:crypto reads) generated beforehand, which the clouds' creates
   * hand out before they generate keys of their own: for test runs that start many emulators, where
   * generating an RSA 2048 key for each cloud-generated pair (100–200 ms of CPU) adds up. A pooled key goes
   * to one key pair only, and only to a create that asks for its size; never while a pair of `stateFile`
   * holds it. When none is left, creates generate keys as without a pool.
   * @default none: every create generates its key
   */
  readonly keyPool?: readonly string[];
  /**
   * Secrets per region in each secret store before its quota error (KMS `Rejected.LimitExceeded`, SSM
   * `LimitExceeded`). @default 1000, Tencent's documented quota (Alibaba documents none)
   */
  readonly secretQuotaPerRegion?: number;
  /** One line per request and lifecycle event (never a parameter or a secret's value). @default silent */
  readonly log?: (line: string) => void;
}

export interface RunningEmulator {
  /** Base URL of each cloud's API. */
  readonly endpoints: Readonly<Record<CloudName, string>>;
  /** The credentials each cloud accepts. */
  readonly credentials: Readonly<Record<CloudName, readonly EmulatorCredential[]>>;
  /**
   * The environment the deploy-time handler needs to reach this emulator: the first credential of each
   * cloud under the variable names the clouds' Terraform providers read, and the endpoint overrides.
   */
  handlerEnvironment(): Record<string, string>;
  listKeyPairs(cloud: CloudName): ReturnType<EmulatorState['listKeyPairs']>;
  /** The secrets of a cloud's secret store, every region: names, status, tags, versions; never values. */
  listSecrets(cloud: SecretStoreCloud): ListedSecret[];
  /**
   * The value of one version of a secret (the latest when no version is given), or undefined when there is
   * no such secret or version: for a test to check what was stored. Gone once its recovery window passed.
   */
  secretValue(cloud: SecretStoreCloud, region: string, name: string, versionId?: string): string | undefined;
  injectFault(fault: FaultSpec): void;
  /**
   * Binds a key pair (id or name) to an instance, as when an instance uses it: the cloud's delete answers
   * its in-use code until `releaseKeyPair`, or for `deleteAttempts` deletes when given.
   */
  bindKeyPair(cloud: CloudName, keyPair: string, options?: { instanceId?: string; deleteAttempts?: number }): KeyPairBinding;
  releaseKeyPair(cloud: CloudName, keyPair: string): boolean;
  /**
   * Replaces a key pair's tags (by id or name) out of band, as a change in the console or another tool
   * would, so a test can check that drift shows. Returns the pair as stored now; throws for an unknown pair,
   * and on UCloud, whose key pairs carry no tags.
   */
  setTags(cloud: CloudName, keyPair: string, tags: Readonly<Record<string, string>>): StoredKeyPair & { readonly scope: string };
  pendingFaults(): ReturnType<FaultQueue['pending']>;
  /** Drops the faults not used up yet (key pairs and journal stay). */
  clearFaults(): void;
  /** How many requests `hold` latency faults are holding (of one cloud, or all). */
  heldRequests(cloud?: CloudName): number;
  /** Answers the held requests (of one cloud, or all) in the order they came, as a slow cloud would; returns how many. */
  releaseHeldRequests(cloud?: CloudName): number;
  /** Sets the describe lag (see EmulatorOptions.describeLagMs) for key pairs made from now on. */
  setDescribeLag(ms: number): void;
  /** Every API request since the start (or the last reset), in order: action, status, injected fault. */
  requests(cloud?: CloudName): JournalEntry[];
  /** Forgets all key pairs, secrets, pending faults and the request journal; held requests are dropped unanswered. */
  reset(): void;
  /** Closes every port and open connection; resolves when nothing is left listening. */
  stop(): Promise<void>;
}

/** Starts the three clouds' key pair API emulators (and Alibaba's and Tencent's secret stores) on loopback ports. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? (() => new Date());
  const state = new EmulatorState(options.stateFile, () => now().getTime());
  state.describeLagMs = checkedLag(options.describeLagMs ?? 0);
  const faults = new FaultQueue();
  const journal = new RequestJournal();
  const held = new HeldRequests();
  const generatedKeyBits = checkedKeyBits(options.generatedKeyBits);
  const rsaKeys = new RsaKeySource(options.keyPool ?? [], () => heldKeys(state));
  for (const fault of options.faults ?? []) faults.add(fault);
  const credentials: Record<CloudName, readonly EmulatorCredential[]> = perCloud(
    (cloud) => options.credentials?.[cloud] ?? [DEFAULT_EMULATOR_CREDENTIALS[cloud]],
  );

  const emulators = cloudEmulators(options);
  const servers: Partial<Record<CloudName, RunningCloudServer>> = {};
  try {
    for (const cloud of CLOUDS) {
      servers[cloud] = await startCloudServer({
        emulator: emulators[cloud],
        state,
        faults,
        journal,
        held,
        host,
        port: options.ports?.[cloud] ?? 0,
        log: options.log,
        context: {
          credentials: credentials[cloud],
          quotaPerScope: options.quotaPerScope ?? DEFAULT_QUOTAS[cloud],
          now,
          randomUuid: () => randomUUID(),
          newRsaKeyPair: (cloudBits = DEFAULT_GENERATED_KEY_BITS) => rsaKeys.next(generatedKeyBits ?? cloudBits),
          secretQuotaPerScope: checkedSecretQuota(options.secretQuotaPerRegion),
        },
      });
    }
  } catch (err) {
    await Promise.all(Object.values(servers).map((server) => server.close()));
    throw err;
  }
  const running = perCloud((cloud) => servers[cloud]!); // the loop above started every cloud's or threw
  const endpoints = perCloud((cloud) => running[cloud].url);

  return {
    endpoints,
    credentials,
    handlerEnvironment: () => handlerEnvironment(endpoints, credentials),
    listKeyPairs: (cloud) => state.listKeyPairs(cloud),
    listSecrets: (cloud) => state.listSecrets(cloud),
    secretValue: (cloud, region, name, versionId) =>
      state.secretValue(cloud, region, name, versionId) ??
      (cloud === 'alicloud' ? state.secretValue(cloud, KMS_REGIONLESS_SCOPE, name, versionId) : undefined),
    injectFault: (fault) => faults.add(fault),
    bindKeyPair: (cloud, keyPair, bindOptions = {}) =>
      state.bind(cloud, keyPair, bindOptions.instanceId ?? DEFAULT_BOUND_INSTANCE, bindOptions.deleteAttempts),
    releaseKeyPair: (cloud, keyPair) => state.release(cloud, keyPair),
    setTags: (cloud, keyPair, tags) => {
      if (!emulators[cloud].keyPairsCarryTags) throw new Error(`${cloud} key pairs carry no tags`);
      return state.setTags(cloud, keyPair, tags);
    },
    pendingFaults: () => faults.pending(),
    clearFaults: () => faults.clear(),
    heldRequests: (cloud) => held.count(cloud),
    releaseHeldRequests: (cloud) => held.release(cloud),
    setDescribeLag: (ms) => {
      state.describeLagMs = checkedLag(ms);
    },
    requests: (cloud) => journal.list(cloud),
    reset: () => {
      state.reset();
      faults.clear();
      held.drop();
      journal.clear();
    },
    stop: async () => {
      await Promise.all(CLOUDS.map((cloud) => running[cloud].close()));
      options.log?.('emulator stopped');
    },
  };
}

/** The keys the emulator's key pairs hold, every cloud's, as their OpenSSH blobs (what RsaKeySource compares). */
function heldKeys(state: EmulatorState): Set<string> {
  return new Set(CLOUDS.flatMap((cloud) => state.listKeyPairs(cloud).map((keyPair) => openSshKeyBlob(keyPair.publicKey))));
}

function checkedKeyBits(bits: number | undefined): number | undefined {
  if (bits !== undefined && !(Number.isInteger(bits) && bits >= 1024)) throw new Error(`generated keys must have a whole number of bits >= 1024, got ${bits}`);
  return bits;
}

function checkedSecretQuota(quota: number | undefined): number | undefined {
  if (quota !== undefined && !(Number.isInteger(quota) && quota >= 1)) throw new Error(`the secret quota must be a positive integer, got ${quota}`);
  return quota;
}

function checkedLag(ms: number): number {
  if (!(Number.isFinite(ms) && ms >= 0)) throw new Error(`the describe lag must be a number of milliseconds >= 0, got ${ms}`);
  return ms;
}

function handlerEnvironment(
  endpoints: Record<CloudName, string>,
  credentials: Record<CloudName, readonly EmulatorCredential[]>,
): Record<string, string> {
  const [alicloud] = credentials.alicloud;
  const [tencentcloud] = credentials.tencentcloud;
  const [ucloud] = credentials.ucloud;
  const environment: Record<string, string> = {
    ALICLOUD_ACCESS_KEY: alicloud.accessKeyId,
    ALICLOUD_SECRET_KEY: alicloud.accessKeySecret,
    CDKTF_KEYPAIR_ALICLOUD_ENDPOINT: endpoints.alicloud,
    // KMS shares the Alibaba port (told apart by the API version) and SSM the Tencent one (by the signed service).
    CDKTF_KEYPAIR_ALICLOUD_KMS_ENDPOINT: endpoints.alicloud,
    TENCENTCLOUD_SECRET_ID: tencentcloud.accessKeyId,
    TENCENTCLOUD_SECRET_KEY: tencentcloud.accessKeySecret,
    CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT: endpoints.tencentcloud,
    CDKTF_KEYPAIR_TENCENTCLOUD_SSM_ENDPOINT: endpoints.tencentcloud,
    UCLOUD_PUBLIC_KEY: ucloud.accessKeyId,
    UCLOUD_PRIVATE_KEY: ucloud.accessKeySecret,
    CDKTF_KEYPAIR_UCLOUD_ENDPOINT: endpoints.ucloud,
  };
  if (alicloud.securityToken) environment.ALICLOUD_SECURITY_TOKEN = alicloud.securityToken;
  if (tencentcloud.securityToken) environment.TENCENTCLOUD_SECURITY_TOKEN = tencentcloud.securityToken;
  if (ucloud.securityToken) environment.UCLOUD_SECURITY_TOKEN = ucloud.securityToken;
  return environment;
}
