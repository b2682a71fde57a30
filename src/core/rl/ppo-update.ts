// PPO's minibatch update in plain TypeScript on Float64Arrays: the forward pass of actor and critic, the clipped
// surrogate, clipped value loss and entropy bonus, their gradients by hand (the same ops tfjs differentiates in
// ppo.ts's tfjs path, with the same tie rules), global gradient clipping and tfjs's Adam, in one call per
// minibatch. tfjs spent ~20 ms of overhead on the ~500 kernels of one such step on wasm (the arithmetic is ~9 M
// multiply-adds); here it is arithmetic only (README "PPO throughput"). Parameters and Adam moments stay in float64
// between steps; `weights()` rounds them to the float32 PolicyWeights the rollout and the saved model use.

import { type Dense, type PolicyWeights } from './mlp.ts';
import { type PpoConfig } from './config.ts';

/**
 * C[m][n] = bias[n] (or 0) + Σ_k A[m][k]·B[k][n], all row-major at the given offsets, two rows × four columns at a
 * time (eight register accumulators share each load; ~30% faster than one row × eight columns, ~1.2 G
 * multiply-adds/s in V8 here); tanh (tanhFloat32) on the result when asked.
 */
export function gemm(
  A: Float64Array,
  aOff: number,
  M: number,
  K: number,
  B: Float64Array,
  bOff: number,
  N: number,
  bias: Float64Array | null,
  biasOff: number,
  C: Float64Array,
  cOff: number,
  tanh: boolean,
): void {
  const N4 = N - (N % 4);
  let m = 0;
  for (; m + 1 < M; m += 2) {
    const a0 = aOff + m * K;
    const a1 = a0 + K;
    const c0 = cOff + m * N;
    const c1 = c0 + N;
    for (let n = 0; n < N4; n += 4) {
      const b = biasOff + n;
      let s0 = bias ? bias[b] : 0,
        s1 = bias ? bias[b + 1] : 0,
        s2 = bias ? bias[b + 2] : 0,
        s3 = bias ? bias[b + 3] : 0;
      let t0 = s0,
        t1 = s1,
        t2 = s2,
        t3 = s3;
      for (let k = 0, r = bOff + n; k < K; k++, r += N) {
        const x = A[a0 + k];
        const y = A[a1 + k];
        const w0 = B[r];
        const w1 = B[r + 1];
        const w2 = B[r + 2];
        const w3 = B[r + 3];
        s0 += x * w0;
        s1 += x * w1;
        s2 += x * w2;
        s3 += x * w3;
        t0 += y * w0;
        t1 += y * w1;
        t2 += y * w2;
        t3 += y * w3;
      }
      C[c0 + n] = s0;
      C[c0 + n + 1] = s1;
      C[c0 + n + 2] = s2;
      C[c0 + n + 3] = s3;
      C[c1 + n] = t0;
      C[c1 + n + 1] = t1;
      C[c1 + n + 2] = t2;
      C[c1 + n + 3] = t3;
    }
    for (let n = N4; n < N; n++) {
      let s = bias ? bias[biasOff + n] : 0;
      let t = s;
      for (let k = 0, r = bOff + n; k < K; k++, r += N) {
        const w = B[r];
        s += A[a0 + k] * w;
        t += A[a1 + k] * w;
      }
      C[c0 + n] = s;
      C[c1 + n] = t;
    }
  }
  if (m < M) {
    const a0 = aOff + m * K;
    const c0 = cOff + m * N;
    for (let n = 0; n < N; n++) {
      let s = bias ? bias[biasOff + n] : 0;
      for (let k = 0, r = bOff + n; k < K; k++, r += N) s += A[a0 + k] * B[r];
      C[c0 + n] = s;
    }
  }
  if (tanh) tanhInPlace(C, cOff, cOff + M * N);
}

/**
 * tanh to float32 precision (|error| ≤ 2.6e-7, measured against Math.tanh over ±10), the rational approximation
 * Eigen uses for float tanh: a fifth of Math.tanh's cost in V8 (7 ns against 38 ns here), and a minibatch step takes
 * 65,536 of them. tfjs's own tanh is float32 too; the rollout's forward pass keeps Math.tanh (mlp.ts).
 */
export function tanhFloat32(x: number): number {
  const c = 7.90531110763549805;
  const v = x < -c ? -c : x > c ? c : x;
  const x2 = v * v;
  let p = x2 * -2.76076847742355e-16 + 2.00018790482477e-13;
  p = x2 * p + -8.60467152213735e-11;
  p = x2 * p + 5.12229709037114e-8;
  p = x2 * p + 1.48572235717979e-5;
  p = x2 * p + 6.37261928875436e-4;
  p = x2 * p + 4.89352455891786e-3;
  let q = x2 * 1.19825839466702e-6 + 1.18534705686654e-4;
  q = x2 * q + 2.268434632439e-3;
  q = x2 * q + 4.89352518554385e-3;
  return (v * p) / q;
}

function tanhInPlace(x: Float64Array, from: number, to: number): void {
  for (let k = from; k < to; k++) x[k] = tanhFloat32(x[k]);
}

/** dst[c][r] = src[r][c] for a rows × cols block of src at srcOff. */
export function transpose(src: Float64Array, srcOff: number, rows: number, cols: number, dst: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const s = srcOff + r * cols;
    for (let c = 0; c < cols; c++) dst[c * rows + r] = src[s + c];
  }
}

/** Where a layer's kernel [inDim][outDim] and bias live in the flat parameter vector. */
interface LayerAt {
  inDim: number;
  outDim: number;
  kernel: number;
  bias: number;
}

/** tfjs's Adam (moments by parameter, bias correction by accumulated β powers), over params[from, to). */
class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private accBeta1 = 0.9;
  private accBeta2 = 0.999;

  constructor(
    size: number,
    private readonly from: number,
    private readonly to: number,
    private readonly eps: number,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** params −= lr · m̂ / (√v̂ + ε) with the gradient scaled by `scale` (the global-norm clip). */
  apply(params: Float64Array, grads: Float64Array, scale: number, lr: number): void {
    const { m, v } = this;
    const c1 = 1 - this.accBeta1;
    const c2 = 1 - this.accBeta2;
    for (let i = this.from; i < this.to; i++) {
      const g = grads[i] * scale;
      const mi = m[i] * 0.9 + g * (1 - 0.9);
      const vi = v[i] * 0.999 + g * g * (1 - 0.999);
      m[i] = mi;
      v[i] = vi;
      params[i] += -lr * (mi / c1 / (Math.sqrt(vi / c2) + this.eps));
    }
    this.accBeta1 *= 0.9;
    this.accBeta2 *= 0.999;
  }
}

/** The rollout's flat buffers a minibatch is drawn from (index = step × numEnvs + env). */
export interface RolloutBuffers {
  obs: Float32Array;
  obsDim: number;
  actions: Int32Array;
  logp: Float32Array;
  values: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
}

/** Statistics of one minibatch step, in ppo.ts's order. */
export const STAT_NAMES = ['pgLoss', 'vLoss', 'entropy', 'approxKl', 'clipFrac', 'loss', 'gradNorm'] as const;

type LossConfig = Pick<
  PpoConfig,
  'adamEps' | 'clipCoef' | 'clipVloss' | 'entCoef' | 'vfCoef' | 'maxGradNorm' | 'normAdv'
>;

/** Actor and critic parameters with their two Adam optimisers (all parameters; critic only, for the warm-up). */
export class PpoLearner {
  readonly params: Float64Array;
  readonly grads: Float64Array;
  private readonly actor: LayerAt[];
  private readonly critic: LayerAt[];
  private readonly criticFrom: number;
  private readonly full: Adam;
  private readonly criticAdam: Adam;
  private readonly nA: number;
  private scratchRows = 0;
  private s!: {
    x: Float64Array;
    xT: Float64Array;
    acts: Float64Array[][];
    dOut: Float64Array;
    dA: Float64Array;
    dB: Float64Array;
    hT: Float64Array;
    wT: Float64Array;
    adv: Float64Array;
  };

  constructor(
    w: PolicyWeights,
    private readonly c: LossConfig,
  ) {
    let at = 0;
    const place = (layers: Dense[]): LayerAt[] =>
      layers.map((l) => {
        const r = { inDim: l.inDim, outDim: l.outDim, kernel: at, bias: at + l.inDim * l.outDim };
        at = r.bias + l.outDim;
        return r;
      });
    this.actor = place(w.actor);
    this.criticFrom = at;
    this.critic = place(w.critic);
    this.params = new Float64Array(at);
    this.grads = new Float64Array(at);
    this.setWeights(w);
    this.full = new Adam(at, 0, at, c.adamEps);
    this.criticAdam = new Adam(at, this.criticFrom, at, c.adamEps);
    this.nA = w.actor[w.actor.length - 1].outDim;
  }

  /** Overwrites the parameters (Adam's moments stay). */
  setWeights(w: PolicyWeights): void {
    const put = (src: Dense[], dst: LayerAt[]) =>
      src.forEach((l, i) => {
        this.params.set(l.kernel, dst[i].kernel);
        this.params.set(l.bias, dst[i].bias);
      });
    put(w.actor, this.actor);
    put(w.critic, this.critic);
  }

  /** The parameters rounded to float32, as the rollout and the saved model hold them. */
  weights(): PolicyWeights {
    const get = (ls: LayerAt[]): Dense[] =>
      ls.map((l) => ({
        inDim: l.inDim,
        outDim: l.outDim,
        kernel: Float32Array.from(this.params.subarray(l.kernel, l.bias)),
        bias: Float32Array.from(this.params.subarray(l.bias, l.bias + l.outDim)),
      }));
    return { actor: get(this.actor), critic: get(this.critic) };
  }

  private scratch(n: number, obsDim: number) {
    if (this.scratchRows < n) {
      const all = [...this.actor, ...this.critic];
      const widest = Math.max(obsDim, ...all.map((l) => Math.max(l.inDim, l.outDim)));
      const maxW = Math.max(...all.map((l) => l.inDim * l.outDim));
      this.s = {
        x: new Float64Array(n * obsDim),
        xT: new Float64Array(n * obsDim),
        acts: [this.actor, this.critic].map((ls) => ls.map((l) => new Float64Array(n * l.outDim))),
        dOut: new Float64Array(n * widest),
        dA: new Float64Array(n * widest),
        dB: new Float64Array(n * widest),
        hT: new Float64Array(n * widest),
        wT: new Float64Array(maxW),
        adv: new Float64Array(n),
      };
      this.scratchRows = n;
    }
    return this.s;
  }

  /** Forward pass of one stack on x [n][inDim]; the activations of each layer land in `acts`. */
  private forward(ls: LayerAt[], x: Float64Array, n: number, acts: Float64Array[]): void {
    let src = x;
    ls.forEach((l, i) => {
      gemm(src, 0, n, l.inDim, this.params, l.kernel, l.outDim, this.params, l.bias, acts[i], 0, i < ls.length - 1);
      src = acts[i];
    });
  }

  /** Gradients of one stack into `grads`, from dOut = ∂loss/∂output [n][outDim of the last layer]. */
  private backward(ls: LayerAt[], x: Float64Array, xT: Float64Array, n: number, acts: Float64Array[]): void {
    const s = this.s;
    const p = this.params;
    const g = this.grads;
    let dY = s.dOut;
    let spare = s.dA;
    for (let i = ls.length - 1; i >= 0; i--) {
      const l = ls[i];
      const input = i === 0 ? x : acts[i - 1];
      // ∂W = inputᵀ · dY; ∂b = Σ_rows dY.
      let inT = xT;
      if (i > 0) {
        transpose(input, 0, n, l.inDim, s.hT);
        inT = s.hT;
      }
      gemm(inT, 0, l.inDim, n, dY, 0, l.outDim, null, 0, g, l.kernel, false);
      for (let o = 0; o < l.outDim; o++) g[l.bias + o] = 0;
      for (let r = 0; r < n; r++) for (let o = 0; o < l.outDim; o++) g[l.bias + o] += dY[r * l.outDim + o];
      if (i === 0) break;
      // ∂input = dY · Wᵀ, through tanh: × (1 − h²).
      transpose(p, l.kernel, l.inDim, l.outDim, s.wT);
      gemm(dY, 0, n, l.outDim, s.wT, 0, l.inDim, null, 0, spare, 0, false);
      const h = acts[i - 1];
      for (let k = 0; k < n * l.inDim; k++) spare[k] *= 1 - h[k] * h[k];
      const t = dY;
      dY = spare;
      spare = t === s.dOut ? s.dB : t;
    }
  }

  /**
   * One minibatch step on rows idx[from … from + n) of the rollout: loss, gradients, global-norm clip and Adam at
   * learning rate `lr` (critic only: the value loss, critic parameters, the critic's own Adam). Writes STAT_NAMES
   * into `stats` when given (the actor's forward pass is skipped in a critic-only step without stats).
   */
  step(
    buf: RolloutBuffers,
    idx: Int32Array,
    from: number,
    n: number,
    criticOnly: boolean,
    lr: number,
    stats: Float64Array | null,
  ): void {
    const norm = this.gradients(buf, idx, from, n, criticOnly, stats);
    const scale = Math.min(1, this.c.maxGradNorm / (norm + 1e-6));
    (criticOnly ? this.criticAdam : this.full).apply(this.params, this.grads, scale, lr);
  }

  /**
   * The loss's gradients into `grads` (critic only: the critic's part is current, the actor's is left as it was)
   * and their global L2 norm over the parameters the step trains; STAT_NAMES into `stats` when given.
   */
  gradients(
    buf: RolloutBuffers,
    idx: Int32Array,
    from: number,
    n: number,
    criticOnly: boolean,
    stats: Float64Array | null,
  ): number {
    const c = this.c;
    const D = buf.obsDim;
    const nA = this.nA;
    const s = this.scratch(n, D);
    const g = this.grads;
    for (let r = 0; r < n; r++) {
      const row = idx[from + r];
      for (let k = 0; k < D; k++) s.x[r * D + k] = buf.obs[row * D + k];
    }
    transpose(s.x, 0, n, D, s.xT);
    // Advantages, normalised over the minibatch (population variance, as tf.moments).
    let mean = 0;
    for (let r = 0; r < n; r++) mean += s.adv[r] = buf.advantages[idx[from + r]];
    mean /= n;
    if (c.normAdv) {
      let v = 0;
      for (let r = 0; r < n; r++) v += (s.adv[r] - mean) ** 2;
      const sd = Math.sqrt(v / n) + 1e-8;
      for (let r = 0; r < n; r++) s.adv[r] = (s.adv[r] - mean) / sd;
    }
    const withActor = !criticOnly || stats !== null;
    const [aActs, cActs] = s.acts;
    if (withActor) this.forward(this.actor, s.x, n, aActs);
    this.forward(this.critic, s.x, n, cActs);
    const logits = aActs[aActs.length - 1];
    const values = cActs[cActs.length - 1];
    const inv = 1 / n;
    const clip = c.clipCoef;

    // Policy terms and ∂loss/∂logits.
    let pgSum = 0;
    let entSum = 0;
    let klSum = 0;
    let clipped = 0;
    if (withActor) {
      const dZ = s.dOut;
      for (let r = 0; r < n; r++) {
        const z = r * nA;
        let m = -Infinity;
        for (let a = 0; a < nA; a++) m = Math.max(m, logits[z + a]);
        let sum = 0;
        for (let a = 0; a < nA; a++) sum += Math.exp(logits[z + a] - m);
        const lse = m + Math.log(sum);
        let h = 0;
        for (let a = 0; a < nA; a++) {
          const la = logits[z + a] - lse;
          h -= Math.exp(la) * la;
        }
        const act = buf.actions[idx[from + r]];
        const logRatio = logits[z + act] - lse - buf.logp[idx[from + r]];
        const ratio = Math.exp(logRatio);
        const adv = s.adv[r];
        const pg1 = -adv * ratio;
        const pg2 = -adv * Math.min(Math.max(ratio, 1 - clip), 1 + clip);
        // max(pg1, pg2): ties and the unclipped side carry the gradient (tfjs's maximum and clipByValue rules).
        pgSum += pg1 >= pg2 ? pg1 : pg2;
        const dLogp = pg1 >= pg2 ? -adv * ratio * inv : 0;
        entSum += h;
        klSum += ratio - 1 - logRatio;
        if (Math.abs(ratio - 1) > clip) clipped++;
        if (!criticOnly) {
          const e = c.entCoef * inv;
          for (let a = 0; a < nA; a++) {
            const la = logits[z + a] - lse;
            const pa = Math.exp(la);
            dZ[z + a] = dLogp * ((a === act ? 1 : 0) - pa) + e * pa * (la + h);
          }
        }
      }
      if (!criticOnly) this.backward(this.actor, s.x, s.xT, n, aActs);
    }

    // Value terms and ∂loss/∂value.
    let vSum = 0;
    const dV = s.dOut;
    const vScale = c.vfCoef * inv;
    for (let r = 0; r < n; r++) {
      const row = idx[from + r];
      const v = values[r];
      const ret = buf.returns[row];
      const u = (v - ret) ** 2;
      if (c.clipVloss) {
        const oldV = buf.values[row];
        const d = v - oldV;
        const vc = oldV + Math.min(Math.max(d, -clip), clip);
        const q = (vc - ret) ** 2;
        vSum += u >= q ? u : q;
        dV[r] = vScale * (u >= q ? v - ret : d >= -clip && d <= clip ? vc - ret : 0);
      } else {
        vSum += u;
        dV[r] = vScale * (v - ret);
      }
    }
    this.backward(this.critic, s.x, s.xT, n, cActs);

    // The global norm over the parameters this step trains (the clip's measure).
    let sq = 0;
    for (let i = criticOnly ? this.criticFrom : 0; i < g.length; i++) sq += g[i] * g[i];
    const norm = Math.sqrt(sq);

    if (stats) {
      const pgLoss = pgSum * inv;
      const vLoss = 0.5 * vSum * inv;
      const entropy = entSum * inv;
      stats[0] = pgLoss;
      stats[1] = vLoss;
      stats[2] = entropy;
      stats[3] = klSum * inv;
      stats[4] = clipped * inv;
      stats[5] = criticOnly ? c.vfCoef * vLoss : pgLoss - c.entCoef * entropy + c.vfCoef * vLoss;
      stats[6] = norm;
    }
    return norm;
  }
}
