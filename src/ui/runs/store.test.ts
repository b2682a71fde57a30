import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { dataFingerprint, exportRunJson, importRunJson, openRunStore, RunFileError, runFromResult, type RunRecord } from './store.ts';
import type { TrainResult } from '../../../workers/trainer-api.ts';
import { resolveBattery } from '../../core/battery/index.ts';
import { horizonSteps, resolveEnvConfig } from '../../core/env/config.ts';
import { obsLayout } from '../../core/env/features.ts';
import { initPolicyWeights } from '../../core/rl/mlp.ts';
import { toSavedModel } from '../../core/rl/model.ts';
import { createRng } from '../../core/rl/rng.ts';

/** A small but valid model (the import checks it with the one model loader). */
function validModel() {
  const env = resolveEnvConfig({ horizonHours: 2 });
  const weights = initPolicyWeights(obsLayout(horizonSteps(env, 1)).dim, 3, 4, createRng(1));
  return toSavedModel(weights, { env, stats: { priceMeanEurPerMWh: 50, priceStdEurPerMWh: 20, rewardScaleEur: 1 }, dtHours: 1, battery: resolveBattery({}), hiddenSize: 4, validationShare: 0.9, backend: 'wasm' });
}

function fakeResult(share: number): TrainResult {
  const n = 4;
  // A store fixture, not a real run: only the fields the store reads are filled in.
  return ({
    backend: 'wasm', params: { seed: 1 }, stopReason: 'time-cap',
    history: [{ phase: 'ppo', iteration: 1, elapsedS: 1, metrics: { 'charts/SPS': 100 }, shareOfOracle: share }],
    model: validModel(),
    backtest: {
      profitEur: 90 * share, oracleProfitEur: 90, shareOfOracle: share, equivalentCycles: 1.5,
      trace: {
        timesUtcMs: Float64Array.from({ length: n }, (_, i) => i * 3.6e6), pricesEurPerMWh: Float64Array.from([1, -2.5, 3, 4]),
        actions: Int32Array.from([0, 1, 2, 0]), socBeforeKWh: new Float64Array(n), socAfterKWh: new Float64Array(n),
        cashEur: Float64Array.from([0, -1, 2, 0]), oracleSocKWh: new Float64Array(n),
      },
    },
  }) as unknown as TrainResult;
}
const meta = (id: string, createdAt: number) => ({ id, createdAt, name: `run ${id}`, dataFile: 'be.csv', dataFingerprint: 'x', seconds: 30 });

describe('run store', () => {
  it('put, list (newest first, without heavy fields), get, update and delete', async () => {
    const store = await openRunStore(`test-${Math.random()}`);
    await store.put(runFromResult(fakeResult(0.9), meta('a', 1)));
    await store.put(runFromResult(fakeResult(0.95), meta('b', 2)));
    const list = await store.list();
    expect(list.map((r) => r.id)).toEqual(['b', 'a']);
    expect(list[0]).not.toHaveProperty('model');
    expect(list[0].evaluation.shareOfOracle).toBe(0.95);
    const full = await store.get('a');
    expect(full?.model.weights[0].values).toBeInstanceOf(Float32Array);
    expect(Array.from(full!.backtest.trace.actions)).toEqual([0, 1, 2, 0]);
    const updated = await store.update('a', { tags: ['baseline'], stage: 'Production', modelName: 'de-lu' });
    expect(updated).toMatchObject({ tags: ['baseline'], stage: 'Production', modelName: 'de-lu' });
    await expect(store.update('a', { stage: 'Live' as never })).rejects.toThrow(/stage must be one of/);
    await store.delete('b');
    expect((await store.list()).map((r) => r.id)).toEqual(['a']);
    store.close();
  });
  it('a run survives closing and reopening the database (a reload)', async () => {
    const name = `test-${Math.random()}`;
    const s1 = await openRunStore(name);
    await s1.put(runFromResult(fakeResult(0.97), meta('kept', 5)));
    s1.close();
    const s2 = await openRunStore(name);
    expect((await s2.get('kept'))?.evaluation.shareOfOracle).toBe(0.97);
    s2.close();
  });
});

describe('run files', () => {
  it('exportRunJson → importRunJson round-trips typed arrays exactly', () => {
    const run = runFromResult(fakeResult(0.93), meta('r', 7));
    const back: RunRecord = importRunJson(exportRunJson(run));
    expect(back.model.weights[0].values).toEqual(run.model.weights[0].values);
    expect(back.backtest.trace.pricesEurPerMWh).toBeInstanceOf(Float64Array);
    expect(Array.from(back.backtest.trace.pricesEurPerMWh)).toEqual([1, -2.5, 3, 4]);
    expect(back.backtest.trace.actions).toBeInstanceOf(Int32Array);
    expect(back.evaluation).toEqual(run.evaluation);
  });
  it.each([
    ['not JSON', '{oops', /is not JSON/],
    ['another format', '{"format":"mlflow","version":1}', /is not a PowerBidder run/],
    ['a newer version', '{"format":"powerbidder-run","version":9,"run":{}}', /version 9/],
    ['a run without a model', '{"format":"powerbidder-run","version":1,"run":{"id":"x","createdAt":1,"params":{},"evaluation":{},"backtest":{}}}', /lacks model/],
  ])('importRunJson refuses %s with a clear message', (_what, text, message) => {
    expect(() => importRunJson(text, 'bad.json')).toThrow(RunFileError);
    expect(() => importRunJson(text, 'bad.json')).toThrow(message);
  });
  it('importRunJson refuses a run whose model is damaged (a NaN weight, a zero price std), naming the field', () => {
    const nan = runFromResult(fakeResult(0.9), meta('n', 1));
    nan.model.weights[0].values[2] = Number.NaN;
    expect(() => importRunJson(exportRunJson(nan), 'bad.json')).toThrow(/bad\.json: model: weights\[0\]\.values\[2\] is NaN/);
    const std = runFromResult(fakeResult(0.9), meta('s', 1));
    std.model.config.stats.priceStdEurPerMWh = 0;
    expect(() => importRunJson(exportRunJson(std), 'bad.json')).toThrow(/priceStdEurPerMWh must be > 0/);
  });
});

describe('dataFingerprint', () => {
  it('is deterministic and changes with a price or the step length', () => {
    const p = Float64Array.from([1, 2, 3]);
    expect(dataFingerprint(p, 1)).toBe(dataFingerprint(Float64Array.from([1, 2, 3]), 1));
    expect(dataFingerprint(p, 1)).not.toBe(dataFingerprint(Float64Array.from([1, 2, 3.01]), 1));
    expect(dataFingerprint(p, 1)).not.toBe(dataFingerprint(p, 0.25));
  });
});
