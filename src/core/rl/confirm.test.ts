import { describe, expect, it } from 'vitest';
import { confirmKeeps, pairedDayGain } from './confirm.ts';

describe('pairedDayGain', () => {
  it('sums each day of both series and tests the mean of the per-day differences', () => {
    // Three days of 2, 3 and 1 steps; a earns 1, 2 and 4 more per day than b.
    const a = [1, 1, 5, 0, 0, 4];
    const b = [0, 1, 2, 1, 0, 0];
    const g = pairedDayGain(a, b, [0, 2, 5]);
    expect(g.days).toBe(3);
    expect(g.meanGainEur).toBeCloseTo(7 / 3, 12);
    const diffs = [1, 2, 4];
    const sd = Math.sqrt(diffs.reduce((s, x) => s + (x - 7 / 3) ** 2, 0) / 2);
    expect(g.tStat).toBeCloseTo(7 / 3 / (sd / Math.sqrt(3)), 12);
  });

  it('gives a gain won on one lucky day a small t, and the same gain spread over every day a large one', () => {
    const days = 20;
    const starts = Array.from({ length: days }, (_, d) => 2 * d);
    const b = new Float64Array(2 * days);
    const lucky = new Float64Array(2 * days);
    lucky[7] = 20; // all of it on day 3
    const steady = new Float64Array(2 * days);
    for (let d = 0; d < days; d++) steady[2 * d] = 1 + (d % 2) * 0.1;
    const gl = pairedDayGain(lucky, b, starts);
    const gs = pairedDayGain(steady, b, starts);
    expect(gl.meanGainEur).toBeCloseTo(1, 12);
    expect(gs.meanGainEur).toBeCloseTo(1.05, 12);
    expect(gl.tStat).toBeCloseTo(1, 12); // one day of 20 in 20: mean 1, sd √20, se 1
    expect(gs.tStat).toBeGreaterThan(20);
    expect(pairedDayGain(b, lucky, starts).tStat).toBeCloseTo(-1, 12);
  });

  it('has t 0 for one day or no difference, and refuses days that do not tile the series', () => {
    expect(pairedDayGain([3, 1], [0, 0], [0]).tStat).toBe(0);
    expect(pairedDayGain([1, 1], [1, 1], [0, 1])).toEqual({ days: 2, meanGainEur: 0, tStat: 0 });
    expect(pairedDayGain([2, 2], [1, 1], [0, 1]).tStat).toBe(Infinity);
    expect(() => pairedDayGain([1, 2], [1], [0])).toThrow(/2 steps against 1/);
    expect(() => pairedDayGain([1, 2], [1, 2], [1])).toThrow(/start at 0/);
    expect(() => pairedDayGain([1, 2], [1, 2], [0, 2])).toThrow(/day 1 spans/);
  });
});

describe('confirmKeeps', () => {
  const c = { ppoShare: 0.75, cloneShare: 0.73, days: 21, meanGainEur: 40, tStat: 2.4 };
  it('keeps the fine-tuned policy only when it beats the clone by the margin and day after day', () => {
    expect(confirmKeeps(c, 0.01, 2)).toBe(true);
    expect(confirmKeeps(c, 0.03, 2)).toBe(false); // the share gain is under the margin
    expect(confirmKeeps({ ...c, tStat: 0.34 }, 0.01, 2)).toBe(false); // a few days' luck
    expect(confirmKeeps({ ...c, tStat: 0.34 }, 0.01, 0)).toBe(true); // minT 0: the share check alone
    expect(confirmKeeps({ ...c, ppoShare: 0.7, tStat: 3 }, 0, 2)).toBe(false);
  });
});
