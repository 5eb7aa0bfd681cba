import type { RunningEmulator } from '../../emulator';
import { AlicloudClient, createKeyPair as createAlicloudKeyPair } from '../../handler/clouds/alicloud';
import { connectionFor, keyPairApiFor } from '../../handler/clouds/factory';
import type { CloudName } from '../../handler/http/cloud-api-error';
import type { RetryPolicy } from '../../handler/http/retry';

/** A retry policy fast enough for tests: short waits, a short per-request timeout. */
export const FAST_RETRY: Partial<RetryPolicy> = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, requestTimeoutMs: 5_000, deadlineMs: 20_000 };

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
  const aliTarget = { cloud: 'alicloud', region: 'cn-hangzhou' } as const;
  const ali = keyPairApiFor(aliTarget, env, common);
  const tencent = keyPairApiFor({ cloud: 'tencentcloud', region: 'ap-guangzhou' }, env, common);
  const uc = keyPairApiFor({ cloud: 'ucloud', region: 'cn-bj2', scope: 'org-test' }, env, common);
  return {
    alicloud: {
      cloud: 'alicloud',
      describeAction: 'DescribeKeyPairs',
      create: async (name) =>
        (await createAlicloudKeyPair(new AlicloudClient(connectionFor(aliTarget, env, common)), { keyPairName: name })).keyPairId ?? name,
      describeByName: async (name) => (await ali.findByName(name)).map((k) => k.name),
    },
    tencentcloud: {
      cloud: 'tencentcloud',
      describeAction: 'DescribeKeyPairs',
      create: async (name) => (await tencent.create({ name })).id,
      describeByName: async (name) => (await tencent.findByName(name)).map((k) => k.name),
    },
    ucloud: {
      cloud: 'ucloud',
      describeAction: 'DescribeUHostKeyPairs',
      create: async (name) => (await uc.create({ name })).id,
      describeByName: async (name) => (await uc.findByName(name)).map((k) => k.name),
    },
  };
}
