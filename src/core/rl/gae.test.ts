import { describe, expect, it } from 'vitest';
import { computeGae } from './gae.ts';
import { createRng } from './rng.ts';

/** Textbook GAE: A_t = Σ_l (γλ)^l δ_{t+l}, summed until the episode ends or the rollout does. */
function textbookGae(
  r: Float32Array,
  v: Float32Array,
  d: Uint8Array,
  next: Float32Array,
  T: number,
  N: number,
  g: number,
  lam: number,
): Float32Array {
  const adv = new Float32Array(T * N);
  for (let e = 0; e < N; e++) {
    for (let t = 0; t < T; t++) {
      let sum = 0;
      let w = 1;
      for (let k = t; k < T; k++) {
        const i = k * N + e;
        const nextV = k === T - 1 ? next[e] : v[i + N];
        const delta = r[i] + g * nextV * (1 - d[i]) - v[i];
        sum += w * delta;
        if (d[i]) break;
        w *= g * lam;
      }
      adv[t * N + e] = sum;
    }
  }
  return adv;
}

describe('computeGae', () => {
  it('computeGae equals the textbook sum over random rewards, values and episode ends', () => {
    const rng = createRng(11);
    const T = 37;
    const N = 5;
    const r = Float32Array.from({ length: T * N }, () => rng.normal());
    const v = Float32Array.from({ length: T * N }, () => rng.normal());
    const d = Uint8Array.from({ length: T * N }, () => (rng.next() < 0.1 ? 1 : 0));
    const next = Float32Array.from({ length: N }, () => rng.normal());
    const { advantages, returns } = computeGae(r, v, d, next, T, N, 0.97, 0.9);
    const ref = textbookGae(r, v, d, next, T, N, 0.97, 0.9);
    for (let i = 0; i < T * N; i++) {
      expect(advantages[i]).toBeCloseTo(ref[i], 4);
      expect(returns[i]).toBeCloseTo(ref[i] + v[i], 4);
    }
  });

  it('computeGae with λ = 1 and γ = 1 gives return-to-go minus value within an episode', () => {
    const r = Float32Array.from([1, 2, 3]);
    const v = new Float32Array(3);
    const d = Uint8Array.from([0, 0, 1]);
    const { advantages } = computeGae(r, v, d, new Float32Array([100]), 3, 1, 1, 1);
    expect(Array.from(advantages)).toEqual([6, 5, 3]);
  });
});
