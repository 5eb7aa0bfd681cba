import { CallSettings, callCloudApi, fromCallSettings } from '../../http/api-call';
import type { HttpRequest } from '../../http/transport';
import type { CloudCredentials } from '../credentials';
import { UCLOUD_DEFAULT_ENDPOINT } from './environment';
import { parseUcloudResponse } from './errors';
import { signedUcloudParams, UcloudParamValue } from './signer';

/** How to reach UCloud and as whom; the same shape for every action. */
export interface UcloudClientOptions extends CallSettings {
  /** e.g. `cn-bj2`; sent as `Region`. */
  readonly region: string;
  readonly credentials: CloudCredentials;
  /** API base URL (see `resolveUcloudEndpoint`). @default https://api.ucloud.cn */
  readonly endpoint?: string;
  /** Sent as `ProjectId` (see `resolveUcloudProjectId`). @default the account's default project */
  readonly projectId?: string;
  /** Sent as `Zone` when set; key pairs are regional, so usually unset. */
  readonly zone?: string;
}

const USER_AGENT = 'cdktf-keypair (ucloud)';

/** Actions that create something and carry no idempotency token (see `ApiCall.idempotent`). */
const NON_IDEMPOTENT_ACTIONS: ReadonlySet<string> = new Set(['CreateUHostKeyPair', 'ImportUHostKeyPairs']);

/**
 * Calls one UCloud action: POSTs the signed, form-encoded parameters to the base URL (as the Go and Python
 * SDKs do), retries what may be retried, and returns the answer's fields once RetCode is 0.
 */
export function callUcloudAction(
  options: UcloudClientOptions,
  action: string,
  actionParams: Readonly<Record<string, UcloudParamValue>>,
): Promise<Record<string, unknown>> {
  const url = new URL(options.endpoint ?? UCLOUD_DEFAULT_ENDPOINT);
  return callCloudApi({
    cloud: 'ucloud',
    action,
    idempotent: !NON_IDEMPOTENT_ACTIONS.has(action),
    ...fromCallSettings(options),
    buildRequest: (timeoutMs) => buildUcloudRequest(options, url, action, actionParams, timeoutMs),
    parseResponse: (response) => parseUcloudResponse(action, response),
  });
}

function buildUcloudRequest(
  options: UcloudClientOptions,
  url: URL,
  action: string,
  actionParams: Readonly<Record<string, UcloudParamValue>>,
  timeoutMs: number,
): HttpRequest {
  const params = signedUcloudParams({
    params: {
      ...actionParams,
      Action: action,
      Region: options.region,
      Zone: options.zone,
      ProjectId: options.projectId,
    },
    publicKey: options.credentials.accessKeyId,
    privateKey: options.credentials.accessKeySecret.reveal(),
    securityToken: options.credentials.securityToken?.reveal(),
  });
  return {
    method: 'POST',
    url,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'accept': 'application/json',
      'user-agent': USER_AGENT,
    },
    body: new URLSearchParams(params).toString(),
    timeoutMs,
  };
}
