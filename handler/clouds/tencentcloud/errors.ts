import { TENCENTCLOUD_ENV } from './settings';
import { parseJsonObject } from '../../http/api-call';
import { CloudApiError, TRANSPORT_ERROR_CODES } from '../../http/cloud-api-error';
import { HttpResponse } from '../../http/transport';

/** Actions that change nothing, or whose repetition is harmless: an internal error may be retried. */
const IDEMPOTENT_ACTIONS = new Set(['DescribeKeyPairs', 'DeleteKeyPairs']);

/** Tencent's throttling and transient-capacity codes, matched with their dotted sub-codes. */
const TRANSIENT_CODE_FAMILIES = ['RequestLimitExceeded', 'ResourceUnavailable', 'ResourceBusy'];
const INTERNAL_ERROR_CODES = ['InternalError', 'InternalServerError'];

/**
 * Whether a Tencent error code may be retried. Throttling and busy codes always; internal errors only for
 * describe and delete, since a create that failed internally may still have created the pair (the
 * lifecycle recovers that through the name instead).
 */
export function isRetryableTencentcloudCode(code: string, action: string): boolean {
  if (TRANSIENT_CODE_FAMILIES.some((family) => code === family || code.startsWith(`${family}.`))) return true;
  return IDEMPOTENT_ACTIONS.has(action) && INTERNAL_ERROR_CODES.some((family) => code === family || code.startsWith(`${family}.`));
}

const CREDENTIAL_VARIABLES = `${TENCENTCLOUD_ENV.secretId[0]} and ${TENCENTCLOUD_ENV.secretKey[0]}`;

/** What a user can do about the codes they can act on. */
export function tencentcloudRemedy(code: string): string | undefined {
  switch (code) {
    case 'AuthFailure.SignatureFailure':
    case 'AuthFailure.InvalidAuthorization':
      return `Check that ${CREDENTIAL_VARIABLES} belong to the same API key, and that the endpoint is the CVM API`;
    case 'AuthFailure.SecretIdNotFound':
    case 'AuthFailure.InvalidSecretId':
      return `Check ${TENCENTCLOUD_ENV.secretId[0]}: the key does not exist or was disabled`;
    case 'AuthFailure.SignatureExpire':
      return "Check this machine's clock (NTP): Tencent Cloud rejects requests more than 5 minutes off";
    case 'AuthFailure.TokenFailure':
      return `Check ${TENCENTCLOUD_ENV.securityToken[0]}: the STS token is missing, expired, or not issued with ${TENCENTCLOUD_ENV.secretId[0]}`;
    case 'AuthFailure.UnauthorizedOperation':
    case 'UnauthorizedOperation':
      return 'Grant the CAM policy for cvm:CreateKeyPair, ImportKeyPair, DescribeKeyPairs and DeleteKeyPairs to this key';
    case 'InvalidKeyPairName.Duplicate':
      return 'A key pair with this name already exists: choose another name, or delete or import the existing one';
    case 'InvalidKeyPairNameEmpty':
    case 'InvalidKeyPairNameTooLong':
    case 'InvalidKeyPairNameIncludeIllegalChar':
      return 'Key pair names are 1 to 25 letters, digits and underscores';
    case 'InvalidKeyPair.LimitExceeded':
      return 'The key pair quota is reached: delete unused key pairs or ask Tencent Cloud to raise the quota';
    case 'InvalidPublicKey.Malformed':
      return 'Provide an OpenSSH RSA public key, one line: ssh-rsa AAAA... [comment]';
    case 'InvalidPublicKey.Duplicate':
      return 'This public key is already imported under another key pair: reuse that one or import a different key';
    case 'InvalidKeyPairId.NotFound':
      return 'The key pair no longer exists; if it was deleted outside Terraform, run terraform apply -replace=<address>';
    case 'InvalidProjectId.NotFound':
      return 'Check the project id (0 is the default project)';
    default:
      return undefined;
  }
}

/** Codes with which Tencent refuses a request without acting on it. */
const REFUSED_CODE_PREFIXES: readonly string[] = ['RequestLimitExceeded', 'ResourceBusy', 'ResourceUnavailable'];

/**
 * Reads the `{"Response":{…}}` envelope: returns the inner object on success, throws a CloudApiError
 * carrying Tencent's code, message and request id on `Response.Error` (Tencent answers errors with HTTP
 * 200), and a transport-level error for non-200 answers. Never echoes the body.
 */
export function readTencentcloudEnvelope(action: string, response: HttpResponse): Record<string, unknown> {
  const body = parseJsonObject('tencentcloud', action, response);
  const inner = body.Response;
  const envelope = inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : undefined;
  const requestId = envelope && typeof envelope.RequestId === 'string' ? envelope.RequestId : undefined;
  const error = envelope?.Error;

  if (error !== null && typeof error === 'object' && typeof (error as Record<string, unknown>).Code === 'string') {
    const { Code: code, Message: message } = error as Record<string, unknown>;
    throw new CloudApiError({
      cloud: 'tencentcloud',
      action,
      code: code as string,
      message: typeof message === 'string' ? message : '(no message)',
      requestId,
      httpStatus: response.status,
      retryable: response.status >= 500 || isRetryableTencentcloudCode(code as string, action),
      // Rate limits and busy/unavailable resources refuse a request before anything happens, so even a
      // create may be resent.
      notProcessed: REFUSED_CODE_PREFIXES.some((prefix) => (code as string).startsWith(prefix)),
      remedy: tencentcloudRemedy(code as string),
    });
  }
  if (response.status !== 200) {
    throw new CloudApiError({
      cloud: 'tencentcloud',
      action,
      code: 'HttpStatusCodeError',
      message: `unexpected HTTP status ${response.status}`,
      requestId,
      httpStatus: response.status,
      retryable: response.status >= 500 || response.status === 429,
    });
  }
  if (!envelope) throw malformedResponse(action, 'the body has no "Response" object', response.status);
  return envelope;
}

/** A 200 answer whose fields are not what the action documents. */
export function malformedResponse(action: string, what: string, httpStatus?: number, requestId?: string): CloudApiError {
  return new CloudApiError({
    cloud: 'tencentcloud',
    action,
    code: TRANSPORT_ERROR_CODES.malformedResponse,
    message: what,
    requestId,
    httpStatus,
    retryable: false,
    remedy: 'Check that the endpoint is the Tencent Cloud CVM API (version 2017-03-12)',
  });
}
