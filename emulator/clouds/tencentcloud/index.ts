import { TENCENTCLOUD_ACTIONS } from './actions';
import { authenticateTencentcloudRequest, header } from './authentication';
import { tencentcloudError, TencentcloudFault, tencentcloudSuccess } from './envelope';
import { TENCENTCLOUD_CVM_API_VERSION } from '../../../handler/clouds/tencentcloud';
import type { CloudEmulator, EmulatorContext, EmulatorRequest, EmulatorResponse } from '../../cloud-emulator';

/**
 * Tencent Cloud CVM's key pair API (version 2017-03-12): a signed JSON POST to `/` with the action,
 * version, timestamp and region in `X-TC-*` headers, answered with HTTP 200 and the `{"Response":…}`
 * envelope for successes and API errors alike, internal errors included. Key pairs are scoped by region;
 * the key pair quota is the account's (all regions together). A key pair bound (inspection API, `bindKeyPair`)
 * to an id starting with `img-` is held by a custom image: its delete answers `InvalidKeyPair.NotSupported`
 * rather than the in-use code of a pair bound to an instance.
 */
export const tencentcloudEmulator: CloudEmulator = {
  cloud: 'tencentcloud',

  actionOf(request: EmulatorRequest): string | undefined {
    return header(request, 'x-tc-action') || undefined;
  },

  handle(request: EmulatorRequest, context: EmulatorContext): EmulatorResponse {
    const requestId = context.randomUuid();
    try {
      return tencentcloudSuccess(requestId, run(request, context));
    } catch (err) {
      if (!(err instanceof TencentcloudFault)) throw err;
      return tencentcloudError(requestId, err.code, err.message);
    }
  },

  throttledResponse(_action: string, requestId: string): EmulatorResponse {
    return tencentcloudError(
      tencentcloudRequestId(requestId),
      'RequestLimitExceeded',
      'Your current request times exceed the frequency limit of this API (10 per second). Please reduce the frequency of calls.',
    );
  },

  /**
   * Tencent answers every API error with HTTP 200 in its envelope, internal ones included (real-behaviour.md
   * C5); only gateways in front of it answer 5xx.
   */
  serverErrorResponse(_action: string, requestId: string): EmulatorResponse {
    return tencentcloudError(tencentcloudRequestId(requestId), 'InternalError', 'An internal error has occurred. Retry your request.');
  },
};

/** Tencent's request ids are lower-case UUIDs; the shared server makes upper-case ones. */
function tencentcloudRequestId(requestId: string): string {
  return requestId.toLowerCase();
}

function run(request: EmulatorRequest, context: EmulatorContext): Record<string, unknown> {
  // This emulator speaks the JSON form of API 3.0 only (Tencent also accepts GET and form posts).
  const contentType = header(request, 'content-type') ?? '';
  if (request.method !== 'POST' || request.url.pathname !== '/' || !contentType.toLowerCase().startsWith('application/json')) {
    throw new TencentcloudFault('UnsupportedOperation', 'The emulator serves POST / with Content-Type: application/json only.');
  }
  authenticateTencentcloudRequest(request, context);

  const version = header(request, 'x-tc-version');
  if (version === undefined) throw new TencentcloudFault('MissingParameter', 'The request is missing a required parameter `Version`.');
  if (version !== TENCENTCLOUD_CVM_API_VERSION) {
    throw new TencentcloudFault('NoSuchVersion', `The requested version \`${version}\` of API module \`cvm\` does not exist.`);
  }
  const action = header(request, 'x-tc-action');
  if (action === undefined) throw new TencentcloudFault('MissingParameter', 'The request is missing a required parameter `Action`.');
  const perform = Object.prototype.hasOwnProperty.call(TENCENTCLOUD_ACTIONS, action) ? TENCENTCLOUD_ACTIONS[action] : undefined;
  if (!perform) throw new TencentcloudFault('InvalidAction', `The requested action \`${action}\` of module \`cvm\` does not exist.`);
  const region = header(request, 'x-tc-region');
  if (!region) throw new TencentcloudFault('MissingParameter', 'The request is missing a required parameter `Region`.');

  let parameters: unknown;
  try {
    parameters = JSON.parse(request.body === '' ? '{}' : request.body);
  } catch {
    throw new TencentcloudFault('InvalidParameter', 'The request body is not valid JSON.');
  }
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
    throw new TencentcloudFault('InvalidParameter', 'The request body must be a JSON object.');
  }
  return perform(parameters as Record<string, unknown>, { context, region });
}
