/**
 * Alibaba Cloud ECS key pairs: environment names and endpoint (settings), ACS3/RPC signing (signer),
 * error codes and outcomes (errors), one signed call (client), the four raw key pair actions (actions), the
 * two tag actions (tag-actions), and the cloud-neutral KeyPairApi over them (key-pair-api). Exported: what
 * the factory and the tests use, nothing else.
 */
export { createKeyPair, deleteKeyPairs, describeKeyPairs, importKeyPair, tagParams } from './actions';
export { AlicloudClient, buildSignedAlicloudRequest } from './client';
export type { AlicloudConnection, AlicloudSignatureVersion } from './client';
export { alicloudApiError } from './errors';
export { ALICLOUD_MAX_DESCRIBE_PAGES, createAlicloudKeyPairApi } from './key-pair-api';
export { ALICLOUD_ENVIRONMENT, defaultAlicloudEndpoint, resolveAlicloudEndpoint } from './settings';
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
