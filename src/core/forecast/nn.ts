// `nn`: a small neural day-ahead forecaster in tfjs on lear's inputs (DESIGN.md "Forecasts"; the original system's
// neural-forecast idea, shaped like epftoolbox's DNN, Lago et al. 2021: one network maps a day's inputs to all of
// D's slots at once). Inputs of target day t: the asinh-transformed prices (median/MAD, as ridge) of every slot on
// t−1, t−2, t−3 and t−7, each exogenous day-ahead series at every slot on t and t−1, and weekday dummies; each
// input standardised over the calibration window. Output: D's asinh prices by slot. The network is a linear map
// plus one tanh hidden layer (a linear model is inside its reach), trained on mean absolute error (the EPF
// literature's loss, robust to price spikes) with Adam and L2 weight decay.
//
// Calibrated at gate closure on the days before D only (a rolling window, as ridge), refitted every
// `recalibrateEveryDays` issues, warm-started from the previous weights; issues out of day order start afresh, so
// no state holds more than the gate closure knew. Weights live in plain arrays between issues (no tensor outlives a
// fit) and D's forecast is computed in plain TypeScript. D+1 repeats D's profile (as ridge).
//
// Seeded: the initial weights and the minibatch order come from createRng(seed); on tfjs's cpu and wasm backends
// the same seed and inputs give the same forecast. The host selects the backend before the first issue
// (workers/forecast.ts selectNnBackend, used by the forecast worker and the CLI).

import * as tf from '@tensorflow/tfjs';
import { createRng, shuffleInPlace } from '../rl/rng.ts';
import { gridRows, requireHistory, stepsFromGrid } from './grid.ts';
import { type Asinh, asinhFit, LAGS, MAX_LAG } from './asinh.ts';
import { type Forecaster, type IssueInput, ForecastError } from './types.ts';
import { DEFAULT_NN, type NnConfig, type NnProgress } from './nn-config.ts';

export { DEFAULT_NN, type NnConfig, type NnProgress };

/** Progress is reported every this many epochs (and after the last). */
const PROGRESS_EVERY_EPOCHS = 5;

/** Weights of `y = x·W0 + tanh(x·W1 + b1)·W2 + b2` on standardised x, row-major [in][out]. */
interface Weights {
  inDim: number;
  w0: Float32Array;
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
}

/** A fitted model: its weights with the transforms and input/output scaling of its calibration window. */
interface Model {
  weights: Weights;
  priceT: Asinh;
  exoT: Asinh[];
  xMean: Float64Array;
  xStd: Float64Array;
  yMean: Float64Array;
  yStd: Float64Array;
}

function featureCount(P: number, nExo: number): number {
  return LAGS.length * P + 2 * nExo * P + 6;
}

/** Transformed slot-grid rows of days [from, to) of a series known from step 0. */
function rows(input: IssueInput, values: ArrayLike<number>, from: number, to: number, T: Asinh): Float64Array {
  const g = gridRows(input.calendar, values, from, to);
  for (let i = 0; i < g.length; i++) g[i] = Math.asinh((g[i] - T.med) / T.scale);
  return g;
}

/**
 * Writes the raw inputs of target day t into f. `z` holds price rows from day `z0`, `ez[j]` exogenous rows from
 * day `z0`; only rows before t are read of z (t's own prices are never an input).
 */
function features(
  f: Float64Array,
  z: Float64Array,
  ez: Float64Array[],
  z0: number,
  P: number,
  t: number,
  weekday: number,
): void {
  let k = 0;
  for (const lag of LAGS) {
    const r = (t - lag - z0) * P;
    for (let h = 0; h < P; h++) f[k++] = z[r + h];
  }
  for (const e of ez)
    for (const back of [0, 1]) {
      const r = (t - back - z0) * P;
      for (let h = 0; h < P; h++) f[k++] = e[r + h];
    }
  for (let w = 1; w < 7; w++) f[k++] = weekday === w ? 1 : 0;
}

function meanStd(data: Float64Array, n: number, dim: number): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(dim);
  const std = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += data[i * dim + j] / n;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dim; j++) {
      const d = data[i * dim + j] - mean[j];
      std[j] += (d * d) / n;
    }
  // A constant input (a weekday absent from a short window, a flat series) is left out (std 0 → input 0).
  for (let j = 0; j < dim; j++) std[j] = std[j] > 1e-12 ? Math.sqrt(std[j]) : 0;
  return { mean, std };
}

function standardise(data: Float64Array, n: number, dim: number, mean: Float64Array, std: Float64Array): Float32Array {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dim; j++) out[i * dim + j] = std[j] ? (data[i * dim + j] - mean[j]) / std[j] : 0;
  return out;
}

/** Seeded initial weights: Glorot-scaled normals for W1, zeros for the linear map, small normals for W2. */
function initWeights(inDim: number, hidden: number, outDim: number, seed: number): Weights {
  const rng = createRng(seed);
  const normal = (n: number, sd: number) => Float32Array.from({ length: n }, () => sd * rng.normal());
  return {
    inDim,
    w0: new Float32Array(inDim * outDim),
    w1: normal(inDim * hidden, Math.sqrt(2 / (inDim + hidden))),
    b1: new Float32Array(hidden),
    w2: normal(hidden * outDim, Math.sqrt(2 / (hidden + outDim))),
    b2: new Float32Array(outDim),
  };
}

/**
 * Adam on mean |y − ŷ| + l2·Σw² over minibatches of `x` (n × inDim) → `y` (n × outDim), starting from `start`;
 * returns the trained weights as plain arrays. Every tensor is disposed before it returns.
 */
function train(
  cfg: NnConfig,
  start: Weights,
  x: Float32Array,
  y: Float32Array,
  n: number,
  outDim: number,
  epochs: number,
  seed: number,
  onEpoch: (epoch: number) => void,
): Weights {
  const { inDim } = start;
  const hidden = start.b1.length;
  const rng = createRng(seed);
  const X = tf.tensor2d(x, [n, inDim]);
  const Y = tf.tensor2d(y, [n, outDim]);
  const variable = (values: Float32Array, shape: number[]) => {
    const t = tf.tensor(values, shape);
    const v = tf.variable(t);
    t.dispose();
    return v;
  };
  const w0 = variable(start.w0, [inDim, outDim]);
  const w1 = variable(start.w1, [inDim, hidden]);
  const b1 = variable(start.b1, [hidden]);
  const w2 = variable(start.w2, [hidden, outDim]);
  const b2 = variable(start.b2, [outDim]);
  const vars = [w0, w1, b1, w2, b2];
  const optimizer = tf.train.adam(cfg.learningRate);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const bs = Math.min(cfg.batchSize, n);
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      shuffleInPlace(idx, rng);
      for (let s = 0; s < n; s += bs) {
        const batch = idx.slice(s, Math.min(n, s + bs));
        tf.tidy(() => {
          const ib = tf.tensor1d(batch, 'int32');
          const xb = tf.gather(X, ib);
          const yb = tf.gather(Y, ib);
          optimizer.minimize(
            () => {
              const h = tf.tanh(tf.add(tf.matMul(xb, w1), b1));
              const pred = tf.add(tf.add(tf.matMul(xb, w0), tf.matMul(h, w2)), b2);
              const mae = tf.mean(tf.abs(tf.sub(pred, yb)));
              const decay = tf.addN([tf.sum(tf.square(w0)), tf.sum(tf.square(w1)), tf.sum(tf.square(w2))]);
              return tf.add(mae, tf.mul(cfg.l2, decay)) as tf.Scalar;
            },
            false,
            vars,
          );
        });
      }
      onEpoch(epoch);
    }
    const read = (v: tf.Variable) => (v.dataSync() as Float32Array).slice();
    return { inDim, w0: read(w0), w1: read(w1), b1: read(b1), w2: read(w2), b2: read(b2) };
  } finally {
    optimizer.dispose();
    for (const t of [X, Y, ...vars]) t.dispose();
  }
}

/** Standardised network output for one standardised input row, in plain TypeScript (float64). */
function forward(w: Weights, x: Float64Array, outDim: number): Float64Array {
  const hidden = w.b1.length;
  const h = new Float64Array(hidden);
  for (let k = 0; k < hidden; k++) {
    let s = w.b1[k];
    for (let j = 0; j < w.inDim; j++) s += x[j] * w.w1[j * hidden + k];
    h[k] = Math.tanh(s);
  }
  const out = new Float64Array(outDim);
  for (let o = 0; o < outDim; o++) {
    let s = w.b2[o];
    for (let j = 0; j < w.inDim; j++) s += x[j] * w.w0[j * outDim + o];
    for (let k = 0; k < hidden; k++) s += h[k] * w.w2[k * outDim + o];
    out[o] = s;
  }
  return out;
}

/** The tfjs backends on which a seed fixes the result (single-threaded, no float16 textures). */
function requireDeterministicBackend(): void {
  let backend: string;
  try {
    backend = tf.getBackend();
  } catch (e) {
    throw new ForecastError(`forecaster nn: no tfjs backend is ready (${(e as Error).message})`);
  }
  if (backend !== 'cpu' && backend !== 'wasm')
    throw new ForecastError(
      `forecaster nn trains on tfjs's cpu or wasm backend (where a seed fixes the forecast); the active one is ${backend}`,
    );
}

/** `nn` with `config` (DEFAULT_NN otherwise); `onProgress` hears from every fit, a few times per fit. */
export function nnForecaster(config: Partial<NnConfig> = {}, onProgress?: (p: NnProgress) => void): Forecaster {
  const cfg: NnConfig = { ...DEFAULT_NN, ...config };
  if (!(cfg.epochs >= 1 && cfg.refitEpochs >= 0 && cfg.hiddenUnits >= 1 && cfg.batchSize >= 1))
    throw new ForecastError('forecaster nn needs at least 1 epoch, 1 hidden unit and a batch of 1 day');
  const need = MAX_LAG + cfg.minTrainDays;
  let model: Model | null = null;
  let fittedFor = -1;
  let fits = 0;

  function fit(input: IssueInput, exo: readonly Float64Array[], warm: Model | null): Model {
    const { calendar, day } = input;
    const P = calendar.perDay;
    const from = Math.max(MAX_LAG, day - cfg.windowDays);
    const priceT = asinhFit(gridRows(calendar, input.knownPricesEurPerMWh, from, day));
    const exoT = exo.map((e) => asinhFit(gridRows(calendar, e, from, day)));
    const z0 = from - MAX_LAG;
    const z = rows(input, input.knownPricesEurPerMWh, z0, day, priceT);
    const ez = exo.map((e, j) => rows(input, e, z0, day, exoT[j]));
    const n = day - from;
    const K = featureCount(P, exo.length);
    const rawX = new Float64Array(n * K);
    const rawY = new Float64Array(n * P);
    const f = new Float64Array(K);
    for (let t = from; t < day; t++) {
      features(f, z, ez, z0, P, t, calendar.days[t].weekday);
      rawX.set(f, (t - from) * K);
      rawY.set(z.subarray((t - z0) * P, (t - z0 + 1) * P), (t - from) * P);
    }
    const xs = meanStd(rawX, n, K);
    const ys = meanStd(rawY, n, P);
    for (let h = 0; h < P; h++) if (!ys.std[h]) ys.std[h] = 1;
    const start = warm && warm.weights.inDim === K ? warm.weights : initWeights(K, cfg.hiddenUnits, P, cfg.seed);
    const epochs = warm && warm.weights.inDim === K ? cfg.refitEpochs : cfg.epochs;
    const weights = train(
      cfg,
      start,
      standardise(rawX, n, K, xs.mean, xs.std),
      standardise(rawY, n, P, ys.mean, ys.std),
      n,
      P,
      epochs,
      // Each fit its own minibatch order, fixed by the seed and the fit's place in the sequence.
      cfg.seed * 7919 + fits++,
      (epoch) => {
        if (onProgress && (epoch % PROGRESS_EVERY_EPOCHS === 0 || epoch === epochs)) onProgress({ day, epoch, epochs });
      },
    );
    return { weights, priceT, exoT, xMean: xs.mean, xStd: xs.std, yMean: ys.mean, yStd: ys.std };
  }

  return {
    name: 'nn',
    minHistoryDays: need,
    issue(input) {
      requireHistory('nn', input, need);
      requireDeterministicBackend();
      const exo = input.exogenous;
      const { calendar, day } = input;
      const P = calendar.perDay;
      const K = featureCount(P, exo.length);
      // Out of day order, or another input set: start afresh (a later day's weights know more than D's gate closure).
      if (model && (day < fittedFor || model.weights.inDim !== K)) {
        model = null;
        fits = 0;
      }
      if (model === null || day - fittedFor >= cfg.recalibrateEveryDays) {
        model = fit(input, exo, model);
        fittedFor = day;
      }
      const m = model;
      // D's inputs: prices of D−7 … D−1 (known), exogenous rows of D−1 and D (known at gate closure).
      const z0 = day - MAX_LAG;
      const z = rows(input, input.knownPricesEurPerMWh, z0, day, m.priceT);
      const ez = exo.map((e, j) => rows(input, e, z0, day + 1, m.exoT[j]));
      const f = new Float64Array(K);
      features(f, z, ez, z0, P, day, calendar.days[day].weekday);
      for (let j = 0; j < K; j++) f[j] = m.xStd[j] ? (f[j] - m.xMean[j]) / m.xStd[j] : 0;
      const out = forward(m.weights, f, P);
      const row = new Float64Array(P);
      for (let h = 0; h < P; h++) row[h] = m.priceT.med + m.priceT.scale * Math.sinh(m.yMean[h] + m.yStd[h] * out[h]);
      return stepsFromGrid(input, row);
    },
  };
}
