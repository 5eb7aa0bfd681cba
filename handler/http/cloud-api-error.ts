import type { KeyPairCloud } from '../../src/cloud';

/** The clouds this handler speaks to, by the identifiers the construct layer uses (one enum, both sides). */
export type CloudName = `${KeyPairCloud}`;

const CLOUD_LABELS: Record<CloudName, string> = {
  alicloud: 'Alibaba Cloud ECS',
  tencentcloud: 'Tencent Cloud CVM',
  ucloud: 'UCloud UHost',
};

export function cloudLabel(cloud: CloudName): string {
  return CLOUD_LABELS[cloud];
}

export interface CloudApiErrorDetails {
  readonly cloud: CloudName;
  readonly action: string;
  /** The cloud's own error code (e.g. `KeyPair.AlreadyExist`, `InvalidKeyPairName.Duplicate`, `171`). */
  readonly code: string;
  /** The cloud's message, as sent. Clouds never echo secrets in messages; we never add any. */
  readonly message: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  /** Whether the retry layer may send the request again (throttling, 5xx, network). */
  readonly retryable: boolean;
  /**
   * The cloud refused the request for its rate (or it never left this machine): nothing was done, so
   * even a non-idempotent action such as a create may be sent again.
   */
  readonly notProcessed?: boolean;
  /** What the user can do about it, when we know. */
  readonly remedy?: string;
}

/**
 * An error answered by a cloud API (or a transport failure on the way to it): carries the cloud, the
 * action, the cloud's code and request id so that a user can search the code and quote the request id to
 * the cloud's support.
 */
export class CloudApiError extends Error {
  public readonly cloud: CloudName;
  public readonly action: string;
  public readonly code: string;
  public readonly cloudMessage: string;
  public readonly requestId?: string;
  public readonly httpStatus?: number;
  public readonly retryable: boolean;
  public readonly notProcessed?: boolean;
  public readonly remedy?: string;

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
    this.notProcessed = details.notProcessed;
    this.remedy = details.remedy;
  }
}

function formatCloudApiError(details: CloudApiErrorDetails): string {
  const parts = [`${cloudLabel(details.cloud)} ${details.action} failed: ${details.code}: ${details.message}`];
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
  deadline: 'DeadlineExceeded',
  malformedResponse: 'MalformedResponse',
} as const;
