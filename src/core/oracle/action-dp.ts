// The optimum over the agent's DISCRETE action set: a dynamic program over the SOC levels reachable with those
// actions. It is the agent's own ceiling (how much the action set gives up against the continuous oracle), the PPO
// teacher (best first action over the next H known prices) and the rolling-horizon baseline.
//
// Every transition goes through stepBattery (the one battery model), so a schedule found here replayed through
// simulate() gives exactly the profit reported. With fixed power fractions, clipping at the SOC bounds and a
// constant step the reachable SOC values form a finite closed lattice (21 levels of 5 kWh with the defaults);
// values are keyed after rounding to 1e-9 kWh so float noise does not split a level in two.

import {
  type BatteryParams,
  assertTerminalSocReachable,
  requestForPowerFraction,
  stepBattery,
  stepCashEur,
} from '../battery/index.ts';
import {
  type GridFlows,
  type SiteParams,
  type SiteSeries,
  assertSiteSeries,
  isPlainSite,
  settleGridInto,
  siteStepContext,
} from '../site/site.ts';
import { simulateSite } from '../site/simulate.ts';

export interface ActionDpInput {
  pricesEurPerMWh: ArrayLike<number>;
  dtHours: number;
  battery: BatteryParams;
  /** Power fraction per action index, e.g. [0, 1, -1] = hold, charge full, discharge full; applied via requestForPowerFraction + stepBattery. */
  levels: ArrayLike<number>;
  /**
   * A site around the battery (PV, load, grid limits, fees): each step's cash is the site's, and an action the site
   * would have to cut there (charging beyond the PV surplus with PV-only charging, beyond the import limit, or
   * discharging beyond the export limit) is not available at that step, so the plan replays exactly.
   */
  site?: { site: SiteParams; series: SiteSeries };
}

/** Cash of taking (c, d) at step t on the site, or −Infinity when the site would cut it; null without a site. */
export function siteCash(input: ActionDpInput): ((t: number, c: number, d: number) => number) | null {
  const { site, battery: b, pricesEurPerMWh: prices, dtHours } = input;
  if (!site || isPlainSite(site.site, site.series)) return null;
  assertSiteSeries(site.site, site.series, prices.length);
  let at = -1;
  let ctx = siteStepContext(b, site.site, site.series, 0, prices[0] ?? 0, dtHours);
  const flows: GridFlows = { usedPvKWh: 0, importedKWh: 0, exportedKWh: 0, gridCashEur: 0 };
  return (t, c, d) => {
    if (t !== at) {
      ctx = siteStepContext(b, site.site, site.series, t, prices[t], dtHours);
      at = t;
    }
    const tol = 1e-9 * Math.max(1, ctx.loadKWh, ctx.pvKWh);
    const net = ctx.loadKWh + c - d;
    if (c > ctx.chargeMaxKWh + tol || net > ctx.pvKWh + ctx.importMaxKWh + tol || net < -ctx.exportMaxKWh - tol)
      return -Infinity;
    return settleGridInto(ctx, net, flows).gridCashEur + stepCashEur(b, 0, c, d);
  };
}

/** Largest lattice the DP builds; beyond it, transitions snap to the nearest known level (an approximation). */
export const DEFAULT_MAX_SOC_LEVELS = 4096;

// SOC keys: values closer than this are one level (far below any physical resolution, far above float noise).
const KEY_SCALE = 1e9;
const socKey = (socKWh: number): number => Math.round(socKWh * KEY_SCALE);

/** The discrete model prepared once: lattice, and per (level, action) the clipped energy and the next level. */
export interface ActionLattice {
  /** Sorted SOC levels, kWh. */
  socKWh: Float64Array;
  /** Number of actions. */
  actions: number;
  /** next[s·A + a]: index of the level after action a from level s. */
  next: Int32Array;
  /** Grid-side energy bought / sold by action a from level s, kWh (after clipping). */
  chargedKWh: Float64Array;
  dischargedKWh: Float64Array;
  /** True when the reachable set exceeded maxLevels and transitions were snapped to the nearest level. */
  approximate: boolean;
}

/** Index of the nearest value in a sorted array (the lower one on a tie). */
export function nearestIndex(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(sorted[lo - 1] - x) <= Math.abs(sorted[lo] - x)) return lo - 1;
  return lo;
}

// Breadth-first over SOC values, `maxDepth` steps at most (a series of T steps never goes further), so short series
// stay exact even when the parameters do not close into a lattice.
function reachableFrom(
  battery: BatteryParams,
  levels: ArrayLike<number>,
  dtHours: number,
  seeds: ArrayLike<number>,
  maxLevels: number,
  maxDepth: number,
): { values: number[]; capped: boolean } {
  const seen = new Map<number, number>();
  const queue: number[] = [];
  const depth: number[] = [];
  let capped = false;
  const add = (soc: number, dep: number): void => {
    const k = socKey(soc);
    if (seen.has(k)) return;
    if (seen.size >= maxLevels) {
      capped = true;
      return;
    }
    seen.set(k, soc);
    queue.push(soc);
    depth.push(dep);
  };
  for (let i = 0; i < seeds.length; i++) add(seeds[i], 0);
  for (let q = 0; q < queue.length; q++) {
    if (depth[q] >= maxDepth) continue;
    const soc = queue[q];
    for (let a = 0; a < levels.length; a++) {
      const r = requestForPowerFraction(battery, levels[a], dtHours);
      add(stepBattery(battery, soc, r.chargeKWh, r.dischargeKWh, 0, dtHours).socAfterKWh, depth[q] + 1);
    }
  }
  return { values: [...seen.values()], capped };
}

/** The SOC levels reachable from `startSocKWh` with these levels (clipping at the bounds included), sorted; capped at maxLevels. */
export function reachableSocLevels(
  battery: BatteryParams,
  levels: ArrayLike<number>,
  dtHours: number,
  startSocKWh: number,
  maxLevels = DEFAULT_MAX_SOC_LEVELS,
): Float64Array {
  return Float64Array.from(reachableFrom(battery, levels, dtHours, [startSocKWh], maxLevels, Infinity).values).sort();
}

/** Builds the lattice reachable from all `seedSocsKWh` and its transition table (build once, reuse across solves). */
export function buildActionLattice(
  battery: BatteryParams,
  levels: ArrayLike<number>,
  dtHours: number,
  seedSocsKWh: ArrayLike<number>,
  maxLevels = DEFAULT_MAX_SOC_LEVELS,
  maxDepth = Infinity,
): ActionLattice {
  const { values, capped } = reachableFrom(battery, levels, dtHours, seedSocsKWh, maxLevels, maxDepth);
  const socKWh = Float64Array.from(values).sort();
  const index = new Map<number, number>();
  socKWh.forEach((s, i) => index.set(socKey(s), i));
  const S = socKWh.length;
  const A = levels.length;
  const next = new Int32Array(S * A);
  const chargedKWh = new Float64Array(S * A);
  const dischargedKWh = new Float64Array(S * A);
  for (let s = 0; s < S; s++) {
    for (let a = 0; a < A; a++) {
      const r = requestForPowerFraction(battery, levels[a], dtHours);
      const st = stepBattery(battery, socKWh[s], r.chargeKWh, r.dischargeKWh, 0, dtHours);
      next[s * A + a] = index.get(socKey(st.socAfterKWh)) ?? nearestIndex(socKWh, st.socAfterKWh);
      chargedKWh[s * A + a] = st.chargedKWh;
      dischargedKWh[s * A + a] = st.dischargedKWh;
    }
  }
  return { socKWh, actions: A, next, chargedKWh, dischargedKWh, approximate: capped };
}

/** Index of the lattice level for an SOC (exact key, else nearest). */
export function latticeIndex(lattice: ActionLattice, socKWh: number): number {
  return nearestIndex(lattice.socKWh, socKWh);
}

/**
 * Backward DP over [start, end) on the lattice. `value` holds the terminal value per level on entry and the value at
 * `start` on exit; `policy` (optional) receives the best action per (step − start, level), `firstAction` (optional)
 * the best action per level at `start`. Ties go to the lower action index, so "hold" listed first wins ties.
 */
export function backwardDp(
  lattice: ActionLattice,
  battery: BatteryParams,
  prices: ArrayLike<number>,
  start: number,
  end: number,
  value: Float64Array,
  scratch: Float64Array,
  policy?: Int32Array,
  firstAction?: Int32Array,
  cash: ((t: number, c: number, d: number) => number) | null = null,
): Float64Array {
  const S = lattice.socKWh.length;
  const A = lattice.actions;
  const { next, chargedKWh, dischargedKWh } = lattice;
  let v = value;
  let w = scratch;
  for (let t = end - 1; t >= start; t--) {
    const p = prices[t];
    for (let s = 0; s < S; s++) {
      let best = -Infinity;
      let bestA = 0;
      for (let a = 0; a < A; a++) {
        const j = s * A + a;
        const q =
          (cash ? cash(t, chargedKWh[j], dischargedKWh[j]) : stepCashEur(battery, p, chargedKWh[j], dischargedKWh[j])) +
          v[next[j]];
        if (q > best) {
          best = q;
          bestA = a;
        }
      }
      w[s] = best;
      if (policy) policy[(t - start) * S + s] = bestA;
      if (firstAction && t === start) firstAction[s] = bestA;
    }
    const tmp = v;
    v = w;
    w = tmp;
  }
  if (v !== value) value.set(v);
  return value;
}

function terminalValues(lattice: ActionLattice, eurPerKWh: number, minSocKWh: number | null): Float64Array {
  const out = new Float64Array(lattice.socKWh.length);
  for (let s = 0; s < out.length; s++) {
    const soc = lattice.socKWh[s];
    out[s] = minSocKWh !== null && soc < minSocKWh - 1e-9 ? -Infinity : eurPerKWh * soc;
  }
  return out;
}

/** Replays discrete actions through stepBattery from the initial SOC, exactly as simulate() would. */
function replay(input: ActionDpInput, actions: Int32Array): { profitEur: number; socKWh: Float64Array } {
  const { battery, dtHours, levels, pricesEurPerMWh } = input;
  if (input.site && !isPlainSite(input.site.site, input.site.series)) {
    // On the site: the site simulator, which takes these (site-feasible) requests without cutting them.
    const chargeKWh = new Float64Array(actions.length);
    const dischargeKWh = new Float64Array(actions.length);
    actions.forEach((a, t) => {
      const r = requestForPowerFraction(battery, levels[a], dtHours);
      chargeKWh[t] = r.chargeKWh;
      dischargeKWh[t] = r.dischargeKWh;
    });
    const sim = simulateSite({ pricesEurPerMWh, dtHours, battery, ...input.site }, { chargeKWh, dischargeKWh });
    return { profitEur: sim.profitEur, socKWh: sim.socAfterKWh };
  }
  const socKWh = new Float64Array(actions.length);
  let soc = battery.initialSocKWh;
  let profitEur = 0;
  for (let t = 0; t < actions.length; t++) {
    const r = requestForPowerFraction(battery, levels[actions[t]], dtHours);
    const st = stepBattery(battery, soc, r.chargeKWh, r.dischargeKWh, pricesEurPerMWh[t], dtHours);
    profitEur += st.cashEur;
    soc = st.socAfterKWh;
    socKWh[t] = soc;
  }
  return { profitEur, socKWh };
}

/**
 * Optimal discrete schedule over the whole series from battery.initialSocKWh (terminal value 0). A terminal SOC
 * minimum that no schedule can meet throws BatteryParamError; one that these actions cannot meet (a snapped,
 * approximate lattice) is dropped. The profit reported is the replay of the chosen actions through stepBattery.
 */
export function solveActionDp(input: ActionDpInput): { actions: Int32Array; profitEur: number; socKWh: Float64Array } {
  const { battery, dtHours, levels, pricesEurPerMWh } = input;
  const T = pricesEurPerMWh.length;
  assertTerminalSocReachable(battery, T, dtHours);
  const lattice = buildActionLattice(battery, levels, dtHours, [battery.initialSocKWh], DEFAULT_MAX_SOC_LEVELS, T);
  const S = lattice.socKWh.length;
  const policy = new Int32Array(T * S);
  const s0 = latticeIndex(lattice, battery.initialSocKWh);
  const cash = siteCash(input);
  let value = terminalValues(lattice, 0, battery.terminalSocKWh);
  backwardDp(lattice, battery, pricesEurPerMWh, 0, T, value, new Float64Array(S), policy, undefined, cash);
  if (value[s0] === -Infinity) {
    // The terminal minimum is unreachable with these actions: optimise without it.
    value = terminalValues(lattice, 0, null);
    backwardDp(lattice, battery, pricesEurPerMWh, 0, T, value, new Float64Array(S), policy, undefined, cash);
  }
  const actions = new Int32Array(T);
  let s = s0;
  for (let t = 0; t < T; t++) {
    const a = policy[t * S + s];
    actions[t] = a;
    s = lattice.next[s * lattice.actions + a];
  }
  return { actions, ...replay(input, actions) };
}

/**
 * Teacher: best first action at step `start` for each SOC in startSocsKWh, over the window [start, start+horizon)
 * (shorter at the end), valuing energy left at the end at terminalValueEurPerKWh. One backward DP serves all start SOCs.
 */
export function teacherActions(
  input: ActionDpInput,
  start: number,
  horizon: number,
  startSocsKWh: ArrayLike<number>,
  terminalValueEurPerKWh = 0,
): Int32Array {
  const lattice = buildActionLattice(input.battery, input.levels, input.dtHours, [
    input.battery.initialSocKWh,
    ...Array.from(startSocsKWh),
  ]);
  return teacherActionsOnLattice(lattice, input, start, horizon, startSocsKWh, terminalValueEurPerKWh);
}

/** teacherActions on a prebuilt lattice (build it once with every SOC the caller will ask about among its seeds). */
export function teacherActionsOnLattice(
  lattice: ActionLattice,
  input: ActionDpInput,
  start: number,
  horizon: number,
  startSocsKWh: ArrayLike<number>,
  terminalValueEurPerKWh = 0,
  /** The site's step cash (siteCash(input), prepared once per series); null: the battery model's cash. */
  cash: ((t: number, c: number, d: number) => number) | null = null,
): Int32Array {
  const S = lattice.socKWh.length;
  const end = Math.min(input.pricesEurPerMWh.length, start + Math.max(1, horizon));
  const value = terminalValues(lattice, terminalValueEurPerKWh, null);
  const first = new Int32Array(S);
  backwardDp(
    lattice,
    input.battery,
    input.pricesEurPerMWh,
    start,
    end,
    value,
    new Float64Array(S),
    undefined,
    first,
    cash,
  );
  const out = new Int32Array(startSocsKWh.length);
  for (let i = 0; i < out.length; i++) out[i] = start < end ? first[latticeIndex(lattice, startSocsKWh[i])] : 0;
  return out;
}

/** Rolling-horizon baseline: at each step re-solve on the next `horizon` prices from the current SOC and take the first action. */
export function rollingHorizon(
  input: ActionDpInput,
  horizon: number,
  terminalValueEurPerKWh = 0,
): { actions: Int32Array; profitEur: number; socKWh: Float64Array } {
  const { battery, dtHours, levels, pricesEurPerMWh } = input;
  const T = pricesEurPerMWh.length;
  const lattice = buildActionLattice(battery, levels, dtHours, [battery.initialSocKWh]);
  const S = lattice.socKWh.length;
  const value = new Float64Array(S);
  const scratch = new Float64Array(S);
  const first = new Int32Array(S);
  const term = terminalValues(lattice, terminalValueEurPerKWh, null);
  const actions = new Int32Array(T);
  const cash = siteCash(input);
  let soc = battery.initialSocKWh;
  for (let t = 0; t < T; t++) {
    value.set(term);
    backwardDp(
      lattice,
      battery,
      pricesEurPerMWh,
      t,
      Math.min(T, t + Math.max(1, horizon)),
      value,
      scratch,
      undefined,
      first,
      cash,
    );
    const a = first[latticeIndex(lattice, soc)];
    actions[t] = a;
    const r = requestForPowerFraction(battery, levels[a], dtHours);
    soc = stepBattery(battery, soc, r.chargeKWh, r.dischargeKWh, pricesEurPerMWh[t], dtHours).socAfterKWh;
  }
  return { actions, ...replay(input, actions) };
}
