import { DEFAULT_UCLOUD_SETTINGS, UCLOUD_ACTIONS, UCLOUD_GENERATED_KEY_SIZES, UcloudEmulatorSettings } from './actions';
import { authenticateUcloudRequest } from './authentication';
import { EMULATOR_RET_CODES, ucloudEnvelope, ucloudError, UcloudFault } from './envelope';
import { readUcloudParams } from './parameters';
import type { CloudEmulator, EmulatorContext, EmulatorRequest, EmulatorResponse, KeyPairStore } from '../../cloud-emulator';
import { namesOfIds } from '../../journal-names';

export { DEFAULT_UCLOUD_SETTINGS, UCLOUD_GENERATED_KEY_SIZES } from './actions';
export type { UcloudEmulatorSettings } from './actions';
export { EMULATOR_RET_CODES, UCLOUD_DOCUMENTED_RET_CODES } from './envelope';

/**
 * UCloud UHost's key pair API: form, JSON or query parameters at any path of the base URL, the SHA1
 * parameter signature, and answers in the `RetCode` envelope (HTTP 200 even for errors, as UCloud does).
 * `settings` choose how the parts UCloud leaves open are played (see UcloudEmulatorSettings).
 */
export function createUcloudEmulator(overrides: Partial<UcloudEmulatorSettings> = {}): CloudEmulator {
  // Options left undefined keep UCloud's own behaviour.
  const settings: UcloudEmulatorSettings = {
    generatedKeyBits: overrides.generatedKeyBits ?? DEFAULT_UCLOUD_SETTINGS.generatedKeyBits,
    duplicateNames: overrides.duplicateNames ?? DEFAULT_UCLOUD_SETTINGS.duplicateNames,
    refuseBoundDeletes: overrides.refuseBoundDeletes ?? DEFAULT_UCLOUD_SETTINGS.refuseBoundDeletes,
  };
  if (!UCLOUD_GENERATED_KEY_SIZES.includes(settings.generatedKeyBits)) {
    throw new RangeError(`UCloud generates RSA keys of ${UCLOUD_GENERATED_KEY_SIZES.join(' or ')} bits, not ${settings.generatedKeyBits}`);
  }
  return {
    cloud: 'ucloud',
    // UHost key pairs have no tags, labels or description, and no action to set any.
    keyPairsCarryTags: false,

    actionOf(request: EmulatorRequest): string | undefined {
      return readUcloudParams(request).Action || undefined;
    },

    keyPairNamesOf(request: EmulatorRequest, store: KeyPairStore): string[] {
      // KeyPairName to create, import or describe; KeyPairIds.N (0-based) to delete.
      const params = readUcloudParams(request);
      if (params.KeyPairName) return [params.KeyPairName];
      const ids = Object.keys(params).filter((key) => /^KeyPairIds\.\d+$/.test(key)).map((key) => params[key]);
      return namesOfIds(store, ids);
    },

    handle(request: EmulatorRequest, context: EmulatorContext): EmulatorResponse {
      const requestId = context.randomUuid();
      const params = readUcloudParams(request);
      const action = params.Action ?? '';
      try {
        if (!action) throw new UcloudFault(EMULATOR_RET_CODES.missingAction, 'Missing Action');
        authenticateUcloudRequest(params, context.credentials);
        const run = UCLOUD_ACTIONS[action];
        if (!run) throw new UcloudFault(EMULATOR_RET_CODES.actionNotFound, `Action [${action}] not found`);
        return ucloudEnvelope(action, requestId, 0, run(params, context, settings));
      } catch (err) {
        if (!(err instanceof UcloudFault)) throw err;
        return ucloudError(action, requestId, err.retCode, err.message);
      }
    },

    throttledResponse(action: string, requestId: string): EmulatorResponse {
      return ucloudError(action, requestId, EMULATOR_RET_CODES.throttled, 'API request throttled, please retry later');
    },

    serverErrorResponse(action: string, requestId: string): EmulatorResponse {
      return ucloudError(action, requestId, EMULATOR_RET_CODES.serviceUnavailable, 'Service unavailable, please retry later', 503);
    },

    /** RetCode 299 (documented: the IAM permission check failed), at HTTP 200 like every UCloud error. */
    deniedResponse(action: string, requestId: string): EmulatorResponse {
      return ucloudError(action, requestId, EMULATOR_RET_CODES.iamDenied, `IAM permission check failed for action [${action}]`);
    },
  };
}
