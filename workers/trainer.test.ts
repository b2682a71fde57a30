import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../src/core/rl/rng.ts';
import { createTrainer } from './trainer.ts';
import { CLOCK_METRICS } from '../src/core/rl/types.ts';
import type { TrainProgress, TrainRequest, TrainResult } from './trainer-api.ts';

const HOUR = 3_600_000;
function sine(days: number, seed: number, startDay = 0) {
  const rng = createRng(seed);
  const n = days * 24;
  return {
    timesUtcMs: Float64Array.from({ length: n }, (_, i) => Date.UTC(2023, 0, 2 + startDay) + i * HOUR),
    pricesEurPerMWh: Float64Array.from(
      { length: n },
      (_, i) => 60 + 50 * Math.sin((2 * Math.PI * (i - 9)) / 24) + 8 * rng.normal(),
    ),
  };
}

beforeAll(async () => {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(new URL('../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
});

// A small budget: 3 cloning epochs, 6 PPO iterations of 4 × 32 steps. No time limit: phases end by budget.
const request = (over: Partial<TrainRequest> = {}): TrainRequest => ({
  train: sine(30, 1),
  test: sine(10, 2, 30),
  dtHours: 1,
  battery: {},
  env: { horizonHours: 12 },
  cloneOptions: { epochs: 3, augmentPriceScale: 0 },
  ppo: {
    totalTimesteps: 6 * 4 * 32,
    numEnvs: 4,
    numSteps: 32,
    numMinibatches: 2,
    criticWarmupIterations: 2,
    evalEveryIterations: 2,
  },
  seed: 3,
  backend: 'wasm',
  ...over,
});

/** A smaller budget still: 2 cloning epochs, 4 PPO iterations. */
const small: Partial<TrainRequest> = {
  cloneOptions: { epochs: 2, augmentPriceScale: 0 },
  ppo: {
    totalTimesteps: 4 * 4 * 32,
    numEnvs: 4,
    numSteps: 32,
    numMinibatches: 2,
    criticWarmupIterations: 1,
    evalEveryIterations: 2,
  },
};

/** A clock that jumps by `stepMs` at every reading. */
const jumpingClock = (stepMs: number) => {
  let t = 0;
  return () => (t += stepMs);
};

/** Everything a run reports except what measures the clock (elapsedS, charts/SPS). */
function withoutClock(res: TrainResult) {
  return {
    history: res.history.map(({ elapsedS: _e, metrics, ...rest }) => ({
      ...rest,
      metrics: Object.fromEntries(Object.entries(metrics).filter(([k]) => !CLOCK_METRICS.includes(k))),
    })),
    weights: res.model.weights.map((w) => ({ name: w.name, values: Array.from(w.values) })),
    config: res.model.config,
    backtest: res.backtest,
    stopReason: res.stopReason,
    work: res.work,
    kept: res.kept,
    params: res.params,
  };
}

// Small budgets keep each run to a few CPU-seconds; the generous timeout is for a machine shared with busy processes.
describe('trainer', { timeout: 600_000 }, () => {
  it('start() reports backend, clone, ppo and eval progress, does its whole budget and backtests the kept policy', async () => {
    const trainer = createTrainer({ nowMs: jumpingClock(1) });
    const seen: TrainProgress[] = [];
    const res = await trainer.start(request(), (p) => seen.push(p));
    expect(res.backend).toBe('wasm');
    expect(seen[0]).toMatchObject({ phase: 'backend', backend: 'wasm' });
    const phases = [...new Set(seen.map((p) => p.phase))];
    expect(phases).toEqual(['backend', 'clone', 'ppo', 'eval']);
    expect(res.stopReason).toBe('budget');
    expect(res.work).toEqual({ cloneEpochs: 3, ppoIterations: 6, ppoTimesteps: 6 * 4 * 32 });
    expect(seen.filter((p) => p.phase === 'clone' && p.iteration > 0 && !p.live).map((p) => p.iteration)).toEqual([
      1, 2, 3,
    ]);
    // Progress within cloning, named per minibatch, in order and never backwards; none of it enters the history.
    const live = seen.filter((p) => p.live);
    const perEpoch = live.filter((p) => p.label?.startsWith('cloning epoch 1/3 · minibatch ')).length;
    expect(perEpoch).toBeGreaterThan(1);
    expect(live.filter((p) => p.label?.startsWith('cloning')).map((p) => p.label)).toEqual(
      [1, 2, 3].flatMap((e) =>
        Array.from({ length: perEpoch }, (_, m) => `cloning epoch ${e}/3 · minibatch ${m + 1}/${perEpoch}`),
      ),
    );
    expect(live[0].label).toMatch(/^teacher dataset 1\/\d+$/);
    expect(live.at(-1)!.label).toBe('evaluating the kept policy on the test split');
    const done = seen.map((p) => p.budgetDone ?? 0);
    expect(done.every((d, i) => i === 0 || d >= done[i - 1] - 1e-12)).toBe(true);
    expect(res.history.some((p) => p.live)).toBe(false);
    expect(res.history.filter((p) => p.phase === 'ppo' && p.label).at(-1)!.label).toBe('PPO iteration 6/6');
    expect(seen.at(-1)!.budgetDone).toBe(1);
    const bt = res.backtest;
    expect(bt.trace.actions.length).toBe(240);
    expect(bt.profitEur).toBeCloseTo(
      bt.trace.cashEur.reduce((s, c) => s + c, 0),
      9,
    );
    expect(bt.shareOfOracle).toBeCloseTo(bt.profitEur / bt.oracleProfitEur, 12);
    expect(bt.profitEur).toBeLessThanOrEqual(bt.oracleProfitEur + 1e-9);
    // On a clean daily sine the cloned teacher is close to optimal.
    expect(bt.shareOfOracle).toBeGreaterThan(0.8);
    expect(
      seen.some(
        (p) =>
          p.phase === 'ppo' &&
          typeof p.metrics['losses/approx_kl'] === 'number' &&
          typeof p.metrics['charts/SPS'] === 'number',
      ),
    ).toBe(true);
    // The saved model backtests to the same numbers.
    const again = await trainer.backtest(res.model, request().test, 1, {});
    expect(again.profitEur).toBeCloseTo(bt.profitEur, 9);
    // The run's trace says why the agent acted; a saved model's backtest adds the teacher only when asked.
    expect(again.trace.teacherActions).toBeUndefined();
    expect(Array.from(again.trace.actionProbs!)).toEqual(Array.from(bt.trace.actionProbs!));
    const explained = await trainer.backtest(res.model, request().test, 1, {}, undefined, { teacher: true });
    expect(Array.from(explained.trace.teacherActions!)).toEqual(Array.from(bt.trace.teacherActions!));
  });

  it('the same seed and settings give bit-identical weights and metrics, also with a clock that jumps 1000 s a reading', async () => {
    const reported: TrainProgress[] = [];
    const a = await createTrainer({ nowMs: jumpingClock(0) }).start(request(small), (p) => reported.push(p));
    expect(reported.some((p) => p.live)).toBe(true);
    const b = await createTrainer({ nowMs: jumpingClock(1e6) }).start(request(small), () => {});
    expect(b.stopReason).toBe('budget');
    expect(withoutClock(b)).toEqual(withoutClock(a));
    // And another seed does differ (the comparison can fail).
    const c = await createTrainer({ nowMs: jumpingClock(0) }).start(request({ ...small, seed: 4 }), () => {});
    expect(withoutClock(c).weights).not.toEqual(withoutClock(a).weights);
  });

  it('keeps the clone’s last epoch unless fine-tuning beats it on validation by keepBestMargin', async () => {
    const trainer = createTrainer({ nowMs: jumpingClock(1) });
    const seen: TrainProgress[] = [];
    // No fine-tuned policy can beat its start by a whole oracle share: the run ends with the clone's last epoch.
    const res = await trainer.start(request({ run: { keepBestMargin: 1 } }), (p) => seen.push(p));
    const lastClone = seen.filter((p) => p.phase === 'clone' && p.shareOfOracle !== undefined).at(-1)!;
    expect(lastClone.iteration).toBe(3);
    expect(seen.filter((p) => p.phase === 'ppo').length).toBeGreaterThanOrEqual(6);
    const evalMetrics = seen.find((p) => p.phase === 'eval' && !p.live)!.metrics;
    expect(evalMetrics['eval/validation_share']).toBe(lastClone.shareOfOracle);
    expect(res.kept).toMatchObject({
      source: 'clone',
      validationShare: lastClone.shareOfOracle,
      cloneValidationShare: lastClone.shareOfOracle,
    });
    expect(res.kept.ppoValidationShare).not.toBeNull();
    expect(res.params.run).toMatchObject({ keepBestMargin: 1 });
  });

  it('the seconds cap ends a run early, by the run’s clock, and the stop reason says so', async () => {
    // Count the clock readings of an uncapped run, then let every reading advance 1 s and cap at half of them: the
    // cap falls at the same place every time.
    let readings = 0;
    await createTrainer({ nowMs: () => readings++ }).start(request(small), () => {});
    const run = () =>
      createTrainer({ nowMs: jumpingClock(1000) }).start(
        request({ ...small, seconds: Math.floor(readings / 2) }),
        () => {},
      );
    const res = await run();
    expect(res.stopReason).toBe('time-cap');
    expect(res.work.cloneEpochs + res.work.ppoIterations).toBeLessThan(2 + 4);
    expect(Number.isFinite(res.backtest.profitEur)).toBe(true);
    expect((await run()).work).toEqual(res.work);
  });

  it('stop() ends training early and start() still resolves with a backtest', async () => {
    const trainer = createTrainer();
    const res = await trainer.start(
      request({ clone: false, ppo: { totalTimesteps: 100 * 128, numEnvs: 4, numSteps: 32, numMinibatches: 2 } }),
      (p) => {
        if (p.phase === 'ppo' && p.iteration === 3) void trainer.stop();
      },
    );
    expect(res.stopReason).toBe('stopped');
    expect(res.work.ppoIterations).toBe(3);
    expect(Number.isFinite(res.backtest.profitEur)).toBe(true);
  });

  it('backtest() refuses a damaged model with a message naming the fault', async () => {
    const trainer = createTrainer();
    const res = await trainer.start(
      request({ cloneOptions: { epochs: 1, augmentPriceScale: 0 }, ppo: { totalTimesteps: 0 } }),
      () => {},
    );
    const bad = {
      ...res.model,
      weights: res.model.weights.map((w, i) => (i === 0 ? { ...w, values: w.values.slice(1) } : w)),
    };
    await expect(trainer.backtest(bad, request().test, 1, {})).rejects.toThrow(/weights\[0\]\.values has \d+ numbers/);
    const noStd = {
      ...res.model,
      config: { ...res.model.config, stats: { ...res.model.config.stats, priceStdEurPerMWh: 0 } },
    };
    await expect(trainer.backtest(noStd, request().test, 1, {})).rejects.toThrow(/priceStdEurPerMWh must be > 0/);
  });
});
