import { TencentcloudFault } from './envelope';
import { expectedTc3Signature, readTc3Authorization, sameSignature, tc3DateOf } from './tc3';
import type { EmulatorContext, EmulatorCredential, EmulatorRequest } from '../../cloud-emulator';

/** Tencent rejects requests whose timestamp is more than five minutes from its own clock. */
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;
const REQUIRED_SIGNED_HEADERS = ['content-type', 'host'];

/** Who sent a request, and which of the served products it was signed for. */
export interface AuthenticatedTencentcloudRequest {
  readonly credential: EmulatorCredential;
  /** The credential scope's service: the product whose API the request is for (`cvm`, `tag`). */
  readonly service: string;
}

/**
 * Verifies a TC3-HMAC-SHA256 request the way Tencent documents it, by recomputing the signature from the
 * parts received (with the emulator's own TC3 code, `tc3.ts`): Authorization shape, timestamp within five
 * minutes, known SecretId, credential scope naming one of `services`, signature, then the STS token (sent
 * beside the signature). The scope's service says which product the request is for: on the real cloud each
 * product has its own host (`cvm.…`, `tag.…`), and a request signed for another one fails its signature.
 */
export function authenticateTencentcloudRequest(
  request: EmulatorRequest,
  context: EmulatorContext,
  services: readonly string[],
): AuthenticatedTencentcloudRequest {
  const authorization = readTc3Authorization(header(request, 'authorization') ?? '');
  if (!authorization) {
    throw new TencentcloudFault(
      'AuthFailure.InvalidAuthorization',
      'The Authorization header is missing or is not of the form TC3-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=….',
    );
  }

  const timestampText = header(request, 'x-tc-timestamp');
  if (timestampText === undefined) throw new TencentcloudFault('MissingParameter', 'The request is missing a required parameter `Timestamp`.');
  const timestamp = Number(timestampText);
  if (!/^\d+$/.test(timestampText) || !Number.isSafeInteger(timestamp)) {
    throw new TencentcloudFault('InvalidParameter', 'The value of parameter `Timestamp` must be Unix seconds.');
  }
  const nowSeconds = Math.floor(context.now().getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > MAX_CLOCK_SKEW_SECONDS) {
    throw new TencentcloudFault(
      'AuthFailure.SignatureExpire',
      `Signature expired. Timestamp ${timestamp} is more than 5 minutes away from the server time ${nowSeconds}.`,
    );
  }

  const credential = context.credentials.find((candidate) => candidate.accessKeyId === authorization.secretId);
  if (!credential) throw new TencentcloudFault('AuthFailure.SecretIdNotFound', 'The SecretId is not found, please ensure that your SecretId is correct.');

  if (authorization.date !== tc3DateOf(timestamp) || !services.includes(authorization.service)) {
    const scopes = services.map((service) => `${tc3DateOf(timestamp)}/${service}/tc3_request`).join(' or ');
    throw new TencentcloudFault(
      'AuthFailure.SignatureFailure',
      `The credential scope must be ${scopes} (the UTC date of X-TC-Timestamp and the product called).`,
    );
  }
  const signedHeaders: Record<string, string> = {};
  for (const name of authorization.signedHeaderNames) {
    const value = header(request, name);
    if (value === undefined) throw new TencentcloudFault('AuthFailure.SignatureFailure', `The signed header \`${name}\` is missing from the request.`);
    signedHeaders[name] = value;
  }
  if (!REQUIRED_SIGNED_HEADERS.every((name) => name in signedHeaders)) {
    throw new TencentcloudFault('AuthFailure.SignatureFailure', 'SignedHeaders must include content-type and host.');
  }

  const signatureFor = (headers: Record<string, string>): string =>
    expectedTc3Signature(
      { method: request.method, query: request.url.search.replace(/^\?/, ''), signedHeaders: headers, body: request.body },
      credential.accessKeySecret,
      authorization.service,
      timestamp,
    );
  const candidates = [signedHeaders, ...withoutHostPort(signedHeaders)];
  if (!candidates.some((headers) => sameSignature(signatureFor(headers), authorization.signature))) {
    throw new TencentcloudFault(
      'AuthFailure.SignatureFailure',
      'The provided credentials could not be validated. Please check your signature is correct.',
    );
  }

  const token = header(request, 'x-tc-token');
  if ((credential.securityToken ?? '') !== (token ?? '')) {
    throw new TencentcloudFault('AuthFailure.TokenFailure', 'The security token is missing, invalid, or expired.');
  }
  return { credential, service: authorization.service };
}

/**
 * The signed headers with the port cut from `host`, when it has one. Tencent's own Node SDK signs the URL's
 * hostname (`host:cvm.tencentcloudapi.com`) but sends `Host` with the port; on the real cloud (port 443)
 * both are the same text, so the real cloud accepts that SDK. An emulator listens on a port of its own,
 * so it accepts the host signed with or without that port, and nothing else.
 */
function withoutHostPort(signedHeaders: Record<string, string>): Record<string, string>[] {
  const host = signedHeaders.host;
  if (host === undefined || !/:\d+$/.test(host)) return [];
  return [{ ...signedHeaders, host: host.replace(/:\d+$/, '') }];
}

/** One request header as text (Node lowercases names and may give arrays for repeated headers). */
export function header(request: EmulatorRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}
