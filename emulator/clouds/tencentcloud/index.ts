import { TENCENTCLOUD_ACTIONS } from './actions';
import { authenticateTencentcloudRequest, header } from './authentication';
import { tencentcloudError, TencentcloudFault, tencentcloudSuccess } from './envelope';
import type { Parameters } from './parameters';
import { SSM_ACTIONS, SSM_API_VERSION } from './ssm-actions';
import { TENCENTCLOUD_TAG_ACTIONS } from './tag-actions';
import { readTc3Authorization } from './tc3';
import type { CloudEmulator, EmulatorContext, EmulatorRequest, EmulatorResponse, KeyPairStore } from '../../cloud-emulator';
import { namesOfIds } from '../../journal-names';

/** One Tencent Cloud product served on the emulator's Tencent port. */
interface TencentcloudProduct {
  /** `X-TC-Version` it answers. */
  readonly version: string;
  /** Whether its actions need `X-TC-Region` (the Tag API's do not). */
  readonly regional: boolean;
  readonly actions: Readonly<Record<string, (parameters: Parameters, context: EmulatorContext, region: string) => Record<string, unknown>>>;
}

/**
 * The products served, by the service name of the TC3 credential scope. The real cloud gives each its own
 * host (`cvm.tencentcloudapi.com`, `tag.tencentcloudapi.com`); the emulator has one port per cloud, so the
 * service a request was signed for routes it, and an action asked of the wrong product is `InvalidAction`
 * there, as an unknown action is at the real product's host.
 */
const PRODUCTS: Readonly<Record<string, TencentcloudProduct>> = {
  cvm: {
    version: '2017-03-12',
    regional: true,
    actions: Object.fromEntries(
      Object.entries(TENCENTCLOUD_ACTIONS).map(([name, action]) => [
        name,
        (parameters: Parameters, context: EmulatorContext, region: string) => action(parameters, { context, region }),
      ]),
    ),
  },
  tag: {
    version: '2018-08-13',
    regional: false,
    actions: TENCENTCLOUD_TAG_ACTIONS,
  },
  ssm: {
    version: SSM_API_VERSION,
    regional: true,
    actions: SSM_ACTIONS,
  },
};
const SECRET_STORE_SERVICE = 'ssm';
const SERVICES = Object.keys(PRODUCTS);

/**
 * Tencent Cloud CVM's key pair API (version 2017-03-12), the Tag API's ModifyResourceTags (version
 * 2018-08-13) and the SSM secret store (version 2019-09-23) on one port, routed by the TC3 credential scope's service: a signed JSON POST to `/` with the
 * action, version, timestamp and region in `X-TC-*` headers, answered with HTTP 200 and the `{"Response":…}`
 * envelope for successes and API errors alike, internal errors included. Key pairs are scoped by region;
 * the key pair quota is the account's (all regions together). A key pair bound (inspection API, `bindKeyPair`)
 * to an id starting with `img-` is held by a custom image: its delete answers `InvalidKeyPair.NotSupported`
 * rather than the in-use code of a pair bound to an instance.
 */
export function createTencentcloudEmulator(): CloudEmulator {
  return {
    cloud: 'tencentcloud',
    keyPairsCarryTags: true,

    actionOf(request: EmulatorRequest): string | undefined {
      return header(request, 'x-tc-action') || undefined;
    },

    keyPairNamesOf(request: EmulatorRequest, store: KeyPairStore): string[] {
      // KeyName to create or import, a key-name filter to describe, KeyIds to describe or delete.
      let body: { KeyName?: unknown; KeyIds?: unknown; Filters?: unknown };
      try {
        body = JSON.parse(request.body || '{}');
      } catch {
        return [];
      }
      if (typeof body.KeyName === 'string') return [body.KeyName];
      const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
      const nameFilter = Array.isArray(body.Filters) ? body.Filters.find((filter) => filter?.Name === 'key-name') : undefined;
      return nameFilter ? strings(nameFilter.Values) : namesOfIds(store, strings(body.KeyIds));
    },

    secretNamesOf(request: EmulatorRequest): string[] {
      // The service the request says it was signed for (unverified, as everything the journal reads).
      if (readTc3Authorization(header(request, 'authorization') ?? '')?.service !== SECRET_STORE_SERVICE) return [];
      try {
        const body: unknown = JSON.parse(request.body || '{}');
        const name = (body as { SecretName?: unknown } | null)?.SecretName;
        return typeof name === 'string' ? [name] : [];
      } catch {
        return [];
      }
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
     * Tencent answers every API error with HTTP 200 in its envelope, internal ones included
     * (docs/cloud-behaviour.md#tencent-errors-at-http-200); only gateways in front of it answer 5xx.
     */
    serverErrorResponse(_action: string, requestId: string): EmulatorResponse {
      return tencentcloudError(tencentcloudRequestId(requestId), 'InternalError', 'An internal error has occurred. Retry your request.');
    },

    /**
     * CAM's refusal, at HTTP 200 in the envelope like every API error. Both `AuthFailure.UnauthorizedOperation`
     * and `UnauthorizedOperation` are among Tencent's documented common codes; which one a product answers
     * for a missing policy is not documented (docs/cloud-behaviour.md#permission-refusals), so
     * `AuthFailure.UnauthorizedOperation`, for CVM, Tag and SSM alike, is the emulator's choice. The message
     * names the permission as `<service>:<action>`, the service being the one the request was signed for.
     */
    deniedResponse(action: string, requestId: string, request?: EmulatorRequest): EmulatorResponse {
      const service = (request && readTc3Authorization(header(request, 'authorization') ?? '')?.service) || 'cvm';
      return tencentcloudError(
        tencentcloudRequestId(requestId),
        'AuthFailure.UnauthorizedOperation',
        `you are not authorized to perform operation (${service}:${action}); resource has no permission`,
      );
    },
  };
}

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
  const { service } = authenticateTencentcloudRequest(request, context, SERVICES);
  const product = PRODUCTS[service];

  const action = header(request, 'x-tc-action');
  if (action === undefined) throw new TencentcloudFault('MissingParameter', 'The request is missing a required parameter `Action`.');
  const perform = Object.prototype.hasOwnProperty.call(product.actions, action) ? product.actions[action] : undefined;
  if (!perform) throw new TencentcloudFault('InvalidAction', `The requested action \`${action}\` of module \`${service}\` does not exist.`);
  const version = header(request, 'x-tc-version');
  if (version === undefined) throw new TencentcloudFault('MissingParameter', 'The request is missing a required parameter `Version`.');
  if (version !== product.version) {
    throw new TencentcloudFault('NoSuchVersion', `The requested version \`${version}\` of API module \`${service}\` does not exist.`);
  }
  const region = header(request, 'x-tc-region') ?? '';
  if (product.regional && !region) throw new TencentcloudFault('MissingParameter', 'The request is missing a required parameter `Region`.');

  let parameters: unknown;
  try {
    parameters = JSON.parse(request.body === '' ? '{}' : request.body);
  } catch {
    throw new TencentcloudFault('InvalidParameter', 'The request body is not valid JSON.');
  }
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
    throw new TencentcloudFault('InvalidParameter', 'The request body must be a JSON object.');
  }
  return perform(parameters as Parameters, context, region);
}
