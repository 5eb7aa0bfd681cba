import { CLOUD_NAMES, CloudName, isCloudName } from '../src/contract';

/**
 * Failures the emulator can inject, each the way a real cloud or network shows it:
 * - `throttle`: the cloud's own throttling code and envelope;
 * - `server-error`: the cloud's internal error with a 5xx status;
 * - `latency`: the answer is delayed by `latencyMs` (or held until released), then served normally;
 * - `drop-connection`: the socket is closed without an answer;
 * - `malformed-body`: HTTP 200 with a truncated JSON body;
 * - `denied`: the cloud refuses the action for lack of permission, before acting, with its own code and
 *   envelope (Alibaba ECS `Forbidden.RAM` and KMS `Forbidden.NoPermission`, both HTTP 403; Tencent
 *   `AuthFailure.UnauthorizedOperation` at HTTP 200; UCloud RetCode 299).
 */
export type FaultKind = 'throttle' | 'server-error' | 'latency' | 'drop-connection' | 'malformed-body' | 'denied';

export const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'server-error', 'latency', 'drop-connection', 'malformed-body', 'denied'];

/** Kinds a cloud answers before it acts: an answer lost after the action (`afterAction`) is not one of them. */
const ANSWERED_BEFORE_ACTING: readonly FaultKind[] = ['throttle', 'latency', 'denied'];

export interface FaultSpec {
  readonly cloud: CloudName;
  /** Only requests for this action (e.g. `CreateKeyPair`); every action when omitted. */
  readonly action?: string;
  readonly kind: FaultKind;
  /** How many matching requests it affects. @default 1 */
  readonly count?: number;
  /** For `latency`. @default 1000 */
  readonly latencyMs?: number;
  /**
   * For `latency`: hold the answer until the emulator is told to release it (`releaseHeldRequests`), instead
   * of for `latencyMs`. A test can then act while the request is in flight, and let it land when it chooses,
   * without guessing how long anything takes.
   */
  readonly hold?: boolean;
  /**
   * Apply the fault after the cloud carried the action out (the answer is lost on the way back), instead
   * of in front of it like a gateway: the client cannot tell whether its create happened. Not for
   * `throttle`, `latency` and `denied`, which a cloud answers before acting.
   */
  readonly afterAction?: boolean;
}

interface ActiveFault {
  readonly spec: FaultSpec;
  remaining: number;
}

/** Injected faults waiting for matching requests, consumed first come first served. */
export class FaultQueue {
  private readonly faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    if (!FAULT_KINDS.includes(spec.kind)) {
      throw new Error(`unknown fault kind "${spec.kind}"; expected one of ${FAULT_KINDS.join(', ')}`);
    }
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new Error(`fault count must be a positive integer, got ${spec.count}`);
    if (spec.afterAction && ANSWERED_BEFORE_ACTING.includes(spec.kind)) {
      throw new Error(`a ${spec.kind} fault is answered before the action runs; afterAction does not apply`);
    }
    if (spec.hold && spec.kind !== 'latency') throw new Error(`only a latency fault can hold its answer, not ${spec.kind}`);
    this.faults.push({ spec, remaining: count });
  }

  /** The fault to apply to this request, if any (and counts it as used). */
  take(cloud: CloudName, action: string | undefined): FaultSpec | undefined {
    const index = this.faults.findIndex(
      (fault) => fault.spec.cloud === cloud && (fault.spec.action === undefined || fault.spec.action === action),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.remaining--;
    if (fault.remaining === 0) this.faults.splice(index, 1);
    return fault.spec;
  }

  /** Faults not used up yet (for inspection). */
  pending(): Array<FaultSpec & { readonly remaining: number }> {
    return this.faults.map((fault) => ({ ...fault.spec, remaining: fault.remaining }));
  }

  clear(): void {
    this.faults.length = 0;
  }
}

/**
 * Parses the command-line form `cloud:kind[:count][:action]`, e.g. `tencentcloud:throttle:3:CreateKeyPair`.
 */
export function parseFaultSpec(text: string): FaultSpec {
  const [cloud, kind, count, action] = text.split(':');
  if (!isCloudName(cloud)) throw new Error(`fault "${text}": cloud must be one of ${CLOUD_NAMES.join(', ')}`);
  return {
    cloud,
    kind: kind as FaultKind,
    count: count ? Number(count) : undefined,
    action: action || undefined,
  };
}

/** A request a `hold` latency fault keeps waiting. */
interface HeldRequest {
  readonly cloud: CloudName;
  /** Serves it now, as the delayed answer. */
  readonly answer: () => void;
  /** Closes its connection unanswered. */
  readonly drop: () => void;
}

/** The requests held by `hold` latency faults, across the clouds' servers, in the order they came. */
export class HeldRequests {
  private readonly held: HeldRequest[] = [];

  add(request: HeldRequest): void {
    this.held.push(request);
  }

  count(cloud?: CloudName): number {
    return this.held.filter((request) => cloud === undefined || request.cloud === cloud).length;
  }

  /** Answers the held requests (of one cloud, or all), oldest first; returns how many. */
  release(cloud?: CloudName): number {
    const released = this.take(cloud);
    for (const request of released) request.answer();
    return released.length;
  }

  /** Closes the held requests' connections (of one cloud, or all) without an answer: they never happened. */
  drop(cloud?: CloudName): void {
    for (const request of this.take(cloud)) request.drop();
  }

  private take(cloud?: CloudName): HeldRequest[] {
    const taken = this.held.filter((request) => cloud === undefined || request.cloud === cloud);
    for (const request of taken) this.held.splice(this.held.indexOf(request), 1);
    return taken;
  }
}
