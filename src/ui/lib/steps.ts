// The per-step backtest table: rows for display (paged) and CSV export, and cumulative profit for the chart.

import type { BacktestTrace } from '../../../workers/trainer-api.ts';
import { type BatteryParams, stepCashEur } from '../../core/battery/index.ts';

/** One row of the step table, values in the units their names say. */
export interface StepRow {
  step: number;
  timeUtcMs: number;
  priceEurPerMWh: number;
  /** Power fraction of the action: +1 charge full, −1 discharge full, 0 hold. */
  actionFraction: number;
  socBeforeKWh: number;
  socAfterKWh: number;
  cashEur: number;
  cumulativeEur: number;
}

/** Human name of an action's power fraction. */
export function actionLabel(fraction: number): string {
  if (fraction === 0) return 'hold';
  const share = Math.round(Math.abs(fraction) * 100);
  return `${fraction > 0 ? 'charge' : 'discharge'}${share === 100 ? '' : ` ${share}%`}`;
}

/** Rows [from, to) of a trace; `levels` maps action index → power fraction. */
export function stepRows(
  trace: BacktestTrace,
  levels: readonly number[],
  from: number,
  to: number,
  cumulative: Float64Array,
): StepRow[] {
  const rows: StepRow[] = [];
  const end = Math.min(to, trace.cashEur.length);
  for (let i = Math.max(0, from); i < end; i++) {
    rows.push({
      step: i,
      timeUtcMs: trace.timesUtcMs[i],
      priceEurPerMWh: trace.pricesEurPerMWh[i],
      actionFraction: levels[trace.actions[i]] ?? NaN,
      socBeforeKWh: trace.socBeforeKWh[i],
      socAfterKWh: trace.socAfterKWh[i],
      cashEur: trace.cashEur[i],
      cumulativeEur: cumulative[i],
    });
  }
  return rows;
}

/** Running sum: out[i] = x[0] + … + x[i]. */
export function cumulativeSum(x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  let s = 0;
  for (let i = 0; i < x.length; i++) out[i] = s += x[i];
  return out;
}

/** The whole trace as CSV, machine-readable (ISO UTC times, plain decimals, units in the header). */
export function traceToCsv(trace: BacktestTrace, levels: readonly number[]): string {
  const lines = ['time_utc,price_eur_mwh,action,power_fraction,soc_before_kwh,soc_after_kwh,cash_eur,cumulative_eur'];
  let cum = 0;
  for (let i = 0; i < trace.cashEur.length; i++) {
    const f = levels[trace.actions[i]] ?? NaN;
    cum += trace.cashEur[i];
    lines.push(
      [
        new Date(trace.timesUtcMs[i]).toISOString(),
        trace.pricesEurPerMWh[i],
        actionLabel(f),
        f,
        round(trace.socBeforeKWh[i]),
        round(trace.socAfterKWh[i]),
        round(trace.cashEur[i]),
        round(cum),
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

// Nine significant decimals: exact enough to re-add the cash, short enough to read.
function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** Cash of each step of a schedule, through the one battery model's cash formula. */
export function scheduleCashEur(
  b: BatteryParams,
  pricesEurPerMWh: ArrayLike<number>,
  chargeKWh: ArrayLike<number>,
  dischargeKWh: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(pricesEurPerMWh.length);
  for (let i = 0; i < out.length; i++) out[i] = stepCashEur(b, pricesEurPerMWh[i], chargeKWh[i], dischargeKWh[i]);
  return out;
}
