export * from './range.ts';
export * from './economics.ts';
export * from './grid.ts';
export * from './pool.ts';
export * from './size.ts';
export * from './csv.ts';
