// Profit per calendar month, for the trader's view: where in the year the money was made.

import { type ClockZone, fromWallClockMs, monthKey, wallClockMs } from './time-zone.ts';

/** One month's profit, EUR, with the steps it covers. */
export interface MonthProfit {
  /** "2023-03", in the chosen clock. */
  month: string;
  profitEur: number;
  steps: number;
}

/** Sums per-step cash (EUR) by the calendar month of each step's start in `zone`; months in time order. */
export function monthlyProfit(
  timesUtcMs: ArrayLike<number>,
  cashEur: ArrayLike<number>,
  zone: ClockZone,
): MonthProfit[] {
  const out: MonthProfit[] = [];
  const n = Math.min(timesUtcMs.length, cashEur.length);
  // The zone is asked only when a step reaches the current month's end (times increase), not once per step.
  let last: MonthProfit | undefined;
  let endMs = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = timesUtcMs[i];
    if (!last || t >= endMs || t < endMs - 32 * 86_400_000) {
      const m = monthKey(t, zone);
      const wall = new Date(wallClockMs(t, zone));
      endMs = fromWallClockMs(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth() + 1, 1), zone);
      if (!last || last.month !== m) out.push((last = { month: m, profitEur: 0, steps: 0 }));
    }
    last.profitEur += cashEur[i];
    last.steps++;
  }
  return out;
}

/** A row of the breakdown table: the whole-series oracle and, on the test split's months, oracle and agent. */
export interface MonthRow {
  month: string;
  oracleEur: number;
  /** On the test split only (null for months without test steps, or before a run). */
  testOracleEur: number | null;
  agentEur: number | null;
}

/** Joins the whole-series oracle's months with the test split's oracle and agent months (same clock). */
export function monthRows(
  oracle: MonthProfit[],
  testOracle: MonthProfit[] | null,
  agent: MonthProfit[] | null,
): MonthRow[] {
  const to = new Map((testOracle ?? []).map((m) => [m.month, m.profitEur]));
  const ag = new Map((agent ?? []).map((m) => [m.month, m.profitEur]));
  return oracle.map((m) => ({
    month: m.month,
    oracleEur: m.profitEur,
    testOracleEur: to.get(m.month) ?? null,
    agentEur: ag.get(m.month) ?? null,
  }));
}
