import { EMULATOR_RET_CODES, UcloudFault } from './envelope';
import { expectedUcloudSignature, sameUcloudSignature, SIGNATURE_PARAMETER } from './signature';
import type { EmulatorCredential } from '../../cloud-emulator';

/**
 * Checks who signed the request, in the order the failures are documented: a missing signature (170),
 * an unknown public key (172), a missing or wrong STS token (174), then the signature itself (171).
 * UCloud's signature carries no timestamp or nonce, so there is nothing to expire and no replay window
 * to check. Returns the matching credential.
 */
export function authenticateUcloudRequest(params: Readonly<Record<string, string>>, credentials: readonly EmulatorCredential[]): EmulatorCredential {
  const signature = params[SIGNATURE_PARAMETER];
  if (!signature) throw new UcloudFault(EMULATOR_RET_CODES.missingSignature, 'Missing signature');
  const credential = credentials.find((candidate) => candidate.accessKeyId === params.PublicKey);
  if (!credential) throw new UcloudFault(EMULATOR_RET_CODES.userNotFound, 'User not exist');
  if ((params.SecurityToken ?? '') !== (credential.securityToken ?? '')) {
    throw new UcloudFault(EMULATOR_RET_CODES.tokenNotFound, 'Token not exist');
  }
  const expected = expectedUcloudSignature(params, credential.accessKeySecret);
  if (!sameUcloudSignature(expected, signature)) {
    throw new UcloudFault(EMULATOR_RET_CODES.signatureError, 'Signature VerifyAC Error');
  }
  return credential;
}
