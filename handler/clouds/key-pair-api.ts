import type { SecretValue } from './credentials';
import type { CloudName } from '../../src/contract';

/**
 * One key pair as every cloud reports it. The lifecycle sees only this shape: what differs between the
 * clouds stays in `clouds/<cloud>/`.
 */
export interface CloudKeyPair {
  /**
   * The id other resources and later calls use: Tencent `skey-…`, UCloud `uhostkp-…`. Alibaba identifies
   * key pairs by name in every action (its describe returns no id), so there it is the name.
   */
  readonly id: string;
  readonly name: string;
  /** The cloud's own fingerprint exactly as given; empty where the cloud has none (Tencent). */
  readonly fingerprint: string;
  /** One OpenSSH line as the cloud returns it, when it does (Alibaba and Tencent; never UCloud). */
  readonly publicKey?: string;
  /** Empty on clouds without key pair tags (UCloud). */
  readonly tags: Readonly<Record<string, string>>;
  /** The project the cloud reports the pair in, where its fingerprint depends on it (UCloud). */
  readonly scope?: string;
  /** The request id of the call that produced this view, to quote to the cloud's support. */
  readonly requestId?: string;
}

/** A cloud-generated key pair: the private key is handed out by this one answer, never again. */
export interface CreatedCloudKeyPair extends CloudKeyPair {
  readonly privateKey: SecretValue;
}

export interface CreateKeyPairInput {
  readonly name: string;
  /** Set in the create call itself. Ignored (and refused by validation before) on clouds without tags. */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface ImportKeyPairInput extends CreateKeyPairInput {
  /** One OpenSSH public key line; surrounding whitespace is trimmed before it is sent. */
  readonly publicKey: string;
}

export interface DeleteKeyPairResult {
  /**
   * True only when the cloud answered with its specific not-found code, or (on a cloud that documents
   * none: UCloud) a describe confirmed the pair absent. Never inferred from a bare HTTP status.
   */
  readonly alreadyGone: boolean;
  readonly requestId?: string;
}

/**
 * A change of a key pair's tags in place: keys to set (new or changed values) and keys to remove. Keys not
 * named keep their values. A key both set and removed is set (its new value wins).
 */
export interface TagChange {
  readonly set: Readonly<Record<string, string>>;
  readonly remove: readonly string[];
}

/** What a cloud's key pairs can do, for the lifecycle to choose how it proves ownership and deletes. */
export interface KeyPairCapabilities {
  /** Key pairs carry tags (ownership is proved by a tag). Whether a public key came back is seen on each pair. */
  readonly tags: boolean;
  /**
   * The cloud refuses a second key pair under a name (its duplicate-name code, outcome `name-taken`), so a
   * create sent again can never make a second pair. False where that is not documented (UCloud).
   */
  readonly uniqueNames: boolean;
}

/**
 * The cloud-neutral key pair API the lifecycle calls, one implementation per cloud, bound to one region
 * and scope (resource group or project) and endpoint when it is made (see `factory.ts`). Every method
 * either returns what the cloud said or throws a `CloudApiError` with an `outcome`.
 */
export interface KeyPairApi {
  readonly cloud: CloudName;
  readonly region: string;
  readonly capabilities: KeyPairCapabilities;
  /**
   * The cloud generates the pair. An answer that lacks an optional field (Alibaba's fingerprint, UCloud's
   * id) is completed by a describe rather than reported as an error that would orphan the pair.
   */
  create(input: CreateKeyPairInput): Promise<CreatedCloudKeyPair>;
  /** Registers a public key; the result is completed by a describe where the answer is partial. */
  importPublicKey(input: ImportKeyPairInput): Promise<CloudKeyPair>;
  /**
   * Every key pair named exactly `name` in this region and scope, across all pages. Throws rather than
   * return a partial list when paging cannot finish.
   */
  findByName(name: string): Promise<CloudKeyPair[]>;
  /** The key pair with this id, or undefined when the cloud confirms there is none. */
  describeById(id: string): Promise<CloudKeyPair | undefined>;
  /** Deletes by id (Tencent, UCloud) or name (Alibaba, whose id is the name). */
  delete(keyPair: Pick<CloudKeyPair, 'id' | 'name'>): Promise<DeleteKeyPairResult>;
  /**
   * Changes the pair's tags in place: Alibaba `UntagResources` then `TagResources` (ResourceType
   * `keypair`, by name, at most 20 tags per call), Tencent one `ModifyResourceTags` call on the Tag service
   * (`qcs::cvm:<region>:uin/:keypair/<skey-id>`). An empty change sends nothing. A pair that is gone throws
   * with outcome `not-found`. Clouds without key pair tags (UCloud) throw before any request.
   */
  updateTags(keyPair: Pick<CloudKeyPair, 'id' | 'name'>, change: TagChange): Promise<void>;
  /**
   * On a cloud that returns no public key (UCloud): whether the pair's own fingerprint proves it holds this
   * public key. Undefined (and absent) where that cannot be told; never true without proof.
   */
  holdsPublicKey?(keyPair: CloudKeyPair, publicKeyLine: string): boolean | undefined;
}
