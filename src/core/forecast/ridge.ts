// Per-slot ridge regression on asinh-transformed prices (Uniejewski, Weron & Ziel 2018's variance-stabilising
// transform; the feature set of epftoolbox's LEAR, Lago et al. 2021, reduced to each slot's own lags): for slot h
// of day D the inputs are the prices at h on D−1, D−2, D−3 and D−7, D−1's last slot, minimum and maximum, weekday
// dummies, and (lear) each exogenous day-ahead series at h on D and D−1. Calibrated on a rolling window of the
// days before D, recalibrated every `recalibrateEveryDays` issues. L2 (ridge) replaces LEAR's L1 (LASSO): the
// closed form is fast enough to recalibrate daily in a tab, and with ~25 inputs per slot selection matters little.
// D+1 (look-ahead beyond the committed day, no exogenous series known for it yet) repeats D's forecast profile.

import { gridRows, requireHistory, stepsFromGrid } from './grid.ts';
import { solveRidgeNormal } from './linalg.ts';
import { type Asinh, asinhFit, LAGS, MAX_LAG } from './asinh.ts';
import type { Forecaster, IssueInput } from './types.ts';
import { ForecastError } from './types.ts';

export interface RidgeConfig {
  /** Days in the rolling calibration window (the most recent known days). */
  windowDays: number;
  /** Fewest calibration days (each needs its own 7 days of lags) before the first issue. */
  minTrainDays: number;
  /** Refit the coefficients every this many issues (1 = daily, as epftoolbox does). */
  recalibrateEveryDays: number;
  /**
   * Refit the asinh transform's median and MAD every this many issues. Between refits the window slides by adding
   * and removing one day's raw sums, which makes a daily refit of the coefficients cheap.
   */
  refitTransformEveryDays: number;
  /** L2 penalty on standardised inputs (the normal equations are divided by the sample count). */
  lambda: number;
  /** Use the exogenous series (lear) or not (ridge). */
  exogenous: boolean;
}

export const DEFAULT_RIDGE: Readonly<RidgeConfig> = Object.freeze({
  windowDays: 364,
  minTrainDays: 56,
  recalibrateEveryDays: 1,
  refitTransformEveryDays: 28,
  lambda: 0.01,
  exogenous: false,
});

function applyAsinh(t: Asinh, values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.asinh((values[i] - t.med) / t.scale);
  return out;
}

/** Writes the inputs of slot h of grid row r (the target day; rows r−7 … r−1 are its past) into f. */
function features(
  f: Float64Array,
  z: Float64Array,
  ex: Float64Array[],
  P: number,
  r: number,
  h: number,
  weekday: number,
): void {
  let k = 0;
  for (let i = 0; i < LAGS.length; i++) f[k++] = z[(r - LAGS[i]) * P + h];
  const prev = (r - 1) * P;
  let lo = Infinity;
  let hi = -Infinity;
  for (let s = 0; s < P; s++) {
    const v = z[prev + s];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  f[k++] = z[prev + P - 1];
  f[k++] = lo;
  f[k++] = hi;
  for (let w = 1; w < 7; w++) f[k++] = weekday === w ? 1 : 0;
  for (let j = 0; j < ex.length; j++) {
    f[k++] = ex[j][r * P + h];
    f[k++] = ex[j][(r - 1) * P + h];
  }
}

function featureCount(nExo: number): number {
  return LAGS.length + 3 + 6 + 2 * nExo;
}

/** The transform of one epoch and, per slot, raw sums Σ v vᵀ of v = [features, target, 1] over the window's days. */
interface Epoch {
  startDay: number;
  priceT: Asinh;
  exoT: Asinh[];
  /** Per slot, (K+2)² sums, upper triangle used. */
  sums: Float64Array[];
  /** Samples (days) in the sums: [fromDay, toDay). */
  fromDay: number;
  toDay: number;
  /** Transformed grid rows by day, of prices (known days only) and of each exogenous series. */
  priceRows: Map<number, Float64Array>;
  exoRows: Map<number, Float64Array>[];
}

/** Per slot: feature means and standard deviations (0 = constant, unused), coefficients, target mean. */
interface Fit {
  mean: Float64Array[];
  std: Float64Array[];
  beta: Float64Array[];
  yMean: Float64Array;
}

/** Transformed grid row of day t from a series known from step 0, cached per epoch (the transform is fixed within it). */
function transformedRow(
  input: IssueInput,
  values: ArrayLike<number>,
  t: number,
  T: Asinh,
  cache: Map<number, Float64Array>,
): Float64Array {
  let row = cache.get(t);
  if (!row) {
    row = applyAsinh(T, gridRows(input.calendar, values, t, t + 1));
    cache.set(t, row);
  }
  return row;
}

/**
 * Transformed price and exogenous grid rows of days [t − MAX_LAG, t] (row MAX_LAG = day t). Price rows only for
 * days before the issue's D (known); row t stays zero when t = D. Exogenous rows up to t (known up to D's end).
 */
function block(
  input: IssueInput,
  exo: readonly Float64Array[],
  ep: Epoch,
  t: number,
): { z: Float64Array; ez: Float64Array[] } {
  const P = input.calendar.perDay;
  const z = new Float64Array((MAX_LAG + 1) * P);
  const ez = exo.map(() => new Float64Array((MAX_LAG + 1) * P));
  for (let r = 0; r <= MAX_LAG; r++) {
    const day = t - MAX_LAG + r;
    if (day < input.day) z.set(transformedRow(input, input.knownPricesEurPerMWh, day, ep.priceT, ep.priceRows), r * P);
    for (let j = 0; j < exo.length; j++)
      ez[j].set(transformedRow(input, exo[j], day, ep.exoT[j], ep.exoRows[j]), r * P);
  }
  return { z, ez };
}

/** Adds (sign 1) or removes (−1) day t's samples, one per slot, to the epoch's sums. */
function accumulate(
  input: IssueInput,
  exo: readonly Float64Array[],
  ep: Epoch,
  t: number,
  sign: number,
  f: Float64Array,
): void {
  const P = input.calendar.perDay;
  const K = f.length - 2;
  const V = K + 2;
  const { z, ez } = block(input, exo, ep, t);
  const weekday = input.calendar.days[t].weekday;
  for (let h = 0; h < P; h++) {
    features(f, z, ez, P, MAX_LAG, h, weekday);
    f[K] = z[MAX_LAG * P + h];
    f[K + 1] = 1;
    const m = ep.sums[h];
    for (let j = 0; j < V; j++) {
      const a = sign * f[j];
      if (a === 0) continue;
      for (let k = j; k < V; k++) m[j * V + k] += a * f[k];
    }
  }
}

function newEpoch(cfg: RidgeConfig, input: IssueInput, exo: readonly Float64Array[], from: number): Epoch {
  const { calendar, day } = input;
  const P = calendar.perDay;
  const priceT = asinhFit(gridRows(calendar, input.knownPricesEurPerMWh, from, day));
  const exoT = exo.map((e) => asinhFit(gridRows(calendar, e, from, day)));
  const V = featureCount(exo.length) + 2;
  return {
    startDay: day,
    priceT,
    exoT,
    sums: Array.from({ length: P }, () => new Float64Array(V * V)),
    fromDay: from,
    toDay: from,
    priceRows: new Map(),
    exoRows: exo.map(() => new Map()),
  };
}

/** Ridge per slot from the raw sums: centred, standardised normal equations divided by n, plus λI. */
function fit(cfg: RidgeConfig, ep: Epoch, K: number): Fit {
  const V = K + 2;
  const out: Fit = { mean: [], std: [], beta: [], yMean: new Float64Array(ep.sums.length) };
  const gram = new Float64Array(K * K);
  const rhs = new Float64Array(K);
  for (let h = 0; h < ep.sums.length; h++) {
    const m = ep.sums[h];
    const n = m[(K + 1) * V + K + 1];
    const mean = new Float64Array(K);
    const std = new Float64Array(K);
    for (let j = 0; j < K; j++) mean[j] = m[j * V + K + 1] / n;
    const yMean = m[K * V + K + 1] / n;
    for (let j = 0; j < K; j++) {
      const v = m[j * V + j] / n - mean[j] * mean[j];
      std[j] = v > 1e-12 ? Math.sqrt(v) : 0;
    }
    for (let j = 0; j < K; j++) {
      rhs[j] = std[j] ? (m[j * V + K] / n - mean[j] * yMean) / std[j] : 0;
      for (let k = j; k < K; k++)
        gram[j * K + k] = std[j] && std[k] ? (m[j * V + k] / n - mean[j] * mean[k]) / (std[j] * std[k]) : 0;
    }
    out.mean.push(mean);
    out.std.push(std);
    out.beta.push(solveRidgeNormal(gram, rhs, K, cfg.lambda));
    out.yMean[h] = yMean;
  }
  return out;
}

function predict(model: Fit, ep: Epoch, input: IssueInput, exo: readonly Float64Array[]): Float64Array {
  const { calendar, day } = input;
  const P = calendar.perDay;
  const { z, ez } = block(input, exo, ep, day);
  const K = featureCount(exo.length);
  const f = new Float64Array(K);
  const row = new Float64Array(P);
  for (let h = 0; h < P; h++) {
    // Reads price rows D−7 … D−1 and exogenous rows D−1 and D: D's own price row is never filled (block()).
    features(f, z, ez, P, MAX_LAG, h, calendar.days[day].weekday);
    const mean = model.mean[h];
    const std = model.std[h];
    const beta = model.beta[h];
    let y = model.yMean[h];
    for (let j = 0; j < K; j++) if (std[j]) y += (beta[j] * (f[j] - mean[j])) / std[j];
    row[h] = ep.priceT.med + ep.priceT.scale * Math.sinh(y);
  }
  return row;
}

/** `ridge` (price only) or, with cfg.exogenous, `lear` (plus the exogenous day-ahead series). */
export function ridgeForecaster(config: Partial<RidgeConfig> = {}): Forecaster {
  const cfg: RidgeConfig = { ...DEFAULT_RIDGE, ...config };
  const name = cfg.exogenous ? 'lear' : 'ridge';
  const need = MAX_LAG + cfg.minTrainDays;
  let epoch: Epoch | null = null;
  let model: Fit | null = null;
  let fittedFor = -1;
  return {
    name,
    minHistoryDays: need,
    issue(input) {
      requireHistory(name, input, need);
      const exo = cfg.exogenous ? input.exogenous : [];
      if (cfg.exogenous && exo.length === 0)
        throw new ForecastError('forecaster lear needs exogenous day-ahead series (--exogenous FILE)');
      const K = featureCount(exo.length);
      const from = Math.max(MAX_LAG, input.day - cfg.windowDays);
      // A fresh epoch (transform refitted, sums rebuilt) every refitTransformEveryDays, and whenever issues do not
      // come in day order: state built for a later day would hold more than this gate closure knew.
      if (
        epoch === null ||
        input.day < epoch.toDay ||
        input.day - epoch.startDay >= cfg.refitTransformEveryDays ||
        epoch.sums[0].length !== (K + 2) ** 2
      ) {
        epoch = newEpoch(cfg, input, exo, from);
      }
      const f = new Float64Array(K + 2);
      // Slide the window to [from, day): add the days now known, drop those that fell out.
      for (let t = epoch.toDay; t < input.day; t++) accumulate(input, exo, epoch, t, 1, f);
      for (let t = epoch.fromDay; t < from; t++) accumulate(input, exo, epoch, t, -1, f);
      epoch.fromDay = Math.max(epoch.fromDay, from);
      epoch.toDay = input.day;
      if (model === null || input.day - fittedFor >= cfg.recalibrateEveryDays || input.day < fittedFor) {
        model = fit(cfg, epoch, K);
        fittedFor = input.day;
      }
      return stepsFromGrid(input, predict(model, epoch, input, exo));
    },
  };
}
