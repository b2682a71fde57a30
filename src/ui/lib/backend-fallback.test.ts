import { describe, expect, it } from 'vitest';
import { fallbackBackend } from './backend-fallback.ts';

describe('fallbackBackend', () => {
  it('a failure on webgpu or webgl retries on wasm, whatever the message', () => {
    expect(fallbackBackend('webgpu', 'GPUDevice was lost: reason unknown', false)).toBe('wasm');
    expect(fallbackBackend('webgl', 'anything', true)).toBe('wasm');
  });
  it('with the backend not yet known, only a GPU-looking failure or a crash retries', () => {
    expect(fallbackBackend('auto', 'WebGPU device lost', false)).toBe('wasm');
    expect(fallbackBackend(null, 'Out of memory', false)).toBe('wasm');
    expect(fallbackBackend('auto', 'the worker crashed', true)).toBe('wasm');
    expect(fallbackBackend('auto', 'training diverged: NaN loss', false)).toBeNull();
  });
  it('wasm falls back to cpu only after a crash; cpu has nowhere to go', () => {
    expect(fallbackBackend('wasm', 'crashed', true)).toBe('cpu');
    expect(fallbackBackend('wasm', 'NaN loss', false)).toBeNull();
    expect(fallbackBackend('cpu', 'crashed', true)).toBeNull();
  });
});
