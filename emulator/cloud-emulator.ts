import type { IncomingHttpHeaders } from 'node:http';
import type { GeneratedKeyPair } from './key-material';
import type { SecretStore } from './secret-store';
import type { CloudName } from '../src/contract';

/**
 * The contract between the emulator's shared server (HTTP, state, fault injection, inspection) and the
 * one folder per cloud (`emulator/clouds/<cloud>/`) that speaks that cloud's key pair API. Each folder has
 * the same files: `index.ts` (`create<Cloud>Emulator(…)`, which builds the CloudEmulator from the cloud's
 * own switches, if any), `authentication.ts` (the signature check), `envelope.ts` (answers, error codes,
 * the fault class), `parameters.ts` (reading and checking request parameters), `actions.ts` (the key pair
 * actions), `tag-actions.ts` where the cloud has tags, and one file per signature scheme it speaks.
 */

/** One request as the emulator received it (body fully read). */
export interface EmulatorRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface EmulatorResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** Serialized body (JSON text for all three clouds). */
  readonly body: string;
}

/** A key pair as the emulator stores it, the same shape for every cloud; JSON-serializable. */
export interface StoredKeyPair {
  /** The cloud's id (`ssh-…` Alibaba, `skey-…` Tencent, `uhostkp-…`-style UCloud). */
  readonly id: string;
  readonly name: string;
  /** OpenSSH one-line public key (`ssh-rsa AAAA… [comment]`). */
  readonly publicKey: string;
  /** The fingerprint exactly as this cloud reports it. */
  readonly fingerprint: string;
  /** ISO 8601 UTC. */
  readonly createdAt: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Cloud-specific attributes (resource group, project id, description...). */
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * Key pairs of one cloud, partitioned by scope: the region for Alibaba and Tencent, the region and
 * project for UCloud (the module chooses the scope string). Every mutation is persisted when the
 * emulator has a state file.
 */
export interface KeyPairStore {
  /** Every key pair of the scope as it is: for uniqueness, quotas and actions on a known id. */
  list(scope: string): readonly StoredKeyPair[];
  /**
   * The key pairs a describe lists: `list` without those made less than the emulator's describe lag ago
   * (read-after-write lag). Only describes use it.
   */
  describable(scope: string): readonly StoredKeyPair[];
  /** Every key pair of this cloud in every scope (for account-wide quotas). */
  listAll(): readonly StoredKeyPair[];
  add(scope: string, keyPair: StoredKeyPair): void;
  /** Removes by id; false when there was none. */
  remove(scope: string, id: string): boolean;
  /** Replaces the tags of the key pair with this id (the whole map); false when there is none. */
  setTags(scope: string, id: string, tags: Readonly<Record<string, string>>): boolean;
  /**
   * The instance a key pair is still bound to, if any, for a delete to refuse with the cloud's in-use
   * code. Each call counts as one refused delete: a binding set for N deletes is released after the Nth.
   */
  takeDeleteBlocker(id: string): string | undefined;
}

/** A key pair bound to an instance (set through the inspection API, the bin or the programmatic API). */
export interface KeyPairBinding {
  readonly instanceId: string;
  /** Deletes still refused before the binding goes away by itself; unset: until released. */
  readonly remainingDeletes?: number;
}

/** An access key the emulator accepts, with an optional STS token that must accompany it. */
export interface EmulatorCredential {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

/** What a cloud module may use while handling a request. */
export interface EmulatorContext {
  readonly store: KeyPairStore;
  /** This cloud's secret store (Alibaba KMS, Tencent SSM). */
  readonly secrets: SecretStore;
  /** Credentials this cloud accepts (the signature check must match one of them). */
  readonly credentials: readonly EmulatorCredential[];
  /** Key pairs allowed per scope before the cloud's quota error (Tencent counts it per account, across regions). */
  readonly quotaPerScope: number;
  /** Secrets allowed per region before the store's quota error. @default each store's own (1,000) */
  readonly secretQuotaPerScope?: number;
  /**
   * The key material of a create's new pair: RSA of the cloud's own size (`cloudBits`, 2048 unless told)
   * unless EmulatorOptions.generatedKeyBits overrides it, from the key pool while it lasts.
   */
  newRsaKeyPair(cloudBits?: number): GeneratedKeyPair;
  /** Current time (injectable so expired-timestamp checks are testable). */
  now(): Date;
  /** A fresh request id in this cloud's format is the module's job; this is a random UUID source. */
  randomUuid(): string;
}

/** One cloud's key pair API. */
export interface CloudEmulator {
  readonly cloud: CloudName;
  /** Whether this cloud's key pairs carry tags (UCloud's do not: tags set out of band are refused there). */
  readonly keyPairsCarryTags: boolean;
  /** The action a request asks for, without verifying anything (used to target injected faults). */
  actionOf(request: EmulatorRequest): string | undefined;
  /**
   * The names of the key pairs a request is about, read without verifying anything, for the journal: the
   * name a create, import or describe names, the pairs a delete names by id (looked up in `store` as they
   * are before the request runs). Empty when it names none.
   */
  keyPairNamesOf(request: EmulatorRequest, store: KeyPairStore): string[];
  /**
   * The names of the secrets a request to the cloud's secret store is about (`SecretName`), read without
   * verifying anything, for the journal; empty for every other request. Absent where the cloud has no store.
   */
  secretNamesOf?(request: EmulatorRequest): string[];
  /** Verifies the signature, runs the action against the store, and answers in the cloud's envelope. */
  handle(request: EmulatorRequest, context: EmulatorContext): EmulatorResponse;
  /**
   * The cloud's throttling answer (code and envelope as the cloud sends it). `request` tells which of the
   * cloud's products was asked, where they answer with codes of their own (Alibaba ECS and KMS).
   */
  throttledResponse(action: string, requestId: string, request?: EmulatorRequest): EmulatorResponse;
  /** The cloud's internal-error answer, with a 5xx status (of the product `request` asked, as above). */
  serverErrorResponse(action: string, requestId: string, request?: EmulatorRequest): EmulatorResponse;
  /**
   * The cloud's answer to a caller that lacks the permission for `action`: refused before anything is done,
   * in the code and envelope of the product `request` asked (Alibaba ECS and KMS answer codes of their own).
   */
  deniedResponse(action: string, requestId: string, request?: EmulatorRequest): EmulatorResponse;
}
