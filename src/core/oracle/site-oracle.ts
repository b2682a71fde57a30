// The exact perfect-foresight optimum of the site LP (DESIGN.md "Site"): the slope-trick DP of oracle.ts with the
// site's per-step cash g_t (src/core/site/step-value.ts) in place of the battery's two pieces. g_t stays concave in
// the SOC change, so V_t(s) = max_x g_t(x) + V_{t+1}(s + x) is again a sup-convolution of concave functions: merge
// g_t's reversed pieces into V_{t+1}'s sorted slopes, shift by −x_max, cut to the SOC bounds. The backward pass
// records, per piece j of g_t, where V_{t+1}' falls to −slope_j; the forward pass walks the pieces to the first one
// where that point lies inside it, which is the best SOC change, turns it into battery energies (the site's
// dispatch) and replays every step through the site model (stepSite over stepBattery). A site that adds nothing
// (no PV, load, limit, fee or PV-only rule) goes to solveOracle unchanged.

import { BATTERY_FIELD_LABELS, BatteryParamError, assertTerminalSocReachable } from '../battery/index.ts';
import {
  type SiteParams,
  type SiteSeries,
  assertSiteSeries,
  isPlainSite,
  siteStepContext,
  stepSite,
} from '../site/site.ts';
import { type SiteSummary, type SiteTrace, simulateSite } from '../site/simulate.ts';
import { SiteStepValue } from '../site/step-value.ts';
import { ConcaveValue, solveOracle } from './oracle.ts';
import type { OracleInput, OracleResult } from './types.ts';

export interface SiteOracleInput extends OracleInput {
  site: SiteParams;
  series: SiteSeries;
}

/** The site optimum: the battery oracle's fields plus the site's energies and revenue split; the trace per step. */
export interface SiteOracleResult extends OracleResult, Omit<SiteSummary, 'totalChargedKWh' | 'totalDischargedKWh'> {
  trace: SiteTrace;
}

const value = new ConcaveValue();

/** Index of the first live piece of `v` whose slope is at most `slope`, and where that piece starts. */
function crossing(v: ConcaveValue, slope: number): { index: number; atKWh: number } {
  let i = v.head;
  let at = v.startKWh;
  while (i < v.tail && v.slope[i] > slope) at += v.lengthKWh[i++];
  return { index: i, atKWh: at };
}

/** Solves the site LP exactly; throws SiteParamError for bad PV/load, BatteryParamError for an unreachable terminal SOC. */
export function solveSiteOracle(input: SiteOracleInput, nowMs: () => number = () => 0): SiteOracleResult {
  const t0 = nowMs();
  const { pricesEurPerMWh: prices, dtHours, battery: b, site, series } = input;
  const T = prices.length;
  assertSiteSeries(site, series, T);
  if (isPlainSite(site, series)) {
    // solveMs is the battery oracle's own; the replay below only adds the site's energies and revenue split.
    const o = solveOracle(input, nowMs);
    const sim = simulateSite(input, o.schedule);
    return { ...summary(sim), ...o, trace: sim };
  }
  assertTerminalSocReachable(b, T, dtHours);
  const g = new SiteStepValue(b, dtHours);
  const tolKWh = 1e-12 * Math.max(1, b.maxSocKWh);
  const feasibleLow = new Float64Array(T + 1);
  const feasibleHigh = new Float64Array(T + 1);
  const terminalKWh = b.terminalSocKWh !== null ? Math.max(b.minSocKWh, b.terminalSocKWh) : b.minSocKWh;
  value.reset(terminalKWh, b.maxSocKWh);
  feasibleLow[T] = value.startKWh;
  feasibleHigh[T] = value.endKWh;
  // g_t's breakpoints (pieces + 1 per step) and, per piece, where V_{t+1}' crosses its slope; stored backwards.
  const xsBack: number[] = [];
  const crossBack: number[] = [];
  const startBack = new Int32Array(T + 1);
  for (let t = T - 1; t >= 0; t--) {
    g.set(siteStepContext(b, site, series, t, prices[t], dtHours));
    const { xKWh, slope } = g;
    startBack[T - 1 - t] = crossBack.length;
    for (let j = 0; j < slope.length; j++) crossBack.push(crossing(value, -slope[j]).atKWh);
    for (const x of xKWh) xsBack.push(x);
    for (let j = 0; j < slope.length; j++) {
      const len = xKWh[j + 1] - xKWh[j];
      if (len > 0) value.insertAt(crossing(value, -slope[j]).index, -slope[j], len);
    }
    value.shiftAndClip(-xKWh[xKWh.length - 1], b.minSocKWh, b.maxSocKWh, tolKWh);
    feasibleLow[t] = value.startKWh;
    feasibleHigh[t] = value.endKWh;
  }
  startBack[T] = crossBack.length;
  // Step t's pieces: crossBack[startBack[k]..startBack[k + 1]) with k = T − 1 − t, its breakpoints in xsBack from
  // startBack[k] + k (one more breakpoint than pieces per step).
  const slack = 1e-9 * Math.max(1, b.capacityKWh);
  if (T > 0 && (b.initialSocKWh < feasibleLow[0] - slack || b.initialSocKWh > feasibleHigh[0] + slack))
    throw new BatteryParamError(
      `${BATTERY_FIELD_LABELS.terminalSocKWh} ${b.terminalSocKWh} cannot be met on this site: from the initial ${b.initialSocKWh} kWh the reachable end lies below it (charging is limited by the site)`,
      'terminalSocKWh',
    );

  const chargeKWh = new Float64Array(T);
  const dischargeKWh = new Float64Array(T);
  let soc = b.initialSocKWh;
  for (let t = 0; t < T; t++) {
    const ctx = siteStepContext(b, site, series, t, prices[t], dtHours);
    g.prepare(ctx);
    const k = T - 1 - t;
    const first = startBack[k];
    const m = startBack[k + 1] - first;
    const x0 = first + k;
    let x = xsBack[x0 + m];
    for (let j = 0; j < m; j++) {
      const y = crossBack[first + j] - soc;
      if (y < xsBack[x0 + j + 1]) {
        x = Math.max(xsBack[x0 + j], y);
        break;
      }
    }
    let next = soc + x;
    next = Math.min(Math.max(next, feasibleLow[t + 1]), feasibleHigh[t + 1]);
    next = Math.min(Math.max(next, soc + xsBack[x0]), soc + xsBack[x0 + m]);
    next = Math.min(Math.max(next, b.minSocKWh), b.maxSocKWh);
    const dispatch = g.dispatch(next - soc);
    chargeKWh[t] = dispatch.chargeKWh;
    dischargeKWh[t] = dispatch.dischargeKWh;
    // The SOC the replay will reach: the battery model's own step (through the site) decides it.
    soc = stepSite(b, ctx, soc, dispatch.chargeKWh, dispatch.dischargeKWh, prices[t], dtHours).socAfterKWh;
  }
  const sim = simulateSite(input, { chargeKWh, dischargeKWh });
  return {
    ...summary(sim),
    chargedKWh: sim.totalChargedKWh,
    dischargedKWh: sim.totalDischargedKWh,
    schedule: { chargeKWh: sim.chargedKWh, dischargeKWh: sim.dischargedKWh, socKWh: sim.socAfterKWh },
    trace: sim,
    solveMs: nowMs() - t0,
  };
}

function summary(sim: SiteSummary): Omit<SiteSummary, 'totalChargedKWh' | 'totalDischargedKWh'> {
  const { totalChargedKWh: _c, totalDischargedKWh: _d, ...rest } = sim;
  void _c;
  void _d;
  return rest;
}
