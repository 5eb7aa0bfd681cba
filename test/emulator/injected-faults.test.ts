import { CLOUDS, RunningEmulator, startEmulator } from '../../emulator';
import { KeyPairTarget, keyPairApiFor } from '../../handler/clouds/factory';
import type { CloudName } from '../../handler/http/cloud-api-error';
import { TUNING_ENV } from '../../handler/tuning';
import { caughtCloudApiError } from '../support/cloud-api-errors';
import { emulatedClients } from '../support/emulated-clients';
import { captureLog } from '../support/loopback-server';
import { manualClock } from '../support/retry-clocks';

/**
 * Each injectable fault, on each cloud, seen through the project's own client over real HTTP; and the
 * raw answers, so the throttling and server-error envelopes are the clouds' own.
 */

interface Answer {
  readonly status: number;
  readonly code: string;
}

/**
 * What each cloud answers when it throttles, fails or refuses for lack of permission, per its documentation
 * (docs/cloud-behaviour.md#throttling-and-transient-errors); the permission codes are the emulator's
 * (emulator/faults.ts says which are documented).
 */
const EXPECTED: Record<CloudName, { throttle: Answer; serverError: Answer; denied: Answer }> = {
  alicloud: { throttle: { status: 400, code: 'Throttling.User' }, serverError: { status: 500, code: 'InternalError' }, denied: { status: 403, code: 'Forbidden.RAM' } },
  // Tencent answers every API error with HTTP 200, internal ones included (docs/cloud-behaviour.md#tencent-errors-at-http-200).
  tencentcloud: {
    throttle: { status: 200, code: 'RequestLimitExceeded' },
    serverError: { status: 200, code: 'InternalError' },
    denied: { status: 200, code: 'AuthFailure.UnauthorizedOperation' },
  },
  ucloud: { throttle: { status: 200, code: '153' }, serverError: { status: 503, code: '150' }, denied: { status: 200, code: '299' } },
};

/** Each cloud's create action, and the permission its policies name for it. */
const CREATE: Record<CloudName, { action: string; permission: string }> = {
  alicloud: { action: 'CreateKeyPair', permission: 'ecs:CreateKeyPair' },
  tencentcloud: { action: 'CreateKeyPair', permission: 'cvm:CreateKeyPair' },
  ucloud: { action: 'CreateUHostKeyPair', permission: 'uhost:CreateUHostKeyPair' },
};

/** Where each cloud's client is pointed (the same targets as the shared emulated clients). */
const TARGETS: Record<CloudName, KeyPairTarget> = {
  alicloud: { cloud: 'alicloud', region: 'cn-hangzhou' },
  tencentcloud: { cloud: 'tencentcloud', region: 'ap-guangzhou' },
  ucloud: { cloud: 'ucloud', region: 'cn-bj2', scope: 'org-test' },
};

/** The client's retry decisions among its log lines (the per-attempt lines left out). */
function retryLines(lines: readonly string[]): string[] {
  return lines.filter((line) => / (asked to retry later|failed with) /.test(line));
}

/** A regular expression matching `text` literally. */
function literally(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Reads the cloud's error code out of its own envelope. */
function codeInEnvelope(cloud: CloudName, body: any): string {
  switch (cloud) {
    case 'alicloud':
      expect(Object.keys(body)).toEqual(expect.arrayContaining(['RequestId', 'HostId', 'Code', 'Message']));
      return body.Code;
    case 'tencentcloud':
      expect(Object.keys(body)).toEqual(['Response']);
      expect(body.Response.RequestId).toEqual(expect.any(String));
      return body.Response.Error.Code;
    case 'ucloud':
      expect(body.Action).toBe('DescribeUHostKeyPairsResponse');
      return String(body.RetCode);
  }
}

describe.each(CLOUDS)('injected faults on %s', (cloud) => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.reset());

  function client(log?: (line: string) => void, requestTimeoutMs = 1_000) {
    return emulatedClients(emulator, { log, retry: { requestTimeoutMs } })[cloud];
  }

  test('throttle: the cloud\'s own code and envelope, and the client waits it out beyond maxAttempts', async () => {
    // GIVEN six throttled answers on describe: one for a raw request, five for the client (its maxAttempts is 4)
    const { describeAction } = client();
    emulator.injectFault({ cloud, action: describeAction, kind: 'throttle', count: 6 });
    // WHEN a raw request meets the first one
    const raw = await rawDescribe(emulator, cloud);
    // THEN it is the cloud's throttling answer
    expect(raw.status).toBe(EXPECTED[cloud].throttle.status);
    expect(codeInEnvelope(cloud, raw.body)).toBe(EXPECTED[cloud].throttle.code);
    // WHEN the client describes through the other five
    const log = captureLog();
    await expect(client(log.log).describeByName('absent')).resolves.toEqual([]);
    // THEN it was asked to retry later five times, none counted against maxAttempts, and the sixth attempt succeeded
    const { code, status } = EXPECTED[cloud].throttle;
    expect(retryLines(log.lines)).toEqual(
      [2, 3, 4, 5, 6].map((attempt) =>
        expect.stringMatching(
          new RegExp(`^${cloud} ${describeAction}: asked to retry later \\(${literally(code)}\\); attempt ${attempt} in 0\\.0 s \\(\\d+ s left of the step's 20 s\\)$`),
        ),
      ),
    );
    // AND the journal shows the raw request (naming no pair), then the client's six, each about the name
    const throttled = { cloud, action: describeAction, status, handled: false, fault: 'throttle', keyPairNames: ['absent'] };
    expect(emulator.requests(cloud)).toEqual([
      { ...throttled, keyPairNames: [] },
      ...Array(5).fill(throttled),
      { cloud, action: describeAction, status: 200, handled: true, keyPairNames: ['absent'] },
    ]);
  });

  test('throttle without end: waited out until the step\'s deadline (not maxAttempts), then given up saying so; clearFaults ends it', async () => {
    // GIVEN throttling on every describe, and a client with a 10 s step and maxAttempts 2, on a clock of its own
    const { describeAction } = client();
    emulator.injectFault({ cloud, action: describeAction, kind: 'throttle', count: 100 });
    const log = captureLog();
    const patient = keyPairApiFor(TARGETS[cloud], emulator.handlerEnvironment(), {
      retry: { maxAttempts: 2, baseDelayMs: 1_000, maxDelayMs: 2_000, requestTimeoutMs: 5_000, deadlineMs: 10_000 },
      clock: manualClock(),
      log: log.log,
    });

    // WHEN it describes
    const error = await caughtCloudApiError(patient.findByName('absent'));

    // THEN it waited half of each ceiling (1 s, 2 s, then 2 s at most) until no attempt fitted the step
    const { code, status } = EXPECTED[cloud].throttle;
    const waited = (attempt: number, wait: string, left: string) =>
      `${cloud} ${describeAction}: asked to retry later (${code}); attempt ${attempt} in ${wait} s (${left} s left of the step's 10 s)`;
    expect(retryLines(log.lines)).toEqual([
      waited(2, '0.5', '10'),
      waited(3, '1.0', '9.5'),
      waited(4, '1.0', '8.5'),
      waited(5, '1.0', '7.5'),
      waited(6, '1.0', '6.5'),
      waited(7, '1.0', '5.5'),
      waited(8, '1.0', '4.5'),
      waited(9, '1.0', '3.5'),
      waited(10, '1.0', '2.5'),
      // The last wait is cut short: an attempt gets at least 1 s before the deadline.
      waited(11, '0.5', '1.5'),
    ]);
    // AND the error is the cloud's throttling code, final now, saying how long it tried and what to change
    expect(error).toMatchObject({ cloud, action: describeAction, code, retryable: false, retryLater: true, outcome: 'refused' });
    expect(error.message).toContain("(gave up after 11 attempts, at the step's deadline of 10 s)");
    expect(error.remedy).toContain(`Apply again later, lower terraform's -parallelism, or give each step more time with ${TUNING_ENV.deadlineSeconds}`);
    // AND the journal shows the eleven throttled requests, all about the name
    expect(emulator.requests(cloud)).toEqual(Array(11).fill({ cloud, action: describeAction, status, handled: false, fault: 'throttle', keyPairNames: ['absent'] }));
    expect(emulator.pendingFaults()).toEqual([expect.objectContaining({ cloud, action: describeAction, kind: 'throttle', remaining: 89 })]);

    // WHEN the faults not used up are cleared
    emulator.clearFaults();
    // THEN none is left, the journal stays, and the next describe is answered at once
    expect(emulator.pendingFaults()).toEqual([]);
    expect(emulator.requests(cloud)).toHaveLength(11);
    await expect(client().describeByName('absent')).resolves.toEqual([]);
    expect(emulator.requests(cloud).slice(11)).toEqual([{ cloud, action: describeAction, status: 200, handled: true, keyPairNames: ['absent'] }]);
  });

  test('server-error: a 5xx with the cloud\'s internal error code, retried by the client', async () => {
    const { describeAction } = client();
    emulator.injectFault({ cloud, action: describeAction, kind: 'server-error', count: 2 });
    const raw = await rawDescribe(emulator, cloud);
    expect(raw.status).toBe(EXPECTED[cloud].serverError.status);
    expect(codeInEnvelope(cloud, raw.body)).toBe(EXPECTED[cloud].serverError.code);
    const log = captureLog();
    await expect(client(log.log).describeByName('absent')).resolves.toEqual([]);
    expect(log.lines.some((line) => line.includes(`failed with ${EXPECTED[cloud].serverError.code}`))).toBe(true);
  });

  test('latency: a slow answer trips the per-request timeout, and the retry succeeds', async () => {
    const log = captureLog();
    const slow = client(log.log, 200);
    // Held far beyond the test's own timeout: only the client's request timeout can end the first attempt.
    emulator.injectFault({ cloud, action: slow.describeAction, kind: 'latency', latencyMs: 3_600_000 });
    await expect(slow.describeByName('absent')).resolves.toEqual([]);
    expect(log.lines.some((line) => line.includes('failed with RequestTimeout'))).toBe(true);
  });

  test('latency shorter than the timeout only delays the answer', async () => {
    const log = captureLog();
    const patient = client(log.log, 2_000);
    emulator.injectFault({ cloud, action: patient.describeAction, kind: 'latency', latencyMs: 300 });
    await expect(patient.describeByName('absent')).resolves.toEqual([]);
    // One request, answered by the cloud after the delay: no timeout, no retry.
    expect(emulator.requests(cloud).filter((request) => request.action === patient.describeAction)).toEqual([
      expect.objectContaining({ status: 200, handled: true, fault: 'latency' }),
    ]);
    expect(retryLines(log.lines)).toEqual([]);
    expect(log.lines.filter((line) => line.includes('RequestTimeout'))).toEqual([]);
  });

  test('drop-connection: the client sees a network error and retries', async () => {
    const log = captureLog();
    const target = client(log.log);
    emulator.injectFault({ cloud, action: target.describeAction, kind: 'drop-connection' });
    await expect(target.describeByName('absent')).resolves.toEqual([]);
    expect(log.lines.some((line) => line.includes('failed with NetworkError'))).toBe(true);
  });

  test('denied: the cloud\'s permission refusal in its own envelope, before acting; never resent; nothing made', async () => {
    // GIVEN a denied describe for a raw request, and a denied create
    const { describeAction } = client();
    const { action, permission } = CREATE[cloud];
    emulator.injectFault({ cloud, action: describeAction, kind: 'denied' });
    emulator.injectFault({ cloud, action, kind: 'denied' });

    // WHEN a raw request meets the first
    const raw = await rawDescribe(emulator, cloud);
    // THEN it is the cloud's permission refusal
    const { code, status } = EXPECTED[cloud].denied;
    expect(raw.status).toBe(status);
    expect(codeInEnvelope(cloud, raw.body)).toBe(code);

    // WHEN the client creates a pair
    const log = captureLog();
    const error = await caughtCloudApiError(client(log.log).create('denied-pair'));
    // THEN it fails at once with the code, naming the permission to grant, as a refusal that does not pass by itself
    expect(error).toMatchObject({ cloud, action, code, httpStatus: status, retryable: false, retryLater: false, outcome: 'permanent' });
    expect(error.remedy).toContain('Grant the deploying identity');
    expect(error.remedy).toContain(permission);
    expect(retryLines(log.lines)).toEqual([]);
    // AND the cloud made nothing, and was asked once
    expect(emulator.listKeyPairs(cloud)).toEqual([]);
    expect(emulator.requests(cloud).filter((entry) => entry.action === action)).toEqual([
      { cloud, action, status, handled: false, fault: 'denied', keyPairNames: ['denied-pair'] },
    ]);
    expect(emulator.pendingFaults()).toEqual([]);
  });

  test('malformed-body: a describe is read again (a cut 200 may be a success), and reported once retries run out', async () => {
    const log = captureLog();
    const target = client(log.log);
    emulator.injectFault({ cloud, action: target.describeAction, kind: 'malformed-body', count: 1 });
    await expect(target.describeByName('absent')).resolves.toEqual([]);
    emulator.injectFault({ cloud, action: target.describeAction, kind: 'malformed-body', count: 50 });
    await expect(target.describeByName('absent')).rejects.toMatchObject({ cloud, code: 'MalformedResponse', retryable: false, outcome: 'unknown' });
  });
});

/** An unsigned describe: injected faults answer before any signature check, as a gateway would. */
async function rawDescribe(emulator: RunningEmulator, cloud: CloudName): Promise<{ status: number; body: unknown }> {
  const base = emulator.endpoints[cloud];
  const request: Record<CloudName, () => Promise<Response>> = {
    alicloud: () => fetch(`${base}/?Action=DescribeKeyPairs&RegionId=cn-hangzhou`, { method: 'POST' }),
    tencentcloud: () =>
      fetch(`${base}/`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tc-action': 'DescribeKeyPairs' }, body: '{}' }),
    ucloud: () =>
      fetch(`${base}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=DescribeUHostKeyPairs&Region=cn-bj2',
      }),
  };
  const response = await request[cloud]();
  return { status: response.status, body: await response.json() };
}
