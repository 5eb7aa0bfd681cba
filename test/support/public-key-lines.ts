/** An OpenSSH public key line (`<type> <base64> [comment]`) without its comment: what two lines of one key share. */
export function withoutComment(publicKeyLine: string): string {
  return publicKeyLine.trim().split(/\s+/).slice(0, 2).join(' ');
}
