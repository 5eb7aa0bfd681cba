import type * as Sshpk from 'sshpk';

/**
 * sshpk, loaded on first use. node:crypto does the common work (fingerprints, PEM private keys), so only
 * OpenSSH's own private key format, the Ed25519 conversion and public key checks need it. In the bundle
 * this `require` compiles sshpk's chunk (handler/bundle/): no other command parses its code.
 */
export function sshpk(): typeof Sshpk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('sshpk') as typeof Sshpk;
}
