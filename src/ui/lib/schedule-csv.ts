// The oracle's schedule as a CSV a trader can open: one row per step, machine-readable (ISO UTC times, plain
// decimals, units in the header), like the agent's step table export.

/** The oracle schedule's columns, kWh at the grid side (charge bought, discharge sold), SOC after the step. */
export interface ScheduleColumns {
  timesUtcMs: ArrayLike<number>;
  pricesEurPerMWh: ArrayLike<number>;
  chargeKWh: ArrayLike<number>;
  dischargeKWh: ArrayLike<number>;
  socKWh: ArrayLike<number>;
}

export const SCHEDULE_CSV_HEADER = 'time_utc,price_eur_mwh,charge_kwh,discharge_kwh,soc_kwh';

// Nine decimals: exact enough to replay, short enough to read; "-0" written as 0.
function round(x: number): number {
  const r = Math.round(x * 1e9) / 1e9;
  return r === 0 ? 0 : r;
}

/** The schedule as CSV text; throws if the columns differ in length (a schedule for other data). */
export function scheduleToCsv(s: ScheduleColumns): string {
  const n = s.timesUtcMs.length;
  for (const [name, col] of Object.entries(s))
    if ((col as ArrayLike<number>).length !== n)
      throw new Error(`schedule column ${name} has ${(col as ArrayLike<number>).length} rows, the series ${n}`);
  const lines = [SCHEDULE_CSV_HEADER];
  for (let i = 0; i < n; i++) {
    lines.push(
      `${new Date(s.timesUtcMs[i]).toISOString()},${s.pricesEurPerMWh[i]},${round(s.chargeKWh[i])},${round(s.dischargeKWh[i])},${round(s.socKWh[i])}`,
    );
  }
  return lines.join('\n') + '\n';
}
