export * from './site.ts';
export * from './simulate.ts';
export * from './step-value.ts';
