export * from './types.ts';
export { parseExogenousCsv, parseGermanNumber, parsePlainNumber } from './parse.ts';
export { alignExogenous, type AlignedExogenous } from './align.ts';
