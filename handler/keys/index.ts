/** Key material on the deploying machine: parsing, OpenSSH fingerprints, private keys. sshpk loads lazily. */
export * from './fingerprints';
export * from './private-key';
export * from './public-key';
