/** UCloud UHost (and UCloud-API clouds at other endpoints): settings, signer, errors, client, actions and the KeyPairApi. */
export * from './settings';
export * from './signer';
export * from './errors';
export * from './client';
export * from './actions';
export * from './key-pair-api';
