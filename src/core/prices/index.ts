export * from './types.ts';
export * from './parse.ts';
export * from './summary.ts';
export { cetMidnightUtcMs, cetLocalToUtcMs, cetOffsetHours } from './time.ts';
