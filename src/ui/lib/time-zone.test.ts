import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatTime,
  fromWallClockMs,
  monthKey,
  offsetMinutes,
  wallClockMs,
  zoneAbbr,
} from './time-zone.ts';
import { timeTicks } from '../charts/scales.ts';

const H = 3_600_000;

describe('formatTime', () => {
  it('shows UTC as UTC and Brussels with CET in winter, CEST in summer', () => {
    expect(formatTime(Date.UTC(2023, 0, 1, 0), 'UTC')).toBe('2023-01-01 00:00 UTC');
    expect(formatTime(Date.UTC(2023, 0, 1, 0), 'Europe/Brussels')).toBe('2023-01-01 01:00 CET');
    expect(formatTime(Date.UTC(2023, 6, 1, 0), 'Europe/Brussels')).toBe('2023-07-01 02:00 CEST');
    expect(formatTime(NaN, 'UTC')).toBe('—');
  });
  it('on the spring DST day (2023-03-26) local 02:00 does not exist: 00:59 UTC is 01:59 CET, 01:00 UTC is 03:00 CEST', () => {
    expect(formatTime(Date.UTC(2023, 2, 26, 0, 59), 'Europe/Brussels')).toBe('2023-03-26 01:59 CET');
    expect(formatTime(Date.UTC(2023, 2, 26, 1, 0), 'Europe/Brussels')).toBe('2023-03-26 03:00 CEST');
    expect(offsetMinutes(Date.UTC(2023, 2, 26, 0), 'Europe/Brussels')).toBe(60);
    expect(offsetMinutes(Date.UTC(2023, 2, 26, 1), 'Europe/Brussels')).toBe(120);
  });
  it('on the autumn DST day (2023-10-29) local 02:00 happens twice, first in CEST then in CET', () => {
    expect(formatTime(Date.UTC(2023, 9, 29, 0), 'Europe/Brussels')).toBe('2023-10-29 02:00 CEST');
    expect(formatTime(Date.UTC(2023, 9, 29, 1), 'Europe/Brussels')).toBe('2023-10-29 02:00 CET');
    expect(zoneAbbr(Date.UTC(2023, 9, 29, 1), 'UTC')).toBe('UTC');
  });
});

describe('wall clock', () => {
  it('fromWallClockMs inverts wallClockMs, taking the earlier instant for the repeated autumn hour', () => {
    for (const t of [Date.UTC(2023, 0, 5, 7), Date.UTC(2023, 2, 26, 1), Date.UTC(2023, 6, 1, 23)])
      expect(fromWallClockMs(wallClockMs(t, 'Europe/Brussels'), 'Europe/Brussels')).toBe(t);
    expect(fromWallClockMs(Date.UTC(2023, 9, 29, 2), 'Europe/Brussels')).toBe(Date.UTC(2023, 9, 29, 0));
    expect(fromWallClockMs(Date.UTC(2023, 9, 29, 2), 'UTC')).toBe(Date.UTC(2023, 9, 29, 2));
  });
  it('formatDate and monthKey follow the zone: 23:30 UTC on 31 Jan is already February in Brussels', () => {
    const t = Date.UTC(2023, 0, 31, 23, 30);
    expect(formatDate(t, 'UTC')).toBe('2023-01-31');
    expect(formatDate(t, 'Europe/Brussels')).toBe('2023-02-01');
    expect(monthKey(t, 'UTC')).toBe('2023-01');
    expect(monthKey(t, 'Europe/Brussels')).toBe('2023-02');
  });
});

describe('timeTicks(view, t0, dtMs, width, zone)', () => {
  it('in Brussels the ticks of the spring DST day sit at local midnights, 23 steps apart', () => {
    // Hourly steps from 2023-03-25 00:00 UTC, three days.
    const t0 = Date.UTC(2023, 2, 25, 0);
    const ticks = timeTicks({ from: 0, to: 72 }, t0, H, 720, 'Europe/Brussels');
    const midnights = ticks
      .filter((t) => new Date(wallClockMs(t.value, 'Europe/Brussels')).getUTCHours() === 0)
      .map((t) => t.value);
    expect(midnights).toContain(Date.UTC(2023, 2, 25, 23)); // 26 March 00:00 CET
    expect(midnights).toContain(Date.UTC(2023, 2, 26, 22)); // 27 March 00:00 CEST: the day had 23 hours
    const a = ticks.find((t) => t.value === Date.UTC(2023, 2, 25, 23))!;
    const b = ticks.find((t) => t.value === Date.UTC(2023, 2, 26, 22))!;
    expect(b.pos - a.pos).toBeCloseTo((23 / 72) * 720, 6);
  });
  it('in UTC the ticks are D3’s UTC ticks, unchanged', () => {
    const t0 = Date.UTC(2023, 0, 1);
    const ticks = timeTicks({ from: 0, to: 48 }, t0, H, 480);
    expect(ticks.every((t) => (t.value - t0) % H === 0)).toBe(true);
    expect(ticks[0].pos).toBeCloseTo(((ticks[0].value - t0) / (48 * H)) * 480, 9);
  });
});
