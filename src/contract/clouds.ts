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

/**
 * A value for every cloud, written out by name: the compiler checks that none is missing, which a cast of
 * `Object.fromEntries` would not. Made in CLOUD_NAMES order.
 */
export function perCloud<T>(make: (cloud: CloudName) => T): Record<CloudName, T> {
  return { alicloud: make('alicloud'), tencentcloud: make('tencentcloud'), ucloud: make('ucloud') };
}
