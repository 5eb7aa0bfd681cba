import { ALICLOUD_ACTIONS } from './actions';
import { authenticateAlicloudCall } from './authentication';
import { ALICLOUD_ERRORS, AlicloudFault, alicloudError, alicloudRequestId, DEFAULT_HOST_ID } from './envelope';
import { readIncomingCall } from './parameters';
import type { CloudEmulator, EmulatorContext, EmulatorRequest, EmulatorResponse } from '../../cloud-emulator';
import { stringsOfJsonArray } from '../../journal-names';

/** The ECS API version every action is served at (the emulator's own copy: it never imports the handler). */
export const ECS_API_VERSION = '2014-05-26';

/**
 * Alibaba Cloud ECS key pair API (version 2014-05-26, RPC style): parameters in the query string of
 * `POST /` (or a form body for legacy RPC clients), ACS3-HMAC-SHA256 or RPC HMAC-SHA1 signatures,
 * key pairs scoped by region, and ECS's error envelope `{RequestId, HostId, Code, Message}`. Besides the
 * four key pair actions it serves TagResources and UntagResources for ResourceType `keypair`.
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

    handle(request: EmulatorRequest, context: EmulatorContext): EmulatorResponse {
      const requestId = alicloudRequestId(context.randomUuid());
      const call = readIncomingCall(request, DEFAULT_HOST_ID);
      try {
        authenticateAlicloudCall(request, call, context);
        const version = call.scheme === 'acs3' ? call.headers['x-acs-version'] : call.params.Version;
        if (version !== ECS_API_VERSION) throw new AlicloudFault(ALICLOUD_ERRORS.invalidVersion);
        // Own properties only: `toString` is not an ECS action.
        const action = call.action !== undefined && Object.hasOwn(ALICLOUD_ACTIONS, call.action) ? ALICLOUD_ACTIONS[call.action] : undefined;
        if (!action) throw new AlicloudFault(ALICLOUD_ERRORS.actionNotFound);
        return action({ params: call.params, requestId, context });
      } catch (err) {
        if (err instanceof AlicloudFault) return alicloudError(err.spec, requestId, call.hostId, err.message);
        throw err;
      }
    },

    throttledResponse(_action: string, requestId: string): EmulatorResponse {
      return alicloudError(ALICLOUD_ERRORS.throttled, requestId);
    },

    serverErrorResponse(_action: string, requestId: string): EmulatorResponse {
      return alicloudError(ALICLOUD_ERRORS.internalError, requestId);
    },
  };
}
