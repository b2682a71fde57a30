import { describe, expect, it } from 'vitest';
import { splitTrainSite } from './site-split.ts';

describe('splitTrainSite', () => {
  const pv = Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
  it('cuts PV and load at the split, the test split running to the end when no end is given', () => {
    const load = Float64Array.from([10, 11, 12, 13, 14, 15, 16, 17]);
    const s = splitTrainSite({ exportLimitKW: 50 }, { pvKW: pv, loadKW: load }, 0, 5);
    expect(s.site).toEqual({ exportLimitKW: 50 });
    expect(Array.from(s.train.pvKW!)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(s.test.pvKW!)).toEqual([5, 6, 7]);
    expect(Array.from(s.train.loadKW!)).toEqual([10, 11, 12, 13, 14]);
    expect(Array.from(s.test.loadKW!)).toEqual([15, 16, 17]);
  });
  it('honours a training start and a test end, keeps an absent column null and copies the values', () => {
    const s = splitTrainSite({}, { pvKW: pv, loadKW: null }, 2, 5, 7);
    expect(Array.from(s.train.pvKW!)).toEqual([2, 3, 4]);
    expect(Array.from(s.test.pvKW!)).toEqual([5, 6]);
    expect(s.train.loadKW).toBeNull();
    expect(s.test.loadKW).toBeNull();
    (s.train.pvKW as Float64Array)[0] = 99;
    expect(pv[2]).toBe(2);
  });
});
