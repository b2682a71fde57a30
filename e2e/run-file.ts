// A small valid run file for the runs journeys, made with the app's own exporter (so it is what the app writes).
import { exportRunJson, runFromResult } from '../src/ui/runs/store.ts';
import type { TrainResult } from '../workers/trainer-api.ts';

/** The text of a `*.powerbidder-run.json` file for a made-up run `id` named `name`. */
export function runFileText(id: string, name: string, share = 0.9): string {
  const n = 4;
  const result: TrainResult = {
    backend: 'wasm', params: { seed: 1 }, stopReason: 'time',
    history: [{ phase: 'clone', iteration: 1, elapsedS: 1, metrics: {}, shareOfOracle: share - 0.05 }, { phase: 'ppo', iteration: 1, elapsedS: 2, metrics: { 'charts/SPS': 100 }, shareOfOracle: share }],
    model: { weights: [{ name: 'dense/kernel', shape: [2, 2], values: Float32Array.from([0.5, -1, 2, 3.25]) }], config: { horizon: 24 } },
    backtest: {
      profitEur: 90 * share, oracleProfitEur: 90, shareOfOracle: share, equivalentCycles: 1.5,
      trace: {
        timesUtcMs: Float64Array.from({ length: n }, (_, i) => i * 3.6e6), pricesEurPerMWh: Float64Array.from([1, -2.5, 3, 4]),
        actions: Int32Array.from([0, 1, 2, 0]), socBeforeKWh: new Float64Array(n), socAfterKWh: new Float64Array(n),
        cashEur: Float64Array.from([0, -1, 2, 0]), oracleSocKWh: new Float64Array(n),
      },
    },
  };
  return exportRunJson(runFromResult(result, { id, createdAt: Date.UTC(2026, 0, 2), name, dataFile: 'fixture.csv', dataFingerprint: 'x', seconds: 5 }));
}
