import { CloudApiError } from '../../handler/http/cloud-api-error';

/** Awaits a call that must fail with a CloudApiError, asserts that it did, and returns the error to inspect. */
export async function caughtCloudApiError(promise: Promise<unknown>): Promise<CloudApiError> {
  const rejection = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(rejection).toBeInstanceOf(CloudApiError);
  return rejection as CloudApiError;
}
