import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A key pair made by the real `ssh-keygen`, as a user would make one (with a comment). */
export function sshKeygenKeyPair(type: 'rsa' | 'ecdsa' | 'ed25519', comment = 'user@laptop'): { publicKey: string; privateKey: string } {
  const directory = mkdtempSync(path.join(tmpdir(), 'ssh-keygen-'));
  try {
    const file = path.join(directory, 'key');
    execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', comment, '-f', file]);
    return { publicKey: readFileSync(`${file}.pub`, 'utf8'), privateKey: readFileSync(file, 'utf8') };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** What `ssh-keygen -l -E <hash>` prints as a key's fingerprint (`SHA256:…` or `MD5:aa:…`). */
export function sshKeygenFingerprint(publicKeyLine: string, hash: 'sha256' | 'md5'): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'ssh-keygen-'));
  try {
    const file = path.join(directory, 'key.pub');
    writeFileSync(file, publicKeyLine.endsWith('\n') ? publicKeyLine : `${publicKeyLine}\n`);
    return execFileSync('ssh-keygen', ['-l', '-E', hash, '-f', file], { encoding: 'utf8' }).split(' ')[1];
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The public key `ssh-keygen -y` derives from a private key file (type and base64, no comment). */
export function sshKeygenPublicKeyOf(privateKeyFile: string): string {
  return execFileSync('ssh-keygen', ['-y', '-f', privateKeyFile], { encoding: 'utf8' }).trim().split(' ').slice(0, 2).join(' ');
}
