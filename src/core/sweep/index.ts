export * from './spec.ts';
export { hash128, stableJson } from './hash.ts';
export * from './report.ts';
export * from './mlflow.ts';
export * from './csv.ts';
