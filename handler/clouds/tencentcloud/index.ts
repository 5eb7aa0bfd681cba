/**
 * Tencent Cloud CVM key pairs: settings (endpoint and project resolution, read by the factory), the
 * TC3-HMAC-SHA256 signer, error codes and their outcomes, the client, the raw actions (CVM's key pair
 * actions and the Tag API's ModifyResourceTags), and the KeyPairApi.
 */
export * from './settings';
export * from './signer';
export * from './errors';
export * from './client';
export * from './actions';
export * from './tag-actions';
export * from './key-pair-api';
