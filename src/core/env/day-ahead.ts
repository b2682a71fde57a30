// The agent's observation under day-ahead information (DESIGN.md "Information"): for every step of delivery day D
// it sees the forecast issued at D's gate closure (12:00 Brussels on D−1) for D and D+1 in place of the next H
// actual prices, features derived from that forecast (its window level and spread, the planner's action on it),
// the forecast's recent error measured on days before D, its SOC and the calendar. D's actual prices enter only the
// env's cash (the settlement), never the observation.
//
// issueDayAhead issues a forecaster once per delivery day, in day order, through forecast/issue.ts (copies of what
// is known at gate closure); createDayAheadObsContext builds an ObsContext over steps [from, to) of the series from
// those issues.

import { type BatteryParams, cellBuyCostEur, cellSellValueEur } from '../battery/index.ts';
import { backwardDp, buildActionLattice } from '../oracle/action-dp.ts';
import { forecastCalendar } from '../forecast/grid.ts';
import { issueInput } from '../forecast/issue.ts';
import { type Forecaster, ForecastError } from '../forecast/types.ts';
import { eurPerMWhFromEurPerKWh } from '../units.ts';
import { type EnvConfig, actionLevels, horizonSteps } from './config.ts';
import {
  type DayAheadObs,
  type EnvSeries,
  type NormStats,
  type ObsContext,
  obsLayout,
  timeFeatures,
} from './features.ts';

/** The issue of one delivery day: D's steps [start, end) of the series; `issue` covers D and D+1 (as far as known). */
export interface DayAheadIssue {
  start: number;
  end: number;
  issue: Float64Array;
}

/** A forecaster's daily issues over a series, from the first day it could issue (days before have none). */
export interface DayAheadForecast {
  forecaster: string;
  days: DayAheadIssue[];
  /** First step with a forecast (the series' length when none). */
  firstStep: number;
  /**
   * Issues of the days just before `days[0]` by another forecaster, whose errors (their actual prices are known at
   * the first day's gate closure) feed the recent-error features and the planner's correction from the first day.
   */
  history?: DayAheadIssue[];
}

/** Recent-error window: the forecast's error on the last this many days before D. */
const ERROR_DAYS = 7;

/**
 * Issues `forecaster` at every delivery day's gate closure for the days starting in [fromStep, toStep):
 * days the forecaster refuses for lack of history are skipped; after its first issue every day must issue.
 */
export function issueDayAhead(
  series: EnvSeries,
  forecaster: Forecaster,
  exogenous: readonly ArrayLike<number>[] = [],
  fromStep = 0,
  toStep = Infinity,
): DayAheadForecast {
  const times = Float64Array.from(series.timesUtcMs);
  const calendar = forecastCalendar(times, series.dtHours);
  const days: DayAheadIssue[] = [];
  for (let k = 0; k < calendar.days.length; k++) {
    const d = calendar.days[k];
    if (d.start < fromStep) continue;
    if (d.start >= toStep) break;
    if (days.length === 0 && k < forecaster.minHistoryDays) continue;
    let issue: Float64Array;
    try {
      issue = forecaster.issue(issueInput(calendar, series.pricesEurPerMWh, exogenous, k));
    } catch (e) {
      if (e instanceof ForecastError && days.length === 0) continue;
      throw e;
    }
    days.push({ start: d.start, end: d.end, issue });
  }
  return { forecaster: forecaster.name, days, firstStep: days.length ? days[0].start : series.pricesEurPerMWh.length };
}

/** Days of forecast errors before a day that its observation looks back on (recent error, planner correction). */
export function errorHistoryDays(config: EnvConfig): number {
  return Math.max(ERROR_DAYS, config.plannerBiasDays);
}

/**
 * A span's forecast as the baselines get it (`bess compare`): a forecaster started fresh at the span's first day
 * that can issue (from `fromStep`), plus as `history` a second fresh forecaster's issues for the `historyDays`
 * delivery days before that day (as many as it can issue), so the features that look back at the forecast's errors
 * have them from the span's first day. Training's test split and a model's compare and backtest issue the same way.
 */
export function issueDayAheadSpan(
  series: EnvSeries,
  newForecaster: () => Forecaster,
  exogenous: readonly ArrayLike<number>[],
  fromStep: number,
  historyDays: number,
): DayAheadForecast {
  const fc = issueDayAhead(series, newForecaster(), exogenous, fromStep);
  if (!fc.days.length || historyDays <= 0) return fc;
  const days = forecastCalendar(Float64Array.from(series.timesUtcMs), series.dtHours).days;
  const first = days.findIndex((d) => d.start === fc.days[0].start);
  if (first <= 0) return fc;
  const from = days[Math.max(0, first - historyDays)].start;
  const history = issueDayAhead(series, newForecaster(), exogenous, from, fc.days[0].start).days;
  return history.length ? { ...fc, history } : fc;
}

/** A price transform of an augmented copy: p' = p × scale + shift, applied to actual and forecast prices alike. */
export interface PriceTransform {
  scale: number;
  shiftEurPerMWh: number;
}

/**
 * The observation context of steps [from, to) of `series` under day-ahead information. Every step in the range must
 * have a forecast (from ≥ fc.firstStep). Settlement (pricesEurPerMWh) is at the actual prices.
 */
export function createDayAheadObsContext(
  series: EnvSeries,
  fc: DayAheadForecast,
  from: number,
  to: number,
  battery: BatteryParams,
  config: EnvConfig,
  stats: NormStats,
  transform: PriceTransform = { scale: 1, shiftEurPerMWh: 0 },
): ObsContext {
  if (from < fc.firstStep)
    throw new RangeError(`day-ahead observation: step ${from} has no forecast (the first is step ${fc.firstStep})`);
  const n = Math.max(0, to - from);
  const dt = series.dtHours;
  const horizon = horizonSteps(config, dt);
  const W = horizon + 1;
  const tr = (p: number) => p * transform.scale + transform.shiftEurPerMWh;
  const actual = new Float64Array(n);
  for (let i = 0; i < n; i++) actual[i] = tr(series.pricesEurPerMWh[from + i]);
  const levels = actionLevels(config.numActions);
  const lattice = buildActionLattice(battery, levels, dt, [battery.initialSocKWh]);
  const S = lattice.socKWh.length;
  const windowPrices = new Float64Array(n * W);
  const plannerAction = new Int32Array(n * S);
  const recentMae = new Float64Array(n);
  const recentBias = new Float64Array(n);
  // Every issue the errors can look back on (the history, then the span's), and D's own part of each (the
  // committed day), for the recent-error features and the planner's correction of later days.
  const history = fc.history ?? [];
  const issued = [...history, ...fc.days];
  const dayPart = issued.map((d) => d.issue.subarray(0, d.end - d.start));
  const value = new Float64Array(S);
  const scratch = new Float64Array(S);
  const calendar = forecastCalendar(Float64Array.from(series.timesUtcMs), dt);
  const dayIndexAt = new Map(calendar.days.map((d, i) => [d.start, i]));
  const slotsAt = new Map(calendar.days.map((d, i) => [d.start, calendar.slots[i]]));
  const slotError = new Float64Array(calendar.perDay);
  const lastDay = new Float64Array(calendar.perDay);
  /**
   * The prices the planner plans on for issued[k]: (1 − plannerLastDayWeight) × the issue + plannerLastDayWeight ×
   * D−1's actual price at the same time of day, plus plannerBiasWeight × the forecast's mean error (actual −
   * forecast) at each time of day over the plannerBiasDays days before D. Only days whose actual prices are known at
   * D's gate closure enter. A day of the error window without a forecast counts as no error, so the correction grows
   * in over a span's first days.
   */
  const plannerPrices = (issue: Float64Array, day: DayAheadIssue, k: number): Float64Array => {
    const w = config.plannerBiasWeight;
    const a = config.plannerLastDayWeight;
    if (!(w > 0) && !(a > 0)) return issue;
    const out = Float64Array.from(issue);
    const lenD = day.end - day.start;
    const slotsD = slotsAt.get(day.start)!;
    const slotsNext = slotsAt.get(day.end);
    const slotOf = (o: number) => (o < lenD ? slotsD[o] : slotsNext?.[o - lenD]);
    // The last known day: D−1's actual prices at each time of day, blended in for D and D+1 alike.
    const last = dayIndexAt.get(day.start)! - 1;
    if (a > 0 && last >= 0) {
      lastDay.fill(NaN);
      const { start, end } = calendar.days[last];
      for (let t = start; t < end; t++) lastDay[calendar.slots[last][t - start]] = tr(series.pricesEurPerMWh[t]);
      for (let o = 0; o < out.length; o++) {
        const slot = slotOf(o);
        if (slot !== undefined && !Number.isNaN(lastDay[slot])) out[o] = (1 - a) * out[o] + a * lastDay[slot];
      }
    }
    if (!(w > 0)) return out;
    slotError.fill(0);
    for (let j = Math.max(0, k - config.plannerBiasDays); j < k; j++) {
      const dj = issued[j];
      const slots = slotsAt.get(dj.start)!;
      for (let t = dj.start; t < dj.end; t++)
        slotError[slots[t - dj.start]] += tr(series.pricesEurPerMWh[t]) - tr(dayPart[j][t - dj.start]);
    }
    const scale = w / config.plannerBiasDays;
    for (let o = 0; o < out.length; o++) {
      const slot = slotOf(o);
      if (slot !== undefined) out[o] += scale * slotError[slot];
    }
    return out;
  };
  let k = issued.findIndex((d) => d.end > from);
  if (k >= 0 && k < history.length) k = history.length; // the span's own issues: the history is only looked back on
  for (; k >= 0 && k < issued.length && issued[k].start < to; k++) {
    const day = issued[k];
    const issue = Float64Array.from(day.issue, tr);
    const L = issue.length;
    // The planner: the action-set DP over the whole issue (D and D+1) from D's first step, zero terminal value, on
    // the issue corrected by its recent error at the same time of day (config.plannerBiasWeight).
    const planned = plannerPrices(issue, day, k);
    const policy = new Int32Array(L * S);
    value.fill(0);
    backwardDp(lattice, battery, planned, 0, L, value, scratch, policy);
    // Recent error on the days before D that had a forecast (their actual prices are known at D's gate closure).
    let absSum = 0;
    let sum = 0;
    let count = 0;
    for (let j = Math.max(0, k - ERROR_DAYS); j < k; j++) {
      const dj = issued[j];
      for (let t = dj.start; t < dj.end; t++) {
        const e = tr(series.pricesEurPerMWh[t]) - tr(dayPart[j][t - dj.start]);
        absSum += Math.abs(e);
        sum += e;
        count++;
      }
    }
    const mae = count ? absSum / count : 0;
    const bias = count ? sum / count : 0;
    for (let t = Math.max(from, day.start); t < Math.min(to, day.end); t++) {
      const i = t - from;
      const o = t - day.start;
      for (let j = 0; j < W; j++) windowPrices[i * W + j] = issue[Math.min(L - 1, o + j)];
      plannerAction.set(policy.subarray(Math.min(L - 1, o) * S, Math.min(L - 1, o) * S + S), i * S);
      recentMae[i] = mae;
      recentBias[i] = bias;
    }
  }
  const covered = fc.days.length ? Math.min(to, fc.days[fc.days.length - 1].end) : from;
  if (covered < to) throw new RangeError(`day-ahead observation: steps from ${covered} have no forecast`);

  // Window features from the forecast window: average of the next H, spread of all H + 1, round-trip margins.
  const forecastAvgEurPerMWh = new Float64Array(n);
  const windowSpreadEurPerMWh = new Float64Array(n);
  const chargeMarginEurPerKWh = new Float64Array(n);
  const dischargeMarginEurPerKWh = new Float64Array(n);
  const floor = Math.max(1e-3, 0.02 * stats.priceStdEurPerMWh);
  for (let i = 0; i < n; i++) {
    const b = i * W;
    let s1 = 0;
    let s2 = 0;
    let next = 0;
    let bestSell = -Infinity;
    let cheapestBuy = Infinity;
    for (let j = 0; j < W; j++) {
      const p = windowPrices[b + j];
      const c = p - stats.priceMeanEurPerMWh;
      s1 += c;
      s2 += c * c;
      if (j > 0) {
        next += p;
        const sell = cellSellValueEur(battery, p);
        const buy = cellBuyCostEur(battery, p);
        if (sell > bestSell) bestSell = sell;
        if (buy < cheapestBuy) cheapestBuy = buy;
      }
    }
    const m = s1 / W;
    forecastAvgEurPerMWh[i] = next / horizon;
    windowSpreadEurPerMWh[i] = Math.max(floor, Math.sqrt(Math.max(0, s2 / W - m * m)));
    chargeMarginEurPerKWh[i] = bestSell - cellBuyCostEur(battery, windowPrices[b]);
    dischargeMarginEurPerKWh[i] = cellSellValueEur(battery, windowPrices[b]) - cheapestBuy;
  }
  const time = timeFeatures(series.timesUtcMs, from, n);
  const range = battery.maxSocKWh - battery.minSocKWh;
  const layout = obsLayout(horizon, 'day-ahead');
  const dayAhead: DayAheadObs = {
    windowPrices,
    plannerAction,
    latticeSocKWh: lattice.socKWh,
    levels,
    recentMaeEurPerMWh: recentMae,
    recentBiasEurPerMWh: recentBias,
  };
  return {
    length: n,
    dtHours: dt,
    horizon,
    obsDim: layout.dim,
    layout,
    pricesEurPerMWh: actual,
    // Unused under day-ahead (writeObservation reads windowPrices); kept empty-sized for the type.
    normPrices: new Float32Array(0),
    time,
    forecastAvgEurPerMWh,
    rawPrices: actual,
    windowSpreadEurPerMWh,
    chargeMarginEurPerKWh,
    dischargeMarginEurPerKWh,
    windowNormalisation: config.windowNormalisation,
    degradationEurPerMWh: eurPerMWhFromEurPerKWh(battery.degradationEurPerKWh),
    socMinKWh: battery.minSocKWh,
    socRangeKWh: range > 0 ? range : 1,
    stats,
    dayAhead,
  };
}
