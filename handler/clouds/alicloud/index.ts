/**
 * Alibaba Cloud ECS key pairs: environment names and endpoint (settings), ACS3/RPC signing (signer),
 * error codes and outcomes (errors), one signed call (client), the four raw key pair actions (actions), the
 * two tag actions (tag-actions), and the cloud-neutral KeyPairApi over them (key-pair-api).
 */
export * from './actions';
export * from './client';
export * from './errors';
export * from './key-pair-api';
export * from './settings';
export * from './signer';
export * from './tag-actions';
