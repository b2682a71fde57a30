// What `bess train`, `bess backtest` and bench/rl.bench.ts need from Node: tfjs backends (@tensorflow/tfjs-node
// does not install here, so the wasm backend, single-threaded, binaries read from node_modules, or the pure-JS cpu
// backend) and the price-file loader of src/io (re-exported here so the RL commands name it in one place).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../../../workers/trainer.ts';
import type { BackendName } from '../../../workers/trainer-api.ts';

export { loadPriceFile } from '../../io/load.ts';

let configured = false;

/** Points the wasm backend at its binaries in node_modules (once). */
export function configureNodeBackends(): void {
  if (configured) return;
  configured = true;
  const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(dirname(entry) + '/');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  // PROD silences tfjs's console warnings (a tfjs-node advertisement on first use of cpu); stderr is for errors.
  tf.env().set('PROD', true);
}

/** Backends the CLI can use. */
export const NODE_BACKENDS: BackendName[] = ['wasm', 'cpu'];

/** Node's backend selection: a named one, or the faster of wasm and cpu by measurement. */
export function selectNodeBackend(want: BackendName | 'auto'): Promise<BackendName> {
  configureNodeBackends();
  return selectBackend(want, NODE_BACKENDS);
}
