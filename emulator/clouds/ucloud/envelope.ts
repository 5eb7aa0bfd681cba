import type { EmulatorResponse } from '../../cloud-emulator';

/** The header UCloud's gateway answers with the request id in. */
export const REQUEST_ID_HEADER = 'X-UCLOUD-REQUEST-UUID';

/** An answer in UCloud's envelope: `{"Action":"<Action>Response","RetCode":…,…}`. */
export function ucloudEnvelope(
  action: string,
  requestId: string,
  retCode: number,
  fields: Record<string, unknown> = {},
  status = 200,
): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', [REQUEST_ID_HEADER]: requestId },
    body: JSON.stringify({ Action: `${action}Response`, RetCode: retCode, ...fields }),
  };
}

/** A failed call: UCloud answers HTTP 200 with a non-zero RetCode and a Message. */
export function ucloudError(action: string, requestId: string, retCode: number, message: string, status = 200): EmulatorResponse {
  return ucloudEnvelope(action, requestId, retCode, { Message: message }, status);
}

/** Thrown by an action to answer with a RetCode; the module turns it into the envelope. */
export class UcloudFault extends Error {
  constructor(
    public readonly retCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'UcloudFault';
  }
}
