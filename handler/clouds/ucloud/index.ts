/** UCloud UHost: credentials, endpoint, signer and the four key pair actions. */
export * from './environment';
export * from './signer';
export * from './errors';
export * from './client';
export * from './key-pairs';
