import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Dense,
  forwardStack,
  initPolicyWeights,
  orthogonal,
  sampleRow,
  unflattenWeights,
  flattenWeights,
} from './mlp.ts';
import { createRng } from './rng.ts';
import { TfPolicy, logitsOf, valuesOf } from './tf-policy.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('mlp', () => {
  it('orthogonal(in, out) has orthonormal columns (in ≥ out) or rows (in < out), times the gain', () => {
    const rng = createRng(1);
    for (const [i, o] of [
      [10, 4],
      [4, 10],
    ]) {
      const w = orthogonal(i, o, 2, rng);
      const vecs =
        i >= o
          ? Array.from({ length: o }, (_, c) => Array.from({ length: i }, (_, r) => w[r * o + c]))
          : Array.from({ length: i }, (_, r) => Array.from(w.slice(r * o, r * o + o)));
      for (let a = 0; a < vecs.length; a++) {
        for (let b = 0; b < vecs.length; b++) {
          const dot = vecs[a].reduce((s, x, k) => s + x * vecs[b][k], 0);
          expect(dot).toBeCloseTo(a === b ? 4 : 0, 4);
        }
      }
    }
  });

  it('forwardStack equals the tfjs forward pass of the same weights', () => {
    const rng = createRng(2);
    const w = initPolicyWeights(9, 3, 16, rng);
    // Non-trivial heads so the comparison means something.
    for (let k = 0; k < w.actor[2].kernel.length; k++) w.actor[2].kernel[k] = rng.normal();
    const x = Float32Array.from({ length: 5 * 9 }, () => rng.normal());
    const logits = forwardStack(w.actor, x, 5, new Float32Array(15));
    const values = forwardStack(w.critic, x, 5, new Float32Array(5));
    const p = new TfPolicy(w);
    const [tl, tv] = tf.tidy(() => {
      const xt = tf.tensor2d(x, [5, 9]);
      return [logitsOf(p, xt).dataSync(), valuesOf(p, xt).dataSync()];
    });
    p.dispose();
    for (let k = 0; k < 15; k++) expect(logits[k]).toBeCloseTo(tl[k], 5);
    for (let k = 0; k < 5; k++) expect(values[k]).toBeCloseTo(tv[k], 5);
  });

  it('forwardStack equals, bit for bit, a float32 accumulator summed in input order (the rollout is unchanged)', () => {
    // The reference: one Float32Array accumulator per output, bias first, then inputs in order.
    const reference = (layers: Dense[], x: Float32Array, batch: number): Float32Array => {
      let rows = x;
      layers.forEach((l, li) => {
        const next = new Float32Array(batch * l.outDim);
        for (let n = 0; n < batch; n++) {
          const acc = new Float32Array(l.bias);
          for (let i = 0; i < l.inDim; i++)
            for (let o = 0; o < l.outDim; o++) acc[o] += rows[n * l.inDim + i] * l.kernel[i * l.outDim + o];
          if (li < layers.length - 1) for (let o = 0; o < l.outDim; o++) acc[o] = Math.tanh(acc[o]);
          next.set(acc, n * l.outDim);
        }
        rows = next;
      });
      return rows;
    };
    const rng = createRng(7);
    for (const [obsDim, nA, hidden, batch] of [
      [31, 3, 64, 8],
      [9, 5, 13, 1],
      [4, 2, 8, 3],
    ]) {
      const w = initPolicyWeights(obsDim, nA, hidden, rng);
      for (const l of [...w.actor, ...w.critic]) {
        for (let k = 0; k < l.kernel.length; k++) l.kernel[k] = rng.normal();
        for (let k = 0; k < l.bias.length; k++) l.bias[k] = rng.normal();
      }
      // Exact zeros in the input too (a simple loop may skip them).
      const x = Float32Array.from({ length: batch * obsDim }, (_, k) => (k % 5 === 0 ? 0 : rng.normal()));
      const logits = forwardStack(w.actor, x, batch, new Float32Array(batch * nA));
      const values = forwardStack(w.critic, x, batch, new Float32Array(batch));
      expect(Array.from(logits)).toEqual(Array.from(reference(w.actor, x, batch)));
      expect(Array.from(values)).toEqual(Array.from(reference(w.critic, x, batch)));
    }
  });

  it('sampleRow draws actions with softmax frequencies and returns their log-probability', () => {
    const rng = createRng(3);
    const logits = Float32Array.from([0, Math.log(3), -20]);
    const logp = new Float32Array(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampleRow(logits, 0, 3, rng, logp)]++;
    expect(counts[1] / 20000).toBeCloseTo(0.75, 1);
    expect(counts[2]).toBe(0);
    sampleRow(Float32Array.from([0, 0, 0]), 0, 3, rng, logp);
    expect(logp[0]).toBeCloseTo(Math.log(1 / 3), 6);
  });

  it('flattenWeights and unflattenWeights round-trip', () => {
    const w = initPolicyWeights(7, 5, 8, createRng(4));
    const back = unflattenWeights(flattenWeights(w));
    expect(back).toEqual(w);
  });
});
