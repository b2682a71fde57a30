import { describe, expect, it } from 'vitest';
import { MS_PER_HOUR } from '../units.ts';
import { daySlots, deliveryDays, fromSlotGrid, toSlotGrid } from './calendar.ts';

/** UTC interval starts every dtHours from `fromIso` for `n` steps. */
function times(fromIso: string, n: number, dtHours: number): Float64Array {
  const t0 = Date.parse(fromIso);
  return Float64Array.from({ length: n }, (_, i) => t0 + i * dtHours * MS_PER_HOUR);
}

describe('deliveryDays', () => {
  it('splits hourly UTC steps into CET/CEST days of 24, 23 (spring) and 25 (autumn) hours', () => {
    // 2023-03-25 00:00 CET = 2023-03-24T23:00Z; four days across the spring switch, then the autumn one.
    const spring = deliveryDays(times('2023-03-24T23:00:00Z', 24 + 23 + 24, 1), 1);
    expect(spring.map((d) => [d.date, d.end - d.start, d.complete])).toEqual([
      ['2023-03-25', 24, true],
      ['2023-03-26', 23, true],
      ['2023-03-27', 24, true],
    ]);
    const autumn = deliveryDays(times('2023-10-27T22:00:00Z', 24 + 25 + 24, 1), 1);
    expect(autumn.map((d) => [d.date, d.end - d.start])).toEqual([
      ['2023-10-28', 24],
      ['2023-10-29', 25],
      ['2023-10-30', 24],
    ]);
  });

  it('gives 92 and 100 quarter-hours on the DST days of 15-minute data', () => {
    expect(deliveryDays(times('2026-03-28T23:00:00Z', 92, 0.25), 0.25).map((d) => d.end - d.start)).toEqual([92]);
    expect(deliveryDays(times('2025-10-25T22:00:00Z', 100, 0.25), 0.25).map((d) => [d.date, d.end - d.start])).toEqual([
      ['2025-10-26', 100],
    ]);
  });

  it('puts gate closure at 12:00 Europe/Brussels on the day before (11:00Z in winter, 10:00Z in summer)', () => {
    const days = deliveryDays(times('2023-03-25T23:00:00Z', 23 + 24, 1), 1);
    // D = 2023-03-26 (spring day): D−1 is still CET.
    expect(new Date(days[0].gateClosureUtcMs).toISOString()).toBe('2023-03-25T11:00:00.000Z');
    // D = 2023-03-27: D−1 (the 26th) is CEST.
    expect(new Date(days[1].gateClosureUtcMs).toISOString()).toBe('2023-03-26T10:00:00.000Z');
    expect(days.every((d) => d.gateClosureUtcMs < d.startUtcMs - 11 * MS_PER_HOUR)).toBe(true);
  });

  it('marks a day the series cuts as incomplete and numbers weekdays from Monday', () => {
    const days = deliveryDays(times('2023-01-02T00:00:00Z', 30, 1), 1); // starts 01:00 CET on Monday 2 January
    expect(days[0]).toMatchObject({ date: '2023-01-02', weekday: 0, complete: false });
    expect(days[1]).toMatchObject({ date: '2023-01-03', weekday: 1, complete: false, end: 30 });
  });
});

describe('slot grid', () => {
  it('fills the missing spring slot from the one before and averages the doubled autumn slot', () => {
    const spring = times('2023-03-25T23:00:00Z', 23, 1);
    const [sd] = deliveryDays(spring, 1);
    const ss = daySlots(spring, sd, 1);
    expect(Array.from(ss.subarray(0, 4))).toEqual([0, 1, 3, 4]);
    const grid = new Float64Array(24);
    toSlotGrid(
      Float64Array.from({ length: 23 }, (_, i) => i),
      ss,
      0,
      24,
      grid,
    );
    expect(Array.from(grid.subarray(0, 4))).toEqual([0, 1, 1, 2]);
    const back = new Float64Array(23);
    fromSlotGrid(grid, 0, ss, back, 0);
    expect(Array.from(back)).toEqual(Array.from({ length: 23 }, (_, i) => i));

    const autumn = times('2023-10-28T22:00:00Z', 25, 1);
    const [ad] = deliveryDays(autumn, 1);
    const as = daySlots(autumn, ad, 1);
    expect(Array.from(as.subarray(0, 5))).toEqual([0, 1, 2, 2, 3]);
    toSlotGrid(
      Float64Array.from({ length: 25 }, (_, i) => i * 10),
      as,
      0,
      24,
      grid,
    );
    expect(Array.from(grid.subarray(0, 4))).toEqual([0, 10, 25, 40]);
  });
});
