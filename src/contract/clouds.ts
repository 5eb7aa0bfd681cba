import { KeyPairCloud } from '../cloud';

/** A cloud by the identifier the synthesized configuration and the handler share (`alicloud`, ...). */
export type CloudName = `${KeyPairCloud}`;

/** Every cloud, in one order everyone uses: derived from the public enum, never listed again. */
export const CLOUD_NAMES: readonly CloudName[] = Object.values(KeyPairCloud);

/** How users and error messages name each cloud's key pair service. */
export const CLOUD_LABELS: Readonly<Record<CloudName, string>> = {
  alicloud: 'Alibaba Cloud ECS',
  tencentcloud: 'Tencent Cloud CVM',
  ucloud: 'UCloud UHost',
};

export function isCloudName(value: string): value is CloudName {
  return (CLOUD_NAMES as readonly string[]).includes(value);
}
