import { CloudApiError } from '../../../handler/http/cloud-api-error';
import { backoffDelay, DEFAULT_RETRY_POLICY, RetryClock, RetryPolicy, withRetries } from '../../../handler/http/retry';

/** A clock whose sleeps advance time instantly, recording each wait. */
function fakeClock(random = 0.5): RetryClock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => random,
  };
}

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, requestTimeoutMs: 500, deadlineMs: 10_000 };

function cloudError(retryable: boolean, code = retryable ? 'Throttling.User' : 'KeyPair.AlreadyExist'): CloudApiError {
  return new CloudApiError({ cloud: 'alicloud', action: 'CreateKeyPair', code, message: 'm', retryable, outcome: retryable ? 'refused' : 'permanent' });
}

describe('withRetries', () => {
  test('retries a retryable error with growing delays, then returns the success', async () => {
    // GIVEN two throttled attempts before a success
    const clock = fakeClock();
    let calls = 0;
    // WHEN
    const result = await withRetries({ cloud: 'alicloud', action: 'CreateKeyPair', policy, clock }, async () => {
      calls++;
      if (calls < 3) throw cloudError(true);
      return 'created';
    });
    // THEN
    expect(result).toBe('created');
    expect(calls).toBe(3);
    expect(clock.sleeps).toEqual([backoffDelay(policy, 1, 0.5), backoffDelay(policy, 2, 0.5)]);
    expect(clock.sleeps[1]).toBeGreaterThan(clock.sleeps[0]);
  });

  test('never retries a client error', async () => {
    const clock = fakeClock();
    let calls = 0;
    await expect(
      withRetries({ cloud: 'alicloud', action: 'CreateKeyPair', policy, clock }, async () => {
        calls++;
        throw cloudError(false);
      }),
    ).rejects.toThrow('KeyPair.AlreadyExist');
    expect(calls).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  test('never retries an error that is not a cloud error (a bug, not weather)', async () => {
    let calls = 0;
    await expect(
      withRetries({ cloud: 'ucloud', action: 'x', policy, clock: fakeClock() }, async () => {
        calls++;
        throw new TypeError('bug');
      }),
    ).rejects.toThrow(TypeError);
    expect(calls).toBe(1);
  });

  test('gives up after maxAttempts with the last cloud error', async () => {
    const clock = fakeClock();
    let calls = 0;
    await expect(
      withRetries({ cloud: 'tencentcloud', action: 'DescribeKeyPairs', policy, clock }, async () => {
        calls++;
        throw cloudError(true, 'RequestLimitExceeded');
      }),
    ).rejects.toThrow('RequestLimitExceeded');
    expect(calls).toBe(policy.maxAttempts);
  });

  test('stops before a wait that would pass the overall deadline', async () => {
    // GIVEN a deadline shorter than the second backoff
    const clock = fakeClock(1);
    const tight: RetryPolicy = { ...policy, maxAttempts: 10, deadlineMs: 250 };
    let calls = 0;
    // WHEN every attempt is throttled
    await expect(
      withRetries({ cloud: 'alicloud', action: 'DeleteKeyPairs', policy: tight, clock }, async () => {
        calls++;
        throw cloudError(true);
      }),
    ).rejects.toThrow('Throttling.User');
    // THEN it waited once (100 ms) and not the 200 ms that would cross 250 ms
    expect(clock.sleeps).toEqual([100]);
    expect(calls).toBe(2);
  });

  test('hands each attempt the smaller of the request timeout and the time left', async () => {
    const clock = fakeClock(1);
    const timeouts: number[] = [];
    const shortDeadline: RetryPolicy = { ...policy, requestTimeoutMs: 650, deadlineMs: 700 };
    await withRetries({ cloud: 'alicloud', action: 'DescribeKeyPairs', policy: shortDeadline, clock }, async (timeoutMs) => {
      timeouts.push(timeoutMs);
      if (timeouts.length === 1) throw cloudError(true);
      return 'ok';
    });
    expect(timeouts).toEqual([650, 600]);
  });

  test('logs each retry decision with the code and never the error message', async () => {
    const lines: string[] = [];
    const secretMessage = 'message that must stay out of logs';
    let calls = 0;
    await withRetries({ cloud: 'alicloud', action: 'CreateKeyPair', policy, clock: fakeClock(), log: (l) => lines.push(l) }, async () => {
      if (++calls === 1) throw new CloudApiError({ cloud: 'alicloud', action: 'CreateKeyPair', code: 'Throttling', message: secretMessage, retryable: true, outcome: 'refused' });
      return 1;
    });
    expect(lines).toEqual([expect.stringContaining('attempt 1 failed with Throttling; retrying in')]);
    expect(lines.join('\n')).not.toContain(secretMessage);
  });
});

describe('backoffDelay', () => {
  test('grows exponentially, is jittered within [1/4, 1] of the ceiling, and is capped', () => {
    const p = DEFAULT_RETRY_POLICY;
    for (let attempt = 1; attempt <= 8; attempt++) {
      const ceiling = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (attempt - 1));
      expect(backoffDelay(p, attempt, 0)).toBe(Math.round(ceiling / 4));
      expect(backoffDelay(p, attempt, 1)).toBe(ceiling);
    }
    expect(backoffDelay(p, 30, 1)).toBe(p.maxDelayMs);
  });
});
