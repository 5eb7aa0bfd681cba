import type { Environment } from './clouds/environment';
import type { RetryPolicy } from './http/retry';
import { InvalidInputError } from './lifecycle/inputs';

/**
 * Environment variables that tune how hard the handler tries, for slow networks, strict CI time limits and
 * tests. Unset: the defaults (DEFAULT_RETRY_POLICY, 5 s between deletes of a pair still in use).
 */
export const TUNING_ENV = {
  maxAttempts: 'CDKTF_KEYPAIR_MAX_ATTEMPTS',
  requestTimeoutSeconds: 'CDKTF_KEYPAIR_REQUEST_TIMEOUT_SECONDS',
  deadlineSeconds: 'CDKTF_KEYPAIR_DEADLINE_SECONDS',
  inUseRetrySeconds: 'CDKTF_KEYPAIR_IN_USE_RETRY_SECONDS',
} as const;

export const DEFAULT_IN_USE_RETRY_MS = 5_000;

export interface HandlerTuning {
  readonly retry: Partial<RetryPolicy>;
  readonly inUseRetryMs: number;
}

export function tuningFromEnv(env: Environment): HandlerTuning {
  const retry: { -readonly [K in keyof RetryPolicy]?: RetryPolicy[K] } = {};
  const maxAttempts = positiveNumber(env, TUNING_ENV.maxAttempts, true);
  if (maxAttempts !== undefined) retry.maxAttempts = maxAttempts;
  const requestTimeout = positiveNumber(env, TUNING_ENV.requestTimeoutSeconds);
  if (requestTimeout !== undefined) retry.requestTimeoutMs = requestTimeout * 1000;
  const deadline = positiveNumber(env, TUNING_ENV.deadlineSeconds);
  if (deadline !== undefined) retry.deadlineMs = deadline * 1000;
  const inUse = positiveNumber(env, TUNING_ENV.inUseRetrySeconds);
  return { retry, inUseRetryMs: inUse === undefined ? DEFAULT_IN_USE_RETRY_MS : inUse * 1000 };
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
