import type { CloudName } from '../../src/contract';

/** The region each cloud's key pairs are made in by the tests that need one, unless a test says otherwise. */
export const REGIONS: Readonly<Record<CloudName, string>> = {
  alicloud: 'cn-hangzhou',
  tencentcloud: 'ap-guangzhou',
  ucloud: 'cn-bj2',
};
