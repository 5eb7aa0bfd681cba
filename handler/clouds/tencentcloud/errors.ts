import { TENCENTCLOUD_ENV, TENCENTCLOUD_SERVICE, TENCENTCLOUD_SSM_SERVICE, TENCENTCLOUD_TAG_SERVICE, type TencentcloudApi } from './settings';
import { SSM_PERMISSIONS, ssmCodeMeaning } from './ssm-errors';
import { NAME_RULES, TAG_RULES } from '../../../src/contract';
import { parseJsonObject } from '../../http/api-call';
import { CloudApiError, CodeMeaning, codeMeaningOf, CodeMeaningEntry, missingPermissionRemedy, permanentRefusal, TRANSPORT_ERROR_CODES } from '../../http/cloud-api-error';
import { HttpResponse } from '../../http/transport';

/** `code` itself or one of its dotted sub-codes (`RequestLimitExceeded.UinLimitExceeded`). */
function inFamily(code: string, family: string): boolean {
  return code === family || code.startsWith(`${family}.`);
}

/**
 * Throttling and busy answers: Tencent refused the request before acting on it, so even a create may be
 * sent again (docs/cloud-behaviour.md#throttling-and-transient-errors).
 */
const REFUSED_FAMILIES = ['RequestLimitExceeded', 'ResourceBusy', 'ResourceUnavailable'];
/**
 * Internal errors, which Tencent answers with HTTP 200 like every API error
 * (docs/cloud-behaviour.md#tencent-errors-at-http-200): the action may or may not have been carried out.
 * Retryable here; the shared call layer turns that into "outcome unknown, not sent again" for CreateKeyPair
 * and ImportKeyPair, which carry no idempotency token (docs/cloud-behaviour.md#no-idempotency-token).
 */
const INTERNAL_FAMILIES = ['InternalError', 'InternalServerError'];

const CREDENTIALS = `${TENCENTCLOUD_ENV.secretId[0]} and ${TENCENTCLOUD_ENV.secretKey[0]}`;
const NAME_RULE = NAME_RULES.tencentcloud.create;

/** Exact codes with an outcome other than `permanent`, or a remedy. */
const MEANINGS: Readonly<Record<string, CodeMeaningEntry>> = {
  // DeleteKeyPairs (docs/cloud-behaviour.md#not-found-codes). Describe by an unknown id answers an empty set instead.
  'InvalidKeyPairId.NotFound': {
    outcome: 'not-found',
    retryable: false,
    remedy: 'The key pair no longer exists; if it was deleted outside Terraform, run terraform apply again: the plan makes it again',
  },
  // DeleteKeyPairs on a pair still bound to an instance; lasts a while after the instance is deleted
  // (docs/cloud-behaviour.md#bound-key-pair-delete).
  'InvalidParameterValue.KeyPairNotSupported': {
    outcome: 'in-use',
    retryable: false,
    remedy:
      'The key pair is still bound to an instance: unbind it (DisassociateInstancesKeyPairs) or delete the instance, ' +
      'wait for Tencent Cloud to release it, then run terraform destroy again',
  },
  // DeleteKeyPairs on a pair a custom image was made with: lasts as long as the image
  // (docs/cloud-behaviour.md#tencent-image-holds-key-pair).
  'InvalidKeyPair.NotSupported': permanentRefusal(
    'A custom image was created from an instance that uses this key pair, and Tencent Cloud keeps the pair as long as ' +
      'the image exists: delete those images (CVM console, Images), then run terraform destroy again',
  ),
  'AuthFailure.SignatureFailure': permanentRefusal(`Check that ${CREDENTIALS} belong to the same API key, and that the endpoint is the CVM API`),
  'AuthFailure.InvalidAuthorization': permanentRefusal(`Check that ${CREDENTIALS} belong to the same API key, and that the endpoint is the CVM API`),
  'AuthFailure.SecretIdNotFound': permanentRefusal(`Check ${CREDENTIALS}: Tencent Cloud knows no enabled API key with this SecretId`),
  'AuthFailure.InvalidSecretId': permanentRefusal(`Check ${CREDENTIALS}: Tencent Cloud knows no enabled API key with this SecretId`),
  // docs/cloud-behaviour.md#request-clock-limits
  'AuthFailure.SignatureExpire': permanentRefusal("Check this machine's clock (NTP): Tencent Cloud rejects requests more than 5 minutes off"),
  'AuthFailure.TokenFailure': permanentRefusal(`Check ${TENCENTCLOUD_ENV.securityToken[0]}: the STS token is missing, expired, or not issued with ${TENCENTCLOUD_ENV.secretId[0]}`),
  'InvalidKeyPairName.Duplicate': {
    outcome: 'name-taken',
    retryable: false,
    remedy: 'A key pair with this name already exists: choose another name, or delete or import the existing one',
  },
  'InvalidKeyPairNameEmpty': permanentRefusal(`Tencent Cloud ${NAME_RULE.description}`),
  'InvalidKeyPairNameTooLong': permanentRefusal(`Tencent Cloud ${NAME_RULE.description}`),
  'InvalidKeyPairNameIncludeIllegalChar': permanentRefusal(`Tencent Cloud ${NAME_RULE.description}`),
  'InvalidKeyPair.LimitExceeded': permanentRefusal('The key pair quota (100 per account by default, all regions together) is reached: delete unused key pairs or ask Tencent Cloud to raise it'),
  'InvalidPublicKey.Malformed': permanentRefusal('Provide an OpenSSH RSA public key, one line: ssh-rsa AAAA... [comment]'),
  'InvalidPublicKey.Duplicate': permanentRefusal('This public key is already imported under another key pair: reuse that one or import a different key'),
  'InvalidProjectId.NotFound': permanentRefusal('Check the project id (0 is the default project)'),
};

const TAG_RULE = TAG_RULES.tencentcloud;
const TAG_RULE_TEXT = TAG_RULE ? `Tencent Cloud ${TAG_RULE.key.description}; ${TAG_RULE.value.description}` : 'Check the tags';
const TAG_LIMIT_REMEDY =
  `A key pair holds at most ${TAG_RULE?.maxTags ?? 50} tags, the ownership tag included: remove tags from the key pair's tags, ` +
  'or tags added outside Terraform from the key pair';
const TAG_CREDENTIALS_REMEDY =
  `Check that ${CREDENTIALS} belong to the same API key, and that the Tag API endpoint (${TENCENTCLOUD_ENV.tagEndpoint}, ` +
  `or tag.<${TENCENTCLOUD_ENV.domain}>) is Tencent Cloud's Tag API or a gateway that serves it`;

/**
 * The Tag API's codes for `ModifyResourceTags` (tag/v20180813 errors.go), where they differ from CVM's or
 * need their own remedy. Its `ResourceNotFound.*` codes are about tags (a tag key not attached, no such
 * tag), not the key pair: a key pair that is gone answers `InvalidParameterValue.ResourceIdInvalid`.
 */
const TAG_MEANINGS: Readonly<Record<string, CodeMeaningEntry>> = {
  'InvalidParameterValue.ResourceIdInvalid': {
    outcome: 'not-found',
    retryable: false,
    remedy: 'The key pair no longer exists in this region; if it was deleted outside Terraform, run terraform apply again: the plan makes it again',
  },
  'InvalidParameterValue.ResourceDescriptionError': permanentRefusal('The Tag API refused the resource name qcs::cvm:<region>:uin/:keypair/<key id>: check the region and the key pair id (skey-…)'),
  'InvalidParameterValue.UinInvalid': permanentRefusal('The Tag API refused the account in the resource name: check that the API key belongs to the account that owns the key pair'),
  'LimitExceeded.ResourceAttachedTags': permanentRefusal(TAG_LIMIT_REMEDY),
  'LimitExceeded.TagNumPerRequest': permanentRefusal(TAG_LIMIT_REMEDY),
  'LimitExceeded.Quota': permanentRefusal(TAG_LIMIT_REMEDY),
  'LimitExceeded.TagKey': permanentRefusal('The account holds the most tag keys Tencent Cloud allows (1,000): delete unused tag keys (Tag console) or reuse existing ones'),
  'LimitExceeded.TagValue': permanentRefusal('This tag key holds the most values Tencent Cloud allows (1,000): delete unused values (Tag console) or reuse existing ones'),
  'InvalidParameterValue.ReservedTagKey': permanentRefusal(TAG_RULE_TEXT),
  'InvalidParameter.ReservedTagKey': permanentRefusal(TAG_RULE_TEXT),
  'InvalidParameterValue.TagKeyLengthExceeded': permanentRefusal(TAG_RULE_TEXT),
  'InvalidParameterValue.TagValueLengthExceeded': permanentRefusal(TAG_RULE_TEXT),
  'InvalidParameterValue.TagKeyCharacterIllegal': permanentRefusal(TAG_RULE_TEXT),
  'InvalidParameterValue.TagValueCharacterIllegal': permanentRefusal(TAG_RULE_TEXT),
  'InvalidParameterValue.TagKeyEmpty': permanentRefusal(TAG_RULE_TEXT),
  'InvalidParameterValue.TagKeyDuplicate': permanentRefusal(TAG_RULE_TEXT),
  'InvalidParameter.Tag': permanentRefusal(TAG_RULE_TEXT),
  'InvalidParameterValue.DeleteTagsParamError': permanentRefusal('A tag key was both set and removed in one call; this is a bug in cdktf-keypair: please report it'),
  // The pair's tags are being changed by another request: nothing was done, and it passes.
  'FailedOperation.ResourceTagProcessing': { outcome: 'refused', retryable: true },
  'FailedOperation.PolicyEnforcedInvalid': permanentRefusal('An organization tag policy refuses these tags: give the key pair the tags the policy requires (Tag console, Tag Policies)'),
  'ResourceNotFound.AttachedTagKeyNotFound': permanentRefusal('A tag to remove is no longer on the key pair (removed outside Terraform): run terraform apply again, which reads the tags afresh'),
  'ResourceNotFound.TagNonExist': permanentRefusal('A tag to remove no longer exists in the account (deleted outside Terraform): run terraform apply again, which reads the tags afresh'),
  'InvalidParameter.UnsupportedService': permanentRefusal('The Tag API does not tag CVM key pairs at this endpoint: check that it is Tencent Cloud\'s Tag API'),
  'AuthFailure.SignatureFailure': permanentRefusal(TAG_CREDENTIALS_REMEDY),
  'AuthFailure.InvalidAuthorization': permanentRefusal(TAG_CREDENTIALS_REMEDY),
};

/**
 * CAM's refusals for lack of permission, both among the codes common to every Tencent API: the action was
 * not run, and only a policy change gets past it. (`UnauthorizedOperation.*` sub-codes mean more specific
 * things, such as SSM's `UnauthorizedOperation.AccessKmsError`: each API's table answers for those.)
 */
const CAM_DENIED_CODES: ReadonlySet<string> = new Set(['AuthFailure.UnauthorizedOperation', 'UnauthorizedOperation']);

const CVM_KEY_PAIR_PERMISSIONS = 'cvm:CreateKeyPair, cvm:ImportKeyPair, cvm:DescribeKeyPairs and cvm:DeleteKeyPairs';

/** Every permission each API's steps need, by service (CAM's action names are `<service>:<API action>`). */
const PERMISSIONS_BY_SERVICE: Readonly<Record<string, string>> = {
  [TENCENTCLOUD_SERVICE]: CVM_KEY_PAIR_PERMISSIONS,
  [TENCENTCLOUD_TAG_SERVICE]: `tag:ModifyResourceTags on qcs::cvm:<region>:uin/<uin>:keypair/* (besides ${CVM_KEY_PAIR_PERMISSIONS})`,
  [TENCENTCLOUD_SSM_SERVICE]: SSM_PERMISSIONS,
};

/** The remedy for a CAM refusal of `action` of `service`'s API, naming the permission when the action is known. */
function camDeniedRemedy(service: string, action: string | undefined): string {
  const all = Object.prototype.hasOwnProperty.call(PERMISSIONS_BY_SERVICE, service) ? PERMISSIONS_BY_SERVICE[service] : `the ${service} permissions`;
  return missingPermissionRemedy('CAM user or role of this API key', all, action === undefined ? undefined : { action, permission: `${service}:${action}` });
}

/** The meanings one API adds to (or changes in) the table every Tencent API shares: undefined where it does not. */
const MEANINGS_BY_SERVICE: Readonly<Record<string, (code: string) => CodeMeaningEntry | undefined>> = {
  [TENCENTCLOUD_TAG_SERVICE]: (code) => (Object.prototype.hasOwnProperty.call(TAG_MEANINGS, code) ? TAG_MEANINGS[code] : undefined),
  [TENCENTCLOUD_SSM_SERVICE]: ssmCodeMeaning,
};

/**
 * What a Tencent error code means: throttling and busy codes are `refused` (nothing done, retry), internal
 * errors `unknown` (retryable; the call layer stops create and import from being resent), the specific
 * not-found and in-use codes theirs, and everything else `permanent`. Codes are matched exactly, or by
 * their documented family: never by a prefix that would also catch unrelated codes. `service` (`cvm`, the
 * default, `tag` or `ssm`) picks the API whose own codes and remedies apply first; `action`, when given,
 * is named in the remedy of a CAM refusal as the permission to grant (`ssm:CreateSecret`).
 */
export function tencentcloudCodeMeaning(code: string, service?: string, action?: string): CodeMeaning {
  return codeMeaningOf(tableMeaning(code, service, action));
}

function tableMeaning(code: string, service: string | undefined, action: string | undefined): CodeMeaningEntry {
  if (CAM_DENIED_CODES.has(code)) return permanentRefusal(camDeniedRemedy(service ?? TENCENTCLOUD_SERVICE, action));
  const own = service !== undefined && Object.prototype.hasOwnProperty.call(MEANINGS_BY_SERVICE, service) ? MEANINGS_BY_SERVICE[service] : undefined;
  const specific = own?.(code);
  if (specific) return specific;
  const exact = Object.prototype.hasOwnProperty.call(MEANINGS, code) ? MEANINGS[code] : undefined;
  if (exact) return exact;
  if (REFUSED_FAMILIES.some((family) => inFamily(code, family))) return { outcome: 'refused', retryable: true };
  if (INTERNAL_FAMILIES.some((family) => inFamily(code, family))) return { outcome: 'unknown', retryable: true };
  return permanentRefusal();
}

/**
 * Reads the `{"Response":{…}}` envelope: returns the inner object on success, throws a CloudApiError
 * carrying Tencent's code, message, request id and outcome on `Response.Error` (Tencent answers every API
 * error with HTTP 200, internal ones included), and a gateway error for other statuses. Never echoes the body.
 */
export function readTencentcloudAnswer(action: string, response: HttpResponse, api?: TencentcloudApi): Record<string, unknown> {
  const body = parseJsonObject('tencentcloud', action, response);
  const inner = body.Response;
  const envelope = inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : undefined;
  const requestId = envelope && typeof envelope.RequestId === 'string' ? envelope.RequestId : undefined;
  const error = envelope?.Error;

  if (error !== null && typeof error === 'object' && typeof (error as Record<string, unknown>).Code === 'string') {
    const { Code: code, Message: message } = error as { Code: string; Message?: unknown };
    const meaning = tencentcloudCodeMeaning(code, api?.service, action);
    throw new CloudApiError({
      cloud: 'tencentcloud',
      action,
      code,
      message: typeof message === 'string' ? message : '(no message)',
      requestId,
      httpStatus: response.status,
      // A gateway in front of the API may still answer 5xx with an envelope: as transient as any 5xx.
      retryable: meaning.retryable || response.status >= 500,
      retryLater: meaning.retryLater,
      outcome: response.status >= 500 && meaning.outcome === 'permanent' ? 'unknown' : meaning.outcome,
      remedy: meaning.remedy,
    });
  }
  if (response.status !== 200) throw gatewayError(action, response.status, requestId, api);
  if (!envelope) throw tencentcloudMalformedAnswerError(action, 'the body has no "Response" object', undefined, api);
  return envelope;
}

/**
 * A non-200 answer without Tencent's envelope: only a gateway or proxy answers that way. A 429 or a 5xx
 * is transient (a 5xx may have reached the API: outcome unknown); other statuses mean a wrong endpoint.
 */
function gatewayError(action: string, status: number, requestId?: string, api?: TencentcloudApi): CloudApiError {
  const transient = status >= 500 || status === 429;
  return new CloudApiError({
    cloud: 'tencentcloud',
    action,
    code: 'HttpStatusCodeError',
    message: `unexpected HTTP status ${status}`,
    requestId,
    httpStatus: status,
    retryable: transient,
    retryLater: status === 429,
    outcome: status === 429 ? 'refused' : status >= 500 ? 'unknown' : 'permanent',
    remedy: transient ? undefined : `Check that the endpoint is ${api?.label ?? 'the Tencent Cloud CVM API'} and not a proxy`,
  });
}

/**
 * A 200 answer whose fields are not what the action documents. The call was answered, so the action may
 * have been carried out: the outcome is unknown, and sending it again would get the same answer.
 */
export function tencentcloudMalformedAnswerError(action: string, what: string, requestId?: string, api?: TencentcloudApi): CloudApiError {
  return new CloudApiError({
    cloud: 'tencentcloud',
    action,
    code: TRANSPORT_ERROR_CODES.malformedResponse,
    message: what,
    requestId,
    httpStatus: 200,
    retryable: false,
    outcome: 'unknown',
    remedy: `Check that the endpoint is ${api?.label ?? 'the Tencent Cloud CVM API'} (version ${api?.version ?? '2017-03-12'})`,
  });
}
