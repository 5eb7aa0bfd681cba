import { UcloudFault } from './envelope';
import { flattenJsonParameters } from './json-parameters';
import { EMULATOR_RET_CODES } from './ret-codes';
import { expectedUcloudSignature, sameUcloudSignature, SIGNATURE_PARAMETER } from './signature';
import type { EmulatorCredential, EmulatorRequest } from '../../cloud-emulator';

/**
 * The parameters of a request as UCloud's gateway reads them: the query string (GET), merged with a form
 * or JSON body (POST). JSON bodies may be nested; they are flattened as UCloud's signature page says.
 */
export function readUcloudParams(request: EmulatorRequest): Record<string, string> {
  const params: Record<string, string> = Object.fromEntries(request.url.searchParams);
  if (request.method !== 'POST' || request.body === '') return params;
  const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
  if (contentType.includes('json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(request.body);
    } catch {
      return params;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return params;
    return { ...params, ...flattenJsonParameters(parsed as Record<string, unknown>) };
  }
  return { ...params, ...Object.fromEntries(new URLSearchParams(request.body)) };
}

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

/** UCloud's wording for a parameter it refuses: `Params [Name] not valid` (RetCode 230). */
export function invalidParam(name: string, why?: string): UcloudFault {
  return new UcloudFault(EMULATOR_RET_CODES.invalidParameter, `Params [${name}] not valid${why ? `: ${why}` : ''}`);
}

/** An optional integer parameter within bounds, or its default. */
export function integerParam(params: Readonly<Record<string, string>>, name: string, fallback: number, min: number, max: number): number {
  const text = params[name];
  if (text === undefined || text === '') return fallback;
  if (!/^-?\d+$/.test(text)) throw invalidParam(name, 'not an integer');
  const value = Number(text);
  if (value < min || value > max) throw invalidParam(name, `must be between ${min} and ${max}`);
  return value;
}

/** The values of `Name.0`, `Name.1`… in index order (UCloud numbers lists from 0). */
export function listParam(params: Readonly<Record<string, string>>, name: string): string[] {
  const pattern = new RegExp(`^${name}\\.(\\d+)$`);
  return Object.keys(params)
    .map((key) => ({ key, match: pattern.exec(key) }))
    .filter((entry): entry is { key: string; match: RegExpExecArray } => entry.match !== null)
    .sort((a, b) => Number(a.match[1]) - Number(b.match[1]))
    .map((entry) => params[entry.key]);
}
