import * as http from 'node:http';
import * as https from 'node:https';

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly headers: Record<string, string>;
  /** The exact bytes to send; signers hash this same string. */
  readonly body?: string;
  /** Abort the request if no complete response arrives within this many milliseconds. */
  readonly timeoutMs: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A request that got no complete HTTP response: timed out, refused, reset, or cut short. */
export class TransportFailure extends Error {
  constructor(
    /** `tls`: the server's certificate was refused before any byte of the request was sent. */
    public readonly kind: 'timeout' | 'network' | 'tls',
    message: string,
    /** The request never reached a server (refused, unresolvable, unreachable): nothing can have happened. */
    public readonly notDelivered = false,
  ) {
    super(message);
    this.name = 'TransportFailure';
  }
}

/** Connection errors raised before any byte of the request reached a server. */
const NOT_DELIVERED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Certificate verification failures (Node's OpenSSL codes): the TLS handshake failed, so the request was
 * never sent, and sending it again cannot help until the certificate or the endpoint is fixed.
 */
const TLS_CERTIFICATE_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

/** Responses larger than this are not key pair API answers; refuse rather than buffer without bound. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/**
 * Sends one HTTP(S) request and buffers the whole response. No retries here: the retry policy lives in
 * `retry.ts`, so each attempt can be re-signed with a fresh timestamp and nonce.
 */
export function sendHttpRequest(request: HttpRequest): Promise<HttpResponse> {
  const client = request.url.protocol === 'http:' ? http : https;
  const headers: Record<string, string | number> = { ...request.headers };
  if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);

  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const fail = (failure: TransportFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(failure);
    };

    const req = client.request(
      request.url,
      { method: request.method, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            fail(new TransportFailure('network', `response exceeded ${MAX_RESPONSE_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('aborted', () => fail(new TransportFailure('network', 'connection closed before the response was complete')));
        res.on('error', (err) => fail(new TransportFailure('network', describeNetworkError(err))));
      },
    );

    const timer = setTimeout(
      () => fail(new TransportFailure('timeout', `no response within ${request.timeoutMs} ms`)),
      request.timeoutMs,
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      if (TLS_CERTIFICATE_CODES.has(code)) fail(new TransportFailure('tls', describeNetworkError(err), true));
      else fail(new TransportFailure('network', describeNetworkError(err), NOT_DELIVERED_CODES.has(code)));
    });
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}

function describeNetworkError(err: NodeJS.ErrnoException): string {
  // The code (ECONNREFUSED, ECONNRESET, ENOTFOUND...) is what a user can act on; messages carry only host:port.
  return err.code ? `${err.code}: ${err.message}` : err.message;
}
