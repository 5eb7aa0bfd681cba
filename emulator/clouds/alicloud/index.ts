import { ALICLOUD_KEY_PAIR_ACTIONS, AlicloudAction } from './actions';
import { authenticateAlicloudCall } from './authentication';
import { ALICLOUD_ERRORS, AlicloudErrorSpec, AlicloudFault, alicloudError, alicloudRequestId, DEFAULT_HOST_ID } from './envelope';
import { KMS_ACTIONS, KMS_API_VERSION } from './kms-actions';
import { KMS_ERRORS } from './kms-errors';
import { IncomingAlicloudCall, readIncomingCall } from './parameters';
import { ALICLOUD_TAG_ACTIONS } from './tag-actions';
import type { CloudEmulator, EmulatorContext, EmulatorRequest, EmulatorResponse } from '../../cloud-emulator';
import { stringsOfJsonArray } from '../../journal-names';

/** The ECS API version every action is served at (the emulator's own copy: it never imports the handler). */
export const ECS_API_VERSION = '2014-05-26';

/** One Alibaba Cloud product served on the emulator's Alibaba port. */
interface AlicloudProduct {
  /** Its name in the troubleshooting link of error answers. */
  readonly name: string;
  readonly actions: Readonly<Record<string, AlicloudAction>>;
  /** Its own throttling, internal-error and permission codes (KMS does not answer ECS's). */
  readonly throttled: AlicloudErrorSpec;
  readonly internalError: AlicloudErrorSpec;
  readonly denied: AlicloudErrorSpec;
}

/**
 * The products served, by API version. The real cloud gives each its own host (`ecs.…`, `kms.<region>.…`);
 * the emulator has one port for Alibaba, and every RPC call names its version, so the version routes it.
 */
const PRODUCTS: Readonly<Record<string, AlicloudProduct>> = {
  [ECS_API_VERSION]: {
    name: 'Ecs',
    actions: { ...ALICLOUD_KEY_PAIR_ACTIONS, ...ALICLOUD_TAG_ACTIONS }, // ECS serves both at one endpoint
    throttled: ALICLOUD_ERRORS.throttled,
    internalError: ALICLOUD_ERRORS.internalError,
    denied: ALICLOUD_ERRORS.ramDenied,
  },
  [KMS_API_VERSION]: {
    name: 'Kms',
    actions: KMS_ACTIONS,
    throttled: KMS_ERRORS.throttled,
    internalError: KMS_ERRORS.internalFailure,
    denied: KMS_ERRORS.noPermission,
  },
};

/** The product a call asks for by its version, or undefined for a version no product has. */
function productOf(call: IncomingAlicloudCall): AlicloudProduct | undefined {
  const version = call.scheme === 'acs3' ? call.headers['x-acs-version'] : call.params.Version;
  return version !== undefined && Object.hasOwn(PRODUCTS, version) ? PRODUCTS[version] : undefined;
}

/** ECS's codes for a request that names no product the emulator serves. */
const ECS = PRODUCTS[ECS_API_VERSION];

/**
 * Alibaba Cloud ECS key pair API (version 2014-05-26, RPC style): parameters in the query string of
 * `POST /` (or a form body for legacy RPC clients), ACS3-HMAC-SHA256 or RPC HMAC-SHA1 signatures,
 * key pairs scoped by region, and ECS's error envelope `{RequestId, HostId, Code, Message}`. Besides the
 * four key pair actions it serves TagResources and UntagResources for ResourceType `keypair`. KMS Secrets
 * Manager (version 2016-01-20) shares the port, the signature checks and the envelope, with its own codes.
 */
export function createAlicloudEmulator(): CloudEmulator {
  return {
    cloud: 'alicloud',
    keyPairsCarryTags: true,

    actionOf(request: EmulatorRequest): string | undefined {
      return readIncomingCall(request, DEFAULT_HOST_ID).action;
    },

    keyPairNamesOf(request: EmulatorRequest): string[] {
      // Alibaba names key pairs in every action: one KeyPairName, or KeyPairNames (a JSON array) to delete.
      const { params } = readIncomingCall(request, DEFAULT_HOST_ID);
      return params.KeyPairName ? [params.KeyPairName] : stringsOfJsonArray(params.KeyPairNames);
    },

    secretNamesOf(request: EmulatorRequest): string[] {
      const call = readIncomingCall(request, DEFAULT_HOST_ID);
      return productOf(call)?.name === 'Kms' && call.params.SecretName ? [call.params.SecretName] : [];
    },

    handle(request: EmulatorRequest, context: EmulatorContext): EmulatorResponse {
      const requestId = alicloudRequestId(context.randomUuid());
      const call = readIncomingCall(request, DEFAULT_HOST_ID);
      const product = productOf(call);
      try {
        authenticateAlicloudCall(request, call, context);
        if (!product) throw new AlicloudFault(ALICLOUD_ERRORS.invalidVersion);
        // Own properties only: `toString` is not an action.
        const action = call.action !== undefined && Object.hasOwn(product.actions, call.action) ? product.actions[call.action] : undefined;
        if (!action) throw new AlicloudFault(ALICLOUD_ERRORS.actionNotFound);
        return action({ params: call.params, requestId, context });
      } catch (err) {
        if (err instanceof AlicloudFault) return alicloudError(err.spec, requestId, call.hostId, err.message, (product ?? ECS).name);
        throw err;
      }
    },

    throttledResponse(_action: string, requestId: string, request?: EmulatorRequest): EmulatorResponse {
      const product = productAsked(request);
      return alicloudError(product.throttled, requestId, undefined, undefined, product.name);
    },

    serverErrorResponse(_action: string, requestId: string, request?: EmulatorRequest): EmulatorResponse {
      const product = productAsked(request);
      return alicloudError(product.internalError, requestId, undefined, undefined, product.name);
    },

    deniedResponse(_action: string, requestId: string, request?: EmulatorRequest): EmulatorResponse {
      const product = productAsked(request);
      return alicloudError(product.denied, requestId, undefined, undefined, product.name);
    },
  };
}

/** The product a request asks for, ECS when it names none the emulator serves (or there is no request). */
function productAsked(request: EmulatorRequest | undefined): AlicloudProduct {
  return (request && productOf(readIncomingCall(request, DEFAULT_HOST_ID))) ?? ECS;
}
