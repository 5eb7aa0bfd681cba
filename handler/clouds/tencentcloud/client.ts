import { readTencentcloudAnswer } from './errors';
import {
  checkTencentcloudEndpoint,
  TENCENTCLOUD_SERVICE,
  TENCENTCLOUD_SSM_SERVICE,
  TENCENTCLOUD_TAG_SERVICE,
  tencentcloudServiceEndpoint,
} from './settings';
import { signTc3 } from './signer';
import { callCloudApi, fromCallSettings } from '../../http/api-call';
import { withApiLabel } from '../../http/cloud-api-error';
import { SYSTEM_CLOCK } from '../../http/retry';
import { HttpRequest } from '../../http/transport';
import type { CloudConnection } from '../cloud-connection';
import { SecretValue, secretsOf } from '../credentials';

export const TENCENTCLOUD_CVM_API_VERSION = '2017-03-12';
export const TENCENTCLOUD_TAG_API_VERSION = '2018-08-13';
export const TENCENTCLOUD_SSM_API_VERSION = '2019-09-23';

/** One Tencent Cloud API a client talks to: the TC3 service name, the API version, and its name for messages. */
export interface TencentcloudApi {
  /** What its actions act on ("key pair", "secret"), for the remedy after an unknown outcome. */
  readonly resource?: string;
  /** The service in the host (`<service>.<root domain>`) and in the TC3 credential scope. */
  readonly service: string;
  /** `X-TC-Version`. */
  readonly version: string;
  /** How messages name it ("the Tencent Cloud CVM API"). */
  readonly label: string;
  /** How errors name it when it is not CVM ("Tencent Cloud SSM"). */
  readonly errorLabel?: string;
}

/** CVM, where key pairs live (the default of every client). */
export const TENCENTCLOUD_CVM_API: TencentcloudApi = {
  service: TENCENTCLOUD_SERVICE,
  version: TENCENTCLOUD_CVM_API_VERSION,
  label: 'the Tencent Cloud CVM API',
};

/** The Tag API, where a key pair's tags are changed (`ModifyResourceTags`). */
export const TENCENTCLOUD_TAG_API: TencentcloudApi = {
  service: TENCENTCLOUD_TAG_SERVICE,
  version: TENCENTCLOUD_TAG_API_VERSION,
  label: 'the Tencent Cloud Tag API',
};
/** Secrets Manager, where private keys may be kept (`ssm-actions.ts`). */
export const TENCENTCLOUD_SSM_API: TencentcloudApi = {
  service: TENCENTCLOUD_SSM_SERVICE,
  version: TENCENTCLOUD_SSM_API_VERSION,
  label: 'the Tencent Cloud SSM API',
  errorLabel: 'Tencent Cloud SSM',
  resource: 'secret',
};
const CONTENT_TYPE = 'application/json; charset=utf-8';
/** Error messages in English, whatever the account's language. */
const LANGUAGE = 'en-US';

/** Actions that create something and carry no idempotency token: never resent after an unknown outcome (see `ApiCall.idempotent`). */
const NON_IDEMPOTENT_ACTIONS: ReadonlySet<string> = new Set(['CreateKeyPair', 'ImportKeyPair', 'CreateSecret']);

/**
 * Sends one API's actions (CVM unless told otherwise) for one connection (region, endpoints, credentials,
 * retry settings).
 */
export class TencentcloudClient {
  readonly endpoint: URL;
  /** What the shared call layer cuts from every cloud message. */
  private readonly secrets: readonly SecretValue[];

  constructor(
    readonly connection: CloudConnection,
    readonly api: TencentcloudApi = TENCENTCLOUD_CVM_API,
  ) {
    // Checked here too (the factory already did): a connection built by hand may carry a path TC3 cannot sign.
    const source = api.service === TENCENTCLOUD_SERVICE ? 'the endpoint' : `the ${api.service} endpoint`;
    this.endpoint = checkTencentcloudEndpoint(tencentcloudServiceEndpoint(connection, api.service), source);
    this.secrets = secretsOf(connection.credentials);
  }

  /**
   * One action: the JSON body serialized once (the signature hashes these exact bytes), re-signed for
   * every attempt so the timestamp stays fresh, the `{"Response":…}` envelope unwrapped and `parse`d.
   * `carriedSecrets` are values among `parameters` (a secret store's value) that are cut from every error
   * message like the credentials.
   */
  call<T>(
    action: string,
    parameters: Record<string, unknown>,
    parse: (response: Record<string, unknown>) => T,
    carriedSecrets: readonly SecretValue[] = [],
  ): Promise<T> {
    const clock = this.connection.clock ?? SYSTEM_CLOCK;
    const payload = JSON.stringify(parameters);
    return withApiLabel(this.api.errorLabel, callCloudApi({
      cloud: 'tencentcloud',
      action,
      idempotent: !NON_IDEMPOTENT_ACTIONS.has(action),
      resource: this.api.resource,
      secrets: [...this.secrets, ...carriedSecrets],
      ...fromCallSettings(this.connection),
      buildRequest: (timeoutMs) => this.signedRequest(action, payload, Math.floor(clock.now() / 1000), timeoutMs),
      parseResponse: (response) => parse(readTencentcloudAnswer(action, response, this.api)),
    }));
  }

  private signedRequest(action: string, payload: string, timestamp: number, timeoutMs: number): HttpRequest {
    const { credentials, region } = this.connection;
    // The action is signed too (as the current documentation does), so a captured body cannot be
    // replayed under another action.
    const signedHeaders = { 'Content-Type': CONTENT_TYPE, 'Host': this.endpoint.host, 'X-TC-Action': action };
    const { authorization } = signTc3({
      method: 'POST',
      canonicalQueryString: '',
      signedHeaders,
      payload,
      secretId: credentials.accessKeyId,
      secretKey: credentials.accessKeySecret.reveal(),
      service: this.api.service,
      timestamp,
    });
    const headers: Record<string, string> = {
      ...signedHeaders,
      'X-TC-Version': this.api.version,
      'X-TC-Timestamp': String(timestamp),
      // The Tag API needs no region, but takes one: the official SDKs and the Terraform provider send the
      // client's region to every service, the Tag API included.
      'X-TC-Region': region,
      'X-TC-Language': LANGUAGE,
      'Authorization': authorization,
    };
    // The STS token travels beside the signature, not inside it (both official SDKs leave it unsigned).
    if (credentials.securityToken) headers['X-TC-Token'] = credentials.securityToken.reveal();
    return { method: 'POST', url: this.endpoint, headers, body: payload, timeoutMs };
  }
}
