// The battery LP as plain data (variables, bounds, constraints, objective), and adapters to general solvers:
// HiGHS (npm `highs`, WebAssembly) and javascript-lp-solver. It is the test reference for the fast path and serves
// model variants the fast path does not cover. The solver objects are passed in, so core imports neither package.

import {
  type BatteryParams,
  cellGainKWh,
  cellLossKWh,
  maxChargeKWh,
  maxDischargeKWh,
  stepCashEur,
} from '../battery/index.ts';
import { type SiteParams, type SiteSeries, siteStepContext } from '../site/site.ts';
import { eurForEnergy } from '../units.ts';

export interface LpVariable {
  name: string;
  lower: number;
  upper: number;
  /** Objective coefficient (the LP maximises). */
  cost: number;
}

export interface LpConstraint {
  name: string;
  /** [variable index, coefficient] pairs. */
  terms: [number, number][];
  lower: number;
  upper: number;
}

/** maximise Σ cost·x subject to lower ≤ Σ terms ≤ upper and variable bounds; `offset` is added to the optimum. */
export interface LinearProgram {
  variables: LpVariable[];
  constraints: LpConstraint[];
  offset: number;
}

/**
 * Variables c_t, d_t (grid side, kWh) and s_t (SOC after step t); s_t = s_{t−1} + ηc·c_t − d_t/ηd;
 * cash = price/1000·(d − c) − k·(c + d); shared power limit c/(Pc·dt) + d/(Pd·dt) ≤ 1 when on. The model is
 * linear, so its coefficients are the battery model's own SOC change and cash per kWh.
 */
export function batteryLp(pricesEurPerMWh: ArrayLike<number>, dtHours: number, b: BatteryParams): LinearProgram {
  const T = pricesEurPerMWh.length;
  const C = maxChargeKWh(b, dtHours);
  const D = maxDischargeKWh(b, dtHours);
  const socPerChargedKWh = cellGainKWh(b, 1);
  const socPerDischargedKWh = -cellLossKWh(b, 1);
  const variables: LpVariable[] = [];
  const constraints: LpConstraint[] = [];
  for (let t = 0; t < T; t++) {
    const last = t === T - 1;
    variables.push({ name: `c${t}`, lower: 0, upper: C, cost: stepCashEur(b, pricesEurPerMWh[t], 1, 0) });
    variables.push({ name: `d${t}`, lower: 0, upper: D, cost: stepCashEur(b, pricesEurPerMWh[t], 0, 1) });
    const sLower = last && b.terminalSocKWh !== null ? Math.max(b.minSocKWh, b.terminalSocKWh) : b.minSocKWh;
    variables.push({ name: `s${t}`, lower: sLower, upper: b.maxSocKWh, cost: 0 });
  }
  for (let t = 0; t < T; t++) {
    const terms: [number, number][] = [
      [3 * t + 2, 1],
      [3 * t, -socPerChargedKWh],
      [3 * t + 1, -socPerDischargedKWh],
    ];
    let rhs = 0;
    if (t > 0) terms.push([3 * (t - 1) + 2, -1]);
    else rhs = b.initialSocKWh;
    constraints.push({ name: `soc${t}`, terms, lower: rhs, upper: rhs });
    if (b.sharedPowerLimit && C > 0 && D > 0)
      constraints.push({
        name: `pow${t}`,
        terms: [
          [3 * t, 1 / C],
          [3 * t + 1, 1 / D],
        ],
        lower: -Infinity,
        upper: 1,
      });
  }
  return { variables, constraints, offset: 0 };
}

/** The LP's variables for a battery schedule: c_t, d_t, s_t per step, in batteryLp's order. */
export function lpPoint(schedule: {
  chargeKWh: ArrayLike<number>;
  dischargeKWh: ArrayLike<number>;
  socKWh: ArrayLike<number>;
}): Float64Array {
  const T = schedule.socKWh.length;
  const x = new Float64Array(3 * T);
  for (let t = 0; t < T; t++) {
    x[3 * t] = schedule.chargeKWh[t];
    x[3 * t + 1] = schedule.dischargeKWh[t];
    x[3 * t + 2] = schedule.socKWh[t];
  }
  return x;
}

/** The objective at a point and how far the point is outside the LP's bounds and constraints (0 when feasible). */
export function evaluateLp(lp: LinearProgram, x: ArrayLike<number>): { objective: number; maxViolation: number } {
  let objective = lp.offset;
  let maxViolation = 0;
  const outside = (v: number, lower: number, upper: number) => Math.max(0, lower - v, v - upper);
  lp.variables.forEach((v, i) => {
    objective += v.cost * x[i];
    maxViolation = Math.max(maxViolation, outside(x[i], v.lower, v.upper));
  });
  for (const c of lp.constraints) {
    let sum = 0;
    for (const [i, a] of c.terms) sum += a * x[i];
    maxViolation = Math.max(maxViolation, outside(sum, c.lower, c.upper));
  }
  return { objective, maxViolation };
}

// Shortest round-trip decimal: exact, and far shorter to write and parse than 17 digits.
const num = (x: number): string => (Number.isFinite(x) ? String(x) : x > 0 ? 'inf' : '-inf');

/** The LP in CPLEX LP format, as HiGHS reads it. */
export function toCplexLp(lp: LinearProgram): string {
  const out: string[] = ['Maximize', ' obj:'];
  const obj = lp.variables.map((v, i) => (v.cost !== 0 ? ` + ${num(v.cost)} x${i}` : '')).join('');
  out[1] += obj || ' 0 x0';
  out.push('Subject To');
  for (const c of lp.constraints) {
    const lhs = c.terms.map(([i, a]) => ` + ${num(a)} x${i}`).join('');
    if (c.lower === c.upper) out.push(` ${c.name}:${lhs} = ${num(c.upper)}`);
    else {
      if (Number.isFinite(c.upper)) out.push(` ${c.name}u:${lhs} <= ${num(c.upper)}`);
      if (Number.isFinite(c.lower)) out.push(` ${c.name}l:${lhs} >= ${num(c.lower)}`);
    }
  }
  out.push('Bounds');
  lp.variables.forEach((v, i) => out.push(` ${num(v.lower)} <= x${i} <= ${num(v.upper)}`));
  out.push('End');
  return out.join('\n');
}

/** What a general solver returned. */
export interface LpSolution {
  status: string;
  objective: number;
  values: Float64Array;
}

/** The part of the `highs` package's instance this adapter uses. */
export interface HighsLike {
  solve(
    problem: string,
    options?: Record<string, unknown>,
  ): { Status: string; ObjectiveValue: number; Columns: Record<string, { Primal?: number }> };
}

/** Solves with HiGHS (pass `await (await import('highs')).default()`). */
export function solveWithHighs(highs: HighsLike, lp: LinearProgram): LpSolution {
  if (lp.variables.length === 0) return { status: 'Optimal', objective: lp.offset, values: new Float64Array(0) };
  const r = highs.solve(toCplexLp(lp), { primal_feasibility_tolerance: 1e-10, dual_feasibility_tolerance: 1e-10 });
  const values = new Float64Array(lp.variables.length);
  values.forEach((_, i) => (values[i] = r.Columns[`x${i}`]?.Primal ?? 0));
  return { status: r.Status, objective: r.ObjectiveValue + lp.offset, values };
}

/** The part of javascript-lp-solver this adapter uses. */
export interface JsLpSolverLike {
  Solve(model: unknown): Record<string, unknown> & { feasible: boolean; result: number };
}

/** Solves with javascript-lp-solver (small instances: it is a dense simplex). */
export function solveWithJsLpSolver(solver: JsLpSolverLike, lp: LinearProgram): LpSolution {
  const constraints: Record<string, { min?: number; max?: number; equal?: number }> = {};
  const variables: Record<string, Record<string, number>> = {};
  lp.variables.forEach((v, i) => {
    variables[`x${i}`] = { obj: v.cost, [`ub${i}`]: 1, [`lb${i}`]: 1 };
    constraints[`ub${i}`] = { max: v.upper };
    constraints[`lb${i}`] = { min: v.lower };
  });
  for (const c of lp.constraints) {
    for (const [i, a] of c.terms) variables[`x${i}`][c.name] = (variables[`x${i}`][c.name] ?? 0) + a;
    constraints[c.name] =
      c.lower === c.upper
        ? { equal: c.upper }
        : {
            ...(Number.isFinite(c.lower) ? { min: c.lower } : {}),
            ...(Number.isFinite(c.upper) ? { max: c.upper } : {}),
          };
  }
  const r =
    lp.variables.length === 0
      ? { feasible: true, result: 0 }
      : solver.Solve({ optimize: 'obj', opType: 'max', constraints, variables });
  const values = new Float64Array(lp.variables.length);
  values.forEach((_, i) => (values[i] = Number((r as Record<string, unknown>)[`x${i}`] ?? 0)));
  return { status: r.feasible ? 'Optimal' : 'Infeasible', objective: r.result + lp.offset, values };
}

/**
 * The site LP (DESIGN.md "Site"): per step c, d, s as in batteryLp, plus q (PV used, ≤ pv), i (import, ≤ the import
 * limit) and e (export, ≤ the export limit), with the AC balance q + i + d − c − e = load; with chargeFromPvOnly
 * c ≤ max(0, pv − load). cash = exportPrice/1000·e − importPrice/1000·i − k·(c + d). Variables in the order
 * c, d, s, q, i, e per step (6 per step).
 */
export function siteLp(
  pricesEurPerMWh: ArrayLike<number>,
  dtHours: number,
  b: BatteryParams,
  site: SiteParams,
  series: SiteSeries,
): LinearProgram {
  const T = pricesEurPerMWh.length;
  const C = maxChargeKWh(b, dtHours);
  const D = maxDischargeKWh(b, dtHours);
  const variables: LpVariable[] = [];
  const constraints: LpConstraint[] = [];
  for (let t = 0; t < T; t++) {
    const ctx = siteStepContext(b, site, series, t, pricesEurPerMWh[t], dtHours);
    const last = t === T - 1;
    const sLower = last && b.terminalSocKWh !== null ? Math.max(b.minSocKWh, b.terminalSocKWh) : b.minSocKWh;
    variables.push(
      { name: `c${t}`, lower: 0, upper: Math.min(C, ctx.chargeMaxKWh), cost: stepCashEur(b, 0, 1, 0) },
      { name: `d${t}`, lower: 0, upper: D, cost: stepCashEur(b, 0, 0, 1) },
      { name: `s${t}`, lower: sLower, upper: b.maxSocKWh, cost: 0 },
      { name: `q${t}`, lower: 0, upper: ctx.pvKWh, cost: 0 },
      { name: `i${t}`, lower: 0, upper: ctx.importMaxKWh, cost: -eurForEnergy(ctx.importPriceEurPerMWh, 1) },
      { name: `e${t}`, lower: 0, upper: ctx.exportMaxKWh, cost: eurForEnergy(ctx.exportPriceEurPerMWh, 1) },
    );
    const v = 6 * t;
    const terms: [number, number][] = [
      [v + 2, 1],
      [v, -cellGainKWh(b, 1)],
      [v + 1, cellLossKWh(b, 1)],
    ];
    let rhs = 0;
    if (t > 0) terms.push([v - 6 + 2, -1]);
    else rhs = b.initialSocKWh;
    constraints.push({ name: `soc${t}`, terms, lower: rhs, upper: rhs });
    if (b.sharedPowerLimit && C > 0 && D > 0)
      constraints.push({
        name: `pow${t}`,
        terms: [
          [v, 1 / C],
          [v + 1, 1 / D],
        ],
        lower: -Infinity,
        upper: 1,
      });
    constraints.push({
      name: `bus${t}`,
      terms: [
        [v + 3, 1],
        [v + 4, 1],
        [v + 1, 1],
        [v, -1],
        [v + 5, -1],
      ],
      lower: ctx.loadKWh,
      upper: ctx.loadKWh,
    });
  }
  return { variables, constraints, offset: 0 };
}

/** The site LP's variables for a site trace, in siteLp's order. */
export function siteLpPoint(trace: {
  chargedKWh: ArrayLike<number>;
  dischargedKWh: ArrayLike<number>;
  socAfterKWh: ArrayLike<number>;
  pvStepKWh: ArrayLike<number>;
  curtailStepKWh: ArrayLike<number>;
  importStepKWh: ArrayLike<number>;
  exportStepKWh: ArrayLike<number>;
}): Float64Array {
  const T = trace.socAfterKWh.length;
  const x = new Float64Array(6 * T);
  for (let t = 0; t < T; t++) {
    x[6 * t] = trace.chargedKWh[t];
    x[6 * t + 1] = trace.dischargedKWh[t];
    x[6 * t + 2] = trace.socAfterKWh[t];
    x[6 * t + 3] = trace.pvStepKWh[t] - trace.curtailStepKWh[t];
    x[6 * t + 4] = trace.importStepKWh[t];
    x[6 * t + 5] = trace.exportStepKWh[t];
  }
  return x;
}
