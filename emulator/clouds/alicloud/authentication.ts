import { timingSafeEqual } from 'node:crypto';
import { expectedAcs3Signature, isAcs3SignableHeader, readAcs3Authorization } from './acs3-signature';
import { ALICLOUD_ERRORS, AlicloudFault, missingParameter } from './envelope';
import { IncomingAlicloudCall } from './parameters';
import { expectedRpcSignature, RPC_SIGNATURE_METHOD, RPC_SIGNATURE_VERSION } from './rpc-signature';
import { unreachable } from '../../../src/contract';
import type { EmulatorContext, EmulatorCredential, EmulatorRequest } from '../../cloud-emulator';

/** ACS3: `x-acs-date` must be within 15 minutes of the server's time (V3 signature page). */
const ACS3_MAX_SKEW_MS = 15 * 60_000;
/** RPC: a `Timestamp` is valid for 31 minutes (V2 signature page). */
const RPC_MAX_SKEW_MS = 31 * 60_000;

/** Headers an ACS3 request must carry and sign. */
const ACS3_REQUIRED_SIGNED_HEADERS = ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce'];

const TIMESTAMP_FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * Verifies the caller the way the gateway does: known AccessKey, fresh timestamp, signature recomputed
 * from the parts received (by the emulator's own verifiers, never the client's signer), and the STS token
 * a credential requires. Returns the matching credential; throws an AlicloudFault with the cloud's code
 * otherwise.
 */
export function authenticateAlicloudCall(
  request: EmulatorRequest,
  call: IncomingAlicloudCall,
  context: EmulatorContext,
): EmulatorCredential {
  switch (call.scheme) {
    case 'acs3':
      return authenticateAcs3(request, call, context);
    case 'rpc':
      return authenticateRpc(request, call, context);
    case 'unsigned':
      throw new AlicloudFault(ALICLOUD_ERRORS.incompleteSignature);
    default:
      return unreachable(call.scheme, 'signature scheme');
  }
}

function authenticateAcs3(request: EmulatorRequest, call: IncomingAlicloudCall, context: EmulatorContext): EmulatorCredential {
  const authorization = readAcs3Authorization(call.headers.authorization);
  if (!authorization) throw new AlicloudFault(ALICLOUD_ERRORS.incompleteSignature);
  const signedNames = authorization.signedHeaderNames;
  // Every x-acs- header sent must be signed, so none can be swapped in transit.
  const mustBeSigned = [...ACS3_REQUIRED_SIGNED_HEADERS, ...Object.keys(call.headers).filter((name) => name.startsWith('x-acs-'))];
  for (const name of mustBeSigned) {
    if (call.headers[name] === undefined || !signedNames.includes(name)) throw new AlicloudFault(ALICLOUD_ERRORS.incompleteSignature);
  }
  if (signedNames.some((name) => !isAcs3SignableHeader(name) || call.headers[name] === undefined)) {
    throw new AlicloudFault(ALICLOUD_ERRORS.incompleteSignature);
  }

  const credential = findCredential(context, authorization.accessKeyId);
  checkTimestamp(call.headers['x-acs-date'], context, ACS3_MAX_SKEW_MS);

  const expected = expectedAcs3Signature(
    { method: request.method, path: request.url.pathname, query: call.queryParams, headers: call.headers, body: request.body },
    signedNames,
    credential.accessKeySecret,
  );
  if (!sameText(expected, authorization.signature)) throw new AlicloudFault(ALICLOUD_ERRORS.signatureMismatch);

  checkSecurityToken(credential, call.headers['x-acs-security-token']);
  return credential;
}

function authenticateRpc(request: EmulatorRequest, call: IncomingAlicloudCall, context: EmulatorContext): EmulatorCredential {
  const { params } = call;
  for (const name of ['AccessKeyId', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp']) {
    if (!params[name]) throw missingParameter(name);
  }
  if (params.SignatureMethod !== RPC_SIGNATURE_METHOD || params.SignatureVersion !== RPC_SIGNATURE_VERSION) {
    throw new AlicloudFault(ALICLOUD_ERRORS.incompleteSignature);
  }
  const credential = findCredential(context, params.AccessKeyId);
  checkTimestamp(params.Timestamp, context, RPC_MAX_SKEW_MS);

  const expected = expectedRpcSignature(request.method, params, credential.accessKeySecret);
  if (!sameText(expected, params.Signature)) throw new AlicloudFault(ALICLOUD_ERRORS.signatureMismatch);

  checkSecurityToken(credential, params.SecurityToken);
  return credential;
}

function findCredential(context: EmulatorContext, accessKeyId: string): EmulatorCredential {
  const credential = context.credentials.find((candidate) => candidate.accessKeyId === accessKeyId);
  if (!credential) throw new AlicloudFault(ALICLOUD_ERRORS.accessKeyNotFound);
  return credential;
}

function checkTimestamp(value: string | undefined, context: EmulatorContext, maxSkewMs: number): void {
  if (!value || !TIMESTAMP_FORMAT.test(value) || Number.isNaN(Date.parse(value))) {
    throw new AlicloudFault(ALICLOUD_ERRORS.timestampMalformed);
  }
  if (Math.abs(context.now().getTime() - Date.parse(value)) > maxSkewMs) {
    throw new AlicloudFault(ALICLOUD_ERRORS.timestampExpired);
  }
}

/** An STS credential needs its token; a long-term AccessKey must not come with one. */
function checkSecurityToken(credential: EmulatorCredential, presented: string | undefined): void {
  if (credential.securityToken === undefined) {
    if (presented !== undefined) throw new AlicloudFault(ALICLOUD_ERRORS.securityTokenMismatch);
    return;
  }
  if (!presented) throw new AlicloudFault(ALICLOUD_ERRORS.securityTokenMalformed);
  if (!sameText(credential.securityToken, presented)) throw new AlicloudFault(ALICLOUD_ERRORS.securityTokenMismatch);
}

function sameText(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
