export * from './cloud';
