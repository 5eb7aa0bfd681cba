/**
 * The Terraform resource that carries a key pair's lifecycle: its `triggers` hold everything the create and
 * destroy steps need, and its two `local-exec` provisioners run the handler.
 */
export enum KeyPairCarrier {
  /** A `null_resource` from the hashicorp/null provider (`@cdktf/provider-null`). */
  NULL_RESOURCE = 'null_resource',
  /**
   * Terraform's built-in `terraform_data` resource (Terraform 1.4 or later), with `triggers_replace`: no
   * hashicorp/null provider to download. The read still uses hashicorp/external's `data "external"`.
   */
  TERRAFORM_DATA = 'terraform_data',
}
