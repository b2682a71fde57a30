// The trainer in a Web Worker: registers the tfjs backends and exposes the plain trainer object through Comlink.
// All training logic is in trainer.ts (importable in Node); this file only deals with what a browser worker needs.

import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// Vite copies the .wasm binaries and gives their URLs; the page is static and serves them from its own origin.
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { trainer } from './trainer.ts';

// The multithreaded wasm build breaks after Vite's minification (DESIGN.md "RL", tfjs facts): single-threaded.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
});

Comlink.expose(trainer);
