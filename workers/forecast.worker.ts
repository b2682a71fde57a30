import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// nn trains on the wasm backend (single-threaded, as the trainer): Vite copies its binaries and gives their URLs.
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { forecastWorker } from './forecast.ts';
import type { ForecastApi } from './forecast-api.ts';

tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
});

// Thin: the progress callback arrives as a Comlink proxy.
const api: ForecastApi = {
  checkExogenous: (market, file) => forecastWorker.checkExogenous(market, file),
  compare: (req, onProgress) => forecastWorker.compare(req, onProgress ? (p) => void onProgress(p) : undefined),
};
Comlink.expose(api);
