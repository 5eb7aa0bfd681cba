import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SecretValue } from '../../../handler/clouds/credentials';
import { ApiCall, callCloudApi, parseJsonObject } from '../../../handler/http/api-call';
import { CloudApiError } from '../../../handler/http/cloud-api-error';
import { useLoopbackServers } from '../../support/loopback-server';
import { INSTANT_RETRY_CLOCK } from '../../support/retry-clocks';
import { createServerCertificate } from '../../support/terraform-providers/self-signed-certificate';

/** A minimal cloud: `{"ok":true}` succeeds, `{"code":"Throttled"}` is a throttle, `{"code":"X"}` a client error. */
function call(url: string, overrides: Partial<ApiCall<string>> = {}): ApiCall<string> {
  return {
    cloud: 'alicloud',
    action: 'CreateKeyPair',
    policy: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 1, requestTimeoutMs: 200, deadlineMs: 5_000 },
    clock: INSTANT_RETRY_CLOCK,
    secrets: [],
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
        outcome: throttled ? 'refused' : response.status >= 500 ? 'unknown' : 'permanent',
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

  test('reports a malformed 200 to a create with its size and type, never its content, as outcome unknown, not resent', async () => {
    const server = await serve([{ status: 200, body: '<html>private-key-material</html>', headers: { 'content-type': 'text/html' } }]);
    const error: CloudApiError = await callCloudApi(call(server.url, { idempotent: false })).catch((e) => e);
    expect(error.code).toBe('MalformedResponse');
    expect(error.outcome).toBe('unknown');
    expect(error.message).toContain('33 bytes of text/html');
    expect(error.message).not.toContain('private-key-material');
    expect(server.requests).toHaveLength(1);
  });

  test('a TLS certificate the client refuses: refused, nothing sent, not retried', async () => {
    const { certificatePem, privateKeyPem } = createServerCertificate();
    let requests = 0;
    const server = createServer({ cert: certificatePem, key: privateKeyPem }, (_req, res) => {
      requests += 1;
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const error: CloudApiError = await callCloudApi(call(`https://127.0.0.1:${port}/`)).catch((e) => e);
      expect(error).toMatchObject({ code: 'TlsCertificateError', outcome: 'refused', retryable: false });
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });

  test('every secret a message echoes is redacted, in every form, and an echoed string-to-sign is cut', async () => {
    const secret = 'very secret/key+value';
    const echoed = `bad signature for ${secret} (${encodeURIComponent(secret)}, ${Buffer.from(secret).toString('base64')}) server string to sign is: POST&%2F&Key%3D${secret}`;
    const server = await serve([{ status: 400, body: JSON.stringify({ code: 'SignatureDoesNotMatch', message: echoed }) }]);
    const failing = call(server.url, {
      secrets: [new SecretValue(secret)],
      parseResponse: (response) => {
        const body = parseJsonObject('alicloud', 'CreateKeyPair', response);
        throw new CloudApiError({ cloud: 'alicloud', action: 'CreateKeyPair', code: String(body.code), message: String(body.message), retryable: false, outcome: 'permanent' });
      },
    });
    const error: CloudApiError = await callCloudApi(failing).catch((e) => e);
    expect(error.message).toContain('bad signature for [redacted] ([redacted], [redacted])');
    expect(error.message).not.toContain('string to sign');
    expect(error.message).not.toContain(secret);
  });
});
