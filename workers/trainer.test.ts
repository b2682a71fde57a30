import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../src/core/rl/rng.ts';
import { createTrainer } from './trainer.ts';
import type { TrainProgress, TrainRequest } from './trainer-api.ts';

const HOUR = 3_600_000;
function sine(days: number, seed: number, startDay = 0) {
  const rng = createRng(seed);
  const n = days * 24;
  return {
    timesUtcMs: Float64Array.from({ length: n }, (_, i) => Date.UTC(2023, 0, 2 + startDay) + i * HOUR),
    pricesEurPerMWh: Float64Array.from({ length: n }, (_, i) => 60 + 50 * Math.sin((2 * Math.PI * (i - 9)) / 24) + 8 * rng.normal()),
  };
}

beforeAll(async () => {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(new URL('../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
});

const request = (over: Partial<TrainRequest> = {}): TrainRequest => ({
  train: sine(30, 1),
  test: sine(10, 2, 30),
  dtHours: 1,
  battery: {},
  env: { horizonHours: 12 },
  cloneOptions: { epochs: 6, augmentPriceScale: 0 },
  ppo: { numEnvs: 4, numSteps: 32, numMinibatches: 2, criticWarmupIterations: 2, evalEveryIterations: 2 },
  seconds: 6,
  seed: 3,
  backend: 'wasm',
  ...over,
});

describe('trainer', () => {
  it('start() reports backend, clone, ppo and eval progress and backtests the best policy on the test split', async () => {
    const trainer = createTrainer();
    const seen: TrainProgress[] = [];
    const res = await trainer.start(request(), (p) => seen.push(p));
    expect(res.backend).toBe('wasm');
    const phases = [...new Set(seen.map((p) => p.phase))];
    expect(phases).toEqual(['backend', 'clone', 'ppo', 'eval']);
    expect(res.stopReason).toBe('time');
    const bt = res.backtest;
    expect(bt.trace.actions.length).toBe(240);
    expect(bt.profitEur).toBeCloseTo(bt.trace.cashEur.reduce((s, c) => s + c, 0), 9);
    expect(bt.shareOfOracle).toBeCloseTo(bt.profitEur / bt.oracleProfitEur, 12);
    expect(bt.profitEur).toBeLessThanOrEqual(bt.oracleProfitEur + 1e-9);
    // On a clean daily sine the cloned teacher is close to optimal.
    expect(bt.shareOfOracle).toBeGreaterThan(0.8);
    expect(seen.some((p) => p.phase === 'ppo' && typeof p.metrics['losses/approx_kl'] === 'number' && typeof p.metrics['charts/SPS'] === 'number')).toBe(true);
    // The saved model backtests to the same numbers.
    const again = await trainer.backtest(res.model, request().test, 1, {});
    expect(again.profitEur).toBeCloseTo(bt.profitEur, 9);
  });

  it('keeps the clone’s last epoch unless fine-tuning beats it on validation by keepBestMargin', async () => {
    const trainer = createTrainer();
    const seen: TrainProgress[] = [];
    // No fine-tuned policy can beat its start by a whole oracle share: the run ends with the clone's last epoch.
    const res = await trainer.start(request({ run: { keepBestMargin: 1 } }), (p) => seen.push(p));
    const lastClone = seen.filter((p) => p.phase === 'clone' && p.shareOfOracle !== undefined).at(-1)!;
    expect(seen.some((p) => p.phase === 'ppo')).toBe(true);
    const evalMetrics = seen.find((p) => p.phase === 'eval')!.metrics;
    expect(evalMetrics['eval/validation_share']).toBe(lastClone.shareOfOracle);
    expect(res.params.run).toMatchObject({ keepBestMargin: 1 });
  });

  it('stop() ends training early and start() still resolves with a backtest', async () => {
    const trainer = createTrainer();
    const res = await trainer.start(request({ seconds: 60, clone: false }), (p) => {
      if (p.phase === 'ppo' && p.iteration === 3) void trainer.stop();
    });
    expect(res.stopReason).toBe('stopped');
    expect(res.history.filter((p) => p.phase === 'ppo').length).toBeLessThanOrEqual(4);
    expect(Number.isFinite(res.backtest.profitEur)).toBe(true);
  });
});
