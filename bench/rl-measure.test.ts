import { describe, expect, it } from 'vitest';
import type { TrainProgress } from '../workers/trainer-api.ts';
import { benchSplit, progressTracker, rolloutSps, secondsCell } from './rl-measure.ts';

const hourly = (n: number) => ({
  timesUtcMs: Float64Array.from({ length: n }, (_, i) => Date.UTC(2023, 0, 1) + i * 3_600_000),
  pricesEurPerMWh: Float64Array.from({ length: n }, (_, i) => 50 + 40 * Math.sin((2 * Math.PI * i) / 24)),
  dtHours: 1,
});

const progress = (
  phase: TrainProgress['phase'],
  elapsedS: number,
  shareOfOracle?: number,
  sps?: number,
): TrainProgress => ({
  phase,
  iteration: 1,
  elapsedS,
  metrics: sps === undefined ? {} : { 'charts/SPS': sps },
  shareOfOracle,
});

describe('benchSplit', () => {
  it('benchSplit(series) trains on the first 75% (floored) and tests on the rest, as copies', () => {
    const s = hourly(101);
    const { train, test, dtHours } = benchSplit(s);
    expect(train.pricesEurPerMWh.length).toBe(75);
    expect(test.pricesEurPerMWh.length).toBe(26);
    expect(test.timesUtcMs[0]).toBe(s.timesUtcMs[75]);
    expect(dtHours).toBe(1);
    train.pricesEurPerMWh[0] = -1;
    expect(s.pricesEurPerMWh[0]).not.toBe(-1);
  });
});

describe('progressTracker', () => {
  it('progressTracker() times the first validation share at or above each threshold and ignores eval', () => {
    const t = progressTracker();
    t.onProgress(progress('backend', 0));
    t.onProgress(progress('clone', 5, 0.85));
    t.onProgress(progress('clone', 9, 0.8));
    t.onProgress(progress('ppo', 12, 0.9, 3000));
    t.onProgress(progress('ppo', 20, 0.93, 2500));
    t.onProgress(progress('eval', 30, 0.99));
    expect(t.reached).toEqual({ 0.8: 5, 0.9: 12, 0.95: null });
    expect(t.sps()).toBe(2500);
  });

  it('progressTracker() reports SPS 0 before any PPO iteration', () => {
    expect(progressTracker().sps()).toBe(0);
  });
});

describe('secondsCell', () => {
  it('secondsCell(v) rounds to one decimal and shows — for a threshold not reached', () => {
    expect(secondsCell(12.345)).toBe(12.3);
    expect(secondsCell(null)).toBe('—');
  });
});

describe('rolloutSps', () => {
  it('rolloutSps(series, steps) returns a finite positive rate', () => {
    const sps = rolloutSps(hourly(24 * 14), 50);
    expect(Number.isFinite(sps)).toBe(true);
    expect(sps).toBeGreaterThan(0);
  });
});
