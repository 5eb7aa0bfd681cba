/**
 * Keys of the flat string map `handler read` prints, which the construct exposes as tokens
 * (`data.external.<id>.result["<key>"]`). One list for both sides, so neither can rename one alone.
 */
export const RESULT_KEYS = {
  /**
   * `present` or `missing`. A missing pair is reported, not raised: `terraform destroy` reads data sources
   * too and must still work. The construct turns `missing` into a plan-time error through a postcondition
   * on the data source that names `terraform apply -replace=<address>`.
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
} as const;

export type ResultKey = (typeof RESULT_KEYS)[keyof typeof RESULT_KEYS];

/** The values of `RESULT_KEYS.status`. */
export const READ_STATUS = {
  present: 'present',
  missing: 'missing',
} as const;
