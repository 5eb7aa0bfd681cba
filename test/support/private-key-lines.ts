import * as sshpk from 'sshpk';

/**
 * The lines of a private key's PEM body that nothing may ever show: what the secret scans look for in state,
 * plans and logs, and what an error about a pasted key must never quote. Armour and header lines are left
 * out, and so are the lines that also occur in the base64 of its public key: a private key embeds its public
 * half (an OpenSSH key literally), and the public key is meant to be in outputs and state. A line shorter than
 * 20 characters (a body's last line may be) is too short to tell apart from chance.
 */
export function privateKeyBodyLines(pem: string): string[] {
  let publicBase64 = '';
  try {
    publicBase64 = sshpk.parsePrivateKey(pem, 'auto').toPublic().toString('ssh').split(' ')[1];
  } catch {
    // Not a key sshpk reads: every line counts.
  }
  return pem
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length >= 20 && !line.startsWith('-----') && !line.includes(':') && !publicBase64.includes(line));
}
