#!/usr/bin/env node
// `npx bess`: runs the TypeScript CLI through tsx, so the CLI and the page share one source.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/bess.ts');
