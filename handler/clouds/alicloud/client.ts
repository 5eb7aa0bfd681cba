import { randomBytes } from 'node:crypto';
import { alicloudApiError } from './errors';
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
import { callCloudApi, fromCallSettings, parseJsonObject } from '../../http/api-call';
import { SYSTEM_CLOCK } from '../../http/retry';
import { HttpRequest, HttpResponse } from '../../http/transport';
import type { CloudConnection } from '../cloud-connection';
import { CloudCredentials, secretsOf } from '../credentials';

/** The ECS API version every key pair action is called with. */
export const ECS_API_VERSION = '2014-05-26';

/** `v3` = ACS3-HMAC-SHA256 (default, current); `v2` = the legacy RPC HMAC-SHA1 scheme. */
export type AlicloudSignatureVersion = 'v3' | 'v2';

/** A resolved connection (see `factory.ts`), and how to sign for it. */
export interface AlicloudConnection extends CloudConnection {
  /** `v3` (ACS3-HMAC-SHA256, default) or `v2` (RPC HMAC-SHA1) for gateways that only speak the old scheme. */
  readonly signatureVersion?: AlicloudSignatureVersion;
}

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

/** Actions that create something and carry no idempotency token: never resent after an unknown outcome (see `ApiCall.idempotent`). */
const NON_IDEMPOTENT_ACTIONS: ReadonlySet<string> = new Set(['CreateKeyPair', 'ImportKeyPair']);

/**
 * Sends ECS actions for one connection (region, endpoint, credentials, signature version, retry settings).
 */
export class AlicloudClient {
  constructor(readonly connection: AlicloudConnection) {}

  /**
   * One action: its success body (`RequestId` next to the action's fields, no wrapper) `parse`d; an error
   * answer becomes a CloudApiError with the cloud's code, outcome and remedy. Every attempt is signed
   * afresh, so timestamps and nonces never repeat.
   */
  call<T>(action: string, params: Record<string, string>, parse: (body: Record<string, unknown>, response: HttpResponse) => T): Promise<T> {
    const connection = this.connection;
    const clock = connection.clock ?? SYSTEM_CLOCK;
    return callCloudApi({
      cloud: 'alicloud',
      action,
      idempotent: !NON_IDEMPOTENT_ACTIONS.has(action),
      secrets: secretsOf(connection.credentials),
      ...fromCallSettings(connection),
      buildRequest: (timeoutMs) =>
        buildSignedAlicloudRequest({
          endpoint: connection.endpoint,
          action,
          params,
          credentials: connection.credentials,
          signatureVersion: connection.signatureVersion ?? 'v3',
          time: new Date(clock.now()),
          nonce: randomBytes(16).toString('hex'),
          timeoutMs,
        }),
      parseResponse: (response) => {
        const body = parseJsonObject('alicloud', action, response);
        if (response.status < 200 || response.status >= 300) throw alicloudApiError(action, response, body);
        return parse(body, response);
      },
    });
  }
}

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
