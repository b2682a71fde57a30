import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type PpoConfig, resolvePpoConfig } from './config.ts';
import { type PolicyWeights, flattenWeights, forwardStack, initPolicyWeights } from './mlp.ts';
import { ppoLossTf } from './ppo.ts';
import { PpoLearner, type RolloutBuffers, gemm, tanhFloat32 } from './ppo-update.ts';
import { createRng } from './rng.ts';
import { TfPolicy, clipByGlobalNorm } from './tf-policy.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const OBS = 7;
const NA = 3;

/** A rollout of `rows` random rows whose old log-probabilities sit near the policy's, some beyond the clip. */
function rollout(rows: number, seed: number, w: PolicyWeights): RolloutBuffers {
  const rng = createRng(seed);
  const f = (g: (k: number) => number) => Float32Array.from({ length: rows }, (_, k) => g(k));
  const obs = Float32Array.from({ length: rows * OBS }, () => rng.normal());
  const logits = forwardStack(w.actor, obs, rows, new Float32Array(rows * NA));
  const actions = Int32Array.from({ length: rows }, () => rng.int(NA));
  const logp = (k: number) => {
    const z = Array.from(logits.subarray(k * NA, k * NA + NA));
    const m = Math.max(...z);
    return z[actions[k]] - m - Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
  };
  return {
    obs,
    obsDim: OBS,
    actions,
    logp: f((k) => logp(k) + 0.2 * rng.normal()),
    values: f(() => 0.5 * rng.normal()),
    advantages: f(() => rng.normal()),
    returns: f(() => rng.normal()),
  };
}

/** Weights with non-trivial heads (the orthogonal init's 0.01 actor head barely moves the logits). */
function weights(seed: number): PolicyWeights {
  const rng = createRng(seed);
  const w = initPolicyWeights(OBS, NA, 12, rng);
  for (const l of [w.actor[2], w.critic[2]]) for (let k = 0; k < l.kernel.length; k++) l.kernel[k] = rng.normal();
  return w;
}

/** tfjs's gradients of ppo.ts's tfjs loss on rows idx[0 … n), flattened as flattenWeights orders them. */
function tfGradients(
  w: PolicyWeights,
  buf: RolloutBuffers,
  idx: Int32Array,
  n: number,
  c: PpoConfig,
  criticOnly: boolean,
): { grads: Float64Array; stats: number[]; norm: number } {
  const policy = new TfPolicy(w);
  const pick = (a: ArrayLike<number>) => Float32Array.from({ length: n }, (_, k) => a[idx[k]]);
  const out = tf.tidy(() => {
    const obs = tf.tensor2d(
      Float32Array.from({ length: n * OBS }, (_, k) => buf.obs[idx[Math.floor(k / OBS)] * OBS + (k % OBS)]),
      [n, OBS],
    );
    const act = tf.oneHot(tf.tensor1d(Int32Array.from(pick(buf.actions)), 'int32'), NA).toFloat();
    let adv: tf.Tensor = tf.tensor1d(pick(buf.advantages));
    if (c.normAdv) {
      const m = tf.moments(adv);
      adv = tf.div(tf.sub(adv, m.mean), tf.add(tf.sqrt(m.variance), 1e-8));
    }
    const mb = {
      obs,
      act,
      adv,
      oldLogp: tf.tensor1d(pick(buf.logp)),
      ret: tf.tensor1d(pick(buf.returns)),
      oldV: tf.tensor1d(pick(buf.values)),
    };
    let stats: tf.Tensor | null = null;
    const vars = [...policy.actorVars(), ...policy.criticVars()];
    const { grads } = tf.variableGrads(() => {
      const o = ppoLossTf(policy, mb, c, criticOnly);
      stats = tf.keep(o.stats);
      return o.loss;
    }, vars);
    const used = criticOnly ? policy.criticVars() : vars;
    const norm = clipByGlobalNorm(Object.fromEntries(used.map((v) => [v.name, grads[v.name]])), 1).norm;
    // Gradients in flattenWeights order: actor layers (kernel, bias), then critic layers.
    const flat = tf.concat(vars.map((v) => tf.reshape(grads[v.name] ?? tf.zerosLike(v), [-1])));
    return { flat: flat.dataSync(), stats: Array.from(stats!.dataSync()), norm: norm.dataSync()[0] };
  });
  policy.dispose();
  return { grads: Float64Array.from(out.flat), stats: out.stats, norm: out.norm };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]) / (tol + Math.abs(b[k])));
  return worst;
};

describe('gemm', () => {
  it('equals the plain triple loop, with bias and tanh, for widths below, at and above a block of eight', () => {
    const rng = createRng(9);
    for (const [M, K, N] of [
      [3, 5, 1],
      [4, 8, 8],
      [5, 13, 19],
    ]) {
      const A = Float64Array.from({ length: M * K + 2 }, () => rng.normal());
      const B = Float64Array.from({ length: K * N + 3 }, () => rng.normal());
      const bias = Float64Array.from({ length: N + 1 }, () => rng.normal());
      const C = new Float64Array(M * N + 4);
      gemm(A, 2, M, K, B, 3, N, bias, 1, C, 4, true);
      for (let m = 0; m < M; m++)
        for (let n = 0; n < N; n++) {
          let s = bias[1 + n];
          for (let k = 0; k < K; k++) s += A[2 + m * K + k] * B[3 + k * N + n];
          expect(C[4 + m * N + n]).toBeCloseTo(tanhFloat32(s), 12);
        }
      expect(Array.from(C.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    }
  });
});

describe('tanhFloat32', () => {
  it('is within 3e-7 of Math.tanh everywhere, odd, and exactly ±1 far out', () => {
    for (let k = -20000; k <= 20000; k++) {
      const x = k / 1000;
      expect(Math.abs(tanhFloat32(x) - Math.tanh(x))).toBeLessThan(3e-7);
      expect(tanhFloat32(-x)).toBe(-tanhFloat32(x));
    }
    expect(Math.abs(tanhFloat32(1e-9) - 1e-9)).toBeLessThan(1e-15);
    expect(Math.abs(tanhFloat32(50))).toBeLessThanOrEqual(1);
  });
});

describe('PpoLearner', () => {
  const rows = 40;
  const idx = Int32Array.from({ length: rows }, (_, k) => (k * 17) % rows);

  for (const [name, opts, criticOnly] of [
    ['the full loss, clipped value loss', {}, false],
    ['the full loss, plain value loss, raw advantages', { clipVloss: false, normAdv: false }, false],
    ['the critic-only warm-up loss', {}, true],
  ] as const) {
    it(`gradients and statistics equal tfjs's autodiff of ppo.ts's loss: ${name}`, () => {
      const c = resolvePpoConfig({ clipCoef: 0.1, entCoef: 0.05, ...opts });
      const w = weights(1);
      const buf = rollout(rows, 2, w);
      const n = 32;
      const ref = tfGradients(w, buf, idx, n, c, criticOnly);
      const learner = new PpoLearner(w, c);
      const stats = new Float64Array(7);
      const norm = learner.gradients(buf, idx, 0, n, criticOnly, stats);
      // The surrogate is clipped for some rows and not for others, so both branches are exercised.
      expect(ref.stats[4]).toBeGreaterThan(0.1);
      expect(ref.stats[4]).toBeLessThan(0.9);
      const actorSize = flattenWeights({ actor: w.actor, critic: [] }).reduce((s, f) => s + f.values.length, 0);
      const from = criticOnly ? actorSize : 0;
      expect(close(learner.grads.subarray(from), ref.grads.subarray(from), 1e-3)).toBeLessThan(1e-3);
      expect(close(stats.subarray(0, 6), ref.stats, 1e-4)).toBeLessThan(1e-4);
      expect(norm).toBeCloseTo(ref.norm, 4);
      expect(stats[6]).toBe(norm);
    });
  }

  it("a few steps (global-norm clip, Adam, critic-only then full) follow tfjs's optimiser to float32 precision", () => {
    const c = resolvePpoConfig({ maxGradNorm: 0.3 });
    const w = weights(3);
    const buf = rollout(rows, 4, w);
    const n = 20;
    const learner = new PpoLearner(w, c);
    const policy = new TfPolicy(w);
    const full = tf.train.adam(1e-2, 0.9, 0.999, c.adamEps);
    const criticAdam = tf.train.adam(1e-2, 0.9, 0.999, c.adamEps);
    const plan = [true, true, false, false, false];
    let clippedSome = false;
    plan.forEach((criticOnly, s) => {
      const from = (s * 7) % (rows - n);
      const window = idx.slice(from, from + n);
      const cur = learner.weights();
      policy.assign(cur);
      const ref = tfGradients(cur, buf, window, n, c, criticOnly);
      if (ref.norm > c.maxGradNorm) clippedSome = true;
      tf.tidy(() => {
        const vars = criticOnly ? policy.criticVars() : [...policy.actorVars(), ...policy.criticVars()];
        const all = [...policy.actorVars(), ...policy.criticVars()];
        let at = 0;
        const grads: tf.NamedTensorMap = {};
        for (const v of all) {
          const size = v.size;
          if (vars.includes(v))
            grads[v.name] = tf.tensor(Float32Array.from(ref.grads.subarray(at, at + size)), v.shape, 'float32');
          at += size;
        }
        const clipped = clipByGlobalNorm(grads, c.maxGradNorm);
        (criticOnly ? criticAdam : full).applyGradients(clipped.grads as never);
      });
      learner.step(buf, window, 0, n, criticOnly, 1e-2, null);
      const mine = flattenWeights(learner.weights());
      const theirs = flattenWeights(readSync(policy));
      mine.forEach((m, k) => expect(close(m.values, theirs[k].values, 1e-2)).toBeLessThan(2e-4));
    });
    expect(clippedSome).toBe(true);
    full.dispose();
    criticAdam.dispose();
    policy.dispose();
  });
});

function readSync(p: TfPolicy): PolicyWeights {
  const rd = (ls: TfPolicy['actor']) =>
    ls.map((l) => ({
      inDim: l.kernel.shape[0] as number,
      outDim: l.kernel.shape[1] as number,
      kernel: l.kernel.dataSync() as Float32Array,
      bias: l.bias.dataSync() as Float32Array,
    }));
  return { actor: rd(p.actor), critic: rd(p.critic) };
}
