import { RetryClock } from '../../handler/http/retry';

/** Real time, but backoff sleeps return at once: retries cost no wall time. */
export const INSTANT_RETRY_CLOCK: RetryClock = { now: () => Date.now(), sleep: async () => undefined, random: () => 0 };

/**
 * Real time shifted by `offsetMs`; each backoff sleep returns at once but moves the clock on by its length,
 * so deadlines still run out and request timestamps stay close to what a server accepts.
 */
export function skippingRetryClock(offsetMs = 0): RetryClock {
  let skew = offsetMs;
  return { now: () => Date.now() + skew, sleep: async (ms) => void (skew += ms), random: () => 0.5 };
}
