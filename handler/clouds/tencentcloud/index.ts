/**
 * Tencent Cloud CVM key pairs: settings (endpoint and project resolution, read by the factory), the
 * TC3-HMAC-SHA256 signer, error codes and their outcomes, the client, the raw actions (CVM's key pair
 * actions and the Tag API's ModifyResourceTags), and the KeyPairApi. Exported: what the factory and the
 * tests use, nothing else.
 */
export { TENCENTCLOUD_TAG_API, TencentcloudClient } from './client';
export { tencentcloudCodeMeaning } from './errors';
export { createTencentcloudKeyPairApi, TENCENTCLOUD_MAX_PAGES } from './key-pair-api';
export { InvalidEndpointError, TENCENTCLOUD_ENV, TENCENTCLOUD_ENVIRONMENT, tencentcloudServiceEndpoint } from './settings';
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
