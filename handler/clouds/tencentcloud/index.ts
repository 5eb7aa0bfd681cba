/** Tencent Cloud CVM key pairs: TC3-HMAC-SHA256 signer, settings from the environment, and the four actions. */
export * from './signer';
export * from './settings';
export * from './errors';
export * from './client';
export * from './key-pairs';
