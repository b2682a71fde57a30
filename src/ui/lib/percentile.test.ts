import { describe, expect, it } from 'vitest';
import { percentileExtent, quantileSorted } from './percentile.ts';

describe('quantileSorted', () => {
  it('interpolates between neighbours like numpy (type 7)', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([10], 0.99)).toBe(10);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});

describe('percentileExtent(values, from, to)', () => {
  it('clips one rare spike out of 101 values and counts it', () => {
    const v = Array.from({ length: 101 }, (_, i) => i); // 0..100: 1st pct 1, 99th pct 99
    v[50] = 3000;
    const { domain, outside } = percentileExtent(v, 0, v.length);
    expect(domain[0]).toBeCloseTo(1, 9);
    expect(domain[1]).toBeLessThan(101);
    expect(outside).toBe(2); // the spike and the lowest value
  });
  it('looks only at the window and ignores NaN', () => {
    const v = [1000, NaN, 5, 6, 7, NaN, -1000];
    const { domain } = percentileExtent(v, 1, 6, 0, 1);
    expect(domain).toEqual([5, 7]);
  });
  it('gives [0, 1] for an empty window and ±1 around a constant', () => {
    expect(percentileExtent([], 0, 10).domain).toEqual([0, 1]);
    expect(percentileExtent([4, 4, 4], 0, 3).domain).toEqual([3, 5]);
  });
  it('keeps negative prices: a year with a −500 hour still shows ordinary negative hours', () => {
    const v = [-500, ...Array.from({ length: 198 }, (_, i) => (i % 2 ? -10 : 80)), 900];
    const { domain } = percentileExtent(v, 0, v.length);
    expect(domain[0]).toBe(-10);
    expect(domain[1]).toBe(80);
  });
});
