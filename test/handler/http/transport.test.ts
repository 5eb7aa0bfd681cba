import { sendHttpRequest, TransportFailure } from '../../../handler/http/transport';
import { useLoopbackServers } from '../../support/loopback-server';

describe('sendHttpRequest', () => {
  const serve = useLoopbackServers();

  test('sends method, headers and the exact body, and returns status, headers and body', async () => {
    // GIVEN
    const server = await serve([{ status: 201, body: '{"ok":true}', headers: { 'x-request-id': 'r-1' } }]);
    // WHEN
    const response = await sendHttpRequest({
      method: 'POST',
      url: new URL(`${server.url}/path?a=1`),
      headers: { 'content-type': 'application/json', 'x-custom': 'v' },
      body: '{"名":"值"}',
      timeoutMs: 2_000,
    });
    // THEN
    expect(response).toMatchObject({ status: 201, body: '{"ok":true}' });
    expect(response.headers['x-request-id']).toBe('r-1');
    const [received] = server.requests;
    expect(received.method).toBe('POST');
    expect(received.url.pathname + received.url.search).toBe('/path?a=1');
    expect(received.headers['x-custom']).toBe('v');
    expect(received.body).toBe('{"名":"值"}');
    expect(received.headers['content-length']).toBe(String(Buffer.byteLength('{"名":"值"}')));
  });

  test('fails with a timeout when no response arrives in time', async () => {
    const server = await serve([{ hang: true }]);
    const failure = await sendHttpRequest({ method: 'GET', url: new URL(server.url), headers: {}, timeoutMs: 150 }).catch((e) => e);
    // A server that never answers would hang the test past its own timeout: reaching this line is the proof.
    expect(failure).toBeInstanceOf(TransportFailure);
    expect(failure.kind).toBe('timeout');
    expect(failure.message).toBe('no response within 150 ms');
  });

  test('fails with a network error when the server drops the connection', async () => {
    const server = await serve([{ dropConnection: true }]);
    const failure = await sendHttpRequest({ method: 'POST', url: new URL(server.url), headers: {}, body: 'x', timeoutMs: 2_000 }).catch((e) => e);
    expect(failure).toBeInstanceOf(TransportFailure);
    expect(failure.kind).toBe('network');
    expect(failure.message).toMatch(/ECONNRESET|socket hang up|closed/);
  });

  test('fails with a network error naming ECONNREFUSED when nothing listens', async () => {
    // GIVEN a port that was just freed
    const server = await serve([{ status: 200, body: '' }]);
    const url = new URL(server.url);
    await server.close();
    // WHEN / THEN
    const failure = await sendHttpRequest({ method: 'GET', url, headers: {}, timeoutMs: 2_000 }).catch((e) => e);
    expect(failure).toBeInstanceOf(TransportFailure);
    expect(failure.message).toContain('ECONNREFUSED');
  });
});
