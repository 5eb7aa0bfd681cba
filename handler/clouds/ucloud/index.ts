/**
 * UCloud UHost (and UCloud-API clouds at other endpoints): settings, signer, errors, client, actions and the
 * KeyPairApi. Exported: what the factory and the tests use, nothing else.
 */
export { UCLOUD_MAX_PAGES } from './actions';
export { isDocumentedUcloudRetCode, UCLOUD_RET_CODES } from './errors';
export { createUcloudKeyPairApi, UCLOUD_TAGS_NOT_SUPPORTED_CODE } from './key-pair-api';
export { UCLOUD_ENVIRONMENT } from './settings';
export { signedUcloudParams, signUcloudParams } from './signer';
export type { UcloudParamValue } from './signer';
