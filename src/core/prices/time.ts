// Calendar arithmetic for the delivery-day clock of the European day-ahead markets (CET/CEST), computed from the EU
// summer-time rule (Directive 2000/84/EC: from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday
// of October) so that results never depend on the host's time-zone database.

import { MS_PER_HOUR } from '../units.ts';

const MS_PER_DAY = 24 * MS_PER_HOUR;

/** Day of the month of the last Sunday of `month` (0-based) in `year`. */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return last.getUTCDate() - last.getUTCDay();
}

/** UTC ms of the CET/CEST local midnight that starts the calendar day year-month-day (month 1-based). */
export function cetMidnightUtcMs(year: number, month: number, day: number): number {
  const utcMidnight = Date.UTC(year, month - 1, day);
  // Local midnight is CEST (UTC+2) strictly after the spring switch day and up to and including the autumn one.
  const springDay = Date.UTC(year, 2, lastSunday(year, 2));
  const autumnDay = Date.UTC(year, 9, lastSunday(year, 9));
  const summer = utcMidnight > springDay && utcMidnight <= autumnDay;
  return utcMidnight - (summer ? 2 : 1) * MS_PER_HOUR;
}

/** CET/CEST offset from UTC, hours, at a UTC instant. */
export function cetOffsetHours(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  const start = Date.UTC(year, 2, lastSunday(year, 2), 1);
  const end = Date.UTC(year, 9, lastSunday(year, 9), 1);
  return utcMs >= start && utcMs < end ? 2 : 1;
}

/** UTC ms of a CET/CEST wall-clock time; `repeated` picks the second (CET) reading of the autumn 02:00–03:00 hour. */
export function cetLocalToUtcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  repeated = false,
): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const asSummer = wall - 2 * MS_PER_HOUR;
  const asWinter = wall - MS_PER_HOUR;
  const summerOk = cetOffsetHours(asSummer) === 2;
  const winterOk = cetOffsetHours(asWinter) === 1;
  if (summerOk && winterOk) return repeated ? asWinter : asSummer;
  if (summerOk) return asSummer;
  if (winterOk) return asWinter;
  return asWinter; // a wall time inside the spring gap: read it as winter time
}

/** True when y-m-d (month 1-based) is a real calendar date. */
export function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

export { MS_PER_DAY };
