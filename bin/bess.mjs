#!/usr/bin/env node
// `npx bess`: runs the TypeScript CLI through tsx, so the CLI and the page share one source.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/bess.ts');
await main(process.argv.slice(2));
