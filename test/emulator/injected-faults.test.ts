import { CLOUDS, RunningEmulator, startEmulator } from '../../emulator';
import type { CloudName } from '../../handler/http/cloud-api-error';
import { emulatedClients } from '../support/emulated-clients';
import { captureLog } from '../support/loopback-server';

/**
 * Each injectable fault, on each cloud, seen through the project's own client over real HTTP; and the
 * raw answers, so the throttling and server-error envelopes are the clouds' own.
 */

/** What each cloud answers when it throttles or fails, per its documentation (docs/cloud-behaviour.md#throttling-and-transient-errors). */
const EXPECTED: Record<CloudName, { throttle: { status: number; code: string }; serverError: { status: number; code: string } }> = {
  alicloud: { throttle: { status: 400, code: 'Throttling.User' }, serverError: { status: 500, code: 'InternalError' } },
  // Tencent answers every API error with HTTP 200, internal ones included (docs/cloud-behaviour.md#tencent-errors-at-http-200).
  tencentcloud: { throttle: { status: 200, code: 'RequestLimitExceeded' }, serverError: { status: 200, code: 'InternalError' } },
  ucloud: { throttle: { status: 200, code: '153' }, serverError: { status: 503, code: '150' } },
};

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

  test('throttle: the cloud\'s own code and envelope, and the client retries through it', async () => {
    // GIVEN one throttled answer on describe
    const { describeAction } = client();
    emulator.injectFault({ cloud, action: describeAction, kind: 'throttle', count: 2 });
    // WHEN a raw request meets the first one
    const raw = await rawDescribe(emulator, cloud);
    // THEN it is the cloud's throttling answer
    expect(raw.status).toBe(EXPECTED[cloud].throttle.status);
    expect(codeInEnvelope(cloud, raw.body)).toBe(EXPECTED[cloud].throttle.code);
    // AND the client meets the second one, retries, and succeeds
    const log = captureLog();
    await expect(client(log.log).describeByName('absent')).resolves.toEqual([]);
    expect(log.lines.filter((line) => line.includes('retrying'))).toEqual([expect.stringContaining(`failed with ${EXPECTED[cloud].throttle.code}`)]);
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
    expect(log.lines.filter((line) => line.includes('retrying') || line.includes('RequestTimeout'))).toEqual([]);
  });

  test('drop-connection: the client sees a network error and retries', async () => {
    const log = captureLog();
    const target = client(log.log);
    emulator.injectFault({ cloud, action: target.describeAction, kind: 'drop-connection' });
    await expect(target.describeByName('absent')).resolves.toEqual([]);
    expect(log.lines.some((line) => line.includes('failed with NetworkError'))).toBe(true);
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
