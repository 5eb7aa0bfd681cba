import { parseJsonObject } from '../../http/api-call';
import { CloudApiError, TRANSPORT_ERROR_CODES } from '../../http/cloud-api-error';
import type { HttpResponse } from '../../http/transport';

/**
 * UCloud's RetCodes. The first group is documented as common to every API (`summary/public.md`); UCloud
 * documents no key-pair-specific codes, so the second group is the emulator's choice (in the UHost 8xxx
 * range, reusing 8095, UHost's documented "quota insufficient") and this client reads them the same way.
 */
export const UCLOUD_RET_CODES = {
  apiTimeout: 110,
  gatewayError: 130,
  serviceUnavailable: 150,
  throttled: 153,
  missingAction: 160,
  actionNotFound: 161,
  missingSignature: 170,
  signatureError: 171,
  userNotFound: 172,
  tokenNotFound: 174,
  projectNotFound: 292,
  zonePermissionDenied: 293,
  ipDenied: 294,
  iamDenied: 299,
  // Not documented by UCloud: seen in its answers as "Params [X] not valid"; used here for bad parameters.
  invalidParameter: 230,
  quotaExceeded: 8095,
  // The emulator's own choices (UCloud documents none for key pairs).
  keyPairNameDuplicate: 8510,
  publicKeyMalformed: 8511,
  publicKeyTypeUnsupported: 8512,
  keyPairNotFound: 8513,
} as const;

/**
 * RetCodes worth another attempt: the gateway's timeout and fault, "service unavailable" and throttling.
 * The SDKs do the opposite: they retry RetCode >= 2000 and none of these. We do not follow them, because
 * the codes >= 2000 UCloud documents (UHost's 8xxx) are mostly permanent answers (wrong CPU size, quota,
 * arrears, real-name verification) that a retry only delays, while 150/153 are exactly the transient ones.
 */
const RETRYABLE_RET_CODES: ReadonlySet<number> = new Set([
  UCLOUD_RET_CODES.apiTimeout,
  UCLOUD_RET_CODES.gatewayError,
  UCLOUD_RET_CODES.serviceUnavailable,
  UCLOUD_RET_CODES.throttled,
]);

/** HTTP statuses the SDKs retry; any other 5xx is a gateway fault too. */
export function isRetryableUcloudHttpStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export function isRetryableUcloudRetCode(retCode: number): boolean {
  return RETRYABLE_RET_CODES.has(retCode);
}

const CREDENTIAL_REMEDY =
  'Check UCLOUD_PUBLIC_KEY and UCLOUD_PRIVATE_KEY (and UCLOUD_SECURITY_TOKEN when using STS) in the environment that runs terraform; ' +
  'an STS token expires, so also check this machine\'s clock and fetch a fresh token';

const REMEDIES: Readonly<Record<number, string>> = {
  [UCLOUD_RET_CODES.missingSignature]: CREDENTIAL_REMEDY,
  [UCLOUD_RET_CODES.signatureError]: CREDENTIAL_REMEDY,
  [UCLOUD_RET_CODES.userNotFound]: CREDENTIAL_REMEDY,
  [UCLOUD_RET_CODES.tokenNotFound]: CREDENTIAL_REMEDY,
  [UCLOUD_RET_CODES.projectNotFound]: 'Check the projectId property or UCLOUD_PROJECT_ID (sub-accounts must name a project they belong to)',
  [UCLOUD_RET_CODES.zonePermissionDenied]: 'Check the region and zone, and that the account may use them',
  [UCLOUD_RET_CODES.ipDenied]: 'The API key only accepts calls from listed IP addresses; add this machine\'s address in the UCloud console',
  [UCLOUD_RET_CODES.iamDenied]: 'Grant the API key\'s user the UHost key pair permissions in UCloud IAM',
  [UCLOUD_RET_CODES.keyPairNameDuplicate]:
    'A key pair with this name already exists in this region and project: pick another name, or delete or import the existing one',
  [UCLOUD_RET_CODES.quotaExceeded]: 'The key pair quota is used up: delete unused key pairs or ask UCloud to raise the quota',
  [UCLOUD_RET_CODES.publicKeyMalformed]:
    'The public key must be one line in OpenSSH format (`ssh-rsa AAAA… comment`); check the file you passed',
  [UCLOUD_RET_CODES.publicKeyTypeUnsupported]: 'Use an RSA, ECDSA or Ed25519 public key',
  [UCLOUD_RET_CODES.keyPairNotFound]:
    'The key pair no longer exists (deleted outside Terraform?); run `terraform apply -replace=<address>` to create it again',
};

export function ucloudRemedy(retCode: number): string | undefined {
  return REMEDIES[retCode];
}

/** Whether an error means the key pair is not there (a delete may treat this as done). */
export function isUcloudKeyPairNotFound(err: unknown): boolean {
  return err instanceof CloudApiError && err.cloud === 'ucloud' && err.code === String(UCLOUD_RET_CODES.keyPairNotFound);
}

/** The header UCloud's gateway puts the request id in. */
export const UCLOUD_REQUEST_ID_HEADER = 'x-ucloud-request-uuid';

/** The longest cloud message we repeat: enough to act on, never a whole echoed body. */
const MAX_MESSAGE_LENGTH = 300;

/**
 * Checks UCloud's envelope (`{"Action":"<Action>Response","RetCode":0,…}`; RetCode may arrive as a numeric
 * string) and returns the body's fields, or throws a CloudApiError with the RetCode, message, request id
 * and HTTP status. Bodies are never echoed: a CreateUHostKeyPair answer carries the private key.
 */
export function parseUcloudResponse(action: string, response: HttpResponse): Record<string, unknown> {
  const body = parseJsonObject('ucloud', action, response);
  const requestId = requestIdOf(response, body);
  const retCode = parseRetCode(body.RetCode);
  const message = typeof body.Message === 'string' && body.Message !== '' ? truncate(body.Message) : undefined;

  if (retCode === undefined) {
    const failedStatus = response.status >= 400;
    throw new CloudApiError({
      cloud: 'ucloud',
      action,
      code: failedStatus ? `HTTP${response.status}` : TRANSPORT_ERROR_CODES.malformedResponse,
      message: failedStatus ? message ?? 'the gateway answered without a RetCode' : 'the answer has no numeric RetCode',
      requestId,
      httpStatus: response.status,
      retryable: isRetryableUcloudHttpStatus(response.status),
      remedy: failedStatus ? undefined : 'Check that the endpoint speaks the UCloud API',
    });
  }
  if (retCode !== 0 || response.status >= 400) {
    throw new CloudApiError({
      cloud: 'ucloud',
      action,
      code: retCode !== 0 ? String(retCode) : `HTTP${response.status}`,
      message: message ?? 'no message',
      requestId,
      httpStatus: response.status,
      retryable: isRetryableUcloudRetCode(retCode) || isRetryableUcloudHttpStatus(response.status),
      // A throttled request (153) was refused before anything happened, so even a create may be resent.
      notProcessed: retCode === UCLOUD_RET_CODES.throttled,
      remedy: ucloudRemedy(retCode),
    });
  }
  return body;
}

function parseRetCode(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function requestIdOf(response: HttpResponse, body: Record<string, unknown>): string | undefined {
  const header = response.headers[UCLOUD_REQUEST_ID_HEADER];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (fromHeader) return fromHeader;
  return typeof body.RequestUUID === 'string' && body.RequestUUID !== '' ? body.RequestUUID : undefined;
}

function truncate(text: string): string {
  return text.length <= MAX_MESSAGE_LENGTH ? text : `${text.slice(0, MAX_MESSAGE_LENGTH)}…`;
}
