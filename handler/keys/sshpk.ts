import type * as Sshpk from 'sshpk';

/**
 * sshpk, loaded on first use. It costs ~11 ms of start-up, and most handler calls (every `read` of a key
 * pair whose public key the cloud returns in OpenSSH form, every `delete`) never need it; esbuild keeps a
 * `require` inside a function lazy in the bundle.
 */
export function sshpk(): typeof Sshpk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('sshpk') as typeof Sshpk;
}
