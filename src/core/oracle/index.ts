export * from './types.ts';
export { solveOracle } from './oracle.ts';
export { heuristicEstimate } from './heuristic.ts';
export * from './action-dp.ts';
export * from './lp.ts';
export * from './site-oracle.ts';
