/** Alibaba Cloud ECS key pairs: credentials, endpoint, signer and the four key pair actions. */
export * from './credentials';
export * from './endpoint';
export * from './errors';
export * from './key-pairs';
export * from './request';
export * from './signer';
