import { cloudLabel } from '../../http/cloud-api-error';
import { CloudCredentials, SecretValue } from '../credentials';
import { Environment, firstEnvValue, MissingCredentialsError } from '../environment';

/** The variables the official Terraform provider (tencentcloudstack/tencentcloud) reads. */
export const TENCENTCLOUD_ENV = {
  secretId: ['TENCENTCLOUD_SECRET_ID'],
  secretKey: ['TENCENTCLOUD_SECRET_KEY'],
  securityToken: ['TENCENTCLOUD_SECURITY_TOKEN'],
  region: ['TENCENTCLOUD_REGION'],
  domain: ['TENCENTCLOUD_DOMAIN'],
  protocol: ['TENCENTCLOUD_PROTOCOL'],
  /** This project's own override: a full URL, e.g. a local emulator. */
  endpoint: ['CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT'],
} as const;

export const TENCENTCLOUD_DEFAULT_DOMAIN = 'tencentcloudapi.com';
/** Key pairs belong to CVM; its host is `cvm.<root domain>`, the region travels in `X-TC-Region`. */
export const TENCENTCLOUD_SERVICE = 'cvm';

export function tencentcloudCredentialsFromEnv(env: Environment): CloudCredentials {
  const label = cloudLabel('tencentcloud');
  const secretId = firstEnvValue(env, TENCENTCLOUD_ENV.secretId);
  if (secretId === undefined) throw new MissingCredentialsError(label, 'SecretId', TENCENTCLOUD_ENV.secretId);
  const secretKey = firstEnvValue(env, TENCENTCLOUD_ENV.secretKey);
  if (secretKey === undefined) throw new MissingCredentialsError(label, 'SecretKey', TENCENTCLOUD_ENV.secretKey);
  const securityToken = firstEnvValue(env, TENCENTCLOUD_ENV.securityToken);
  return {
    accessKeyId: secretId,
    accessKeySecret: new SecretValue(secretKey),
    ...(securityToken !== undefined ? { securityToken: new SecretValue(securityToken) } : {}),
  };
}

/** An endpoint that cannot be used; the message names where it came from. */
export class InvalidEndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEndpointError';
  }
}

export interface TencentcloudEndpointOptions {
  /** An explicit endpoint (construct prop); wins over everything else. */
  readonly endpoint?: string;
  readonly env?: Environment;
}

/**
 * The CVM API base URL: an explicit endpoint, else `CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT`, else
 * `<protocol>://cvm.<domain>/` from `TENCENTCLOUD_PROTOCOL` (default HTTPS) and `TENCENTCLOUD_DOMAIN`
 * (default `tencentcloudapi.com`), as the Terraform provider builds it.
 */
export function resolveTencentcloudEndpoint(options: TencentcloudEndpointOptions = {}): URL {
  const env = options.env ?? {};
  if (options.endpoint !== undefined && options.endpoint.trim() !== '') {
    return parseEndpoint(options.endpoint.trim(), 'the endpoint option');
  }
  const fromEnv = firstEnvValue(env, TENCENTCLOUD_ENV.endpoint);
  if (fromEnv !== undefined) return parseEndpoint(fromEnv, TENCENTCLOUD_ENV.endpoint[0]);

  const protocol = (firstEnvValue(env, TENCENTCLOUD_ENV.protocol) ?? 'HTTPS').toLowerCase();
  if (protocol !== 'http' && protocol !== 'https') {
    throw new InvalidEndpointError(`${TENCENTCLOUD_ENV.protocol[0]} must be HTTP or HTTPS, got "${protocol}"`);
  }
  const domain = firstEnvValue(env, TENCENTCLOUD_ENV.domain) ?? TENCENTCLOUD_DEFAULT_DOMAIN;
  return parseEndpoint(`${protocol}://${TENCENTCLOUD_SERVICE}.${domain}/`, TENCENTCLOUD_ENV.domain[0]);
}

function parseEndpoint(text: string, source: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidEndpointError(`${source} is not a URL: "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidEndpointError(`${source} must be an http:// or https:// URL, got "${url.protocol}"`);
  }
  // TC3 signs the path `/` and an empty query: anything else would be signed wrongly.
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.username !== '' || url.password !== '') {
    throw new InvalidEndpointError(`${source} must be a bare origin such as https://cvm.tencentcloudapi.com, got "${url.origin}${url.pathname}"`);
  }
  return new URL(`${url.protocol}//${url.host}/`);
}
