import { CallSettings, callCloudApi, fromCallSettings } from '../../http/api-call';
import { SYSTEM_CLOCK } from '../../http/retry';
import { HttpRequest } from '../../http/transport';
import { CloudCredentials } from '../credentials';
import { readTencentcloudEnvelope } from './errors';
import { resolveTencentcloudEndpoint, TENCENTCLOUD_SERVICE } from './settings';
import { signTc3 } from './signer';

export const TENCENTCLOUD_CVM_API_VERSION = '2017-03-12';
const CONTENT_TYPE = 'application/json; charset=utf-8';

export interface TencentcloudClientOptions extends CallSettings {
  /** Sent as `X-TC-Region`, e.g. `ap-guangzhou`. */
  readonly region: string;
  readonly credentials: CloudCredentials;
  /** Base URL; resolve it with `resolveTencentcloudEndpoint`. Default `https://cvm.tencentcloudapi.com/`. */
  readonly endpoint?: string | URL;
  /** The CVM project key pairs are created in; 0 is the default project. */
  readonly projectId?: number;
  /** Language of Tencent's error messages (`X-TC-Language`). Default `en-US`. */
  readonly language?: 'en-US' | 'zh-CN';
}

/** Actions that create something and carry no ClientToken (see `ApiCall.idempotent`). */
const NON_IDEMPOTENT_ACTIONS: ReadonlySet<string> = new Set(['CreateKeyPair', 'ImportKeyPair']);

/**
 * Sends one CVM action: JSON body serialized once (the signature hashes these exact bytes), re-signed
 * for every attempt so the timestamp stays fresh, and the `{"Response":…}` envelope unwrapped.
 */
export function callTencentcloud<T>(
  options: TencentcloudClientOptions,
  action: string,
  parameters: Record<string, unknown>,
  parse: (response: Record<string, unknown>) => T,
): Promise<T> {
  // Validated here too: an endpoint with a path or query would be signed as `/` and rejected.
  const endpoint = resolveTencentcloudEndpoint({ endpoint: options.endpoint === undefined ? undefined : String(options.endpoint) });
  const clock = options.clock ?? SYSTEM_CLOCK;
  const payload = JSON.stringify(parameters);
  return callCloudApi({
    cloud: 'tencentcloud',
    action,
    idempotent: !NON_IDEMPOTENT_ACTIONS.has(action),
    ...fromCallSettings(options),
    buildRequest: (timeoutMs) =>
      buildSignedRequest({ options, endpoint, action, payload, timestamp: Math.floor(clock.now() / 1000), timeoutMs }),
    parseResponse: (response) => parse(readTencentcloudEnvelope(action, response)),
  });
}

interface SignedRequestParts {
  readonly options: TencentcloudClientOptions;
  readonly endpoint: URL;
  readonly action: string;
  readonly payload: string;
  readonly timestamp: number;
  readonly timeoutMs: number;
}

function buildSignedRequest(parts: SignedRequestParts): HttpRequest {
  const { options, endpoint, action, payload, timestamp } = parts;
  // The action is signed too (as the current documentation does), so a captured body cannot be
  // replayed under another action.
  const signedHeaders = { 'Content-Type': CONTENT_TYPE, 'Host': endpoint.host, 'X-TC-Action': action };
  const { authorization } = signTc3({
    method: 'POST',
    canonicalQueryString: '',
    signedHeaders,
    payload,
    secretId: options.credentials.accessKeyId,
    secretKey: options.credentials.accessKeySecret.reveal(),
    service: TENCENTCLOUD_SERVICE,
    timestamp,
  });
  const headers: Record<string, string> = {
    ...signedHeaders,
    'X-TC-Version': TENCENTCLOUD_CVM_API_VERSION,
    'X-TC-Timestamp': String(timestamp),
    'X-TC-Region': options.region,
    'X-TC-Language': options.language ?? 'en-US',
    'Authorization': authorization,
  };
  // The STS token travels beside the signature, not inside it (both official SDKs leave it unsigned).
  if (options.credentials.securityToken) headers['X-TC-Token'] = options.credentials.securityToken.reveal();
  return { method: 'POST', url: endpoint, headers, body: payload, timeoutMs: parts.timeoutMs };
}
