import { TENCENTCLOUD_ENV } from './settings';
import { CodeMeaningEntry, permanentRefusal } from '../../http/cloud-api-error';

/**
 * SSM's error codes (API 2019-09-23, the official SDK's `ssm/v20190923/errors.go`) where they differ from
 * what the code means across Tencent Cloud. Above all, the `ResourceUnavailable.*` codes, which Tencent's
 * shared table waits out as "busy", are lasting states of a secret here: waiting would not help.
 */

/** A secret of that name exists in the region (pending deletion included). */
export const SSM_NAME_TAKEN_CODE = 'ResourceInUse.SecretExists';
/** A version of that id exists: a resent CreateSecret can never store a second value. */
export const SSM_VERSION_TAKEN_CODE = 'ResourceInUse.VersionIdExists';
/** The secret, or the version asked for, does not exist. */
export const SSM_NOT_FOUND_CODES: readonly string[] = ['ResourceNotFound', 'ResourceNotFound.SecretNotExist'];
export const SSM_PENDING_DELETE_CODE = 'ResourceUnavailable.ResourcePendingDeleted';
export const SSM_DISABLED_CODE = 'ResourceUnavailable.ResourceDisabled';

/** Every permission the secret steps need (CAM's action names are `ssm:<API action>`). */
export const SSM_PERMISSIONS = 'ssm:CreateSecret, ssm:DescribeSecret, ssm:GetSecretValue, ssm:DisableSecret and ssm:DeleteSecret';
const CREDENTIALS = `${TENCENTCLOUD_ENV.secretId[0]} and ${TENCENTCLOUD_ENV.secretKey[0]}`;

const NOT_FOUND: CodeMeaningEntry = {
  outcome: 'not-found',
  retryable: false,
  remedy: 'The secret (or this version of it) does not exist in this region: it was deleted outside Terraform, or the region is wrong',
};

const SSM_MEANINGS: Readonly<Record<string, CodeMeaningEntry>> = {
  [SSM_NAME_TAKEN_CODE]: {
    outcome: 'name-taken',
    retryable: false,
    remedy: 'A secret of this name already exists in the region (perhaps pending deletion): choose another name, or delete the existing secret first',
  },
  [SSM_VERSION_TAKEN_CODE]: {
    outcome: 'name-taken',
    retryable: false,
    remedy: 'The secret already holds a version of this id: nothing new was stored',
  },
  'ResourceNotFound': NOT_FOUND,
  'ResourceNotFound.SecretNotExist': NOT_FOUND,
  [SSM_PENDING_DELETE_CODE]: permanentRefusal(
    'The secret is scheduled for deletion: restore it (RestoreSecret, SSM console) or wait until its recovery window ends, then apply again',
  ),
  [SSM_DISABLED_CODE]: permanentRefusal('The secret is disabled: enable it (EnableSecret, SSM console), then apply again'),
  'ResourceUnavailable.ResourceUninitialized': permanentRefusal('The secret is not initialised yet: check it in the SSM console, then apply again'),
  'ResourceUnavailable.NotPurchased': permanentRefusal('Secrets Manager (SSM) is not activated for this account: activate it in the SSM console, then apply again'),
  'LimitExceeded': permanentRefusal('The region holds the most secrets SSM allows (1,000 by default): delete unused secrets, or ask Tencent Cloud to raise the quota'),
  'AuthFailure.SignatureExpire': permanentRefusal("Check this machine's clock (NTP): Tencent Cloud rejects requests more than 5 minutes off"),
  'UnauthorizedOperation.AccessKmsError': permanentRefusal('SSM could not use the KMS key: check that the key exists, is enabled, and that this key may use it'),
  'FailedOperation.AccessKmsError': permanentRefusal('SSM could not use the KMS key: check that the key exists, is enabled, and that this key may use it'),
};

/**
 * Families whose every member is a lasting refusal with one remedy (credentials or permissions). CAM's own
 * refusals (`UnauthorizedOperation`, `AuthFailure.UnauthorizedOperation`) are answered before this table,
 * naming the refused action (see `tencentcloudCodeMeaning`).
 */
const SSM_FAMILIES: readonly (readonly [string, CodeMeaningEntry])[] = [
  ['UnauthorizedOperation', permanentRefusal(`Grant the CAM policy for ${SSM_PERMISSIONS} to this key`)],
  ['AuthFailure', permanentRefusal(`Check ${CREDENTIALS} (and the STS token, if any), and grant the CAM policy for ${SSM_PERMISSIONS} to this key`)],
];

/** SSM's own meaning of a code, or undefined where the code means what it means across Tencent Cloud. */
export function ssmCodeMeaning(code: string): CodeMeaningEntry | undefined {
  if (Object.prototype.hasOwnProperty.call(SSM_MEANINGS, code)) return SSM_MEANINGS[code];
  return SSM_FAMILIES.find(([family]) => code === family || code.startsWith(`${family}.`))?.[1];
}
