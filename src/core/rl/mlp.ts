// The policy network in plain TypeScript: actor (logits) and critic (value), each a 2×64 tanh MLP as in CleanRL's
// ppo.py. Rollouts and greedy inference run this forward pass on Float32Arrays (a tfjs `predict` per step costs far
// more than its arithmetic, DESIGN.md "RL"). Cloning's updates run in tfjs, whose weights are copied here after
// each epoch; PPO's run in plain TypeScript too by default (ppo-update.ts, `PpoConfig.updateEngine`).

import { type Rng } from './rng.ts';

/** A dense layer, kernel row-major [inDim][outDim]. */
export interface Dense {
  inDim: number;
  outDim: number;
  kernel: Float32Array;
  bias: Float32Array;
}

/** Actor and critic stacks; hidden layers use tanh, the last layer of each is linear. */
export interface PolicyWeights {
  actor: Dense[];
  critic: Dense[];
}

/** Orthogonal matrix [inDim][outDim] × gain (Saxe et al. 2014; CleanRL's layer_init), seeded. */
export function orthogonal(inDim: number, outDim: number, gain: number, rng: Rng): Float32Array {
  const rows = Math.max(inDim, outDim);
  const cols = Math.min(inDim, outDim);
  // Columns of a Gaussian rows×cols matrix, orthonormalised by modified Gram–Schmidt.
  const q: Float64Array[] = [];
  for (let j = 0; j < cols; j++) {
    const v = new Float64Array(rows);
    for (let i = 0; i < rows; i++) v[i] = rng.normal();
    for (const u of q) {
      let dot = 0;
      for (let i = 0; i < rows; i++) dot += u[i] * v[i];
      for (let i = 0; i < rows; i++) v[i] -= dot * u[i];
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < rows; i++) v[i] /= norm;
    q.push(v);
  }
  const w = new Float32Array(inDim * outDim);
  for (let i = 0; i < inDim; i++) {
    for (let o = 0; o < outDim; o++) w[i * outDim + o] = gain * (inDim >= outDim ? q[o][i] : q[i][o]);
  }
  return w;
}

function dense(inDim: number, outDim: number, gain: number, rng: Rng): Dense {
  return { inDim, outDim, kernel: orthogonal(inDim, outDim, gain, rng), bias: new Float32Array(outDim) };
}

/** CleanRL's initialisation: hidden gain √2, actor head 0.01 (near-uniform start), critic head 1; biases 0. */
export function initPolicyWeights(obsDim: number, numActions: number, hidden: number, rng: Rng): PolicyWeights {
  const s = Math.SQRT2;
  return {
    actor: [dense(obsDim, hidden, s, rng), dense(hidden, hidden, s, rng), dense(hidden, numActions, 0.01, rng)],
    critic: [dense(obsDim, hidden, s, rng), dense(hidden, hidden, s, rng), dense(hidden, 1, 1, rng)],
  };
}

/**
 * One dense layer for a batch, out[n][o] = bias[o] + Σ_i x[n][i] · kernel[i][o], summed in i order and rounded to
 * float32 after every addition (the order and rounding of a Float32Array accumulator, so the result is the same
 * as the simple loop's bit for bit), two rows × four outputs at a time in register accumulators: about four times
 * the speed of accumulating into the array (README "PPO throughput").
 */
function denseRows(x: Float32Array, batch: number, layer: Dense, out: Float32Array, tanh: boolean): void {
  const { inDim: I, outDim: O, kernel: k, bias } = layer;
  const f = Math.fround;
  const O4 = O - (O % 4);
  let n = 0;
  // Two rows × four outputs: eight accumulators share each load.
  for (; n + 1 < batch; n += 2) {
    const x0 = n * I;
    const x1 = x0 + I;
    const y0 = n * O;
    const y1 = y0 + O;
    for (let o = 0; o < O4; o += 4) {
      let s0 = bias[o],
        s1 = bias[o + 1],
        s2 = bias[o + 2],
        s3 = bias[o + 3];
      let t0 = s0,
        t1 = s1,
        t2 = s2,
        t3 = s3;
      for (let i = 0, r = o; i < I; i++, r += O) {
        const a = x[x0 + i];
        const b = x[x1 + i];
        const w0 = k[r];
        const w1 = k[r + 1];
        const w2 = k[r + 2];
        const w3 = k[r + 3];
        s0 = f(s0 + a * w0);
        s1 = f(s1 + a * w1);
        s2 = f(s2 + a * w2);
        s3 = f(s3 + a * w3);
        t0 = f(t0 + b * w0);
        t1 = f(t1 + b * w1);
        t2 = f(t2 + b * w2);
        t3 = f(t3 + b * w3);
      }
      out[y0 + o] = s0;
      out[y0 + o + 1] = s1;
      out[y0 + o + 2] = s2;
      out[y0 + o + 3] = s3;
      out[y1 + o] = t0;
      out[y1 + o + 1] = t1;
      out[y1 + o + 2] = t2;
      out[y1 + o + 3] = t3;
    }
    for (let o = O4; o < O; o++) {
      let s = bias[o];
      let t = s;
      for (let i = 0, r = o; i < I; i++, r += O) {
        s = f(s + x[x0 + i] * k[r]);
        t = f(t + x[x1 + i] * k[r]);
      }
      out[y0 + o] = s;
      out[y1 + o] = t;
    }
  }
  if (n < batch) {
    // The odd row (a greedy rollout's only one): four outputs at a time.
    const x0 = n * I;
    const y0 = n * O;
    for (let o = 0; o < O4; o += 4) {
      let s0 = bias[o],
        s1 = bias[o + 1],
        s2 = bias[o + 2],
        s3 = bias[o + 3];
      for (let i = 0, r = o; i < I; i++, r += O) {
        const a = x[x0 + i];
        s0 = f(s0 + a * k[r]);
        s1 = f(s1 + a * k[r + 1]);
        s2 = f(s2 + a * k[r + 2]);
        s3 = f(s3 + a * k[r + 3]);
      }
      out[y0 + o] = s0;
      out[y0 + o + 1] = s1;
      out[y0 + o + 2] = s2;
      out[y0 + o + 3] = s3;
    }
    for (let o = O4; o < O; o++) {
      let s = bias[o];
      for (let i = 0, r = o; i < I; i++, r += O) s = f(s + x[x0 + i] * k[r]);
      out[y0 + o] = s;
    }
  }
  if (tanh) for (let j = 0; j < batch * O; j++) out[j] = Math.tanh(out[j]);
}

/** Forward pass of one stack for a batch: x is [batch][inDim], returns out [batch][outDim of the last layer]. */
export function forwardStack(layers: Dense[], x: Float32Array, batch: number, out: Float32Array): Float32Array {
  const w = Math.max(...layers.map((l) => l.outDim));
  // Activations ping-pong between two batch-sized buffers, a layer at a time.
  let a = new Float32Array(batch * w);
  let b = new Float32Array(batch * w);
  const last = layers.length - 1;
  let src = x;
  for (let l = 0; l <= last; l++) {
    const dst = l === last ? out : a;
    denseRows(src, batch, layers[l], dst, l < last);
    src = dst;
    const t = a;
    a = b;
    b = t;
  }
  return out;
}

/** Index of the largest logit in row `n` (the greedy action). */
export function argmaxRow(logits: Float32Array, n: number, numActions: number): number {
  let best = 0;
  let bestV = logits[n * numActions];
  for (let a = 1; a < numActions; a++) {
    const v = logits[n * numActions + a];
    if (v > bestV) {
      bestV = v;
      best = a;
    }
  }
  return best;
}

/** Samples an action from softmax(logits row n); writes its log-probability into logp[n]. */
export function sampleRow(logits: Float32Array, n: number, numActions: number, rng: Rng, logp: Float32Array): number {
  let m = -Infinity;
  for (let a = 0; a < numActions; a++) m = Math.max(m, logits[n * numActions + a]);
  let z = 0;
  for (let a = 0; a < numActions; a++) z += Math.exp(logits[n * numActions + a] - m);
  const logZ = m + Math.log(z);
  let u = rng.next() * z;
  let chosen = numActions - 1;
  for (let a = 0; a < numActions; a++) {
    u -= Math.exp(logits[n * numActions + a] - m);
    if (u < 0) {
      chosen = a;
      break;
    }
  }
  logp[n] = logits[n * numActions + chosen] - logZ;
  return chosen;
}

/** Deep copy, for keeping the best policy. */
export function cloneWeights(w: PolicyWeights): PolicyWeights {
  const c = (l: Dense): Dense => ({ inDim: l.inDim, outDim: l.outDim, kernel: l.kernel.slice(), bias: l.bias.slice() });
  return { actor: w.actor.map(c), critic: w.critic.map(c) };
}

/** Flat list of named arrays (SavedModel layout): actor/0/kernel, actor/0/bias, ..., critic/2/bias. */
export function flattenWeights(w: PolicyWeights): { name: string; shape: number[]; values: Float32Array }[] {
  const out: { name: string; shape: number[]; values: Float32Array }[] = [];
  for (const part of ['actor', 'critic'] as const) {
    w[part].forEach((l, i) => {
      out.push({ name: `${part}/${i}/kernel`, shape: [l.inDim, l.outDim], values: l.kernel });
      out.push({ name: `${part}/${i}/bias`, shape: [l.outDim], values: l.bias });
    });
  }
  return out;
}

/** Inverse of flattenWeights; throws when a name or shape is missing. */
export function unflattenWeights(flat: { name: string; shape: number[]; values: ArrayLike<number> }[]): PolicyWeights {
  const byName = new Map(flat.map((f) => [f.name, f]));
  const stack = (part: 'actor' | 'critic'): Dense[] => {
    const layers: Dense[] = [];
    for (let i = 0; byName.has(`${part}/${i}/kernel`); i++) {
      const k = byName.get(`${part}/${i}/kernel`)!;
      const b = byName.get(`${part}/${i}/bias`);
      if (!b || k.shape.length !== 2) throw new Error(`model weights: ${part}/${i} is malformed`);
      layers.push({
        inDim: k.shape[0],
        outDim: k.shape[1],
        kernel: Float32Array.from(k.values),
        bias: Float32Array.from(b.values),
      });
    }
    if (layers.length === 0) throw new Error(`model weights: no ${part} layers`);
    return layers;
  };
  return { actor: stack('actor'), critic: stack('critic') };
}
