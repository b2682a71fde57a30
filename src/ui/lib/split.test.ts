import { describe, expect, it } from 'vitest';
import { clampSplit, dayAheadSplit, defaultSplit, sliceSeries, splitFromBrush } from './split.ts';

describe('split', () => {
  it('defaultSplit(n) trains on the first 75% and tests on the rest', () => {
    expect(defaultSplit(8760)).toEqual({ trainStart: 0, trainEnd: 6570, n: 8760 });
  });
  it('splitFromBrush maps pixels through the scale inverse and orders the ends', () => {
    const invert = (px: number) => px * 10; // 1 px = 10 steps
    expect(splitFromBrush([500, 100], invert, 8760)).toEqual({ trainStart: 1000, trainEnd: 5000, n: 8760 });
  });
  it('clampSplit keeps at least a day in each split', () => {
    expect(clampSplit({ trainStart: 0, trainEnd: 8760, n: 8760 }).trainEnd).toBe(8760 - 24);
    expect(clampSplit({ trainStart: 50, trainEnd: 40, n: 8760 })).toEqual({ trainStart: 16, trainEnd: 40, n: 8760 });
  });
  it('degenerate series: one row trains on it, none gives empty ranges', () => {
    expect(clampSplit({ trainStart: 0, trainEnd: 0, n: 1 })).toEqual({ trainStart: 0, trainEnd: 1, n: 1 });
    expect(defaultSplit(0)).toEqual({ trainStart: 0, trainEnd: 0, n: 0 });
  });
  it('sliceSeries copies the window', () => {
    const t = Float64Array.from([0, 1, 2, 3]);
    const p = Float64Array.from([10, 11, 12, 13]);
    const s = sliceSeries(t, p, 1, 3);
    expect(Array.from(s.pricesEurPerMWh)).toEqual([11, 12]);
    s.pricesEurPerMWh[0] = 99;
    expect(p[1]).toBe(11);
  });
  it('dayAheadSplit starts the test split at the next delivery day (Europe/Brussels midnight), or says none', () => {
    // Ten days of hourly steps from 2023-01-01 00:00 UTC: delivery days start at 23:00 UTC (00:00 CET).
    const t0 = Date.UTC(2023, 0, 1);
    const series = { timesUtcMs: Float64Array.from({ length: 240 }, (_, i) => t0 + i * 3_600_000), dtHours: 1 };
    expect(dayAheadSplit(series, { trainStart: 0, trainEnd: 100, n: 240 })).toEqual({
      trainStart: 0,
      trainEnd: 119,
      n: 240,
    });
    // Already on a day's first step: unchanged.
    expect(dayAheadSplit(series, { trainStart: 0, trainEnd: 143, n: 240 })?.trainEnd).toBe(143);
    // Past the last day's start: no whole delivery day to test on.
    expect(dayAheadSplit(series, { trainStart: 0, trainEnd: 220, n: 240 })).toBeNull();
  });
});
