// Times on the page in one of two clocks, by the user's choice: UTC (what files and the engine use) or the market's
// delivery-day clock, Europe/Brussels (CET in winter, CEST in summer: the day-ahead auction's days are its days).
// Only display changes: series stay in UTC epoch ms everywhere.
import { MS_PER_HOUR } from '../../core/units.ts';

/** The clocks the page can show. */
export type ClockZone = 'UTC' | 'Europe/Brussels';
export const CLOCK_ZONES: readonly ClockZone[] = ['UTC', 'Europe/Brussels'];

const HOUR_MS = MS_PER_HOUR;
const DAY_MS = 24 * HOUR_MS;
const formatters = new Map<ClockZone, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

function formatter(zone: ClockZone): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's abbreviation at that instant: "UTC", "CET" or "CEST". */
export function zoneAbbr(timeMs: number, zone: ClockZone): string {
  if (zone === 'UTC') return 'UTC';
  return (
    formatter(zone)
      .formatToParts(new Date(timeMs))
      .find((p) => p.type === 'timeZoneName')?.value ?? zone
  );
}

/** Minutes the zone's clock is ahead of UTC at that instant (60 for CET, 120 for CEST). */
export function offsetMinutes(timeMs: number, zone: ClockZone): number {
  if (zone === 'UTC' || !Number.isFinite(timeMs)) return 0;
  // Offsets change at most once a day, on a whole UTC hour: a day whose first and last hours agree has one
  // offset throughout, so Intl (slow: ~0.2 ms a call) is asked twice a day, not once a step.
  const day = Math.floor(timeMs / DAY_MS);
  const dayKey = `${zone}:d${day}`;
  let off = offsetCache.get(dayKey);
  if (off === undefined) {
    const first = offsetAtHour(day * 24, zone);
    off = first === offsetAtHour(day * 24 + 23, zone) ? first : NaN;
    if (offsetCache.size > 100_000) offsetCache.clear();
    offsetCache.set(dayKey, off);
  }
  return Number.isNaN(off) ? offsetAtHour(Math.floor(timeMs / HOUR_MS), zone) : off;
}

function offsetAtHour(hour: number, zone: ClockZone): number {
  const key = `${zone}:${hour}`;
  let off = offsetCache.get(key);
  if (off === undefined) {
    const t = hour * HOUR_MS;
    const parts = Object.fromEntries(
      formatter(zone)
        .formatToParts(new Date(t))
        .map((p) => [p.type, p.value]),
    );
    const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
    off = Math.round((wall - t) / 60_000);
    offsetCache.set(key, off);
  }
  return off;
}

/** The zone's wall clock as if it were UTC: read it with getUTC* or toISOString. */
export function wallClockMs(timeMs: number, zone: ClockZone): number {
  return timeMs + offsetMinutes(timeMs, zone) * 60_000;
}

/** The instant at which the zone's clock shows `wallMs` (the earlier one when the autumn hour repeats; a spring
 * wall time that does not exist maps an hour on). */
export function fromWallClockMs(wallMs: number, zone: ClockZone): number {
  if (zone === 'UTC') return wallMs;
  const guess = wallMs - offsetMinutes(wallMs, zone) * 60_000;
  const t = wallMs - offsetMinutes(guess, zone) * 60_000;
  // Autumn: both readings exist; take the earlier (summer-time) instant.
  const earlier = t - HOUR_MS;
  return wallClockMs(earlier, zone) === wallMs ? earlier : t;
}

/** "2023-03-26 03:00 CEST" or "2023-03-26 01:00 UTC"; '—' for a missing time. */
export function formatTime(timeMs: number | null | undefined, zone: ClockZone): string {
  if (timeMs === undefined || timeMs === null || !Number.isFinite(timeMs)) return '—';
  return `${new Date(wallClockMs(timeMs, zone)).toISOString().slice(0, 16).replace('T', ' ')} ${zoneAbbr(timeMs, zone)}`;
}

/** The calendar date in that zone: "2023-03-26". */
export function formatDate(timeMs: number, zone: ClockZone): string {
  return Number.isFinite(timeMs) ? new Date(wallClockMs(timeMs, zone)).toISOString().slice(0, 10) : '—';
}

/** The calendar month in that zone: "2023-03". */
export function monthKey(timeMs: number, zone: ClockZone): string {
  return new Date(wallClockMs(timeMs, zone)).toISOString().slice(0, 7);
}

/** A short name for the clock, for labels: "UTC" or "CET/CEST". */
export function clockLabel(zone: ClockZone): string {
  return zone === 'UTC' ? 'UTC' : 'CET/CEST';
}
