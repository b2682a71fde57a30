export * from './config.ts';
export * from './features.ts';
export * from './env.ts';
export * from './day-ahead.ts';
export * from './site.ts';
