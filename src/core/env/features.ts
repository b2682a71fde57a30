// Observation features. Layout of one observation (OBS_FIXED + H floats):
//   [0] current price, [1] SOC fraction of the usable range, [2,3] sin/cos time of day, [4,5] sin/cos time of week,
//   [6 .. 6+H) the next H prices, [6+H] their mean (the original system's "forecast average") normalised with the
//   training split's mean and std, [7+H] log of the window's price spread over the training std, [8+H] the
//   degradation cost against the spread, d/(d + spread), [9+H] the forecast average against the spread,
//   a/(|a| + spread) (the efficiency loss of a cycle scales with it), [10+H] and [11+H] the highest and lowest of the
//   next H prices on the price scale (extremes are hard for a small tanh MLP to find among H inputs), [12+H] the
//   best round trip that starts by charging now (sell value of a stored kWh at the dearest next-H price less its cost
//   now) and [13+H] the best that starts by discharging now (sell now, buy back at the cheapest), both on the price
//   scale: the battery model's costs are in them, so the network need not learn efficiency and wear arithmetic.
// Prices [0] and [6 .. 6+H) are, by default (windowNormalisation), (p − forecast average)/spread with the spread the
// std of the window the agent sees (current + next H prices): the arbitrage decision depends on price differences
// relative to the costs, so dimensionless features carry over to price levels the training split never had
// (measured: FI 2020, whose test quarter is dearer than its training months). Without it, (p − mean)/std with the
// training split's statistics, which are saved with the model either way.
// Time features use UTC: the series carries UTC ms, and a market's local clock is not known to the core. Day-ahead
// markets have fixed local-time structure, so UTC shifts the phase by a constant per season (1 h at DST); the
// network sees that as a tiny input change. The week phase counts from the Unix epoch (a Thursday).
// After the last step of a series the future is unknown: the last known price is repeated, and the teacher, which
// solves only over known prices, sees the same information.

import { type BatteryParams, cellBuyCostEur, cellSellValueEur, maxChargeKWh } from '../battery/index.ts';
import { eurForEnergy, eurPerMWhFromEurPerKWh, KWH_PER_MWH, MS_PER_HOUR } from '../units.ts';
import { type EnvConfig, horizonSteps } from './config.ts';

/** Features besides the H look-ahead prices: price, SOC, day sin/cos, week sin/cos, average, spread, costs. */
export const OBS_FIXED = 14;

/** Training-split statistics, saved with the model. */
export interface NormStats {
  priceMeanEurPerMWh: number;
  priceStdEurPerMWh: number;
  /** Divisor of the reward, EUR. */
  rewardScaleEur: number;
}

/** A price series as the env reads it. */
export interface EnvSeries {
  timesUtcMs: ArrayLike<number>;
  pricesEurPerMWh: ArrayLike<number>;
  dtHours: number;
}

/** Mean and std of the training prices, and the reward scale (config value or price std × a full-power step). */
export function computeNormStats(train: EnvSeries, battery: BatteryParams, config: EnvConfig): NormStats {
  const p = train.pricesEurPerMWh;
  const n = p.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += p[i];
  const mean = n > 0 ? sum / n : 0;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (p[i] - mean) ** 2;
  const std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const priceStdEurPerMWh = std > 1e-9 ? std : 1;
  const autoScale = Math.abs(eurForEnergy(priceStdEurPerMWh, maxChargeKWh(battery, train.dtHours)));
  return {
    priceMeanEurPerMWh: mean,
    priceStdEurPerMWh,
    rewardScaleEur: config.rewardScaleEur > 0 ? config.rewardScaleEur : autoScale > 1e-12 ? autoScale : 1,
  };
}

/** Per-series precomputation so that an observation is a copy of a few slices. */
export interface ObsContext {
  readonly length: number;
  readonly dtHours: number;
  readonly horizon: number;
  readonly obsDim: number;
  readonly pricesEurPerMWh: ArrayLike<number>;
  /** Normalised prices, padded with the last price for `horizon` steps past the end. */
  readonly normPrices: Float32Array;
  /** sin/cos day, sin/cos week per step. */
  readonly time: Float32Array;
  /** Mean of the next H prices (padded), EUR/MWh, for the shaping terms. */
  readonly forecastAvgEurPerMWh: Float64Array;
  /** Prices padded with the last one, EUR/MWh. */
  readonly rawPrices: Float64Array;
  /** Std of the window the agent sees (current + next H prices), floored, EUR/MWh. */
  readonly windowSpreadEurPerMWh: Float64Array;
  /** Best round trip from step t over the next H prices that starts by charging / discharging now, EUR per cell kWh. */
  readonly chargeMarginEurPerKWh: Float64Array;
  readonly dischargeMarginEurPerKWh: Float64Array;
  readonly windowNormalisation: boolean;
  /** Degradation cost of a round trip's two legs, in EUR/MWh, for the cost feature. */
  readonly degradationEurPerMWh: number;
  readonly socMinKWh: number;
  readonly socRangeKWh: number;
  readonly stats: NormStats;
}

/** Precomputes normalised prices, time features and forecast averages of a series. */
export function createObsContext(series: EnvSeries, battery: BatteryParams, config: EnvConfig, stats: NormStats): ObsContext {
  const n = series.pricesEurPerMWh.length;
  const horizon = horizonSteps(config, series.dtHours);
  const normPrices = new Float32Array(n + horizon);
  const last = n > 0 ? series.pricesEurPerMWh[n - 1] : stats.priceMeanEurPerMWh;
  const raw = new Float64Array(n + horizon + 1);
  for (let i = 0; i < n + horizon; i++) {
    raw[i] = i < n ? series.pricesEurPerMWh[i] : last;
    normPrices[i] = (raw[i] - stats.priceMeanEurPerMWh) / stats.priceStdEurPerMWh;
  }
  raw[n + horizon] = last;
  // Forecast average of step t = mean of raw[t+1 .. t+H], by a running window sum.
  const forecastAvgEurPerMWh = new Float64Array(n);
  let win = 0;
  for (let i = 1; i <= horizon; i++) win += raw[i];
  for (let t = 0; t < n; t++) {
    forecastAvgEurPerMWh[t] = win / horizon;
    win += raw[t + horizon + 1] - raw[t + 1];
  }
  // Spread of the window [t, t+H]: running sums of p and p² over H+1 prices, centred on the window mean for accuracy.
  const windowSpreadEurPerMWh = new Float64Array(n);
  const floor = Math.max(1e-3, 0.02 * stats.priceStdEurPerMWh);
  const c0 = stats.priceMeanEurPerMWh;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i <= horizon; i++) {
    s1 += raw[i] - c0;
    s2 += (raw[i] - c0) ** 2;
  }
  const w = horizon + 1;
  for (let t = 0; t < n; t++) {
    const m = s1 / w;
    windowSpreadEurPerMWh[t] = Math.max(floor, Math.sqrt(Math.max(0, s2 / w - m * m)));
    const add = raw[t + horizon + 1] - c0;
    const drop = raw[t] - c0;
    s1 += add - drop;
    s2 += add * add - drop * drop;
  }
  const sellEur = Float64Array.from(raw, (p) => cellSellValueEur(battery, p));
  const buyEur = Float64Array.from(raw, (p) => cellBuyCostEur(battery, p));
  const chargeMarginEurPerKWh = new Float64Array(n);
  const dischargeMarginEurPerKWh = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let bestSell = -Infinity;
    let cheapestBuy = Infinity;
    for (let k = t + 1; k <= t + horizon; k++) {
      if (sellEur[k] > bestSell) bestSell = sellEur[k];
      if (buyEur[k] < cheapestBuy) cheapestBuy = buyEur[k];
    }
    chargeMarginEurPerKWh[t] = bestSell - buyEur[t];
    dischargeMarginEurPerKWh[t] = sellEur[t] - cheapestBuy;
  }
  const time = new Float32Array(4 * n);
  const dayMs = 24 * MS_PER_HOUR;
  const weekMs = 7 * dayMs;
  for (let t = 0; t < n; t++) {
    const ms = series.timesUtcMs[t];
    const d = (2 * Math.PI * (((ms % dayMs) + dayMs) % dayMs)) / dayMs;
    const w = (2 * Math.PI * (((ms % weekMs) + weekMs) % weekMs)) / weekMs;
    time[4 * t] = Math.sin(d);
    time[4 * t + 1] = Math.cos(d);
    time[4 * t + 2] = Math.sin(w);
    time[4 * t + 3] = Math.cos(w);
  }
  const range = battery.maxSocKWh - battery.minSocKWh;
  return {
    length: n,
    dtHours: series.dtHours,
    horizon,
    obsDim: OBS_FIXED + horizon,
    pricesEurPerMWh: series.pricesEurPerMWh,
    normPrices,
    time,
    forecastAvgEurPerMWh,
    rawPrices: raw,
    windowSpreadEurPerMWh,
    chargeMarginEurPerKWh,
    dischargeMarginEurPerKWh,
    windowNormalisation: config.windowNormalisation,
    degradationEurPerMWh: eurPerMWhFromEurPerKWh(battery.degradationEurPerKWh),
    socMinKWh: battery.minSocKWh,
    socRangeKWh: range > 0 ? range : 1,
    stats,
  };
}

/** Writes the observation of step `t` at SOC `socKWh` into `out` at `offset`. */
export function writeObservation(ctx: ObsContext, t: number, socKWh: number, out: Float32Array, offset: number): void {
  const h = ctx.horizon;
  const avg = ctx.forecastAvgEurPerMWh[t];
  const spread = ctx.windowSpreadEurPerMWh[t];
  out[offset + 1] = (socKWh - ctx.socMinKWh) / ctx.socRangeKWh;
  out[offset + 2] = ctx.time[4 * t];
  out[offset + 3] = ctx.time[4 * t + 1];
  out[offset + 4] = ctx.time[4 * t + 2];
  out[offset + 5] = ctx.time[4 * t + 3];
  if (ctx.windowNormalisation) {
    const raw = ctx.rawPrices;
    out[offset] = (raw[t] - avg) / spread;
    for (let k = 1; k <= h; k++) out[offset + 5 + k] = (raw[t + k] - avg) / spread;
  } else {
    out[offset] = ctx.normPrices[t];
    out.set(ctx.normPrices.subarray(t + 1, t + 1 + h), offset + 6);
  }
  const st = ctx.stats;
  out[offset + 6 + h] = (avg - st.priceMeanEurPerMWh) / st.priceStdEurPerMWh;
  out[offset + 7 + h] = Math.log(spread / st.priceStdEurPerMWh);
  out[offset + 8 + h] = ctx.degradationEurPerMWh / (ctx.degradationEurPerMWh + spread);
  out[offset + 9 + h] = avg / (Math.abs(avg) + spread);
  let hi = -Infinity;
  let lo = Infinity;
  for (let k = 6; k < 6 + h; k++) {
    const v = out[offset + k];
    if (v > hi) hi = v;
    if (v < lo) lo = v;
  }
  out[offset + 10 + h] = hi;
  out[offset + 11 + h] = lo;
  // Margins in EUR per cell kWh, on the price scale (EUR/MWh of spread or std).
  const perKWh = KWH_PER_MWH / (ctx.windowNormalisation ? spread : st.priceStdEurPerMWh);
  out[offset + 12 + h] = ctx.chargeMarginEurPerKWh[t] * perKWh;
  out[offset + 13 + h] = ctx.dischargeMarginEurPerKWh[t] * perKWh;
}
