/**
 * Alibaba Cloud ECS key pairs: environment names and endpoints (settings), ACS3/RPC signing (signer),
 * error codes and outcomes (errors), one signed call (client), the four raw key pair actions (actions), the
 * two tag actions (tag-actions), and the cloud-neutral KeyPairApi over them (key-pair-api). KMS Secrets
 * Manager: its codes (kms-errors), four raw secret actions (kms-actions) and the SecretStoreApi over them
 * (kms-secret-store-api). Exported: what
 * the factory and the tests use, nothing else.
 */
export { createKeyPair, deleteKeyPairs, describeKeyPairs, importKeyPair, tagParams } from './actions';
export { ALICLOUD_ECS_API, ALICLOUD_KMS_API, AlicloudClient, buildSignedAlicloudRequest } from './client';
export type { AlicloudApi, AlicloudConnection, AlicloudSignatureVersion } from './client';
export { alicloudApiError } from './errors';
export { ALICLOUD_MAX_DESCRIBE_PAGES, createAlicloudKeyPairApi } from './key-pair-api';
export { createSecret, deleteSecret, describeSecret, getSecretValue } from './kms-actions';
export { alicloudKmsCodeMeaning } from './kms-errors';
export { createAlicloudKmsSecretStoreApi } from './kms-secret-store-api';
export {
  ALICLOUD_ENVIRONMENT,
  ALICLOUD_KMS_ENDPOINT_ENV,
  alicloudServiceEndpoint,
  defaultAlicloudEndpoint,
  defaultAlicloudKmsEndpoint,
  resolveAlicloudEndpoint,
  resolveAlicloudKmsEndpoint,
} from './settings';
export {
  acs3CanonicalRequest,
  canonicalQueryString,
  formatAlicloudTimestamp,
  parseAcs3Authorization,
  percentEncode,
  rpcCanonicalizedQueryString,
  rpcSignature,
  rpcStringToSign,
  sha256Hex,
  signAcs3,
} from './signer';
export { ALICLOUD_MAX_TAGS_PER_CALL, tagResources, untagResources } from './tag-actions';
