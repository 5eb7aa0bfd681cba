/**
 * The construct↔handler contract: everything the synthesized configuration and the deploy-time handler
 * (and the emulator) must agree on, defined once. Internal: not part of the jsii API.
 */
export * from './clouds';
export * from './commands';
export * from './delete-timeout';
export * from './destinations';
export * from './generation';
export * from './inputs';
export * from './ownership';
export * from './results';
export * from './rules';
export * from './secret-destinations';
export * from './tag-checks';
export * from './unreachable';
