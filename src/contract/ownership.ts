/**
 * The tag that marks a key pair as created by cdktf-keypair for one construct of one deployment, on the
 * clouds that tag key pairs (Alibaba, Tencent). Its value is the `owner` trigger: `<deployment>/<construct>`
 * (see `ownerValue`). A create re-run adopts, and a delete removes, only a pair carrying it with our value:
 * a pair someone else made under the same name — another deployment of the same app included — is never
 * adopted, replaced or deleted.
 */
export const OWNERSHIP_TAG_KEY = 'cdktf-keypair:owner';

/**
 * The tag that lets a plan see tags restored by apply as settled. Terraform records what the plan saw; the
 * tag step writes that record here, so the read after it reports the same value and the next plan is a
 * no-op (docs/ownership.md, "Tags in place"). Ours alone, like the ownership tag.
 */
export const TAGS_REVISION_TAG_KEY = 'cdktf-keypair:tags-revision';

/** The tags cdktf-keypair sets on every key pair it makes; users can neither set nor remove them. */
export const RESERVED_TAG_KEYS: readonly string[] = [OWNERSHIP_TAG_KEY, TAGS_REVISION_TAG_KEY];

/** The revision a key pair's tags start with: the create call sets it with the user's tags. */
export const INITIAL_TAGS_REVISION = '0';

/**
 * The ownership value of one construct in one deployment: the deployment's identity (a UUID Terraform
 * makes once per state), `/`, and hex digits of the hash of the construct's path.
 */
export function ownerValue(deployment: string, constructHash: string): string {
  return `${deployment}/${constructHash}`;
}

/** The two parts of an ownership value, or undefined when `value` is not one. */
export function parseOwnerValue(value: string | undefined): { readonly deployment: string; readonly construct: string } | undefined {
  const match = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([0-9a-f]+)$/.exec(value ?? '');
  return match ? { deployment: match[1], construct: match[2] } : undefined;
}
