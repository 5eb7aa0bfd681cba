/**
 * go-plugin's handshake as Terraform runs it: the cookie that proves Terraform started the plugin, and
 * the one line the plugin prints on stdout to say where and how it serves.
 */
export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
export const CORE_PROTOCOL_VERSION = 1;
export const APP_PROTOCOL_VERSION = 5;

/**
 * `1|5|unix|<socket>|grpc|<certificate>`. Terraform pins the certificate from this line; go-plugin
 * wants it as unpadded standard base64 of the DER, and an empty field means plaintext.
 */
export function handshakeLine(socketPath: string, certificateDer: Buffer | undefined): string {
  const certificateField = certificateDer ? certificateDer.toString('base64').replace(/=+$/, '') : '';
  return `${CORE_PROTOCOL_VERSION}|${APP_PROTOCOL_VERSION}|unix|${socketPath}|grpc|${certificateField}\n`;
}
