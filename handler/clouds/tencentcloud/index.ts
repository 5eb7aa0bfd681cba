/**
 * Tencent Cloud CVM key pairs: settings (endpoint and project resolution, read by the factory, and the APIs
 * the client talks to), the TC3-HMAC-SHA256 signer, error codes and their outcomes, the client, the raw
 * actions (CVM's key pair actions and the Tag API's ModifyResourceTags), and the KeyPairApi; SSM's codes
 * (ssm-errors), five raw secret actions (ssm-actions) and the SecretStoreApi over them
 * (ssm-secret-store-api). Exported: what the factory and the tests use, nothing else.
 */
export { TencentcloudClient } from './client';
export { tencentcloudCodeMeaning } from './errors';
export { createTencentcloudKeyPairApi, TENCENTCLOUD_MAX_PAGES } from './key-pair-api';
export {
  InvalidEndpointError,
  TENCENTCLOUD_ENV,
  TENCENTCLOUD_ENVIRONMENT,
  TENCENTCLOUD_SSM_API,
  TENCENTCLOUD_TAG_API,
  tencentcloudServiceEndpoint,
} from './settings';
export { createSecret, deleteSecret, describeSecret, disableSecret, getSecretValue, tencentcloudSecretResourceName } from './ssm-actions';
export { createTencentcloudSsmSecretStoreApi } from './ssm-secret-store-api';
export {
  buildCanonicalRequest,
  buildStringToSign,
  canonicalizeHeaders,
  credentialScopeOf,
  deriveSigningKey,
  parseTc3Authorization,
  sha256Hex,
  signaturesEqual,
  signTc3,
  utcDateOf,
} from './signer';
export { modifyResourceTags, tencentcloudKeyPairResourceName } from './tag-actions';
