// Test factories for run records: a small but valid model (imports check it with the one model loader,
// core/rl/model.ts) and a made-up training result around it. For unit tests and e2e fixtures only.
import type { TrainResult } from '../../../workers/trainer-api.ts';
import type { RunInputs } from './schema.ts';
import { resolveBattery } from '../../core/battery/index.ts';
import { horizonSteps, resolveEnvConfig } from '../../core/env/config.ts';
import { obsLayout } from '../../core/env/features.ts';
import { initPolicyWeights } from '../../core/rl/mlp.ts';
import { type SavedModel, toSavedModel } from '../../core/rl/model.ts';
import { createRng } from '../../core/rl/rng.ts';

/** A 2-hour-horizon policy with 4 hidden units: valid, tiny, deterministic. */
export function validModel(): SavedModel {
  const env = resolveEnvConfig({ horizonHours: 2 });
  const weights = initPolicyWeights(obsLayout(horizonSteps(env, 1)).dim, 3, 4, createRng(1));
  return toSavedModel(weights, {
    env,
    stats: { priceMeanEurPerMWh: 50, priceStdEurPerMWh: 20, rewardScaleEur: 1 },
    dtHours: 1,
    battery: resolveBattery({}),
    hiddenSize: 4,
    validationShare: 0.9,
    backend: 'wasm',
  });
}

/** A training result that reached `share` of the oracle; only the fields the run store reads are meaningful. */
export function fakeResult(
  share: number,
  over: {
    params?: Record<string, unknown>;
    history?: TrainResult['history'];
    kept?: TrainResult['kept'];
    /** Add the trace's why-the-agent-acted fields (probabilities, teacher, forecast average, oracle cash). */
    why?: boolean;
  } = {},
): TrainResult {
  const n = 4;
  return {
    backend: 'wasm',
    params: over.params ?? { seed: 1 },
    stopReason: 'time-cap',
    history: over.history ?? [
      { phase: 'ppo', iteration: 1, elapsedS: 1, metrics: { 'charts/SPS': 100 }, shareOfOracle: share },
    ],
    model: validModel(),
    kept: over.kept ?? {
      source: 'clone',
      validationShare: share,
      cloneValidationShare: share,
      ppoValidationShare: null,
    },
    backtest: {
      profitEur: 90 * share,
      oracleProfitEur: 90,
      shareOfOracle: share,
      equivalentCycles: 1.5,
      trace: {
        timesUtcMs: Float64Array.from({ length: n }, (_, i) => i * 3.6e6),
        pricesEurPerMWh: Float64Array.from([1, -2.5, 3, 4]),
        actions: Int32Array.from([0, 1, 2, 0]),
        socBeforeKWh: new Float64Array(n),
        socAfterKWh: new Float64Array(n),
        cashEur: Float64Array.from([0, -1, 2, 0]),
        oracleSocKWh: new Float64Array(n),
        ...(over.why
          ? {
              actionProbs: Float32Array.from([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.3, 0.6, 0.5, 0.25, 0.25]),
              teacherActions: Int32Array.from([0, 1, 2, 2]),
              forecastAvgEurPerMWh: Float32Array.from([2, 2.5, 3.5, 4]),
              oracleGridKWh: Float64Array.from([0, 50, -45, -5]),
              oracleCashEur: Float64Array.from([0, -0.7, 2.4, 0.3]),
            }
          : {}),
      },
    },
  } as unknown as TrainResult;
}

/** The inputs a run records: an hourly year, the default 75% split, a 100 kWh / 50 kW battery. */
export function testInputs(over: Partial<RunInputs> = {}): RunInputs {
  return {
    dataFile: 'de-lu-2023.csv',
    dataFingerprint: 'abc-8760',
    dtHours: 1,
    steps: 8760,
    split: { trainStart: 0, trainEnd: 6570, n: 8760 },
    battery: { capacityKWh: 100, powerKW: 50 },
    settings: { seconds: 30 },
    ...over,
  };
}
