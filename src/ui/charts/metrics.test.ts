import { describe, expect, it } from 'vitest';
import { TRAINING_METRICS, metricSeries } from './metrics.ts';
import type { TrainProgress } from '../../../workers/trainer-api.ts';

const metric = (key: string) => TRAINING_METRICS.find((m) => m.key === key)!;

describe('training metrics', () => {
  const history: TrainProgress[] = [
    { phase: 'backend', iteration: 0, elapsedS: 0, metrics: {} },
    { phase: 'clone', iteration: 1, elapsedS: 1, metrics: { 'clone/loss': 0.9 } },
    { phase: 'clone', iteration: 2, elapsedS: 2, metrics: { 'clone/loss': 0.5 } },
    { phase: 'ppo', iteration: 1, elapsedS: 3, metrics: { 'losses/approx_kl': 0.01, 'losses/entropy': 1.1 } },
    { phase: 'ppo', iteration: 2, elapsedS: 4, metrics: { 'losses/approx_kl': NaN, 'losses/entropy': 1.0 } },
    { phase: 'ppo', iteration: 3, elapsedS: 5, metrics: { 'losses/approx_kl': 0.02 } },
  ];

  it('reads each metric from its phase, by iteration, skipping non-finite values', () => {
    expect(metricSeries(history, metric('losses/approx_kl'))).toEqual([
      [1, 0.01],
      [3, 0.02],
    ]);
    expect(metricSeries(history, metric('losses/entropy'))).toEqual([
      [1, 1.1],
      [2, 1.0],
    ]);
    expect(metricSeries(history, metric('clone/loss'))).toEqual([
      [1, 0.9],
      [2, 0.5],
    ]);
    expect(metricSeries(history, metric('losses/value_loss'))).toEqual([]);
  });

  it('plots metrics the PPO trainer records under these names', async () => {
    // The keys must be the trainer's own: a rename in ppo.ts would leave these charts empty.
    const { readFile } = await import('node:fs/promises');
    const ppo = await readFile(new URL('../../core/rl/ppo.ts', import.meta.url), 'utf8');
    const run = await readFile(new URL('../../core/rl/run.ts', import.meta.url), 'utf8');
    for (const m of TRAINING_METRICS) expect(ppo + run).toContain(`'${m.key}'`);
  });
});
