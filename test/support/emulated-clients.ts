import { DESCRIBE_ACTION } from './key-pair-actions';
import { REGIONS } from './regions';
import { skippingRetryClock } from './retry-clocks';
import type { RunningEmulator } from '../../emulator';
import { AlicloudClient, createKeyPair as createAlicloudKeyPair } from '../../handler/clouds/alicloud';
import { connectionFor, keyPairApiFor } from '../../handler/clouds/factory';
import type { CallSettings } from '../../handler/http/api-call';
import type { CloudName } from '../../handler/http/cloud-api-error';
import type { RetryPolicy } from '../../handler/http/retry';

/** A retry policy fast enough for tests: short waits, a short per-request timeout. */
export const FAST_RETRY: Partial<RetryPolicy> = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, requestTimeoutMs: 5_000, deadlineMs: 20_000 };

/** The fast policy (`retry` on top) on a clock that skips backoff waits: a client's or a handler step's settings. */
export function fastSettings(retry: Partial<RetryPolicy> = {}): CallSettings {
  return { retry: { ...FAST_RETRY, ...retry }, clock: skippingRetryClock() };
}

/** The same few operations on every cloud, through the project's own clients, pointed at an emulator. */
export interface EmulatedClient {
  readonly cloud: CloudName;
  /** The cloud's describe action name (for targeting injected faults). */
  readonly describeAction: string;
  /**
   * Creates a cloud-generated key pair; returns the id the cloud gave it (the id the emulator stores: on
   * Alibaba, CreateKeyPair's `ssh-…` KeyPairId, which the neutral interface does not use).
   */
  create(name: string): Promise<string>;
  /** Names of the key pairs with exactly this name. */
  describeByName(name: string): Promise<string[]>;
}

export interface EmulatedClientOptions {
  readonly retry?: Partial<RetryPolicy>;
  readonly log?: (line: string) => void;
}

/** Clients for all three clouds, with the emulator's credentials read the way the handler reads them. */
export function emulatedClients(emulator: RunningEmulator, options: EmulatedClientOptions = {}): Record<CloudName, EmulatedClient> {
  const env = emulator.handlerEnvironment();
  const common = { retry: { ...FAST_RETRY, ...options.retry }, log: options.log };
  // Through the factory: credentials and the endpoint override come from the emulator's environment.
  const aliTarget = { cloud: 'alicloud', region: REGIONS.alicloud } as const;
  const ali = keyPairApiFor(aliTarget, env, common);
  const tencent = keyPairApiFor({ cloud: 'tencentcloud', region: REGIONS.tencentcloud }, env, common);
  const uc = keyPairApiFor({ cloud: 'ucloud', region: REGIONS.ucloud, scope: 'org-test' }, env, common);
  return {
    alicloud: {
      cloud: 'alicloud',
      describeAction: DESCRIBE_ACTION.alicloud,
      create: async (name) =>
        (await createAlicloudKeyPair(new AlicloudClient(connectionFor(aliTarget, env, common)), { keyPairName: name })).keyPairId ?? name,
      describeByName: async (name) => (await ali.findByName(name)).map((k) => k.name),
    },
    tencentcloud: {
      cloud: 'tencentcloud',
      describeAction: DESCRIBE_ACTION.tencentcloud,
      create: async (name) => (await tencent.create({ name })).id,
      describeByName: async (name) => (await tencent.findByName(name)).map((k) => k.name),
    },
    ucloud: {
      cloud: 'ucloud',
      describeAction: DESCRIBE_ACTION.ucloud,
      create: async (name) => (await uc.create({ name })).id,
      describeByName: async (name) => (await uc.findByName(name)).map((k) => k.name),
    },
  };
}
