import { randomBytes } from 'node:crypto';
import { alicloudCodeMeaning, readAlicloudAnswer } from './errors';
import { alicloudKmsCodeMeaning } from './kms-errors';
import { ALICLOUD_ECS_PRODUCT, ALICLOUD_KMS_PRODUCT, alicloudServiceEndpoint } from './settings';
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
import { callCloudApi, fromCallSettings } from '../../http/api-call';
import { withApiLabel, type CodeMeaning } from '../../http/cloud-api-error';
import { SYSTEM_CLOCK } from '../../http/retry';
import { HttpRequest, HttpResponse } from '../../http/transport';
import type { CloudConnection } from '../cloud-connection';
import { CloudCredentials, SecretValue, secretsOf } from '../credentials';

/** The ECS API version every key pair action is called with. */
export const ECS_API_VERSION = '2014-05-26';

/** One Alibaba Cloud product a client calls: where, which version, how it signs, and what its codes mean. */
export interface AlicloudApi {
  /** The product's key in `CloudConnection.serviceEndpoints` (`ecs`, `kms`); `ecs` is the connection's own endpoint. */
  readonly product: string;
  readonly version: string;
  /** A product with one confirmed signature scheme is always signed with it, whatever the connection says. */
  readonly signatureVersion?: AlicloudSignatureVersion;
  /**
   * The parameters travel in a form body (`POST /`, as the official RPC SDK's POST does) instead of the
   * query: for values that must never reach a URL, which proxies and gateways write to their access logs.
   */
  readonly paramsInBody?: boolean;
  /** What the product's actions act on ("key pair", "secret"), for the remedy after an unknown outcome. */
  readonly resource: string;
  /** How errors name the product when it is not ECS ("Alibaba Cloud KMS"). */
  readonly errorLabel?: string;
  /** Actions that create something and carry no idempotency token: never resent after an unknown outcome (see `ApiCall.idempotent`). */
  readonly nonIdempotentActions: ReadonlySet<string>;
  /** What one of the product's error codes means; ECS's table when absent. */
  readonly codeMeaning?: (code: string, httpStatus: number, action: string) => CodeMeaning;
}

/** ECS, where key pairs and their tags live (the default of every client). */
export const ALICLOUD_ECS_API: AlicloudApi = {
  product: ALICLOUD_ECS_PRODUCT,
  version: ECS_API_VERSION,
  resource: 'key pair',
  nonIdempotentActions: new Set(['CreateKeyPair', 'ImportKeyPair']),
  codeMeaning: alicloudCodeMeaning,
};

export const KMS_API_VERSION = '2016-01-20';

/**
 * KMS Secrets Manager, where private keys may be kept (`kms-actions.ts`). Signed with the RPC scheme
 * (HMAC-SHA1, SignatureVersion 1.0): it is the one KMS's own documentation and the official provider
 * confirm; ACS3 is likely accepted too, but unconfirmed for KMS. The parameters travel in a form body,
 * never the URL: a secret's value must not reach access logs.
 */
export const ALICLOUD_KMS_API: AlicloudApi = {
  product: ALICLOUD_KMS_PRODUCT,
  version: KMS_API_VERSION,
  signatureVersion: 'v2',
  paramsInBody: true,
  resource: 'secret',
  errorLabel: 'Alibaba Cloud KMS',
  // A resend of CreateSecret cannot store a second value (the name is taken by then), but it would answer
  // "name taken" for the secret the first attempt made: the caller describes instead.
  nonIdempotentActions: new Set(['CreateSecret']),
  codeMeaning: alicloudKmsCodeMeaning,
};

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
  /** `x-acs-version` / `Version`; ECS's when absent. */
  readonly version?: string;
  /** RPC (V2) only: the parameters in a form body rather than the query (see `AlicloudApi.paramsInBody`). */
  readonly paramsInBody?: boolean;
  /** Signing time and a unique nonce: fresh for every attempt, passed in so signing stays pure. */
  readonly time: Date;
  readonly nonce: string;
  readonly timeoutMs: number;
  readonly userAgent?: string;
}

const DEFAULT_USER_AGENT = 'cdktf-keypair';
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/**
 * Sends one product's actions (ECS unless told otherwise) for one connection (region, endpoints,
 * credentials, signature version, retry settings).
 */
export class AlicloudClient {
  readonly endpoint: URL;

  constructor(
    readonly connection: AlicloudConnection,
    readonly api: AlicloudApi = ALICLOUD_ECS_API,
  ) {
    this.endpoint = alicloudServiceEndpoint(connection, api.product);
  }

  /**
   * One action: its success body (`RequestId` next to the action's fields, no wrapper) `parse`d; an error
   * answer becomes a CloudApiError with the cloud's code, outcome and remedy. Every attempt is signed
   * afresh, so timestamps and nonces never repeat. `carriedSecrets` are values among `params` (a secret
   * store's value) that are cut from every error message like the credentials.
   */
  call<T>(
    action: string,
    params: Record<string, string>,
    parse: (body: Record<string, unknown>, response: HttpResponse) => T,
    carriedSecrets: readonly SecretValue[] = [],
  ): Promise<T> {
    const { connection, api, endpoint } = this;
    const clock = connection.clock ?? SYSTEM_CLOCK;
    return withApiLabel(api.errorLabel, callCloudApi({
      cloud: 'alicloud',
      action,
      idempotent: !api.nonIdempotentActions.has(action),
      resource: api.resource,
      secrets: [...secretsOf(connection.credentials), ...carriedSecrets],
      ...fromCallSettings(connection),
      buildRequest: (timeoutMs) =>
        buildSignedAlicloudRequest({
          endpoint,
          action,
          params,
          credentials: connection.credentials,
          signatureVersion: api.signatureVersion ?? connection.signatureVersion ?? 'v3',
          version: api.version,
          paramsInBody: api.paramsInBody,
          time: new Date(clock.now()),
          nonce: randomBytes(16).toString('hex'),
          timeoutMs,
        }),
      parseResponse: (response) => parse(readAlicloudAnswer(action, response, api.codeMeaning), response),
    }));
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
    'x-acs-version': inputs.version ?? ECS_API_VERSION,
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
    Version: inputs.version ?? ECS_API_VERSION,
    Format: 'JSON',
    AccessKeyId: credentials.accessKeyId,
    SignatureMethod: RPC_SIGNATURE_METHOD,
    SignatureVersion: RPC_SIGNATURE_VERSION,
    SignatureNonce: inputs.nonce,
    Timestamp: formatAlicloudTimestamp(inputs.time),
  };
  if (credentials.securityToken) params.SecurityToken = credentials.securityToken.reveal();
  params.Signature = rpcSignature(credentials.accessKeySecret.reveal(), rpcStringToSign('POST', params));
  if (inputs.paramsInBody) {
    return {
      method: 'POST',
      url: new URL('/', inputs.endpoint),
      headers: { 'accept': 'application/json', 'content-type': FORM_CONTENT_TYPE, 'user-agent': inputs.userAgent ?? DEFAULT_USER_AGENT },
      body: canonicalQueryString(params),
      timeoutMs: inputs.timeoutMs,
    };
  }
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
