/**
 * Keys of one pair's result in `handler read`'s answer (each entry of the stack's read is the JSON of such
 * a map), which the construct keeps in its result resource and exposes as tokens. One list for both sides,
 * so neither can rename one alone.
 */
export const RESULT_KEYS = {
  /**
   * `present`, `missing` or `taken` (READ_STATUS). A missing or taken pair is reported, not raised:
   * `terraform destroy` reads data sources too and must still work. A missing pair of this deployment is
   * made again by the next apply (its presence resource replaces the carrier); a taken name fails the plan
   * through the stack read's postcondition, quoting `problem`.
   */
  status: 'status',
  keyPairId: 'key_pair_id',
  keyPairName: 'key_pair_name',
  /** The cloud's own fingerprint, exactly as the cloud gives it ("" where the cloud has none). */
  fingerprint: 'fingerprint',
  /** OpenSSH `SHA256:…`, computed from the public key ("" when the public key is unknown). */
  fingerprintSha256: 'fingerprint_sha256',
  /** OpenSSH `MD5:aa:bb:…`, computed from the public key ("" when the public key is unknown). */
  fingerprintMd5: 'fingerprint_md5',
  /** `<type> <base64>`, without a comment ("" when the cloud does not return it and we do not hold it). */
  publicKey: 'public_key',
  /**
   * Where the cloud's tags stand against the declared ones: the pair's revision tag when they match, else a
   * new value naming the difference (so the stack's tag resource plans a replacement). "" on clouds without
   * tags and for references.
   */
  tagsRevision: 'tags_revision',
  /** Why the read cannot report the pair as this deployment's (status `taken`): who holds the name, and what to do. */
  problem: 'problem',
  /**
   * The private key's secret as its store names it (Alibaba's ARN `acs:kms:<region>:<account>:secret/<name>`,
   * Tencent's `qcs::ssm:<region>:uin/:secret/creatorUin/<account>/<name>`): "" without a secret
   * destination, for references, and where the store gives none.
   */
  secretResourceName: 'private_key_secret_resource_name',
} as const;

export type ResultKey = (typeof RESULT_KEYS)[keyof typeof RESULT_KEYS];

/** The values of `RESULT_KEYS.status`. */
export const READ_STATUS = {
  present: 'present',
  missing: 'missing',
  /**
   * The name is held by a pair that is not this deployment's (another deployment of the app, another
   * construct, someone else): reported, so `terraform destroy` still works, and turned into a plan error by
   * the stack read's postcondition, quoting `problem`.
   */
  taken: 'taken',
} as const;
