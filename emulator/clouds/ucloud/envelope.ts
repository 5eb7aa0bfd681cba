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

/**
 * The RetCodes UCloud documents that the emulator answers with, read for the emulator from UCloud's own
 * pages (the common codes of `summary/public.md`, UHost's quota code of `uhost-api/error_code.md`), not
 * taken from the handler: if the client's list were wrong, a copy of it here would be wrong the same way.
 */
export const UCLOUD_DOCUMENTED_RET_CODES = {
  /** 150: 服务目前不可用 (the service is unavailable for now). */
  serviceUnavailable: 150,
  /** 153: API 请求被限流 (throttled). */
  throttled: 153,
  /** 160: 缺少关键参数 Action. */
  missingAction: 160,
  /** 161: Action 不存在. */
  actionNotFound: 161,
  /** 170: 缺少签名. */
  missingSignature: 170,
  /** 171: 签名错误. */
  signatureError: 171,
  /** 172: 用户不存在 (no such API public key). */
  userNotFound: 172,
  /** 174: Token 不存在 (missing or unknown STS token). */
  tokenNotFound: 174,
  /** 299: IAM 权限校验失败 (the IAM permission check failed): the `denied` fault's answer. */
  iamDenied: 299,
  /** 8095: 创建失败，配额不足 (creation failed, quota insufficient). */
  quotaExceeded: 8095,
} as const;

/**
 * Every RetCode this emulator answers. UCloud documents no key pair codes (docs/cloud-behaviour.md#ucloud-documents-no-key-pair-codes), so
 * beside the documented ones above the rest are **the emulator's own choice**, in UHost's 8xxx range: a
 * real UCloud answers something else, or nothing at all (a duplicate name may even be accepted). The
 * handler never reads them, which is exactly what they are here to prove.
 */
export const EMULATOR_RET_CODES = {
  ...UCLOUD_DOCUMENTED_RET_CODES,
  /** Emulator's choice: a parameter it refuses ("Params [X] not valid"; undocumented). */
  invalidParameter: 230,
  /** Emulator's choice: a name already used in the region and project (unless duplicate names are allowed). */
  keyPairNameDuplicate: 8510,
  /** Emulator's choice: a public key that is not one OpenSSH line. */
  publicKeyMalformed: 8511,
  /** Emulator's choice: a public key of a type UCloud does not import (anything but ssh-rsa: docs/cloud-behaviour.md#importable-key-types). */
  publicKeyTypeUnsupported: 8512,
  /** Emulator's choice: a key pair id that does not exist. */
  keyPairNotFound: 8513,
  /** Emulator's choice, only with `refuseBoundDeletes`: a key pair still used by an instance. */
  keyPairInUse: 8514,
} as const;
