import { AlicloudErrorSpec, AlicloudFault } from './envelope';

/**
 * The codes KMS Secrets Manager (API 2016-01-20) answers, with the HTTP statuses of its CreateSecret
 * reference page. KMS has throttling and internal-error codes of its own (`Rejected.Throttling` 429,
 * `InternalFailure` 500) and permission code (`Forbidden.NoPermission` 403), so injected faults on KMS
 * actions answer those, not ECS's.
 */
export const KMS_ERRORS = {
  resourceExists: { code: 'Rejected.ResourceExist', status: 409, message: 'The resource already exists.' },
  inDeleteWindow: { code: 'Rejected.ResourceInDeleteWindow', status: 409, message: 'The secret is planned to be deleted.' },
  notFound: { code: 'Forbidden.ResourceNotFound', status: 404, message: 'The resource cannot be found.' },
  limitExceeded: { code: 'Rejected.LimitExceeded', status: 400, message: 'The number of secrets exceeds the limit.' },
  invalidParameter: { code: 'InvalidParameter', status: 400, message: 'The specified parameter is not valid.' },
  /** Documented (403 on the CreateSecret page); the emulator has no access policies: only the `denied` fault answers it. */
  noPermission: { code: 'Forbidden.NoPermission', status: 403, message: 'This operation is forbidden by permission system.' },
  throttled: { code: 'Rejected.Throttling', status: 429, message: 'QPS Limit Exceeded.' },
  internalFailure: { code: 'InternalFailure', status: 500, message: 'Internal Failure.' },
} as const satisfies Record<string, AlicloudErrorSpec>;

/** `InvalidParameter` naming the parameter at fault (never its value: it may be the secret). */
export function invalidKmsParameter(name: string, why: string): AlicloudFault {
  return new AlicloudFault(KMS_ERRORS.invalidParameter, `The specified parameter "${name}" is not valid: ${why}.`);
}
