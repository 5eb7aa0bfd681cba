import { ALICLOUD_ACCESS_KEY_ENV, ALICLOUD_SECRET_KEY_ENV, ALICLOUD_SECURITY_TOKEN_ENV } from './credentials';
import { percentEncode } from './signer';
import { CloudApiError } from '../../http/cloud-api-error';
import { HttpResponse } from '../../http/transport';

/** Codes that mean "the key pair is not there" (DescribeKeyPairs, DeleteKeyPairs, Attach/Detach). */
export const ALICLOUD_NOT_FOUND_CODES: readonly string[] = ['InvalidKeyPair.NotFound', 'InvalidKeyPairName.NotFound'];

/** The error envelope: `{"RequestId","HostId","Code","Message"}` with a 4xx/5xx status. */
export interface AlicloudErrorEnvelope {
  readonly code: string;
  readonly message: string;
  readonly requestId?: string;
}

/**
 * Throttling (any code containing `Throttling`: `Throttling`, `Throttling.User`, `Rejected.Throttling`...),
 * `ServiceUnavailable` and server-side failures are worth another attempt; client errors never are.
 */
export function isRetryableAlicloudError(code: string, httpStatus: number): boolean {
  if (code.includes('Throttling')) return true;
  if (code === 'ServiceUnavailable' || code.startsWith('InternalError')) return true;
  return httpStatus >= 500;
}

const CREDENTIAL_REMEDY =
  `Check the AccessKey in ${ALICLOUD_ACCESS_KEY_ENV[0]} / ${ALICLOUD_SECRET_KEY_ENV[0]} ` +
  `(or ${ALICLOUD_ACCESS_KEY_ENV[1]} / ${ALICLOUD_SECRET_KEY_ENV[1]}), the STS token in ${ALICLOUD_SECURITY_TOKEN_ENV[0]} ` +
  'when you use one, and that this machine\'s clock is right (requests are valid for 15 minutes)';

const REMEDIES: ReadonlyArray<readonly [(code: string) => boolean, string]> = [
  [
    (code) =>
      code === 'SignatureDoesNotMatch' || code === 'IncompleteSignature' || code === 'SignatureNonceUsed' ||
      code.startsWith('InvalidAccessKeyId') || code.startsWith('InvalidSecurityToken') ||
      code === 'InvalidTimeStamp.Expired' || code === 'IllegalTimestamp' || code === 'InvalidTimeStamp.Format',
    CREDENTIAL_REMEDY,
  ],
  [
    (code) => code.startsWith('Forbidden') || code === 'NoPermission',
    'Grant the RAM user or role ecs:CreateKeyPair, ecs:ImportKeyPair, ecs:DescribeKeyPairs and ecs:DeleteKeyPairs',
  ],
  [
    (code) => code === 'KeyPair.AlreadyExist',
    'Key pair names are unique per region: choose another name, or delete the existing key pair first',
  ],
  [
    (code) => code === 'QuotaExceed.KeyPair',
    'The region holds the maximum number of key pairs (500): delete unused key pairs or use another region',
  ],
  [
    (code) => code === 'InvalidPublicKeyBody.Malformed',
    'Pass one OpenSSH public key line (ssh-rsa, ssh-dss or ecdsa-sha2-*): `<type> <base64> [comment]`',
  ],
  [
    (code) => code === 'InvalidKeyPairName.Malformed',
    'Use 2-128 characters starting with a letter; letters, digits, ":", "_" and "-" (imports also allow "."), not starting with http:// or https://',
  ],
  [
    (code) => ALICLOUD_NOT_FOUND_CODES.includes(code),
    'The key pair does not exist in this region: it was deleted outside Terraform, or the region is wrong',
  ],
  [
    (code) => code === 'InvalidRegionId.NotFound',
    'Check the region id (for example cn-hangzhou) and that the endpoint serves it',
  ],
  [
    (code) => code === 'InvalidParameter.KeypairAlreadyAttachedInstance',
    'Detach the key pair from its instances (DetachKeyPair) before deleting it',
  ],
  [
    (code) => code.includes('Throttling'),
    'The account is being throttled: retry later, or run fewer operations in parallel',
  ],
];

export function alicloudRemedy(code: string): string | undefined {
  return REMEDIES.find(([matches]) => matches(code))?.[1];
}

/**
 * Reads the error envelope without ever echoing the body. Gateways answer a bad signature with the
 * string they signed ("server string to sign is: …"), which for the V2 scheme contains the STS token:
 * everything from there on is dropped, and any credential value that still appears is masked.
 */
export function readAlicloudErrorEnvelope(body: Record<string, unknown>, secrets: readonly string[]): AlicloudErrorEnvelope | undefined {
  const code = typeof body.Code === 'string' ? body.Code : undefined;
  if (!code) return undefined;
  const rawMessage = typeof body.Message === 'string' ? body.Message : '';
  return {
    code,
    message: redact(stripStringToSign(rawMessage), secrets) || '(no message)',
    requestId: typeof body.RequestId === 'string' ? body.RequestId : undefined,
  };
}

/** Builds the CloudApiError for a non-2xx answer whose body is a JSON object. */
export function alicloudApiError(
  action: string,
  response: HttpResponse,
  body: Record<string, unknown>,
  secrets: readonly string[],
): CloudApiError {
  const envelope = readAlicloudErrorEnvelope(body, secrets) ?? {
    code: `HTTP${response.status}`,
    message: 'the error answer carried no Code',
    requestId: typeof body.RequestId === 'string' ? body.RequestId : undefined,
  };
  return new CloudApiError({
    cloud: 'alicloud',
    action,
    code: envelope.code,
    message: envelope.message,
    requestId: envelope.requestId,
    httpStatus: response.status,
    retryable: isRetryableAlicloudError(envelope.code, response.status),
    // A throttled request was refused before anything happened, so even a create may be resent.
    notProcessed: envelope.code.includes('Throttling'),
    remedy: alicloudRemedy(envelope.code),
  });
}

function stripStringToSign(message: string): string {
  const marker = message.search(/(server\s+)?string\s*to\s*sign/i);
  if (marker < 0) return message.trim();
  return message.slice(0, marker).trim().replace(/[\s:,.]+$/, '');
}

function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of [secret, percentEncode(secret)]) result = result.split(form).join('[redacted]');
  }
  return result;
}
