import { describe, expect, it } from 'vitest';
import { columnEnvelope, minMaxDecimate } from './decimate.ts';

describe('minMaxDecimate', () => {
  it('returns every index when the range is short', () => {
    const d = minMaxDecimate([1, 2, 3], 0, 3, 10);
    expect(Array.from(d.index.subarray(0, d.length))).toEqual([0, 1, 2]);
  });
  it('keeps the extremes of each column so spikes survive', () => {
    const v = new Float64Array(10_000).fill(50);
    v[1234] = -500;
    v[8765] = 3000;
    const d = minMaxDecimate(v, 0, v.length, 100);
    const kept = Array.from(d.index.subarray(0, d.length));
    expect(kept).toContain(1234);
    expect(kept).toContain(8765);
    expect(d.length).toBeLessThanOrEqual(400);
  });
  it('emits indices in increasing order', () => {
    const v = Float64Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 100);
    const d = minMaxDecimate(v, 100, 4900, 50);
    for (let i = 1; i < d.length; i++) expect(d.index[i]).toBeGreaterThan(d.index[i - 1]);
    expect(d.index[0]).toBeGreaterThanOrEqual(100);
    expect(d.index[d.length - 1]).toBeLessThan(4900);
  });
  it('is empty for an empty range and skips NaN', () => {
    expect(minMaxDecimate([1, 2], 2, 2, 10).length).toBe(0);
    const d = minMaxDecimate([1, NaN, 3], 0, 3, 10);
    expect(Array.from(d.index.subarray(0, d.length))).toEqual([0, 2]);
  });
});

describe('columnEnvelope', () => {
  it('gives each pixel column the min and max of its indices', () => {
    const e = columnEnvelope([1, 5, -2, 3, 7, 0], 0, 2, 3);
    expect(Array.from(e.min)).toEqual([1, -2, 0]);
    expect(Array.from(e.max)).toEqual([5, 3, 7]);
    expect(Array.from(e.mean)).toEqual([3, 0.5, 3.5]);
  });
  it('columns outside the series are NaN; a fractional start is floored', () => {
    const e = columnEnvelope([4, 6], 1.5, 1, 3);
    expect(e.min[0]).toBe(6);
    expect(e.min[1]).toBeNaN();
    expect(e.max[2]).toBeNaN();
  });
});
