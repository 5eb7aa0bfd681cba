import { CloudApiError, TRANSPORT_ERROR_CODES, CloudName } from './cloud-api-error';
import { TUNING_ENV } from '../tuning';

/** How hard a client tries before giving up. All durations in milliseconds. */
export interface RetryPolicy {
  /**
   * Attempts, the first included, for failures that may be transient: a 5xx, a dropped connection, an
   * unreadable answer. Answers that ask to be sent again later (throttling, busy) do not count: they are
   * waited out until the deadline, as the clouds' own Terraform providers do.
   */
  readonly maxAttempts: number;
  /** The ceiling of the first wait; it doubles with each retry (full jitter: the wait is uniform below it), up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Per-request timeout. */
  readonly requestTimeoutMs: number;
  /** The step's deadline: every call and wait of one handler run shares it, from `RetryContext.startedAt`. */
  readonly deadlineMs: number;
}

/**
 * Both official providers give a key pair's create 5 minutes of retries by default (Alibaba's
 * `alicloud_ecs_key_pair` create timeout, Tencent's write retry timeout), with waits of a few seconds
 * (Alibaba 3 s, growing by 3 to 5 s depending on the provider version; Tencent's SDK 2^n s; UCloud's SDK
 * 4^n × 0.1–0.2 s): docs/cloud-behaviour.md#official-providers-retry-budget. The same budget here, with
 * waits that start at up to 1 s and grow to at most 20 s.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 20_000,
  requestTimeoutMs: 20_000,
  deadlineMs: 300_000,
};

/** No request is started with less time than this left before the deadline (unless its own timeout is shorter). */
const SHORTEST_USEFUL_ATTEMPT_MS = 1_000;

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
  /** When the step began, by `clock`: the deadline counts from here. Default: this call's first attempt. */
  readonly startedAt?: number;
  /** Receives one line per retry decision; lines never contain request bodies or credentials. */
  readonly log?: (line: string) => void;
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, fails transiently `maxAttempts`
 * times, or the next attempt would not fit before the step's deadline. `attempt` receives the time it may
 * still use, to cap its own request timeout.
 */
export async function withRetries<T>(context: RetryContext, attempt: (timeoutMs: number) => Promise<T>): Promise<T> {
  const clock = context.clock ?? SYSTEM_CLOCK;
  const { policy } = context;
  const deadline = (context.startedAt ?? clock.now()) + policy.deadlineMs;
  let transientFailures = 0;
  for (let attemptNumber = 1; ; attemptNumber++) {
    const remaining = deadline - clock.now();
    if (remaining <= 0) throw deadlineError(context);
    try {
      return await attempt(Math.min(policy.requestTimeoutMs, remaining));
    } catch (err) {
      if (!(err instanceof CloudApiError) || !err.retryable) throw err;
      if (!err.retryLater && ++transientFailures >= policy.maxAttempts) throw exhausted(err, `${attemptNumber} attempts`);
      const room = deadline - clock.now() - Math.min(policy.requestTimeoutMs, SHORTEST_USEFUL_ATTEMPT_MS);
      if (room <= 0) throw exhausted(err, `${attemptNumber} attempts, at the step's deadline of ${seconds(policy.deadlineMs)}`);
      const delay = Math.min(backoffDelay(policy, attemptNumber, clock.random()), room);
      context.log?.(
        `${context.cloud} ${context.action}: ${err.retryLater ? `asked to retry later (${err.code})` : `failed with ${err.code}`}; ` +
          `attempt ${attemptNumber + 1} in ${seconds(delay)} (${seconds(deadline - clock.now())} left of the step's ${seconds(policy.deadlineMs)})`,
      );
      await clock.sleep(delay);
    }
  }
}

/** Capped exponential backoff with full jitter: uniform in [0, min(max, base × 2^(n-1))]. */
export function backoffDelay(policy: RetryPolicy, attemptNumber: number, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attemptNumber - 1, 30));
  return Math.round(random * ceiling);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** The last failure once retries are used up: no longer retryable, and saying how hard we tried. */
function exhausted(err: CloudApiError, tried: string): CloudApiError {
  const remedy = err.retryLater
    ? `${err.remedy ? `${err.remedy}. ` : ''}Apply again later, lower terraform's -parallelism, or give each step more time with ${TUNING_ENV.deadlineSeconds}`
    : err.remedy;
  return err.with({ retryable: false, message: `${err.cloudMessage} (gave up after ${tried})`, remedy });
}

function deadlineError(context: RetryContext): CloudApiError {
  return new CloudApiError({
    cloud: context.cloud,
    action: context.action,
    code: TRANSPORT_ERROR_CODES.deadline,
    message: `not sent: the step's deadline of ${seconds(context.policy.deadlineMs)} has passed`,
    retryable: false,
    outcome: 'refused',
    remedy: `Check the endpoint is reachable from this machine, or give each step more time with ${TUNING_ENV.deadlineSeconds}`,
  });
}
