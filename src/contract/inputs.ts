/**
 * What the synthesized configuration hands the handler.
 *
 * `TRIGGER_KEYS` are the keys of the carrier's `triggers` map: everything the destroy step needs (a destroy
 * provisioner may reference only `self`), and nothing secret (triggers land in state and plans). Changing
 * any of them replaces the key pair, so nothing that may change in place (tags, timeouts, the handler's
 * path or version) is a trigger.
 */
export const TRIGGER_KEYS = {
  cloud: 'cloud',
  region: 'region',
  keyPairName: 'key_pair_name',
  /** Alibaba resource group id, Tencent project id, UCloud project id. */
  scope: 'scope',
  /** An endpoint override from the construct (UCloud-API clouds, private gateways). */
  endpoint: 'endpoint',
  keySource: 'key_source',
  /** The public key, for `import` (one OpenSSH line, trimmed). */
  publicKey: 'public_key',
  /** The algorithm, for `generate`. */
  keyAlgorithm: 'key_algorithm',
  /**
   * Where the private key is written (cloud-generated and generated locally), as the user wrote it: a
   * relative path is resolved against `HANDLER_ENV.baseDirectory`, which is not a trigger, so synthesizing
   * from another checkout directory does not replace the key pair.
   */
  privateKeyFile: 'private_key_file',
  /**
   * The secret store the private key is also (or only) kept in (`SECRET_STORES`), with the secret's name, the
   * store's region and the store's encryption key when the user names one. Present only when the construct
   * has `privateKeySecret`, so stacks without it keep their triggers. The recovery window is not a trigger:
   * changing it changes only what a later destroy does (`HANDLER_ENV.secretRecoveryWindowDays`).
   */
  secretStore: 'private_key_secret_store',
  secretName: 'private_key_secret_name',
  secretRegion: 'private_key_secret_region',
  secretEncryptionKeyId: 'private_key_secret_encryption_key_id',
  /**
   * The value of the ownership tag: who may adopt and delete this pair. `<deployment>/<construct>`: the
   * stack's deployment identity (made once per Terraform state) and the construct's path hash.
   */
  owner: 'owner',
  /**
   * The construct's `replacementKey`, present only when the user sets one (so stacks without it keep their
   * triggers): changing it replaces the key pair. The handler ignores its value.
   */
  replacementKey: 'replacement_key',
} as const;

export type TriggerKey = (typeof TRIGGER_KEYS)[keyof typeof TRIGGER_KEYS];

/** Where the private key comes from. */
export const KEY_SOURCES = {
  /** The cloud generates the pair and hands out the private key once. */
  cloud: 'cloud',
  /** The user's own public key is imported; no private key is involved. */
  import: 'import',
  /** Generated on the deploying machine; only the public half is imported. */
  generate: 'generate',
} as const;

export type KeySource = (typeof KEY_SOURCES)[keyof typeof KEY_SOURCES];

/**
 * Environment variables the provisioners set for the handler. Values are Terraform expressions over
 * `self.triggers` (or literals), never interpolated into the shell command.
 */
export const HANDLER_ENV = {
  /** `jsonencode(self.triggers)`. */
  triggers: 'CDKTF_KEYPAIR_TRIGGERS',
  /** JSON object of tags, set at creation only (create provisioner). */
  tags: 'CDKTF_KEYPAIR_TAGS',
  /** Seconds a delete keeps retrying a pair still bound to an instance (destroy provisioner). */
  deleteTimeoutSeconds: 'CDKTF_KEYPAIR_DELETE_TIMEOUT_SECONDS',
  /** The directory `cdktf synth` ran in: relative private key paths are resolved against it (both provisioners). */
  baseDirectory: 'CDKTF_KEYPAIR_BASE_DIRECTORY',
  /**
   * JSON of what this deployment recorded of the pair in Terraform state (`RECORD_KEYS`): set by the stack
   * registry's destroy step, so a delete on another machine can still prove the pair ours where the cloud
   * has no tags (UCloud).
   */
  record: 'CDKTF_KEYPAIR_RECORD',
  /** Days a deleted secret stays restorable (0: deleted at once), set wherever a step may delete the secret. */
  secretRecoveryWindowDays: 'CDKTF_KEYPAIR_SECRET_RECOVERY_WINDOW_DAYS',
  /** JSON map of the stack's tagged key pairs for `handler tags`: entry name → `TAG_ENTRY_KEYS` object. */
  tagEntries: 'CDKTF_KEYPAIR_TAG_ENTRIES',
} as const;

/** What the stack registry records of each key pair in Terraform state, from the read. */
export const RECORD_KEYS = {
  keyPairId: 'recorded_key_pair_id',
  fingerprint: 'recorded_fingerprint',
} as const;

/** The keys of one entry of `HANDLER_ENV.tagEntries`. */
export const TAG_ENTRY_KEYS = {
  /** The pair's triggers (cloud, region, scope, endpoint, name, owner). */
  triggers: 'triggers',
  keyPairId: 'key_pair_id',
  /** The tags the app declares, as a JSON object. */
  tags: 'tags',
  /** What the read saw (`RESULT_KEYS.tagsRevision`): written to the pair's revision tag once its tags are back. */
  revision: 'revision',
} as const;

/**
 * Keys of one pair's fields in the stack's read query (`handler read`), beyond the pair's triggers. The query
 * is flat (the external data source takes a map of strings): each field of each pair under
 * `<registry key>#<field>` (`readQueryKey`), every value a string as Terraform renders it.
 */
export const READ_QUERY_KEYS = {
  /** As `HANDLER_ENV.baseDirectory`, for the read (which looks at the private key file where the cloud returns no public key). */
  baseDirectory: 'base_directory',
  /** The tags the app declares, as a JSON object: the read compares the cloud's with them. */
  tags: 'declared_tags',
  /** Set (`true`) on a reference's entry: a pair made elsewhere, looked up by name or id (`LOOKUP_QUERY_KEYS`), never ours. */
  lookup: 'lookup',
} as const;

/**
 * The stack read's query key of one field of one pair. Field names never hold `#`, so the last `#` splits
 * the key however the construct path is spelled.
 */
export function readQueryKey(entry: string, field: string): string {
  return `${entry}#${field}`;
}

/** The pair and field of a stack read's query key; undefined when the key has no `#`. */
export function parseReadQueryKey(key: string): { readonly entry: string; readonly field: string } | undefined {
  const index = key.lastIndexOf('#');
  return index < 0 ? undefined : { entry: key.slice(0, index), field: key.slice(index + 1) };
}

/**
 * The query of a reference's data source (`handler lookup`): a key pair made elsewhere, found by name or by
 * id, never created, changed or deleted.
 */
export const LOOKUP_QUERY_KEYS = {
  /** Look the pair up by its id (Tencent `skey-…`) instead of its name. */
  keyPairId: 'lookup_key_pair_id',
} as const;
