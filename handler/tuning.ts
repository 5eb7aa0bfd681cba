import type { Environment } from './clouds/environment';
import type { RetryPolicy } from './http/retry';
import { InvalidInputError } from './invalid-input-error';

/**
 * Environment variables that tune how hard the handler tries, for slow networks, strict CI time limits and
 * tests. Unset: the defaults (DEFAULT_RETRY_POLICY, DEFAULT_IN_USE_RETRY_MS, DEFAULT_SETTLE_MS).
 */
export const TUNING_ENV = {
  maxAttempts: 'CDKTF_KEYPAIR_MAX_ATTEMPTS',
  requestTimeoutSeconds: 'CDKTF_KEYPAIR_REQUEST_TIMEOUT_SECONDS',
  deadlineSeconds: 'CDKTF_KEYPAIR_DEADLINE_SECONDS',
  backoffBaseSeconds: 'CDKTF_KEYPAIR_BACKOFF_BASE_SECONDS',
  backoffMaxSeconds: 'CDKTF_KEYPAIR_BACKOFF_MAX_SECONDS',
  inUseRetrySeconds: 'CDKTF_KEYPAIR_IN_USE_RETRY_SECONDS',
  settleSeconds: 'CDKTF_KEYPAIR_SETTLE_SECONDS',
  generatedRsaBits: 'CDKTF_KEYPAIR_GENERATED_RSA_BITS',
} as const;

export const DEFAULT_IN_USE_RETRY_MS = 5_000;

/**
 * How long a key pair made by a create whose answer was lost may take to show in the cloud's describes
 * (read-after-write lag; none of the three clouds documents it). On a cloud whose names may repeat
 * (UCloud), a create is sent again only after the name stayed free this long; everywhere, a describe
 * right after a create waits this long for the new pair to show.
 */
export const DEFAULT_SETTLE_MS = 15_000;

/**
 * RSA sizes a key generated on the deploying machine may have. 4096 by default: nothing here forces less, and
 * a smaller size only buys time (2048 bits take about an eighth of the CPU: tests, or many pairs on a slow runner).
 */
export const GENERATED_RSA_BITS = [2048, 3072, 4096] as const;
export type GeneratedRsaBits = (typeof GENERATED_RSA_BITS)[number];
export const DEFAULT_GENERATED_RSA_BITS: GeneratedRsaBits = 4096;

export interface HandlerTuning {
  readonly retry: Partial<RetryPolicy>;
  readonly inUseRetryMs: number;
  readonly settleMs: number;
  readonly generatedRsaBits: GeneratedRsaBits;
}

export function tuningFromEnv(env: Environment): HandlerTuning {
  const retry: { -readonly [K in keyof RetryPolicy]?: RetryPolicy[K] } = {};
  const maxAttempts = positiveNumber(env, TUNING_ENV.maxAttempts, true);
  if (maxAttempts !== undefined) retry.maxAttempts = maxAttempts;
  const milliseconds = (name: string) => {
    const value = positiveNumber(env, name);
    return value === undefined ? undefined : value * 1000;
  };
  const requestTimeout = milliseconds(TUNING_ENV.requestTimeoutSeconds);
  if (requestTimeout !== undefined) retry.requestTimeoutMs = requestTimeout;
  const deadline = milliseconds(TUNING_ENV.deadlineSeconds);
  if (deadline !== undefined) retry.deadlineMs = deadline;
  const backoffBase = milliseconds(TUNING_ENV.backoffBaseSeconds);
  if (backoffBase !== undefined) retry.baseDelayMs = backoffBase;
  const backoffMax = milliseconds(TUNING_ENV.backoffMaxSeconds);
  if (backoffMax !== undefined) retry.maxDelayMs = backoffMax;
  return {
    retry,
    inUseRetryMs: milliseconds(TUNING_ENV.inUseRetrySeconds) ?? DEFAULT_IN_USE_RETRY_MS,
    settleMs: milliseconds(TUNING_ENV.settleSeconds) ?? DEFAULT_SETTLE_MS,
    generatedRsaBits: rsaBits(env) ?? DEFAULT_GENERATED_RSA_BITS,
  };
}

function rsaBits(env: Environment): GeneratedRsaBits | undefined {
  const text = env[TUNING_ENV.generatedRsaBits];
  if (text === undefined || text.trim() === '') return undefined;
  const bits = GENERATED_RSA_BITS.find((size) => String(size) === text.trim());
  if (bits === undefined) throw new InvalidInputError(`${TUNING_ENV.generatedRsaBits} must be one of ${GENERATED_RSA_BITS.join(', ')}, got "${text}"`);
  return bits;
}

function positiveNumber(env: Environment, name: string, integer = false): number | undefined {
  const text = env[name];
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  if (!(value > 0) || (integer && !Number.isInteger(value))) {
    throw new InvalidInputError(`${name} must be a positive ${integer ? 'whole number' : 'number'}, got "${text}"`);
  }
  return value;
}
