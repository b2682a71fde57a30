// After a GPU failure (WebGPU device lost, WebGL context lost, GPU out of memory, or a worker that died while on a
// GPU backend) a run is retried once on wasm, the backend that runs everywhere; any other failure is reported as is.
import type { BackendName } from '../../../workers/trainer-api.ts';

const GPU_FAILURE = /device (was )?lost|devicelost|context lost|webgl|webgpu|gpu|out of memory|oom/i;

/** The backend to retry on after `failed` failed with `message`, or null when a retry would not help. */
export function fallbackBackend(
  failed: BackendName | 'auto' | null,
  message: string,
  crashed: boolean,
): BackendName | null {
  if (failed === 'wasm' || failed === 'cpu') return failed === 'wasm' && crashed ? 'cpu' : null;
  if (failed === 'webgpu' || failed === 'webgl') return 'wasm';
  // 'auto' or not known yet: only a failure that names the GPU, or a crash, is worth a retry.
  return GPU_FAILURE.test(message) || crashed ? 'wasm' : null;
}
