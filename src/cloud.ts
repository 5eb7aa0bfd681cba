/**
 * The clouds cdktf-keypair manages SSH key pairs on.
 *
 * The values are the identifiers the synthesized configuration and the deploy-time handler share (the
 * handler imports this enum), so the two sides cannot disagree on a cloud's name.
 */
export enum KeyPairCloud {
  /** Alibaba Cloud ECS (API 2014-05-26). */
  ALICLOUD = 'alicloud',
  /** Tencent Cloud CVM (API 2017-03-12). */
  TENCENTCLOUD = 'tencentcloud',
  /** UCloud UHost, and clouds that serve the UCloud API on their own endpoint. */
  UCLOUD = 'ucloud',
}
