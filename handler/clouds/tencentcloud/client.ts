import { readTencentcloudAnswer } from './errors';
import { checkTencentcloudEndpoint, TENCENTCLOUD_CVM_API, TENCENTCLOUD_SERVICE, tencentcloudServiceEndpoint, type TencentcloudApi } from './settings';
import { signTc3 } from './signer';
import { callCloudApi, fromCallSettings } from '../../http/api-call';
import { withApiLabel } from '../../http/cloud-api-error';
import { SYSTEM_CLOCK } from '../../http/retry';
import { HttpRequest } from '../../http/transport';
import type { CloudConnection } from '../cloud-connection';
import { SecretValue, secretsOf } from '../credentials';

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
