import { createHash } from 'node:crypto';

/**
 * Whether UCloud's own fingerprint of a key pair proves it holds `publicKeyLine`. UCloud returns no public
 * key, only `KeyPairFingerPrint`, documented as md5(ProjectId|KeyPairId|PublicKey) on the key pair models
 * and as md5(ProjectIdKeyPairId|PublicKeyBody) on the import answer; the wire format (hex or colon
 * separated, the key with or without its newline) is unconfirmed. Every documented reading is tried: a match
 * is proof, no match proves nothing either way (the caller then treats ownership as unproven):
 * docs/cloud-behaviour.md#ucloud-fingerprint.
 */
export function ucloudFingerprintProvesKey(projectId: string | undefined, keyPairId: string, fingerprint: string, publicKeyLine: string): boolean {
  const given = fingerprint.replace(/:/g, '').toLowerCase();
  if (projectId === undefined || !/^[0-9a-f]{32}$/.test(given)) return false;
  const line = publicKeyLine.trim();
  const keys = [line, `${line}\n`];
  const texts = keys.flatMap((key) => [`${projectId}|${keyPairId}|${key}`, `${projectId}${keyPairId}|${key}`]);
  return texts.some((text) => createHash('md5').update(text, 'utf8').digest('hex') === given);
}
