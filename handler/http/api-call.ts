import { CloudApiError, CloudName, TRANSPORT_ERROR_CODES } from './cloud-api-error';
import { redactSecrets } from './redaction';
import { DEFAULT_RETRY_POLICY, RetryClock, RetryPolicy, withRetries } from './retry';
import { HttpRequest, HttpResponse, sendHttpRequest, TransportFailure } from './transport';
import type { SecretValue } from '../clouds/credentials';

/** What every cloud client accepts to tune and observe its calls. */
export interface CallSettings {
  /** Overrides of DEFAULT_RETRY_POLICY. */
  readonly retry?: Partial<RetryPolicy>;
  readonly clock?: RetryClock;
  /** When the step began, by `clock`: every call's retries share the step's deadline from here. */
  readonly startedAt?: number;
  /** One line per attempt and retry decision; never parameters, bodies or credentials. */
  readonly log?: (line: string) => void;
}

/** The parts of an ApiCall that come from a client's settings. */
export function fromCallSettings(settings: CallSettings): Pick<ApiCall<unknown>, 'policy' | 'clock' | 'startedAt' | 'log'> {
  return { policy: { ...DEFAULT_RETRY_POLICY, ...settings.retry }, clock: settings.clock, startedAt: settings.startedAt, log: settings.log };
}

export interface ApiCall<T> {
  readonly cloud: CloudName;
  readonly action: string;
  readonly policy: RetryPolicy;
  readonly clock?: RetryClock;
  readonly startedAt?: number;
  readonly log?: (line: string) => void;
  /**
   * Every secret the request carries (access key secret, STS token, UCloud private key). A cloud or a
   * gateway may echo what it received or the string it signed; these are cut from every error here,
   * once, for all clouds.
   */
  readonly secrets: readonly SecretValue[];
  /**
   * False for actions that change something and carry no idempotency token (the clouds' create and
   * import). Those are retried only when the cloud provably did nothing (throttled, or never reached);
   * after a timeout, a dropped connection or a 5xx the outcome is unknown, and sending it again could
   * create a second key pair or lose the first one's private key, so the error goes to the caller.
   * @default true
   */
  readonly idempotent?: boolean;
  /**
   * What the action acts on, for the remedy after an unknown outcome ("look the secret up by name").
   * @default 'key pair'
   */
  readonly resource?: string;
  /** Builds and signs the request; called again for every attempt so timestamps and nonces are fresh. */
  buildRequest(timeoutMs: number): HttpRequest;
  /**
   * Turns the HTTP response into the action's result, or throws a CloudApiError whose `retryable` says
   * whether the cloud's code is one of its throttling or transient codes, and whose `outcome` what it means.
   */
  parseResponse(response: HttpResponse): T;
}

/** One cloud API action: sign, send, parse, redact, and retry what may be retried. */
export async function callCloudApi<T>(call: ApiCall<T>): Promise<T> {
  let attemptNumber = 0;
  try {
    return await withRetries(call, async (timeoutMs) => {
      attemptNumber++;
      try {
        return await attemptOnce(call, timeoutMs, attemptNumber);
      } catch (err) {
        if (call.idempotent === false && err instanceof CloudApiError && err.retryable && err.outcome !== 'refused') {
          throw outcomeUnknown(err, call.resource ?? 'key pair');
        }
        throw err;
      }
    });
  } catch (err) {
    throw err instanceof CloudApiError ? redacted(err, call.secrets) : err;
  }
}

async function attemptOnce<T>(call: ApiCall<T>, timeoutMs: number, attemptNumber: number): Promise<T> {
  const request = call.buildRequest(timeoutMs);
  const started = Date.now();
  let response: HttpResponse;
  try {
    response = await sendHttpRequest(request);
  } catch (err) {
    if (!(err instanceof TransportFailure)) throw err;
    call.log?.(`${call.cloud} ${call.action} attempt ${attemptNumber}: ${err.kind} (${Date.now() - started} ms)`);
    throw transportError(call, request, err);
  }
  call.log?.(`${call.cloud} ${call.action} attempt ${attemptNumber}: HTTP ${response.status} (${Date.now() - started} ms)`);
  return call.parseResponse(response);
}

function transportError(call: ApiCall<unknown>, request: HttpRequest, failure: TransportFailure): CloudApiError {
  const where = `(endpoint ${request.url.origin})`;
  if (failure.kind === 'tls') {
    return new CloudApiError({
      cloud: call.cloud,
      action: call.action,
      code: TRANSPORT_ERROR_CODES.tls,
      message: `${failure.message} ${where}`,
      retryable: false,
      outcome: 'refused',
      remedy: 'The endpoint\'s TLS certificate was not accepted, so nothing was sent: check the endpoint URL, or the CA bundle (NODE_EXTRA_CA_CERTS) when a proxy re-signs traffic',
    });
  }
  return new CloudApiError({
    cloud: call.cloud,
    action: call.action,
    code: failure.kind === 'timeout' ? TRANSPORT_ERROR_CODES.timeout : TRANSPORT_ERROR_CODES.network,
    message: `${failure.message} ${where}`,
    retryable: true,
    outcome: failure.notDelivered ? 'refused' : 'unknown',
    remedy: failure.notDelivered
      ? 'Nothing reached the endpoint: check its host and port (the endpoint prop or the CDKTF_KEYPAIR_<CLOUD>_ENDPOINT variable) and that it is reachable from this machine'
      : undefined,
  });
}

/** The same failure, no longer retryable, saying that the cloud may have carried the action out. */
function outcomeUnknown(err: CloudApiError, resource: string): CloudApiError {
  return err.with({
    retryable: false,
    outcome: 'unknown',
    remedy:
      `${err.action} is not idempotent and may have been carried out before this failure, so it was not sent again; ` +
      `look the ${resource} up by name before retrying`,
  });
}

function redacted(err: CloudApiError, secrets: readonly SecretValue[]): CloudApiError {
  const message = redactSecrets(err.cloudMessage, secrets);
  return message === err.cloudMessage ? err : err.with({ message });
}

/**
 * Parses a JSON object body. A body that is not a JSON object is a gateway or proxy fault, never a cloud
 * answer: retried when the status is 5xx (a transient gateway page), otherwise reported as malformed. A
 * 2xx body that cannot be read may be a success whose answer was cut: its outcome is unknown.
 */
export function parseJsonObject(cloud: CloudName, action: string, response: HttpResponse): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CloudApiError({
      cloud,
      action,
      code: TRANSPORT_ERROR_CODES.malformedResponse,
      message: `expected a JSON object, got ${describeBody(response)}`,
      httpStatus: response.status,
      retryable: response.status >= 500 || response.status < 300,
      outcome: response.status >= 400 && response.status < 500 ? 'permanent' : 'unknown',
      remedy: 'Check that the endpoint is the cloud API and not a proxy or captive portal',
    });
  }
  return parsed as Record<string, unknown>;
}

function describeBody(response: HttpResponse): string {
  const contentType = response.headers['content-type'] ?? 'no content type';
  // Only the length and type: a body from an unknown server is not echoed into logs.
  return `${response.body.length} bytes of ${contentType}`;
}
