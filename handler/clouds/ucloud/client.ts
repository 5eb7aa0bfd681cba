import { readUcloudAnswer, UcloudAnswer } from './errors';
import { signedUcloudParams, UcloudParamValue } from './signer';
import { callCloudApi, fromCallSettings } from '../../http/api-call';
import type { HttpRequest } from '../../http/transport';
import type { CloudConnection } from '../cloud-connection';
import { secretsOf } from '../credentials';

const USER_AGENT = 'cdktf-keypair (ucloud)';

/** Actions that create something and carry no idempotency token: never resent after an unknown outcome (see `ApiCall.idempotent`). */
const NON_IDEMPOTENT_ACTIONS: ReadonlySet<string> = new Set(['CreateUHostKeyPair', 'ImportUHostKeyPairs']);

/**
 * Sends UCloud actions for one connection (region, project, endpoint, credentials, retry settings). The
 * endpoint always comes from the connection, which the factory resolved from the construct and the
 * environment: there is no default here.
 */
export class UcloudClient {
  constructor(readonly connection: CloudConnection) {}

  /**
   * One action: POSTs the signed, form-encoded parameters to the connection's base URL (as the Go and
   * Python SDKs do), with `Region` and `ProjectId` (the connection's scope) added, retries what may be
   * retried, and `parse`s the answer once RetCode is 0.
   */
  call<T>(action: string, params: Readonly<Record<string, UcloudParamValue>>, parse: (answer: UcloudAnswer) => T): Promise<T> {
    const connection = this.connection;
    return callCloudApi({
      cloud: 'ucloud',
      action,
      idempotent: !NON_IDEMPOTENT_ACTIONS.has(action),
      // The private key is never sent, but a UCloud-API clone may echo the string it signed, which ends with it.
      secrets: secretsOf(connection.credentials),
      ...fromCallSettings(connection),
      buildRequest: (timeoutMs) => buildUcloudRequest(connection, action, params, timeoutMs),
      parseResponse: (response) => parse(readUcloudAnswer(action, response)),
    });
  }
}

/** The signed form POST for one attempt (UCloud signs no timestamp, so every attempt is the same request). */
export function buildUcloudRequest(
  connection: CloudConnection,
  action: string,
  actionParams: Readonly<Record<string, UcloudParamValue>>,
  timeoutMs: number,
): HttpRequest {
  const params = signedUcloudParams({
    params: { ...actionParams, Action: action, Region: connection.region, ProjectId: connection.scope },
    publicKey: connection.credentials.accessKeyId,
    privateKey: connection.credentials.accessKeySecret.reveal(),
    securityToken: connection.credentials.securityToken?.reveal(),
  });
  return {
    method: 'POST',
    url: connection.endpoint,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'accept': 'application/json',
      'user-agent': USER_AGENT,
    },
    body: new URLSearchParams(params).toString(),
    timeoutMs,
  };
}
