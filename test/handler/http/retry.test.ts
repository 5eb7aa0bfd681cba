import { CloudApiError } from '../../../handler/http/cloud-api-error';
import { backoffDelay, DEFAULT_RETRY_POLICY, RetryPolicy, withRetries } from '../../../handler/http/retry';
import { TUNING_ENV } from '../../../handler/tuning';
import { manualClock } from '../../support/retry-clocks';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, requestTimeoutMs: 500, deadlineMs: 10_000 };

/** An answer asking to be sent again later (throttling): waited out until the deadline. */
function throttled(code = 'Throttling.User', message = 'm'): CloudApiError {
  return new CloudApiError({ cloud: 'alicloud', action: 'CreateKeyPair', code, message, retryable: true, retryLater: true, outcome: 'refused' });
}

/** A failure that may be transient (an internal error): retried up to maxAttempts. */
function transient(): CloudApiError {
  return new CloudApiError({ cloud: 'alicloud', action: 'DescribeKeyPairs', code: 'InternalError', message: 'm', retryable: true, outcome: 'unknown' });
}

function permanent(): CloudApiError {
  return new CloudApiError({ cloud: 'alicloud', action: 'CreateKeyPair', code: 'KeyPair.AlreadyExist', message: 'm', retryable: false, outcome: 'name-taken' });
}

describe('withRetries', () => {
  test('retries a throttled call with growing delays, then returns the success', async () => {
    // GIVEN two throttled attempts before a success
    const clock = manualClock(0);
    let calls = 0;
    // WHEN
    const result = await withRetries({ cloud: 'alicloud', action: 'CreateKeyPair', policy, clock }, async () => {
      calls++;
      if (calls < 3) throw throttled();
      return 'created';
    });
    // THEN
    expect(result).toBe('created');
    expect(calls).toBe(3);
    expect(clock.sleeps).toEqual([backoffDelay(policy, 1, 0.5), backoffDelay(policy, 2, 0.5)]);
    expect(clock.sleeps[1]).toBeGreaterThan(clock.sleeps[0]);
  });

  test('never retries a client error', async () => {
    const clock = manualClock(0);
    let calls = 0;
    await expect(
      withRetries({ cloud: 'alicloud', action: 'CreateKeyPair', policy, clock }, async () => {
        calls++;
        throw permanent();
      }),
    ).rejects.toThrow('KeyPair.AlreadyExist');
    expect(calls).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  test('never retries an error that is not a cloud error (a bug, not weather)', async () => {
    let calls = 0;
    await expect(
      withRetries({ cloud: 'ucloud', action: 'x', policy, clock: manualClock(0) }, async () => {
        calls++;
        throw new TypeError('bug');
      }),
    ).rejects.toThrow(TypeError);
    expect(calls).toBe(1);
  });

  test('gives up on a transient failure after maxAttempts, with the last cloud error', async () => {
    const clock = manualClock(0);
    let calls = 0;
    const error = await withRetries({ cloud: 'alicloud', action: 'DescribeKeyPairs', policy, clock }, async () => {
      calls++;
      throw transient();
    }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(CloudApiError);
    expect((error as CloudApiError).code).toBe('InternalError');
    expect((error as CloudApiError).retryable).toBe(false);
    expect((error as CloudApiError).message).toContain(`gave up after ${policy.maxAttempts} attempts`);
    expect(calls).toBe(policy.maxAttempts);
  });

  test('waits throttling out past maxAttempts, until the deadline, and then names the deadline and the tuning variable', async () => {
    // GIVEN a cloud that throttles every attempt
    const clock = manualClock(0);
    let calls = 0;
    // WHEN
    const error = await withRetries({ cloud: 'alicloud', action: 'CreateKeyPair', policy, clock }, async () => {
      calls++;
      throw throttled();
    }).catch((err: unknown) => err as CloudApiError);
    // THEN far more attempts than maxAttempts, every wait within the deadline, and the deadline named
    expect(calls).toBeGreaterThan(policy.maxAttempts * 3);
    expect(clock.now()).toBeLessThanOrEqual(policy.deadlineMs);
    expect(clock.now()).toBeGreaterThan(policy.deadlineMs - 2 * policy.maxDelayMs);
    expect(error.code).toBe('Throttling.User');
    expect(error.message).toContain("at the step's deadline of 10 s");
    expect(error.message).toContain(TUNING_ENV.deadlineSeconds);
  });

  test('throttled answers do not use up the attempts for transient failures', async () => {
    // GIVEN maxAttempts - 1 internal errors mixed with many throttled answers, then a success
    const clock = manualClock(0);
    const answers = [throttled(), transient(), throttled(), throttled(), transient(), throttled(), transient(), throttled(), throttled()];
    // WHEN
    const result = await withRetries({ cloud: 'alicloud', action: 'DescribeKeyPairs', policy, clock }, async () => {
      const next = answers.shift();
      if (next) throw next;
      return 'listed';
    });
    // THEN
    expect(result).toBe('listed');
  });

  test('shortens the last wait to fit the deadline rather than give up early', async () => {
    // GIVEN a deadline shorter than the second backoff ceiling, and waits at their ceiling
    const clock = manualClock(0, 1);
    const tight: RetryPolicy = { ...policy, requestTimeoutMs: 100, deadlineMs: 250 };
    let calls = 0;
    // WHEN every attempt is throttled
    await expect(
      withRetries({ cloud: 'alicloud', action: 'DeleteKeyPairs', policy: tight, clock }, async () => {
        calls++;
        throw throttled();
      }),
    ).rejects.toThrow('Throttling.User');
    // THEN it waited 100 ms, then only the 50 ms that leave room for a last attempt of 100 ms
    expect(clock.sleeps).toEqual([100, 50]);
    expect(calls).toBe(3);
  });

  test('shares the step\'s deadline: a call that starts late has only what is left', async () => {
    // GIVEN a step that began 9.8 s ago, of a 10 s deadline
    const clock = manualClock(0);
    await clock.sleep(9_800);
    const timeouts: number[] = [];
    // WHEN
    await expect(
      withRetries({ cloud: 'alicloud', action: 'DescribeKeyPairs', policy, clock, startedAt: 0 }, async (timeoutMs) => {
        timeouts.push(timeoutMs);
        throw throttled();
      }),
    ).rejects.toThrow('Throttling.User');
    // THEN one attempt with the 200 ms left, and no wait (no room for another)
    expect(timeouts).toEqual([200]);
  });

  test('a call that starts after the deadline is not sent', async () => {
    const clock = manualClock(0);
    await clock.sleep(10_001);
    let calls = 0;
    await expect(
      withRetries({ cloud: 'alicloud', action: 'DescribeKeyPairs', policy, clock, startedAt: 0 }, async () => {
        calls++;
        return 1;
      }),
    ).rejects.toThrow("not sent: the step's deadline of 10 s has passed");
    expect(calls).toBe(0);
  });

  test('hands each attempt the smaller of the request timeout and the time left', async () => {
    const clock = manualClock(0, 1);
    const timeouts: number[] = [];
    const shortDeadline: RetryPolicy = { ...policy, requestTimeoutMs: 650, deadlineMs: 700 };
    await withRetries({ cloud: 'alicloud', action: 'DescribeKeyPairs', policy: shortDeadline, clock }, async (timeoutMs) => {
      timeouts.push(timeoutMs);
      if (timeouts.length === 1) throw throttled();
      return 'ok';
    });
    // (the wait was cut to 50 ms so that a 650 ms attempt still fits)
    expect(timeouts).toEqual([650, 650]);
  });

  test('logs each retry decision (code, wait, time left) and never the error message', async () => {
    const lines: string[] = [];
    const secretMessage = 'message that must stay out of logs';
    let calls = 0;
    await withRetries({ cloud: 'alicloud', action: 'CreateKeyPair', policy, clock: manualClock(0), log: (l) => lines.push(l) }, async () => {
      if (++calls === 1) throw throttled('Throttling', secretMessage);
      return 1;
    });
    expect(lines).toEqual(["alicloud CreateKeyPair: asked to retry later (Throttling); attempt 2 in 0.1 s (10 s left of the step's 10 s)"]);
    expect(lines.join('\n')).not.toContain(secretMessage);
  });
});

describe('backoffDelay', () => {
  test('grows exponentially, is fully jittered below the ceiling, and is capped', () => {
    const p = DEFAULT_RETRY_POLICY;
    for (let attempt = 1; attempt <= 8; attempt++) {
      const ceiling = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (attempt - 1));
      expect(backoffDelay(p, attempt, 0)).toBe(0);
      expect(backoffDelay(p, attempt, 0.5)).toBe(Math.round(ceiling / 2));
      expect(backoffDelay(p, attempt, 1)).toBe(ceiling);
    }
    expect(backoffDelay(p, 30, 1)).toBe(p.maxDelayMs);
    expect(backoffDelay(p, 5000, 1)).toBe(p.maxDelayMs);
  });
});
