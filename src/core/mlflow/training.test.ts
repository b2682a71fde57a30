import { describe, expect, it } from 'vitest';
import { runFiles } from './layout.ts';
import { readStore } from './read.ts';
import { utf8 } from './text.ts';
import {
  type ProgressRecord,
  type TrainingRun,
  dataFingerprint,
  flattenParams,
  traceFromCsv,
  traceToCsv,
  trainingFromMlflowRun,
  trainingToMlflowRun,
  unflattenParams,
} from './training.ts';
import { dataFingerprint as pageFingerprint } from '../../ui/runs/store.ts';

const history: ProgressRecord[] = [
  { phase: 'backend', iteration: 0, elapsedS: 0.5, metrics: {}, message: 'tfjs backend: wasm' },
  { phase: 'clone', iteration: 0, elapsedS: 1.25, metrics: { 'clone/samples': 351792, 'clone/soc_levels': 21 } },
  {
    phase: 'clone',
    iteration: 1,
    elapsedS: 2.5,
    metrics: {
      'clone/loss': 0.77,
      'clone/accuracy': 0.68,
      'charts/validation_share': 0.875,
      'charts/test_share': 0.81,
    },
    shareOfOracle: 0.875,
  },
  {
    phase: 'ppo',
    iteration: 1,
    elapsedS: 3.75,
    metrics: { 'charts/SPS': 3157, 'charts/global_step': 1024, 'losses/approx_kl': 0.0012, 'losses/value_loss': 0.5 },
  },
  {
    phase: 'eval',
    iteration: 0,
    elapsedS: 4,
    metrics: { 'eval/profit_eur': 418.6, 'eval/share_of_oracle': 0.806, 'eval/validation_share': 0.875 },
    shareOfOracle: 0.806,
  },
];
const trace = {
  timesUtcMs: Float64Array.from([1696179600000, 1696183200000]),
  pricesEurPerMWh: Float64Array.from([55.2, -12.25]),
  actions: Int32Array.from([1, 2]),
  socBeforeKWh: Float64Array.from([0, 45]),
  socAfterKWh: Float64Array.from([45, 0]),
  cashEur: Float64Array.from([-3.26, 1 / 3]),
  oracleSocKWh: Float64Array.from([45, 0]),
};
const tr: TrainingRun = {
  runId: '0123456789abcdef0123456789abcdef',
  experimentId: '0',
  artifactLocation: 'file:///tmp/mlruns/0',
  runName: 'Run 1',
  userId: 'ada',
  sourceName: 'bess train',
  startTimeMs: 1700000000000,
  endTimeMs: 1700000004500,
  status: 'FINISHED',
  params: {
    battery: { capacityKWh: 100, terminalSocKWh: null },
    env: { sellAboveAvgBonusCoef: 0.1, windowNormalisation: true },
    ppo: { learningRate: 0.00025 },
    clone: true,
    seed: 1,
    backend: 'wasm',
    data: { dtHours: 1, file: 'be.csv', fingerprint: '1234abcd-8760' },
    levels: [0, 1, -1],
  },
  history,
  evaluation: { profitEur: 418.6, oracleProfitEur: 519.27, shareOfOracle: 0.806, equivalentCycles: 91.85 },
  labels: ['baseline', 'be'],
  tags: { 'powerbidder.stopReason': 'time' },
  modelJson: '{"format":"powerbidder-policy/1"}',
  trace,
  charts: [{ name: 'training curve.png', png: Uint8Array.from([0x89, 0x50, 0x4e, 0x47]) }],
};

describe('trainingToMlflowRun(training)', () => {
  const run = trainingToMlflowRun(tr);

  it('logs every parameter flattened with dots, as text', () => {
    expect(run.params).toEqual({
      'battery.capacityKWh': '100',
      'battery.terminalSocKWh': 'None',
      'env.sellAboveAvgBonusCoef': '0.1',
      'env.windowNormalisation': 'true',
      'ppo.learningRate': '0.00025',
      clone: 'true',
      seed: '1',
      backend: 'wasm',
      'data.dtHours': '1',
      'data.file': 'be.csv',
      'data.fingerprint': '1234abcd-8760',
      levels: '[0,1,-1]',
    });
  });

  it("logs each progress record's CleanRL metrics at step = its position, timestamped start + elapsed", () => {
    expect(run.metrics['charts/SPS']).toEqual([{ timestampMs: 1700000003750, value: 3157, step: 3 }]);
    expect(run.metrics['losses/approx_kl']).toEqual([{ timestampMs: 1700000003750, value: 0.0012, step: 3 }]);
    expect(run.metrics['charts/validation_share']).toEqual([{ timestampMs: 1700000002500, value: 0.875, step: 2 }]);
    expect(run.metrics['clone/samples'][0].step).toBe(1);
  });

  it("logs the evaluation as eval/ metrics once, on the eval record's step", () => {
    for (const [k, v] of [
      ['eval/share_of_oracle', 0.806],
      ['eval/profit_eur', 418.6],
      ['eval/oracle_profit_eur', 519.27],
      ['eval/equivalent_cycles', 91.85],
    ] as const) {
      expect(run.metrics[k]).toEqual([{ timestampMs: tr.endTimeMs, value: v, step: 4 }]);
    }
    expect(run.metrics['eval/validation_share']).toEqual([{ timestampMs: 1700000004000, value: 0.875, step: 4 }]);
  });

  it("sets MLflow's system tags and ours", () => {
    expect(run.tags).toEqual({
      'mlflow.runName': 'Run 1',
      'mlflow.source.name': 'bess train',
      'mlflow.source.type': 'LOCAL',
      'mlflow.user': 'ada',
      'powerbidder.tags': 'baseline, be',
      'powerbidder.stopReason': 'time',
    });
    expect(trainingToMlflowRun({ ...tr, userId: undefined }).tags['mlflow.user']).toBeUndefined();
    expect(trainingToMlflowRun({ ...tr, userId: undefined }).userId).toBe('unknown');
  });

  it("stores the model, the trace CSV and the charts as artifacts under the run's artifact_uri", () => {
    expect(run.artifactUri).toBe('file:///tmp/mlruns/0/0123456789abcdef0123456789abcdef/artifacts');
    expect(run.artifacts.map((a) => a.path)).toEqual([
      'model/model.json',
      'backtest/trace.csv',
      'charts/training_curve.png',
    ]);
    expect(utf8.decode(run.artifacts[1].bytes).split('\n')[1]).toBe('2023-10-01T17:00:00.000Z,55.2,1,0,45,-3.26,45');
  });
});

describe('trainingFromMlflowRun(run)', () => {
  it('reads a training back through the files: params, evaluation, labels, model, trace, history', () => {
    const { store } = readStore([
      {
        path: '0/meta.yaml',
        bytes: utf8.encode("artifact_location: x\nexperiment_id: '0'\nlifecycle_stage: active\nname: Default\n"),
      },
      ...runFiles(trainingToMlflowRun(tr)),
    ]);
    const back = trainingFromMlflowRun(store.runs[0]);
    if (!back.ok) throw new Error(back.reason);
    expect(back.params).toEqual(tr.params);
    expect(back.evaluation).toEqual(tr.evaluation);
    expect(back.labels).toEqual(['baseline', 'be']);
    expect(back.modelJson).toBe(tr.modelJson);
    expect(back.trace).toEqual(trace);
    expect(back.history.map((h) => [h.phase, h.elapsedS, h.shareOfOracle])).toEqual([
      ['clone', 1.25, undefined],
      ['clone', 2.5, 0.875],
      ['ppo', 3.75, undefined],
      ['eval', 4.5, 0.806],
    ]);
    expect(back.history[2].metrics).toEqual(history[3].metrics);
  });

  it('says why a run of another program cannot be used', () => {
    const run = trainingToMlflowRun(tr);
    expect(trainingFromMlflowRun({ ...run, artifacts: [] })).toEqual({
      ok: false,
      reason: 'no PowerBidder model (artifacts/model/model.json)',
    });
    expect(trainingFromMlflowRun({ ...run, lifecycleStage: 'deleted' })).toEqual({
      ok: false,
      reason: 'the run is deleted',
    });
    const badTrace = {
      ...run,
      artifacts: [run.artifacts[0], { path: 'backtest/trace.csv', bytes: utf8.encode('a,b\n1,2\n') }],
    };
    expect(trainingFromMlflowRun(badTrace)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/trace.csv: header/),
    });
  });
});

describe('params and trace helpers', () => {
  it('unflattenParams(flattenParams(p)) gives p back for numbers, booleans, null, arrays and text', () => {
    const p = { a: { b: 1, c: false, d: null, e: [1, 2] }, backend: 'wasm', data: { file: '2023' } };
    expect(unflattenParams(flattenParams(p))).toEqual(p);
  });
  it('the why columns (probabilities, teacher, forecast average, oracle grid and cash) survive the CSV exactly', () => {
    const why = {
      ...trace,
      actionProbs: Float32Array.from([0.1, 0.7, 0.2, 1 / 3, 1 / 3, 1 / 3]),
      teacherActions: Int32Array.from([1, 0]),
      forecastAvgEurPerMWh: Float32Array.from([61.37, Math.PI]),
      oracleGridKWh: Float64Array.from([50.5, -47.25]),
      oracleCashEur: Float64Array.from([-2.79, 1 / 7]),
    };
    const csv = traceToCsv(why);
    expect(csv.split('\n')[0]).toBe(
      'time_utc,price_eur_mwh,action_index,soc_before_kwh,soc_after_kwh,cash_eur,oracle_soc_kwh,' +
        'teacher_action_index,forecast_avg_eur_mwh,oracle_grid_kwh,oracle_cash_eur,p_action_0,p_action_1,p_action_2',
    );
    expect(traceFromCsv(csv)).toEqual(why);
    // Only some of them: only those are written and read back.
    const some = { ...trace, oracleCashEur: Float64Array.from([1, 2]) };
    expect(traceFromCsv(traceToCsv(some))).toEqual(some);
    // A trace without them reads back without them (and an old file, written before them, reads as before).
    const plain = traceFromCsv(traceToCsv(trace));
    expect(plain).toEqual(trace);
    expect('actionProbs' in plain).toBe(false);
  });
  it('traceFromCsv refuses a why column that is not a number, or probabilities out of order, naming it', () => {
    const csv = traceToCsv({ ...trace, oracleCashEur: Float64Array.from([1.5, 2]) });
    expect(() => traceFromCsv(csv.replace(',1.5\n', ',abc\n'))).toThrow(/line 2, column oracle_cash_eur/);
    const probs = traceToCsv({ ...trace, actionProbs: Float32Array.from([0.5, 0.5, 0.25, 0.75]) });
    expect(() => traceFromCsv(probs.replace('p_action_0,p_action_1', 'p_action_1,p_action_0'))).toThrow(
      /p_action_1 is out of order/,
    );
  });
  it('traceFromCsv names the line that is not a trace row', () => {
    const csv = traceToCsv(trace).replace('55.2', 'x');
    expect(() => traceFromCsv(csv)).toThrow(/line 2/);
  });
  it("dataFingerprint matches the page's run store", () => {
    const prices = Float64Array.from([10, -5.5, 120, 98.25]);
    expect(dataFingerprint(prices, 0.25)).toBe(pageFingerprint(prices, 0.25));
    expect(dataFingerprint(prices, 1)).not.toBe(dataFingerprint(prices, 0.25));
  });
});
