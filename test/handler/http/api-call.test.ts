import { ApiCall, callCloudApi, parseJsonObject } from '../../../handler/http/api-call';
import { CloudApiError } from '../../../handler/http/cloud-api-error';
import { useLoopbackServers } from '../../support/loopback-server';
import { INSTANT_RETRY_CLOCK } from '../../support/retry-clocks';

/** A minimal cloud: `{"ok":true}` succeeds, `{"code":"Throttled"}` is a throttle, `{"code":"X"}` a client error. */
function call(url: string, overrides: Partial<ApiCall<string>> = {}): ApiCall<string> {
  return {
    cloud: 'alicloud',
    action: 'CreateKeyPair',
    policy: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 1, requestTimeoutMs: 200, deadlineMs: 5_000 },
    clock: INSTANT_RETRY_CLOCK,
    buildRequest: (timeoutMs) => ({ method: 'POST', url: new URL(url), headers: {}, body: '', timeoutMs }),
    parseResponse: (response) => {
      const body = parseJsonObject('alicloud', 'CreateKeyPair', response);
      if (body.ok) return 'done';
      const throttled = body.code === 'Throttled';
      throw new CloudApiError({
        cloud: 'alicloud',
        action: 'CreateKeyPair',
        code: String(body.code),
        message: 'refused',
        httpStatus: response.status,
        retryable: throttled || response.status >= 500,
        notProcessed: throttled,
      });
    },
    ...overrides,
  };
}

describe('callCloudApi', () => {
  const serve = useLoopbackServers();

  test('retries an idempotent action after a timeout', async () => {
    const server = await serve([{ hang: true }, { status: 200, body: '{"ok":true}' }]);
    await expect(callCloudApi(call(server.url))).resolves.toBe('done');
    expect(server.requests).toHaveLength(2);
  });

  test('does not resend a non-idempotent action whose outcome is unknown (timeout, dropped connection, 5xx)', async () => {
    for (const reply of [{ hang: true } as const, { dropConnection: true } as const, { status: 503, body: '{"code":"ServiceUnavailable"}' }]) {
      // GIVEN a create that fails ambiguously once, then would succeed
      const server = await serve([reply, { status: 200, body: '{"ok":true}' }]);
      // WHEN
      const error: CloudApiError = await callCloudApi(call(server.url, { idempotent: false })).catch((e) => e);
      // THEN one request only, and the error says why and what to do
      expect(server.requests).toHaveLength(1);
      expect(error).toBeInstanceOf(CloudApiError);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain('may have been carried out');
      expect(error.message).toContain('look the key pair up by name');
      await server.close();
    }
  });

  test('retries a non-idempotent action the cloud throttled (it did nothing)', async () => {
    const server = await serve([
      { status: 400, body: '{"code":"Throttled"}' },
      { status: 400, body: '{"code":"Throttled"}' },
      { status: 200, body: '{"ok":true}' },
    ]);
    await expect(callCloudApi(call(server.url, { idempotent: false }))).resolves.toBe('done');
    expect(server.requests).toHaveLength(3);
  });

  test('retries a non-idempotent action that never reached a server (connection refused)', async () => {
    // GIVEN a port nobody listens on for the first attempt, then a live server
    const server = await serve([{ status: 200, body: '{"ok":true}' }]);
    const live = server.url;
    const closed = await serve([]);
    const deadUrl = closed.url;
    await closed.close();
    let attempts = 0;
    // WHEN
    const result = await callCloudApi(
      call(live, {
        idempotent: false,
        buildRequest: (timeoutMs) => ({ method: 'POST', url: new URL(attempts++ === 0 ? deadUrl : live), headers: {}, body: '', timeoutMs }),
      }),
    );
    // THEN
    expect(result).toBe('done');
    expect(attempts).toBe(2);
  });

  test('reports a malformed body with its size and type, never its content', async () => {
    const server = await serve([{ status: 200, body: '<html>private-key-material</html>', headers: { 'content-type': 'text/html' } }]);
    const error: CloudApiError = await callCloudApi(call(server.url)).catch((e) => e);
    expect(error.code).toBe('MalformedResponse');
    expect(error.message).toContain('33 bytes of text/html');
    expect(error.message).not.toContain('private-key-material');
    expect(server.requests).toHaveLength(1);
  });
});
