// Days as rows of a fixed slot grid (24 slots hourly, 96 quarter-hourly), so per-hour models see a 24-hour day on
// DST days too; forecasts go back onto the real steps of D and D+1.

import { daySlots, deliveryDays, fromSlotGrid, toSlotGrid } from '../information/calendar.ts';
import { type ForecastCalendar, type IssueInput, ForecastError } from './types.ts';

/** The calendar of a series (times only). */
export function forecastCalendar(timesUtcMs: Float64Array, dtHours: number): ForecastCalendar {
  const days = deliveryDays(timesUtcMs, dtHours);
  return {
    timesUtcMs,
    dtHours,
    days,
    slots: days.map((d) => daySlots(timesUtcMs, d, dtHours)),
    perDay: Math.round(24 / dtHours),
  };
}

/** Grid rows of the known days [fromDay, toDay) of `values` (a series known from step 0), row-major. */
export function gridRows(
  calendar: ForecastCalendar,
  values: ArrayLike<number>,
  fromDay: number,
  toDay: number,
): Float64Array {
  const P = calendar.perDay;
  const out = new Float64Array(Math.max(0, toDay - fromDay) * P);
  for (let k = fromDay; k < toDay; k++)
    toSlotGrid(values, calendar.slots[k], calendar.days[k].start, P, out, (k - fromDay) * P);
  return out;
}

/** Steps of D and D+1 (as far as the calendar goes). */
export function issueLength(input: IssueInput): number {
  const { days } = input.calendar;
  const last = Math.min(days.length - 1, input.day + 1);
  return days[last].end - days[input.day].start;
}

/** Forecast for D and D+1 from two slot-grid rows (or one row used for both). */
export function stepsFromGrid(
  input: IssueInput,
  rowD: ArrayLike<number>,
  rowD1: ArrayLike<number> = rowD,
): Float64Array {
  const { days, slots } = input.calendar;
  const out = new Float64Array(issueLength(input));
  fromSlotGrid(rowD, 0, slots[input.day], out, 0);
  if (input.day + 1 < days.length)
    fromSlotGrid(rowD1, 0, slots[input.day + 1], out, days[input.day].end - days[input.day].start);
  return out;
}

/** Throws the forecaster's history need when D has fewer than `need` whole days before it. */
export function requireHistory(name: string, input: IssueInput, need: number): void {
  if (input.day < need) {
    const d = input.calendar.days[input.day];
    throw new ForecastError(
      `forecaster ${name} needs ${need} days of prices before the first forecast day; ${d.date} has ${input.day}`,
    );
  }
}
