/**
 * The tag that marks a key pair as created by cdktf-keypair for one construct, on the clouds that tag key
 * pairs (Alibaba, Tencent). Its value is the `owner` trigger. A create re-run adopts, and a delete
 * removes, only a pair carrying it with our value: a pair someone else made under the same name is never
 * adopted or deleted.
 */
export const OWNERSHIP_TAG_KEY = 'cdktf-keypair:owner';
