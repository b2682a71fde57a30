// Why the agent acted (issue 12 §4): per step of a backtest trace, the action's probability, the teacher's action
// from the agent's SOC on the prices the agent saw, the oracle's action, the forecast average the agent saw, the SOC;
// and the steps where the agent and the oracle (or the teacher) disagree, with what each cost at actual prices.
//
// Agree/disagree compares what happened in the market: buy, sell or hold (an agent asking to charge a full battery
// holds). "Cost" of a step is the oracle's cash there minus the agent's (EUR at actual prices): over all steps these
// add up to the profit gap, oracle − agent; one step's number is that step's cash difference, not its whole
// consequence (a charge the agent skipped costs nothing then and shows where the oracle sells it).

import type { BacktestTrace } from '../../../workers/trainer-api.ts';
import { type DisplayUnits, energy, eur, eurPerMWh } from '../format.ts';
import { actionLabel, traceToCsv } from './steps.ts';

/** −1 sells, 0 holds, +1 buys. */
export type Direction = -1 | 0 | 1;

// Energies closer to zero than this are "hold" (far below a metered kWh, far above float noise).
const EPS_KWH = 1e-6;

/** The direction of a net grid energy (bought minus sold) or SOC change. */
export function directionOf(kWh: number): Direction {
  return kWh > EPS_KWH ? 1 : kWh < -EPS_KWH ? -1 : 0;
}

/** Which steps the filter shows: all, those where the agent and the oracle differ, or the agent and the teacher. */
export type StepFilter = 'all' | 'oracle' | 'teacher';

/** True when the trace holds what a filter needs (runs stored before the why fields lack them). */
export function canFilter(trace: BacktestTrace, filter: StepFilter): boolean {
  if (filter === 'oracle') return !!trace.oracleGridKWh && !!trace.oracleCashEur;
  if (filter === 'teacher') return !!trace.teacherActions;
  return true;
}

/** What the agent did at step t: the direction of its SOC change. */
export function agentDirection(trace: BacktestTrace, t: number): Direction {
  return directionOf(trace.socAfterKWh[t] - trace.socBeforeKWh[t]);
}

/** The step indices a filter keeps, in order (all steps for 'all' or when the trace lacks the field). */
export function filterSteps(trace: BacktestTrace, levels: readonly number[], filter: StepFilter): Int32Array {
  const n = trace.cashEur.length;
  if (filter === 'all' || !canFilter(trace, filter)) return Int32Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let t = 0; t < n; t++) {
    const other =
      filter === 'oracle' ? directionOf(trace.oracleGridKWh![t]) : directionOf(levels[trace.teacherActions![t]] ?? 0);
    if (other !== agentDirection(trace, t)) out.push(t);
  }
  return Int32Array.from(out);
}

/** The oracle's cash minus the agent's at step t, EUR (null without the oracle's cash). */
export function stepCostEur(trace: BacktestTrace, t: number): number | null {
  return trace.oracleCashEur ? trace.oracleCashEur[t] - trace.cashEur[t] : null;
}

/** Sum of the step costs over `steps`, and over the whole trace (= oracle profit − agent profit). */
export function costTotals(
  trace: BacktestTrace,
  steps: ArrayLike<number>,
): { stepsEur: number; allEur: number } | null {
  if (!trace.oracleCashEur) return null;
  let stepsEur = 0;
  for (let i = 0; i < steps.length; i++) stepsEur += stepCostEur(trace, steps[i])!;
  let allEur = 0;
  for (let t = 0; t < trace.cashEur.length; t++) allEur += stepCostEur(trace, t)!;
  return { stepsEur, allEur };
}

/** The policy's probabilities at step t, one per action level (null when not recorded). */
export function probsAt(trace: BacktestTrace, t: number, numActions: number): number[] | null {
  const p = trace.actionProbs;
  if (!p || p.length < (t + 1) * numActions) return null;
  return Array.from(p.subarray(t * numActions, (t + 1) * numActions));
}

/** One row of the why table, values in the units their names say (null: not recorded in this run). */
export interface WhyRow {
  step: number;
  timeUtcMs: number;
  priceEurPerMWh: number;
  forecastAvgEurPerMWh: number | null;
  socBeforeKWh: number;
  socAfterKWh: number;
  /** Power fraction of the agent's action, its probability and the whole distribution. */
  actionFraction: number;
  probability: number | null;
  probs: number[] | null;
  teacherFraction: number | null;
  oracleGridKWh: number | null;
  cashEur: number;
  oracleCashEur: number | null;
  costEur: number | null;
  cumulativeEur: number;
  disagreesWithOracle: boolean | null;
  disagreesWithTeacher: boolean | null;
}

/** The rows of `steps[from..to)` (indices into the trace), with `cumulative` the agent's running profit. */
export function whyRows(
  trace: BacktestTrace,
  levels: readonly number[],
  steps: ArrayLike<number>,
  from: number,
  to: number,
  cumulative: Float64Array,
): WhyRow[] {
  const rows: WhyRow[] = [];
  const end = Math.min(to, steps.length);
  for (let i = Math.max(0, from); i < end; i++) {
    const t = steps[i];
    const probs = probsAt(trace, t, levels.length);
    const teacher = trace.teacherActions ? (levels[trace.teacherActions[t]] ?? NaN) : null;
    const oracle = trace.oracleGridKWh ? trace.oracleGridKWh[t] : null;
    const agentDir = agentDirection(trace, t);
    rows.push({
      step: t,
      timeUtcMs: trace.timesUtcMs[t],
      priceEurPerMWh: trace.pricesEurPerMWh[t],
      forecastAvgEurPerMWh: trace.forecastAvgEurPerMWh ? trace.forecastAvgEurPerMWh[t] : null,
      socBeforeKWh: trace.socBeforeKWh[t],
      socAfterKWh: trace.socAfterKWh[t],
      actionFraction: levels[trace.actions[t]] ?? NaN,
      probability: probs ? probs[trace.actions[t]] : null,
      probs,
      teacherFraction: teacher,
      oracleGridKWh: oracle,
      cashEur: trace.cashEur[t],
      oracleCashEur: trace.oracleCashEur ? trace.oracleCashEur[t] : null,
      costEur: stepCostEur(trace, t),
      cumulativeEur: cumulative[t],
      disagreesWithOracle: oracle === null ? null : directionOf(oracle) !== agentDir,
      disagreesWithTeacher: teacher === null ? null : directionOf(teacher) !== agentDir,
    });
  }
  return rows;
}

/** The oracle's action as words: "charge 45.0 kWh", "discharge 50.0 kWh", "hold". */
export function oracleLabel(gridKWh: number, units: DisplayUnits = 'kW'): string {
  const d = directionOf(gridKWh);
  return d === 0 ? 'hold' : `${d > 0 ? 'charge' : 'discharge'} ${energy(Math.abs(gridKWh), units)}`;
}

/** The distribution as words: "hold 5% · charge 93% · discharge 2%". */
export function probsLabel(probs: readonly number[], levels: readonly number[]): string {
  return probs.map((p, a) => `${actionLabel(levels[a] ?? NaN)} ${Math.round(p * 100)}%`).join(' · ');
}

/** Tooltip lines for step t of the trace: the agent's action and probability, teacher, oracle, forecast, SOC, cash. */
export function whyLines(
  trace: BacktestTrace,
  t: number,
  levels: readonly number[],
  units: DisplayUnits = 'kW',
): string[] {
  const [r] = whyRows(trace, levels, [t], 0, 1, new Float64Array(trace.cashEur.length));
  if (!r) return [];
  const lines = [
    `Agent: ${actionLabel(r.actionFraction)}${r.probability !== null ? ` (p ${Math.round(r.probability * 100)}%)` : ''}, SOC ${energy(r.socBeforeKWh, units)} → ${energy(r.socAfterKWh, units)}`,
  ];
  if (r.probs) lines.push(`Policy: ${probsLabel(r.probs, levels)}`);
  if (r.teacherFraction !== null)
    lines.push(`Teacher: ${actionLabel(r.teacherFraction)}${r.disagreesWithTeacher ? ' (differs)' : ''}`);
  if (r.oracleGridKWh !== null)
    lines.push(`Oracle: ${oracleLabel(r.oracleGridKWh, units)}${r.disagreesWithOracle ? ' (differs)' : ''}`);
  if (r.forecastAvgEurPerMWh !== null) lines.push(`Forecast average seen: ${eurPerMWh(r.forecastAvgEurPerMWh)}`);
  lines.push(
    `Cash: agent ${eur(r.cashEur)}${r.oracleCashEur !== null ? `, oracle ${eur(r.oracleCashEur)} (cost ${eur(r.costEur)})` : ''}`,
  );
  return lines;
}

/** The why columns for the CSV export, header and one row per step (empty when the trace lacks them). */
export function whyCsvColumns(
  trace: BacktestTrace,
  levels: readonly number[],
): { header: string[]; row: (t: number) => (string | number)[] } {
  const A = levels.length;
  const header: string[] = [];
  const cols: ((t: number) => string | number)[] = [];
  if (trace.actionProbs) {
    header.push('action_probability');
    cols.push((t) => round(trace.actionProbs![t * A + trace.actions[t]]));
  }
  if (trace.teacherActions) {
    header.push('teacher_action');
    cols.push((t) => actionLabel(levels[trace.teacherActions![t]] ?? NaN));
  }
  if (trace.forecastAvgEurPerMWh) {
    header.push('forecast_avg_eur_mwh');
    cols.push((t) => round(trace.forecastAvgEurPerMWh![t]));
  }
  if (trace.oracleGridKWh) {
    header.push('oracle_grid_kwh');
    cols.push((t) => round(trace.oracleGridKWh![t]));
  }
  if (trace.oracleCashEur) {
    header.push('oracle_cash_eur', 'cost_vs_oracle_eur');
    cols.push(
      (t) => round(trace.oracleCashEur![t]),
      (t) => round(stepCostEur(trace, t)!),
    );
  }
  return { header, row: (t) => cols.map((c) => c(t)) };
}

/** The step CSV (steps.ts traceToCsv) with the why columns appended when the trace has them. */
export function traceToCsvWithWhy(trace: BacktestTrace, levels: readonly number[]): string {
  const base = traceToCsv(trace, levels);
  const { header, row } = whyCsvColumns(trace, levels);
  if (header.length === 0) return base;
  const lines = base.trimEnd().split('\n');
  return lines.map((l, i) => [l, ...(i === 0 ? header : row(i - 1))].join(',')).join('\n') + '\n';
}

// Six significant decimals for float32 values and cash: exact enough to re-add, short enough to read.
function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
