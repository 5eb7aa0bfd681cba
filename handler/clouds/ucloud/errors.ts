import { parseJsonObject } from '../../http/api-call';
import { CloudApiError, CloudErrorOutcome, CodeMeaning, codeMeaningOf, CodeMeaningEntry, missingPermissionRemedy, permanentRefusal, TRANSPORT_ERROR_CODES } from '../../http/cloud-api-error';
import type { HttpResponse } from '../../http/transport';

/**
 * The RetCodes UCloud documents, and nothing else: the codes common to every API (`summary/public.md` of
 * UCloudDoc-Team/api) and UHost's quota code (`uhost-api/error_code.md`). UCloud documents no key pair
 * codes at all (docs/cloud-behaviour.md#ucloud-documents-no-key-pair-codes), so this client never depends
 * on one: an undocumented code on a create, import or delete is confirmed by describing (see
 * `key-pair-api.ts`).
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
  securityLockFailed: 295,
  iamDenied: 299,
  /** UHost's "创建失败，配额不足" (creation failed, quota insufficient). */
  quotaExceeded: 8095,
} as const;

/** The one UCloud action here that changes nothing. */
const READ_ACTIONS: ReadonlySet<string> = new Set(['DescribeUHostKeyPairs']);
const DELETE_ACTION = 'DeleteUHostKeyPairs';

const CREDENTIAL_REMEDY =
  'Check UCLOUD_PUBLIC_KEY and UCLOUD_PRIVATE_KEY (and UCLOUD_SECURITY_TOKEN when using STS) in the environment that runs terraform; ' +
  'an STS token expires, so also fetch a fresh one';

/**
 * What each documented code means for the key pair (docs/cloud-behaviour.md#throttling-and-transient-errors).
 * The gateway's timeout (110) and faults (130, 150)
 * are retried, and may have reached the service, so a create is not resent after them; throttling (153)
 * is refused before anything happens. The SDKs retry RetCode >= 2000 instead; we do not, because the
 * codes >= 2000 UCloud documents (UHost's 8xxx) are mostly permanent answers a retry only delays.
 */
const MEANINGS: Readonly<Record<number, CodeMeaningEntry>> = {
  [UCLOUD_RET_CODES.apiTimeout]: { outcome: 'unknown', retryable: true },
  [UCLOUD_RET_CODES.gatewayError]: { outcome: 'unknown', retryable: true },
  [UCLOUD_RET_CODES.serviceUnavailable]: { outcome: 'unknown', retryable: true },
  [UCLOUD_RET_CODES.throttled]: { outcome: 'refused', retryable: true },
  [UCLOUD_RET_CODES.missingAction]: permanentRefusal(),
  [UCLOUD_RET_CODES.actionNotFound]: permanentRefusal('The endpoint does not offer the UHost key pair actions: check that it speaks the UCloud API'),
  [UCLOUD_RET_CODES.missingSignature]: permanentRefusal(CREDENTIAL_REMEDY),
  [UCLOUD_RET_CODES.signatureError]: permanentRefusal(CREDENTIAL_REMEDY),
  [UCLOUD_RET_CODES.userNotFound]: permanentRefusal(CREDENTIAL_REMEDY),
  [UCLOUD_RET_CODES.tokenNotFound]: permanentRefusal(CREDENTIAL_REMEDY),
  [UCLOUD_RET_CODES.projectNotFound]: permanentRefusal('Check the project id (the construct\'s project id or UCLOUD_PROJECT_ID); sub-accounts must name a project they belong to'),
  [UCLOUD_RET_CODES.zonePermissionDenied]: permanentRefusal('Check the region, and that the account may use it'),
  [UCLOUD_RET_CODES.ipDenied]: permanentRefusal('The API key only accepts calls from listed IP addresses; add this machine\'s address in the UCloud console'),
  [UCLOUD_RET_CODES.securityLockFailed]: permanentRefusal('The account\'s security lock (API operation protection) refused the call; turn it off for this API key or confirm the operation in the console'),
  // Its remedy names the refused action: see ucloudCodeMeaning.
  [UCLOUD_RET_CODES.iamDenied]: permanentRefusal(),
  [UCLOUD_RET_CODES.quotaExceeded]: permanentRefusal('The quota is used up: delete unused key pairs or ask UCloud to raise the quota'),
};

/** Whether `code` (a CloudApiError code) is a RetCode UCloud documents; anything else means what it says only in prose. */
export function isDocumentedUcloudRetCode(code: string): boolean {
  return /^\d+$/.test(code) && MEANINGS[Number(code)] !== undefined;
}

/**
 * What an answer we cannot read by its code means. It is still a final answer: UCloud did not carry out a
 * describe, create or import it refused, so those are `permanent` (a create or import is then described by
 * name to say more). A delete refused in an unknown code may mean "no such key pair", or "still in use",
 * or anything: `unknown` until a describe settles it.
 */
function undocumented(action: string, retryable: boolean): CodeMeaningEntry {
  if (action !== DELETE_ACTION) return { outcome: 'permanent', retryable };
  return {
    outcome: 'unknown',
    retryable,
    remedy: 'UCloud documents no error codes for key pairs, so this answer does not say whether the key pair is gone: describe it before retrying',
  };
}

/**
 * What a UCloud RetCode, answered to `action`, means: the documented codes by the table above, every other
 * code as `undocumented` says.
 */
export function ucloudCodeMeaning(retCode: number, action: string): CodeMeaning {
  if (retCode === UCLOUD_RET_CODES.iamDenied) return codeMeaningOf(permanentRefusal(iamDeniedRemedy(action)));
  return codeMeaningOf(MEANINGS[retCode] ?? undocumented(action, false));
}

const UHOST_KEY_PAIR_PERMISSIONS = 'uhost:CreateUHostKeyPair, uhost:ImportUHostKeyPairs, uhost:DescribeUHostKeyPairs and uhost:DeleteUHostKeyPairs';

/**
 * RetCode 299, "IAM permission check failed": the API key's user may not call `action`. UCloud IAM names
 * permissions `<product>:<API action>` in its policies (`uhost:CreateUHostKeyPair`); the references of this
 * project do not confirm that form for the key pair actions, which is why the remedy names the API action too.
 */
function iamDeniedRemedy(action: string): string {
  return missingPermissionRemedy('UCloud IAM user of the API key', UHOST_KEY_PAIR_PERMISSIONS, { action, permission: `uhost:${action}` });
}

/** HTTP statuses that mean "try again": throttling, and gateway faults. */
function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** The header UCloud's gateway puts the request id in. */
export const UCLOUD_REQUEST_ID_HEADER = 'x-ucloud-request-uuid';

/** A successful answer: its fields, and the request id to quote to UCloud's support. */
export interface UcloudAnswer {
  readonly fields: Record<string, unknown>;
  readonly requestId?: string;
}

/**
 * Checks UCloud's envelope (`{"Action":"<Action>Response","RetCode":0,…}`; RetCode may arrive as a numeric
 * string: docs/cloud-behaviour.md#ucloud-retcode-may-be-a-string) and returns the answer, or throws a
 * CloudApiError with the RetCode, message, request id, HTTP status and outcome. Bodies are never echoed: a CreateUHostKeyPair answer carries the private key. The
 * message is kept whole: the shared call layer redacts secrets from it, and a cut could leave part of one.
 */
export function readUcloudAnswer(action: string, response: HttpResponse): UcloudAnswer {
  const body = parseJsonObject('ucloud', action, response);
  const requestId = requestIdOf(response, body);
  const retCode = parseRetCode(body.RetCode);
  const message = typeof body.Message === 'string' && body.Message !== '' ? body.Message : undefined;
  const failedStatus = response.status >= 400;

  if (retCode === undefined && !failedStatus) {
    throw new CloudApiError({
      cloud: 'ucloud',
      action,
      code: TRANSPORT_ERROR_CODES.malformedResponse,
      message: 'the answer has no numeric RetCode',
      requestId,
      httpStatus: response.status,
      retryable: false,
      // A 2xx we cannot read may be a success: only a describe can tell.
      outcome: READ_ACTIONS.has(action) ? 'permanent' : 'unknown',
      remedy: 'Check that the endpoint speaks the UCloud API',
    });
  }
  if (retCode !== undefined && retCode !== 0) {
    const meaning = ucloudCodeMeaning(retCode, action);
    throw new CloudApiError({
      cloud: 'ucloud',
      action,
      code: String(retCode),
      message: message ?? 'no message',
      requestId,
      httpStatus: response.status,
      retryable: meaning.retryable || isRetryableStatus(response.status),
      retryLater: meaning.retryLater,
      outcome: meaning.outcome === 'permanent' && isRetryableStatus(response.status) ? 'unknown' : meaning.outcome,
      remedy: meaning.remedy,
    });
  }
  if (failedStatus) {
    // A gateway status without a RetCode: throttling and 5xx are transient; a bare 404 or 403 never means "gone".
    const meaning: CodeMeaning = codeMeaningOf(
      response.status === 429
        ? { outcome: 'refused', retryable: true }
        : response.status >= 500
          ? { outcome: 'unknown', retryable: true }
          : undocumented(action, false),
    );
    throw new CloudApiError({
      cloud: 'ucloud',
      action,
      code: `HTTP${response.status}`,
      message: message ?? 'the gateway answered without a RetCode',
      requestId,
      httpStatus: response.status,
      retryable: meaning.retryable,
      retryLater: meaning.retryLater,
      outcome: meaning.outcome,
      remedy: meaning.remedy,
    });
  }
  return { fields: body, requestId };
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

/** A successful answer this client cannot use as it is: `outcome` says whether the cloud may have acted. */
export function ucloudMalformedAnswerError(
  action: string,
  what: string,
  outcome: CloudErrorOutcome,
  requestId?: string,
  remedy?: string,
): CloudApiError {
  return new CloudApiError({
    cloud: 'ucloud',
    action,
    code: TRANSPORT_ERROR_CODES.malformedResponse,
    message: what,
    requestId,
    retryable: false,
    outcome,
    remedy: remedy ?? 'Check that the endpoint speaks the UCloud API',
  });
}
