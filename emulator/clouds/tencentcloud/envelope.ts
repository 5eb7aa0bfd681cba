import type { EmulatorResponse } from '../../cloud-emulator';

/** Thrown by the request checks and actions to answer with one of Tencent's error codes. */
export class TencentcloudFault extends Error {
  constructor(
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TencentcloudFault';
  }
}

/** A successful answer: `{"Response":{…fields,"RequestId":…}}` with HTTP 200. */
export function tencentcloudSuccess(requestId: string, fields: Record<string, unknown>): EmulatorResponse {
  return respond(200, { ...fields, RequestId: requestId });
}

/** A failed call: Tencent answers every API error, internal ones included, with HTTP 200 and `Response.Error`. */
export function tencentcloudError(requestId: string, code: string, message: string): EmulatorResponse {
  return respond(200, { Error: { Code: code, Message: message }, RequestId: requestId });
}

function respond(status: number, response: Record<string, unknown>): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ Response: response }),
  };
}
