/**
 * What the cloud client tests share: a connection as the factory would build it, to a scripted loopback
 * server or an emulator, with fast retries on a clock whose waits cost no wall time.
 */
import type { CloudConnection } from '../../../handler/clouds/cloud-connection';
import { SecretValue } from '../../../handler/clouds/credentials';
import { skippingRetryClock } from '../../support/retry-clocks';

/** A value shaped like what the lifecycle stores in a secret: a multi-line PEM (not a working key). */
export const STORED_PRIVATE_KEY = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  'QyNTUxOQAAACBkZXZfdGVzdF9rZXlfbm90X2Ffc2VjcmV0X2F0X2FsbAAAAJgAAAAAAAAA',
  '-----END OPENSSH PRIVATE KEY-----',
  '',
].join('\n');

/** Four attempts, waits of tens of milliseconds (skipped, not slept), two seconds a request, ten a step. */
const CLIENT_TEST_RETRY = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50, requestTimeoutMs: 2_000, deadlineMs: 10_000 } as const;

/** An access key of a test: its id, and its secret (which no request, error or log line may show). */
export interface TestAccessKey {
  readonly id: string;
  readonly secret: string;
  readonly securityToken?: string;
}

/** A connection to `endpoint` in `region` with `key`, CLIENT_TEST_RETRY on a skipping clock; `overrides` on top. */
export function clientConnection(
  region: string,
  endpoint: string | URL,
  key: TestAccessKey,
  overrides: Partial<CloudConnection> = {},
): CloudConnection {
  return {
    region,
    endpoint: new URL(endpoint),
    credentials: {
      accessKeyId: key.id,
      accessKeySecret: new SecretValue(key.secret),
      ...(key.securityToken === undefined ? {} : { securityToken: new SecretValue(key.securityToken) }),
    },
    clock: skippingRetryClock(),
    retry: CLIENT_TEST_RETRY,
    ...overrides,
  };
}
