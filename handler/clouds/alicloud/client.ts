import { HttpRequest } from '../../http/transport';
import { CloudCredentials } from '../credentials';
import {
  canonicalQueryString,
  formatAlicloudTimestamp,
  RequestParams,
  RPC_SIGNATURE_METHOD,
  RPC_SIGNATURE_VERSION,
  rpcSignature,
  rpcStringToSign,
  sha256Hex,
  signAcs3,
} from './signer';

/** The ECS API version every key pair action is called with. */
export const ECS_API_VERSION = '2014-05-26';

/** `v3` = ACS3-HMAC-SHA256 (default, current); `v2` = the legacy RPC HMAC-SHA1 scheme. */
export type AlicloudSignatureVersion = 'v3' | 'v2';

export interface SignedRequestInputs {
  readonly endpoint: URL;
  readonly action: string;
  /** The action's own parameters, already flattened (`Tag.1.Key`). */
  readonly params: RequestParams;
  readonly credentials: CloudCredentials;
  readonly signatureVersion: AlicloudSignatureVersion;
  /** Signing time and a unique nonce: fresh for every attempt, passed in so signing stays pure. */
  readonly time: Date;
  readonly nonce: string;
  readonly timeoutMs: number;
  readonly userAgent?: string;
}

const DEFAULT_USER_AGENT = 'cdktf-keypair';

/**
 * A signed `POST /?<params>` with an empty body, as the official SDK sends RPC-style actions. The STS
 * token rides in `x-acs-security-token` (V3, signed as an `x-acs-` header) or the `SecurityToken`
 * parameter (V2, signed with the other parameters).
 */
export function buildSignedAlicloudRequest(inputs: SignedRequestInputs): HttpRequest {
  return inputs.signatureVersion === 'v2' ? buildRpcRequest(inputs) : buildAcs3Request(inputs);
}

function buildAcs3Request(inputs: SignedRequestInputs): HttpRequest {
  const { credentials } = inputs;
  const body = '';
  const hashedPayload = sha256Hex(body);
  const signedHeaders: Record<string, string> = {
    'host': inputs.endpoint.host,
    'x-acs-action': inputs.action,
    'x-acs-version': ECS_API_VERSION,
    'x-acs-date': formatAlicloudTimestamp(inputs.time),
    'x-acs-signature-nonce': inputs.nonce,
    'x-acs-content-sha256': hashedPayload,
  };
  if (credentials.securityToken) {
    signedHeaders['x-acs-security-token'] = credentials.securityToken.reveal();
    signedHeaders['x-acs-accesskey-id'] = credentials.accessKeyId;
  }
  const signed = signAcs3(
    { method: 'POST', canonicalUri: '/', query: inputs.params, headers: signedHeaders, hashedPayload },
    credentials.accessKeyId,
    credentials.accessKeySecret.reveal(),
  );
  return {
    method: 'POST',
    url: urlWithQuery(inputs.endpoint, inputs.params),
    headers: {
      ...signedHeaders,
      'authorization': signed.authorization,
      'accept': 'application/json',
      'user-agent': inputs.userAgent ?? DEFAULT_USER_AGENT,
    },
    body,
    timeoutMs: inputs.timeoutMs,
  };
}

function buildRpcRequest(inputs: SignedRequestInputs): HttpRequest {
  const { credentials } = inputs;
  const params: Record<string, string> = {
    ...inputs.params,
    Action: inputs.action,
    Version: ECS_API_VERSION,
    Format: 'JSON',
    AccessKeyId: credentials.accessKeyId,
    SignatureMethod: RPC_SIGNATURE_METHOD,
    SignatureVersion: RPC_SIGNATURE_VERSION,
    SignatureNonce: inputs.nonce,
    Timestamp: formatAlicloudTimestamp(inputs.time),
  };
  if (credentials.securityToken) params.SecurityToken = credentials.securityToken.reveal();
  params.Signature = rpcSignature(credentials.accessKeySecret.reveal(), rpcStringToSign('POST', params));
  return {
    method: 'POST',
    url: urlWithQuery(inputs.endpoint, params),
    headers: { 'accept': 'application/json', 'user-agent': inputs.userAgent ?? DEFAULT_USER_AGENT },
    body: '',
    timeoutMs: inputs.timeoutMs,
  };
}

/** The query string is the canonical one, so what is sent is byte for byte what was signed. */
function urlWithQuery(endpoint: URL, params: RequestParams): URL {
  const url = new URL('/', endpoint);
  url.search = canonicalQueryString(params);
  return url;
}

/** Repeat lists as the SDK flattens them: 1-based (`Tag.1.Key`, `Tag.1.Value`, `Tag.2.Key`...). */
export function tagParams(tags: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  Object.entries(tags ?? {}).forEach(([key, value], index) => {
    params[`Tag.${index + 1}.Key`] = key;
    params[`Tag.${index + 1}.Value`] = value;
  });
  return params;
}
