export * from './cloud';
export * from './carrier';
export * from './key-source';
export * from './key-pair-base';
export * from './alicloud-key-pair';
export * from './tencentcloud-key-pair';
export * from './ucloud-key-pair';
