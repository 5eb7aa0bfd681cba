import { CLOUD_LABELS, CloudName } from '../../src/contract';

export type { CloudName } from '../../src/contract';

export function cloudLabel(cloud: CloudName): string {
  return CLOUD_LABELS[cloud];
}

/**
 * What a failed call means for the key pair, so the lifecycle can act without reading prose:
 * - `refused`: the cloud did nothing (throttled, or the request never left this machine); the same step
 *   may be tried again later, even a create;
 * - `unknown`: the cloud may or may not have done it (timeout, dropped connection, 5xx, an internal error,
 *   an unreadable success answer); look the key pair up before doing anything else;
 * - `not-found`: the cloud says, with its specific code, that the key pair does not exist;
 * - `in-use`: the key pair is still bound to an instance; a delete may succeed later;
 * - `name-taken`: the cloud refused a create or import because a key pair of that name exists; nothing was
 *   done (after a create of unknown outcome, the pair may be the one that create made);
 * - `permanent`: refused for a reason that does not go away by itself (bad input, credentials, quota);
 *   nothing was done.
 */
export type CloudErrorOutcome = 'refused' | 'unknown' | 'not-found' | 'in-use' | 'name-taken' | 'permanent';

/**
 * What one of a cloud's error codes means for the key pair and the retry layer: every cloud's
 * `<cloud>CodeMeaning` returns this shape, and its envelope reader copies it into the CloudApiError.
 */
export interface CodeMeaning {
  readonly outcome: CloudErrorOutcome;
  /** Whether the retry layer may send the same request again now. */
  readonly retryable: boolean;
  /** The cloud said "not now" and did nothing (see CloudApiErrorDetails.retryLater). */
  readonly retryLater: boolean;
  readonly remedy?: string;
}

/** A row of a cloud's table of codes: `retryLater` follows from it (see `codeMeaningOf`). */
export type CodeMeaningEntry = Omit<CodeMeaning, 'retryLater'>;

/** A refusal that does not go away by itself (bad input, credentials, quota): nothing was done, never retried. */
export function permanentRefusal(remedy?: string): CodeMeaningEntry {
  return { outcome: 'permanent', retryable: false, remedy };
}

/** A refused action, and the permission the cloud's policies name it by (`CreateSecret`, `kms:CreateSecret`). */
export interface RefusedPermission {
  readonly action: string;
  readonly permission: string;
}

/**
 * The remedy for a refusal for lack of permission, the same words on every cloud: the permission the refused
 * call needs, by name, then every permission the same steps need, so that one policy change fixes the
 * deployment rather than one refusal at a time. `identity` is how the cloud calls who deploys ("RAM user or
 * role"), `allNeeded` the whole list in words, `refused` the refused action and its permission as the
 * cloud's policies name it (`CreateSecret`, `kms:CreateSecret`), when known.
 */
export function missingPermissionRemedy(identity: string, allNeeded: string, refused?: RefusedPermission): string {
  const subject = `Grant the deploying identity (the ${identity})`;
  if (refused === undefined) return `${subject} ${allNeeded}`;
  return `${subject} ${refused.permission}, which ${refused.action} needs; the same steps need ${allNeeded}`;
}

/** A table row as a CodeMeaning: a refusal the cloud asks to be retried is waited out (`retryLater`). */
export function codeMeaningOf(entry: CodeMeaningEntry): CodeMeaning {
  return { ...entry, retryLater: entry.outcome === 'refused' && entry.retryable };
}

export interface CloudApiErrorDetails {
  readonly cloud: CloudName;
  readonly action: string;
  /** The cloud's own error code (e.g. `KeyPair.AlreadyExist`, `InvalidKeyPairName.Duplicate`, `171`). */
  readonly code: string;
  /** The cloud's message; the shared call layer redacts every credential from it before anyone sees it. */
  readonly message: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  /** Whether the retry layer may send the request again now (throttling, 5xx, network). */
  readonly retryable: boolean;
  /**
   * The cloud answered "not now" and did nothing: throttling, a busy resource, HTTP 429. Waited out until
   * the step's deadline rather than counted against the attempts for transient faults.
   */
  readonly retryLater?: boolean;
  readonly outcome: CloudErrorOutcome;
  /** What the user can do about it, when we know. */
  readonly remedy?: string;
  /** How the message names the API when it is not the cloud's key pair API ("Alibaba Cloud KMS"). */
  readonly api?: string;
}

/**
 * An error answered by a cloud API (or a transport failure on the way to it): carries the cloud, the
 * action, the cloud's code and request id so that a user can search the code and quote the request id to
 * the cloud's support, and the outcome the lifecycle acts on.
 */
export class CloudApiError extends Error {
  public readonly cloud: CloudName;
  public readonly action: string;
  public readonly code: string;
  public readonly cloudMessage: string;
  public readonly requestId?: string;
  public readonly httpStatus?: number;
  public readonly retryable: boolean;
  public readonly retryLater: boolean;
  public readonly outcome: CloudErrorOutcome;
  public readonly remedy?: string;
  public readonly api?: string;

  constructor(details: CloudApiErrorDetails) {
    super(formatCloudApiError(details));
    this.name = 'CloudApiError';
    this.cloud = details.cloud;
    this.action = details.action;
    this.code = details.code;
    this.cloudMessage = details.message;
    this.requestId = details.requestId;
    this.httpStatus = details.httpStatus;
    this.retryable = details.retryable;
    this.retryLater = details.retryLater ?? false;
    this.outcome = details.outcome;
    this.remedy = details.remedy;
    this.api = details.api;
  }

  get details(): CloudApiErrorDetails {
    return {
      cloud: this.cloud,
      action: this.action,
      code: this.code,
      message: this.cloudMessage,
      requestId: this.requestId,
      httpStatus: this.httpStatus,
      retryable: this.retryable,
      retryLater: this.retryLater,
      outcome: this.outcome,
      remedy: this.remedy,
      api: this.api,
    };
  }

  /** The same error with some details changed (errors are immutable; the message is rebuilt). */
  with(changes: Partial<CloudApiErrorDetails>): CloudApiError {
    return new CloudApiError({ ...this.details, ...changes });
  }
}

/** The errors of `call` naming `api` ("Alibaba Cloud KMS") instead of the cloud's key pair API, when given. */
export function withApiLabel<T>(api: string | undefined, call: Promise<T>): Promise<T> {
  if (api === undefined) return call;
  return call.catch((err: unknown) => {
    throw err instanceof CloudApiError ? err.with({ api }) : err;
  });
}

function formatCloudApiError(details: CloudApiErrorDetails): string {
  const parts = [`${details.api ?? cloudLabel(details.cloud)} ${details.action} failed: ${details.code}: ${details.message}`];
  const context: string[] = [];
  if (details.httpStatus !== undefined) context.push(`HTTP ${details.httpStatus}`);
  if (details.requestId) context.push(`request id ${details.requestId}`);
  if (context.length > 0) parts.push(`(${context.join(', ')})`);
  let text = parts.join(' ');
  if (details.remedy) text += `. ${details.remedy}`;
  return text;
}

/** Codes the transport layer uses when no cloud answer was received. */
export const TRANSPORT_ERROR_CODES = {
  timeout: 'RequestTimeout',
  network: 'NetworkError',
  tls: 'TlsCertificateError',
  deadline: 'DeadlineExceeded',
  malformedResponse: 'MalformedResponse',
} as const;
