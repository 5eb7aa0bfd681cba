import { UCLOUD_ACTIONS } from './actions';
import { ucloudEnvelope, ucloudError, UcloudFault } from './envelope';
import { authenticateUcloudRequest, readUcloudParams } from './request';
import { UCLOUD_RET_CODES } from '../../../handler/clouds/ucloud/errors';
import type { CloudEmulator, EmulatorContext, EmulatorRequest, EmulatorResponse } from '../../cloud-emulator';

/**
 * UCloud UHost's key pair API: form, JSON or query parameters at any path of the base URL, the SHA1
 * parameter signature, and answers in the `RetCode` envelope (HTTP 200 even for errors, as UCloud does).
 */
export const ucloudEmulator: CloudEmulator = {
  cloud: 'ucloud',

  actionOf(request: EmulatorRequest): string | undefined {
    return readUcloudParams(request).Action || undefined;
  },

  handle(request: EmulatorRequest, context: EmulatorContext): EmulatorResponse {
    const requestId = context.randomUuid();
    const params = readUcloudParams(request);
    const action = params.Action ?? '';
    try {
      if (!action) throw new UcloudFault(UCLOUD_RET_CODES.missingAction, 'Missing Action');
      authenticateUcloudRequest(params, context.credentials);
      const run = UCLOUD_ACTIONS[action];
      if (!run) throw new UcloudFault(UCLOUD_RET_CODES.actionNotFound, `Action [${action}] not found`);
      return ucloudEnvelope(action, requestId, 0, run(params, context));
    } catch (err) {
      if (!(err instanceof UcloudFault)) throw err;
      return ucloudError(action, requestId, err.retCode, err.message);
    }
  },

  throttledResponse(action: string, requestId: string): EmulatorResponse {
    return ucloudError(action, requestId, UCLOUD_RET_CODES.throttled, 'API request throttled, please retry later');
  },

  serverErrorResponse(action: string, requestId: string): EmulatorResponse {
    return ucloudError(action, requestId, UCLOUD_RET_CODES.serviceUnavailable, 'Service unavailable, please retry later', 503);
  },
};
