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

/**
 * A clock that stands still but for its own sleeps, each of which moves it on at once. Handed to the handler
 * and (as `now`) to the emulator, it lets a test play a describe lag or a settle time of seconds in no wall
 * time, and in the same order on any machine: only the handler's waits make time pass.
 */
export interface ManualClock extends RetryClock {
  /** The emulator's `now` on the same time. */
  readonly date: () => Date;
  /** Every sleep asked of it, in milliseconds, in order. */
  readonly sleeps: readonly number[];
  /** Moves the clock on, as a wait of the test's own. */
  advance(ms: number): void;
}

/** A manual clock at `startMs`, whose `random` (the backoff's jitter) always returns `random`. */
export function manualClock(startMs = Date.now(), random = 0.5): ManualClock {
  let time = startMs;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: async (ms) => {
      sleeps.push(ms);
      time += ms;
    },
    random: () => random,
    date: () => new Date(time),
    sleeps,
    advance: (ms) => void (time += ms),
  };
}
