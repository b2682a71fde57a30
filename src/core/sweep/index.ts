export * from './spec.ts';
export { hash128, stableJson } from './hash.ts';
export * from './report.ts';
