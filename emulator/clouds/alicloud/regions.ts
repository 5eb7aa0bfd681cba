/**
 * The ECS region ids the emulator serves; any other RegionId is `InvalidRegionId.NotFound` (HTTP 404), as
 * on the real gateway. These are the public, finance and government regions of Alibaba Cloud's region
 * list (2025), including a few that have since closed to new users: a stack that passes here must name
 * a region the cloud knows.
 */
export const ALICLOUD_REGION_IDS: ReadonlySet<string> = new Set([
  // Chinese mainland
  'cn-qingdao', 'cn-beijing', 'cn-zhangjiakou', 'cn-huhehaote', 'cn-wulanchabu', 'cn-hangzhou', 'cn-shanghai',
  'cn-nanjing', 'cn-fuzhou', 'cn-shenzhen', 'cn-heyuan', 'cn-guangzhou', 'cn-chengdu', 'cn-wuhan-lr',
  // Finance and government clouds
  'cn-hangzhou-finance', 'cn-shanghai-finance-1', 'cn-shenzhen-finance-1', 'cn-beijing-finance-1', 'cn-north-2-gov-1',
  // Outside the Chinese mainland
  'cn-hongkong', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
  'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'ap-south-1', 'us-east-1', 'us-west-1', 'na-south-1',
  'eu-west-1', 'eu-central-1', 'me-east-1', 'me-central-1',
]);
