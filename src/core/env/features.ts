// Observation features, built from one declared layout (OBS_FEATURES below: names, widths, in order; obsLayout
// gives the offsets for a horizon). The env, the teacher dataset, the UI and the saved model all read that layout;
// a saved model records it and the loader refuses a model whose layout is not this code's.
// Prices (`price`, `nextPrices`) are, by default (windowNormalisation), (p − forecast average)/spread with the spread
// the std of the window the agent sees (current + next H prices): the arbitrage decision depends on price
// differences relative to the costs, so dimensionless features carry over to price levels the training split never
// had (measured: FI 2020, whose test quarter is dearer than its training months). Without it, (p − mean)/std with
// the training split's statistics, which are saved with the model either way.
// Time features use UTC: the series carries UTC ms, and a market's local clock is not known to the core. Day-ahead
// markets have fixed local-time structure, so UTC shifts the phase by a constant per season (1 h at DST); the
// network sees that as a tiny input change. The week phase counts from the Unix epoch (a Thursday).
// After the last step of a series the future is unknown: the last known price is repeated, and the teacher, which
// solves only over known prices, sees the same information.

import { type BatteryParams, cellBuyCostEur, cellSellValueEur, maxChargeKWh } from '../battery/index.ts';
import { eurForEnergy, eurPerMWhFromEurPerKWh, KWH_PER_MWH, MS_PER_HOUR } from '../units.ts';
import { nearestIndex } from '../oracle/action-dp.ts';
import { type EnvConfig, horizonSteps } from './config.ts';
import { type SiteParams, type SiteSeries } from '../site/site.ts';

/** The features of one observation, in order; width 'horizon' = one per look-ahead step (H). */
export const OBS_FEATURES = [
  { name: 'price', width: 1, doc: 'current price on the price scale' },
  { name: 'soc', width: 1, doc: 'SOC as a fraction of the usable range' },
  { name: 'dayPhase', width: 2, doc: 'sin, cos of the UTC time of day' },
  { name: 'weekPhase', width: 2, doc: 'sin, cos of the UTC time of week' },
  { name: 'nextPrices', width: 'horizon', doc: 'the next H prices on the price scale' },
  {
    name: 'forecastAvg',
    width: 1,
    doc: 'mean of the next H prices (the original system\'s "forecast average"), by the training split\'s mean and std',
  },
  { name: 'logSpread', width: 1, doc: "log of the window's price spread over the training std" },
  { name: 'degradationVsSpread', width: 1, doc: 'degradation cost against the spread, d/(d + spread)' },
  {
    name: 'avgVsSpread',
    width: 1,
    doc: "forecast average against the spread, a/(|a| + spread): a cycle's efficiency loss scales with it",
  },
  {
    name: 'nextMax',
    width: 1,
    doc: 'highest of the next H prices on the price scale (hard for a small tanh MLP to find among H inputs)',
  },
  { name: 'nextMin', width: 1, doc: 'lowest of the next H prices on the price scale' },
  {
    name: 'chargeMargin',
    width: 1,
    doc: 'best round trip that starts by charging now (sell value of a stored kWh at the dearest next-H price less its cost now), on the price scale',
  },
  {
    name: 'dischargeMargin',
    width: 1,
    doc: 'best round trip that starts by discharging now (sell now, buy back at the cheapest), on the price scale',
  },
] as const satisfies readonly { name: string; width: number | 'horizon'; doc: string }[];

/**
 * Features a day-ahead observation adds after OBS_FEATURES (there every price feature above reads the forecast
 * issued at the delivery day's gate closure, never an actual price of the day).
 */
export const DAY_AHEAD_FEATURES = [
  {
    name: 'plannerAction',
    width: 1,
    doc: "power fraction the planner on the forecast (the action-set DP over the issue for D and D+1) chooses now at the agent's SOC",
  },
  {
    name: 'forecastMae',
    width: 1,
    doc: "the forecast's mean absolute error over the last 7 days before D (actual prices known at gate closure), over the window spread",
  },
  {
    name: 'forecastBias',
    width: 1,
    doc: 'mean actual − forecast over the last 7 days before D, over the window spread',
  },
] as const satisfies readonly { name: string; width: number; doc: string }[];

/**
 * Features a site observation appends last (env/site.ts attaches them; a model records them in its layout and its
 * config.site). PV and load are the file's pv_kw (× pvScale) and load_kw over the training split's std of each.
 * Known-24h sees the next H steps of PV and load as the file gives them: it treats the file's PV and load as perfect
 * forecasts, as it treats the next H prices. Day-ahead reads the same values (the file carries no PV forecast).
 */
export const SITE_FEATURES = [
  { name: 'pv', width: 1, doc: "PV power now (the file's pv_kw × pvScale) over the training split's PV std" },
  { name: 'load', width: 1, doc: "load now (the file's load_kw) over the training split's load std" },
  { name: 'nextPv', width: 'horizon', doc: 'PV of the next H steps, as the file gives it (a perfect PV forecast)' },
  { name: 'nextLoad', width: 'horizon', doc: 'load of the next H steps, as the file gives it (a perfect forecast)' },
] as const satisfies readonly { name: string; width: number | 'horizon'; doc: string }[];

export type ObsFeatureName =
  | (typeof OBS_FEATURES)[number]['name']
  | (typeof DAY_AHEAD_FEATURES)[number]['name']
  | (typeof SITE_FEATURES)[number]['name'];

/** What the agent observes: known-24h (the next H actual prices) or day-ahead (the forecast issued at gate closure). */
export type ObsMode = 'known-24h' | 'day-ahead';

/** One feature's place in the observation vector. */
export interface ObsSlot {
  name: ObsFeatureName;
  offset: number;
  width: number;
}

/** The observation layout for a horizon: slots in order, offsets by name (−1: not in this layout), total width. */
export interface ObsLayout {
  readonly slots: readonly ObsSlot[];
  readonly at: Readonly<Record<ObsFeatureName, number>>;
  readonly dim: number;
}

/**
 * Offsets and widths of every feature for `horizon` look-ahead steps; day-ahead appends DAY_AHEAD_FEATURES, a site
 * then SITE_FEATURES.
 */
export function obsLayout(horizon: number, mode: ObsMode = 'known-24h', site = false): ObsLayout {
  const slots: ObsSlot[] = [];
  const at = {} as Record<ObsFeatureName, number>;
  for (const f of [...DAY_AHEAD_FEATURES, ...SITE_FEATURES]) at[f.name] = -1;
  let offset = 0;
  const features: readonly { name: ObsFeatureName; width: number | 'horizon' }[] = [
    ...OBS_FEATURES,
    ...(mode === 'day-ahead' ? DAY_AHEAD_FEATURES : []),
    ...(site ? SITE_FEATURES : []),
  ];
  for (const f of features) {
    const width = f.width === 'horizon' ? horizon : f.width;
    slots.push({ name: f.name, offset, width });
    at[f.name] = offset;
    offset += width;
  }
  return { slots, at, dim: offset };
}

/** Features besides the H look-ahead prices (the observation is OBS_FIXED + H wide). */
export const OBS_FIXED = obsLayout(0).dim;

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
  readonly layout: ObsLayout;
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
  /** Day-ahead only (null under known-24h): what the agent sees instead of the next H actual prices. */
  readonly dayAhead: DayAheadObs | null;
  /** The site the env settles on and the agent observes (env/site.ts withSite); absent or null: the battery alone. */
  readonly site?: SiteObs | null;
}

/** The site part of an observation context: what the env settles each step with, and the PV/load features. */
export interface SiteObs {
  readonly site: SiteParams;
  /** PV and load per step of the context (index t = the context's step t). */
  readonly series: SiteSeries;
  /** isPlainSite of site and series (simulateSite's own flag, so env cash equals its replay bit for bit). */
  readonly plain: boolean;
  /** Scaled PV and load over their training std per step, padded with the last value for `horizon` steps. */
  readonly pvNorm: Float32Array;
  readonly loadNorm: Float32Array;
}

/** The day-ahead part of an observation context (env/day-ahead.ts builds it). */
export interface DayAheadObs {
  /** Per step t, the H + 1 prices the agent sees, EUR/MWh: the forecast for t … t+H issued at t's gate closure. */
  readonly windowPrices: Float64Array;
  /** The planner's action index per (step, lattice level): plannerAction[t · S + s]. */
  readonly plannerAction: Int32Array;
  /** SOC levels of the planner's lattice, kWh, sorted. */
  readonly latticeSocKWh: Float64Array;
  /** Power fraction per action index. */
  readonly levels: readonly number[];
  /** Recent forecast MAE and bias (actual − forecast) per step, EUR/MWh, from days before the step's day. */
  readonly recentMaeEurPerMWh: Float64Array;
  readonly recentBiasEurPerMWh: Float64Array;
}

/** Precomputes normalised prices, time features and forecast averages of a series. */
export function createObsContext(
  series: EnvSeries,
  battery: BatteryParams,
  config: EnvConfig,
  stats: NormStats,
): ObsContext {
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
  const time = timeFeatures(series.timesUtcMs, 0, n);
  const range = battery.maxSocKWh - battery.minSocKWh;
  const layout = obsLayout(horizon);
  return {
    length: n,
    dtHours: series.dtHours,
    horizon,
    obsDim: layout.dim,
    layout,
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
    dayAhead: null,
  };
}

/**
 * The calendar features of steps [from, from + n): sin, cos of the UTC time of day and of week (from the Unix epoch),
 * four per step, in the order of OBS_FEATURES' dayPhase and weekPhase.
 */
export function timeFeatures(timesUtcMs: ArrayLike<number>, from: number, n: number): Float32Array {
  const time = new Float32Array(4 * n);
  const dayMs = 24 * MS_PER_HOUR;
  const weekMs = 7 * dayMs;
  for (let i = 0; i < n; i++) {
    const ms = timesUtcMs[from + i];
    const d = (2 * Math.PI * (((ms % dayMs) + dayMs) % dayMs)) / dayMs;
    const w = (2 * Math.PI * (((ms % weekMs) + weekMs) % weekMs)) / weekMs;
    time[4 * i] = Math.sin(d);
    time[4 * i + 1] = Math.cos(d);
    time[4 * i + 2] = Math.sin(w);
    time[4 * i + 3] = Math.cos(w);
  }
  return time;
}

/** The planner's action index at step t and SOC (the nearest lattice level). */
export function plannerActionAt(da: DayAheadObs, t: number, socKWh: number): number {
  const S = da.latticeSocKWh.length;
  return da.plannerAction[t * S + nearestIndex(da.latticeSocKWh, socKWh)];
}

/** Writes the observation of step `t` at SOC `socKWh` into `out` at `offset`, slot by slot of `ctx.layout`. */
export function writeObservation(ctx: ObsContext, t: number, socKWh: number, out: Float32Array, offset: number): void {
  const h = ctx.horizon;
  const at = ctx.layout.at;
  const avg = ctx.forecastAvgEurPerMWh[t];
  const spread = ctx.windowSpreadEurPerMWh[t];
  const next = offset + at.nextPrices;
  out[offset + at.soc] = (socKWh - ctx.socMinKWh) / ctx.socRangeKWh;
  out[offset + at.dayPhase] = ctx.time[4 * t];
  out[offset + at.dayPhase + 1] = ctx.time[4 * t + 1];
  out[offset + at.weekPhase] = ctx.time[4 * t + 2];
  out[offset + at.weekPhase + 1] = ctx.time[4 * t + 3];
  const da = ctx.dayAhead;
  if (da) {
    const W = h + 1;
    const win = da.windowPrices;
    const b = t * W;
    const st = ctx.stats;
    if (ctx.windowNormalisation) {
      out[offset + at.price] = (win[b] - avg) / spread;
      for (let k = 0; k < h; k++) out[next + k] = (win[b + 1 + k] - avg) / spread;
    } else {
      out[offset + at.price] = (win[b] - st.priceMeanEurPerMWh) / st.priceStdEurPerMWh;
      for (let k = 0; k < h; k++) out[next + k] = (win[b + 1 + k] - st.priceMeanEurPerMWh) / st.priceStdEurPerMWh;
    }
    out[offset + at.plannerAction] = da.levels[plannerActionAt(da, t, socKWh)];
    out[offset + at.forecastMae] = da.recentMaeEurPerMWh[t] / spread;
    out[offset + at.forecastBias] = da.recentBiasEurPerMWh[t] / spread;
  } else if (ctx.windowNormalisation) {
    const raw = ctx.rawPrices;
    out[offset + at.price] = (raw[t] - avg) / spread;
    for (let k = 0; k < h; k++) out[next + k] = (raw[t + 1 + k] - avg) / spread;
  } else {
    out[offset + at.price] = ctx.normPrices[t];
    out.set(ctx.normPrices.subarray(t + 1, t + 1 + h), next);
  }
  const st = ctx.stats;
  out[offset + at.forecastAvg] = (avg - st.priceMeanEurPerMWh) / st.priceStdEurPerMWh;
  out[offset + at.logSpread] = Math.log(spread / st.priceStdEurPerMWh);
  out[offset + at.degradationVsSpread] = ctx.degradationEurPerMWh / (ctx.degradationEurPerMWh + spread);
  out[offset + at.avgVsSpread] = avg / (Math.abs(avg) + spread);
  let hi = -Infinity;
  let lo = Infinity;
  for (let k = next; k < next + h; k++) {
    const v = out[k];
    if (v > hi) hi = v;
    if (v < lo) lo = v;
  }
  out[offset + at.nextMax] = hi;
  out[offset + at.nextMin] = lo;
  // Margins in EUR per cell kWh, on the price scale (EUR/MWh of spread or std).
  const perKWh = KWH_PER_MWH / (ctx.windowNormalisation ? spread : st.priceStdEurPerMWh);
  out[offset + at.chargeMargin] = ctx.chargeMarginEurPerKWh[t] * perKWh;
  out[offset + at.dischargeMargin] = ctx.dischargeMarginEurPerKWh[t] * perKWh;
  const site = ctx.site;
  if (site) {
    out[offset + at.pv] = site.pvNorm[t];
    out[offset + at.load] = site.loadNorm[t];
    out.set(site.pvNorm.subarray(t + 1, t + 1 + h), offset + at.nextPv);
    out.set(site.loadNorm.subarray(t + 1, t + 1 + h), offset + at.nextLoad);
  }
}
