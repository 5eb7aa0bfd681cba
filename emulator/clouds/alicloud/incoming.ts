import type { EmulatorRequest } from '../../cloud-emulator';

/** An incoming call, read but not yet trusted. */
export interface IncomingAlicloudCall {
  /** `acs3` when an ACS3 Authorization header came, `rpc` when a `Signature` parameter came. */
  readonly scheme: 'acs3' | 'rpc' | 'unsigned';
  readonly action?: string;
  /** Parameters of the URL query alone (what the ACS3 canonical query covers). */
  readonly queryParams: Readonly<Record<string, string>>;
  /** Query and form body merged: what the action reads, and what the RPC signature covers. */
  readonly params: Readonly<Record<string, string>>;
  /** Header values as strings (repeated headers joined with `,`, as the SDK does). */
  readonly headers: Readonly<Record<string, string>>;
  readonly hostId: string;
}

/**
 * Reads an RPC-style call: parameters in the query string of `POST /` (or `GET /`), or in an
 * `application/x-www-form-urlencoded` body as the legacy RPC clients send them.
 */
export function readIncomingCall(request: EmulatorRequest, defaultHostId: string): IncomingAlicloudCall {
  const queryParams = Object.fromEntries(request.url.searchParams.entries());
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const isForm = (headers['content-type'] ?? '').toLowerCase().includes('application/x-www-form-urlencoded');
  const bodyParams = isForm && request.body !== '' ? Object.fromEntries(new URLSearchParams(request.body).entries()) : {};
  const params = { ...queryParams, ...bodyParams };
  const authorization = headers.authorization;
  const scheme = authorization !== undefined ? 'acs3' : params.Signature !== undefined ? 'rpc' : 'unsigned';
  return {
    scheme,
    // ACS3 names the action in a header, RPC in a parameter.
    action: scheme === 'rpc' ? params.Action : headers['x-acs-action'] ?? params.Action,
    queryParams,
    params,
    headers,
    hostId: headers.host ?? defaultHostId,
  };
}
