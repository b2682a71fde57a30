import { describe, expect, it } from 'vitest';
import { aggregateSweep, spread, type TaskRun } from './report.ts';

const run = (configId: string, seed: number, share: number, extra: Partial<TaskRun> = {}): TaskRun => ({
  sweep: 's',
  configId,
  config: { 'task.file': 'a.csv', 'task.battery.capacityKWh': configId === 'c1' ? '100' : '200' },
  seed,
  status: 'FINISHED',
  shareOfOracle: share,
  profitEur: 50 * share,
  oracleProfitEur: 50,
  compareShares: { rolling_horizon_24_h: 0.9 + share / 100 },
  kept: 'clone',
  lastTrainedShare: share - 0.1,
  ...extra,
});

describe('sweep report', () => {
  it('spread: median of odd and even counts, min, max, sample std', () => {
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, std: 1 });
    expect(spread([4, 1, 2, 3]).median).toBe(2.5);
    expect(spread([7]).std).toBe(0);
    expect(spread([]).median).toBeNaN();
  });

  it('counts the policies the finished runs kept, and spreads the last trained policy’s share apart from the kept one', () => {
    const rows = aggregateSweep([
      run('c1', 1, 0.5, { kept: 'ppo', lastTrainedShare: 0.5 }),
      run('c1', 2, 0.6, { lastTrainedShare: 0.2 }),
      run('c1', 3, 0.7, { lastTrainedShare: NaN }),
      run('c1', 4, 0.8, { kept: '', lastTrainedShare: 0.7 }),
      run('c1', 5, 0, { status: 'FAILED', kept: 'ppo' }),
    ]);
    expect(rows[0].kept).toEqual({ ppo: 1, clone: 2 });
    expect(rows[0].lastTrainedShare).toMatchObject({ median: 0.5, min: 0.2, max: 0.7 });
    expect(rows[0].shareOfOracle.median).toBeCloseTo(0.65, 12);
  });

  it('groups by configuration, medians over seeds, counts unfinished runs apart', () => {
    const rows = aggregateSweep([
      run('c2', 1, 0.8),
      run('c1', 2, 0.6),
      run('c1', 1, 0.5),
      run('c1', 3, 0.9),
      run('c2', 2, 0, { status: 'FAILED' }),
    ]);
    expect(rows.map((r) => r.configId)).toEqual(['c1', 'c2']);
    expect(rows[0].seeds).toEqual([1, 2, 3]);
    expect(rows[0].shareOfOracle.median).toBe(0.6);
    expect(rows[0].shareOfOracle.min).toBe(0.5);
    expect(rows[0].shareOfOracle.max).toBe(0.9);
    expect(rows[0].profitEur.median).toBeCloseTo(30, 12);
    expect(rows[0].compareShares.rolling_horizon_24_h).toBeCloseTo(0.906, 12);
    expect(rows[1].seeds).toEqual([1]);
    expect(rows[1].unfinished).toBe(1);
    expect(rows[1].shareOfOracle.median).toBe(0.8);
  });
});
