// Delivery days of the European day-ahead market: CET/CEST calendar days (SDAC's delivery-day clock), 23 hours on
// the spring DST day and 25 in autumn (92 and 100 quarter-hours). Each day's auction closes at 12:00
// Europe/Brussels on the day before (SDAC gate closure). Computed from the EU summer-time rule in prices/time.ts,
// never from the host's time-zone database.

import { MS_PER_HOUR } from '../units.ts';
import { cetLocalToUtcMs, cetOffsetHours } from '../prices/time.ts';

const MS_PER_DAY = 24 * MS_PER_HOUR;

/** One CET/CEST calendar day inside a series: steps [start, end). */
export interface DeliveryDay {
  /** Index of the day's first step in the series. */
  start: number;
  /** One past the day's last step in the series. */
  end: number;
  /** UTC ms of the day's local midnight. */
  startUtcMs: number;
  /** UTC ms of the auction's gate closure for this day: 12:00 Europe/Brussels on the day before. */
  gateClosureUtcMs: number;
  /** Local calendar date, for messages: yyyy-mm-dd. */
  date: string;
  /** Day of the week, 0 = Monday … 6 = Sunday. */
  weekday: number;
  /** True when the series holds the whole day (first and last days may be cut). */
  complete: boolean;
}

/** Local (CET/CEST) calendar day number of a UTC instant: days since 1970-01-01 local. */
export function cetDayNumber(utcMs: number): number {
  return Math.floor((utcMs + cetOffsetHours(utcMs) * MS_PER_HOUR) / MS_PER_DAY);
}

/** Hours since local midnight of a UTC instant, as the local wall clock reads it (the repeated autumn hour reads 2 twice). */
export function cetHourOfDay(utcMs: number): number {
  const local = utcMs + cetOffsetHours(utcMs) * MS_PER_HOUR;
  return (local - Math.floor(local / MS_PER_DAY) * MS_PER_DAY) / MS_PER_HOUR;
}

/** SDAC gate closure: 12:00 Europe/Brussels (CET/CEST) on the day before delivery. */
export const GATE_CLOSURE_LOCAL_HOUR = 12;

/** UTC ms of a local wall-clock hour on local calendar day `dayNo` (days since 1970-01-01). */
function localTimeOfDayNumber(dayNo: number, hour: number): number {
  const d = new Date(dayNo * MS_PER_DAY);
  return cetLocalToUtcMs(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), hour, 0);
}

/** Splits a series' steps into delivery days, in order. */
export function deliveryDays(timesUtcMs: ArrayLike<number>, dtHours: number): DeliveryDay[] {
  const days: DeliveryDay[] = [];
  const n = timesUtcMs.length;
  let i = 0;
  while (i < n) {
    const dayNo = cetDayNumber(timesUtcMs[i]);
    let j = i + 1;
    while (j < n && cetDayNumber(timesUtcMs[j]) === dayNo) j++;
    const d = new Date(dayNo * MS_PER_DAY);
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    const startUtcMs = localTimeOfDayNumber(dayNo, 0);
    const nextStartUtcMs = localTimeOfDayNumber(dayNo + 1, 0);
    const gateClosureUtcMs = localTimeOfDayNumber(dayNo - 1, GATE_CLOSURE_LOCAL_HOUR);
    const stepMs = dtHours * MS_PER_HOUR;
    const complete =
      Math.abs(timesUtcMs[i] - startUtcMs) < 1 && Math.abs(timesUtcMs[j - 1] + stepMs - nextStartUtcMs) < 1;
    days.push({
      start: i,
      end: j,
      startUtcMs,
      gateClosureUtcMs,
      date: `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      weekday: (d.getUTCDay() + 6) % 7,
      complete,
    });
    i = j;
  }
  return days;
}

/**
 * Wall-clock slot of every step of a day: slot = floor(local hour / dtHours), so a day always has 24/dtHours
 * slots. The spring day misses the 02:00 slot(s); the autumn day has them twice. Per-hour forecasters work on
 * slots and map back with these.
 */
export function daySlots(timesUtcMs: ArrayLike<number>, day: DeliveryDay, dtHours: number): Int32Array {
  const out = new Int32Array(day.end - day.start);
  const perDay = Math.round(24 / dtHours);
  for (let i = day.start; i < day.end; i++)
    out[i - day.start] = Math.min(perDay - 1, Math.floor(cetHourOfDay(timesUtcMs[i]) / dtHours + 1e-9));
  return out;
}

/**
 * A day's values on the fixed slot grid: a missing slot (spring) takes the previous slot's value (the next one's at
 * midnight), a doubled slot (autumn) the mean of its steps.
 */
export function toSlotGrid(
  values: ArrayLike<number>,
  slots: Int32Array,
  offset: number,
  perDay: number,
  out: Float64Array,
  outOffset = 0,
): void {
  if (slots.length === perDay && slots[0] === 0 && slots[perDay - 1] === perDay - 1) {
    // An ordinary day: one step per slot, in order.
    for (let k = 0; k < perDay; k++) out[outOffset + k] = values[offset + k];
    return;
  }
  const sum = new Float64Array(perDay);
  const count = new Int32Array(perDay);
  for (let k = 0; k < slots.length; k++) {
    sum[slots[k]] += values[offset + k];
    count[slots[k]]++;
  }
  let first = -1;
  for (let s = 0; s < perDay; s++)
    if (count[s] > 0) {
      first = s;
      break;
    }
  let last = first >= 0 ? sum[first] / count[first] : Number.NaN;
  for (let s = 0; s < perDay; s++) {
    if (count[s] > 0) last = sum[s] / count[s];
    out[outOffset + s] = last;
  }
}

/** Slot values back onto a day's steps. */
export function fromSlotGrid(
  grid: ArrayLike<number>,
  gridOffset: number,
  slots: Int32Array,
  out: Float64Array,
  outOffset: number,
): void {
  for (let k = 0; k < slots.length; k++) out[outOffset + k] = grid[gridOffset + slots[k]];
}
