import { CloudApiError, TRANSPORT_ERROR_CODES, CloudName } from './cloud-api-error';

/** How hard a client tries before giving up. All durations in milliseconds. */
export interface RetryPolicy {
  /** Total attempts, the first included. */
  readonly maxAttempts: number;
  /** Delay before the first retry; doubles each retry (full jitter), capped at `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Per-request timeout. */
  readonly requestTimeoutMs: number;
  /** Overall deadline across all attempts and waits, from the first attempt. */
  readonly deadlineMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  requestTimeoutMs: 20_000,
  deadlineMs: 120_000,
};

/** What an attempt needs to know about time; injectable so tests need not wait for real backoff. */
export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const SYSTEM_CLOCK: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

export interface RetryContext {
  readonly cloud: CloudName;
  readonly action: string;
  readonly policy: RetryPolicy;
  readonly clock?: RetryClock;
  /** Receives one line per retry decision; lines never contain request bodies or credentials. */
  readonly log?: (line: string) => void;
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, runs out of attempts, or would pass
 * the overall deadline. `attempt` receives the time it may still use, to cap its own request timeout.
 */
export async function withRetries<T>(context: RetryContext, attempt: (timeoutMs: number) => Promise<T>): Promise<T> {
  const clock = context.clock ?? SYSTEM_CLOCK;
  const { policy } = context;
  const started = clock.now();
  for (let attemptNumber = 1; ; attemptNumber++) {
    const remaining = policy.deadlineMs - (clock.now() - started);
    if (remaining <= 0) throw deadlineError(context);
    try {
      return await attempt(Math.min(policy.requestTimeoutMs, remaining));
    } catch (err) {
      if (!(err instanceof CloudApiError) || !err.retryable) throw err;
      if (attemptNumber >= policy.maxAttempts) throw exhausted(err, `${attemptNumber} attempts`);
      const delay = backoffDelay(policy, attemptNumber, clock.random());
      if (clock.now() - started + delay >= policy.deadlineMs) {
        throw exhausted(err, `${attemptNumber} attempts within the deadline of ${policy.deadlineMs} ms`);
      }
      context.log?.(
        `${context.cloud} ${context.action}: attempt ${attemptNumber} failed with ${err.code}; retrying in ${delay} ms`,
      );
      await clock.sleep(delay);
    }
  }
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base * 2^(n-1))], never below 1/4 of it. */
export function backoffDelay(policy: RetryPolicy, attemptNumber: number, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNumber - 1));
  return Math.round(ceiling / 4 + random * ceiling * 0.75);
}

/** The last failure once retries are used up: no longer retryable, and saying how hard we tried. */
function exhausted(err: CloudApiError, tried: string): CloudApiError {
  return err.with({ retryable: false, message: `${err.cloudMessage} (gave up after ${tried})` });
}

function deadlineError(context: RetryContext): CloudApiError {
  return new CloudApiError({
    cloud: context.cloud,
    action: context.action,
    code: TRANSPORT_ERROR_CODES.deadline,
    message: `gave up after the overall deadline of ${context.policy.deadlineMs} ms`,
    retryable: false,
    outcome: 'refused',
    remedy: 'Check the endpoint is reachable from this machine, or raise the deadline',
  });
}
