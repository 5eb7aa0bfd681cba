import { createHash } from 'node:crypto';

export interface OpenSshFingerprints {
  /** `SHA256:<base64 without padding>`, as `ssh-keygen -l` prints it. */
  readonly sha256: string;
  /** `MD5:aa:bb:…`, as `ssh-keygen -l -E md5` prints it. */
  readonly md5: string;
}

/**
 * OpenSSH fingerprints of a public key line, from its base64 blob alone: no key parsing, so `read` (run on
 * every plan) computes them without loading sshpk. Undefined when the line has no decodable blob.
 */
export function openSshFingerprints(publicKeyLine: string): OpenSshFingerprints | undefined {
  const blobText = publicKeyLine.trim().split(/\s+/)[1];
  if (!blobText || !/^[A-Za-z0-9+/]+={0,2}$/.test(blobText)) return undefined;
  const blob = Buffer.from(blobText, 'base64');
  if (blob.length < 8) return undefined;
  const sha256 = createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  const md5 = createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
  return { sha256: `SHA256:${sha256}`, md5: `MD5:${md5}` };
}
