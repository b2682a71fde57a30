import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { experimentIdForName, runIdFor } from '../../core/mlflow/layout.ts';
import { mlrunsZipToRuns, runsToMlrunsZip } from './mlflow-zip.ts';
import { RunFileError, runFromResult, type CompleteRun } from './store.ts';
import { fakeResult, testInputs } from './test-factory.ts';

function record(id: string, createdAt: number, share: number, extra: Partial<CompleteRun> = {}): CompleteRun {
  const n = 3;
  const result = fakeResult(share, {
    params: {
      seed: 1,
      seconds: 30,
      battery: { capacityKWh: 100 },
      ppo: { learningRate: 0.00025 },
      data: { dtHours: 1 },
    },
    history: [
      {
        phase: 'clone',
        iteration: 1,
        elapsedS: 1.5,
        metrics: { 'clone/loss': 0.7, 'charts/validation_share': share },
        shareOfOracle: share,
      },
      { phase: 'ppo', iteration: 1, elapsedS: 2.5, metrics: { 'charts/SPS': 100, 'losses/approx_kl': 0.001 } },
      {
        phase: 'eval',
        iteration: 0,
        elapsedS: 3,
        metrics: { 'eval/profit_eur': 90 * share, 'eval/share_of_oracle': share },
        shareOfOracle: share,
      },
    ],
  });
  result.backtest.trace = {
    timesUtcMs: Float64Array.from({ length: n }, (_, i) => 1672531200000 + i * 3.6e6),
    pricesEurPerMWh: Float64Array.from([1, -2.5, 3]),
    actions: Int32Array.from([0, 1, 2]),
    socBeforeKWh: Float64Array.from([0, 0, 45]),
    socAfterKWh: Float64Array.from([0, 45, 0]),
    cashEur: Float64Array.from([0, -0.3875, 0.135]),
    oracleSocKWh: Float64Array.from([0, 45, 0]),
  };
  return {
    ...(runFromResult(result, {
      id,
      createdAt,
      name: `run ${id}`,
      dataFile: 'be.csv',
      dataFingerprint: 'abcd1234-8760',
      seconds: 30,
    }) as CompleteRun),
    ...extra,
  };
}

const a = record('0b8e0f4c-2d39-4bb4-9a4c-7d2e5f1a3b6c', 1700000010000, 0.9, { tags: ['baseline'] });
const b = record('lq3k9-x7', 1700000020000, 0.95, { stage: 'Production' });
const c = record('c5a1d3e7-0000-4000-8000-000000000003', 1700000030000, 0.97, { stage: 'Staging', modelName: 'de-lu' });
const EXP = experimentIdForName('PowerBidder');
const text = (files: Record<string, Uint8Array>, p: string) => new TextDecoder().decode(files[p]);

describe('runsToMlrunsZip(runs)', () => {
  const files = unzipSync(
    runsToMlrunsZip([a, b, c], {
      nowMs: 1700000099000,
      charts: new Map([[a.id, [{ name: 'prices-and-soc.png', png: Uint8Array.from([0x89, 0x50, 0x4e, 0x47]) }]]]),
    }),
  );
  const runA = `mlruns/${EXP}/0b8e0f4c2d394bb49a4c7d2e5f1a3b6c`;

  it('lays out mlruns/ with the Default and PowerBidder experiments and one folder per run', () => {
    expect(parse(text(files, 'mlruns/0/meta.yaml'))).toMatchObject({
      experiment_id: '0',
      name: 'Default',
      artifact_location: './mlruns/0',
    });
    expect(parse(text(files, `mlruns/${EXP}/meta.yaml`))).toMatchObject({
      experiment_id: EXP,
      name: 'PowerBidder',
      artifact_location: `./mlruns/${EXP}`,
    });
    const runDirs = new Set(
      Object.keys(files)
        .filter((p) => p.startsWith(`mlruns/${EXP}/`) && p.split('/').length > 3)
        .map((p) => p.split('/')[2]),
    );
    expect([...runDirs].sort()).toEqual([runIdFor(a.id), runIdFor(b.id), runIdFor(c.id)].sort());
    for (const id of runDirs) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("writes each run's meta, params, CleanRL metrics, tags and artifacts (model, trace, charts)", () => {
    const meta = parse(text(files, `${runA}/meta.yaml`));
    expect(meta).toMatchObject({
      run_id: '0b8e0f4c2d394bb49a4c7d2e5f1a3b6c',
      experiment_id: EXP,
      status: 3,
      run_name: `run ${a.id}`,
      start_time: 1700000007000,
      end_time: 1700000010000,
      user_id: 'unknown',
    });
    expect(text(files, `${runA}/params/ppo.learningRate`)).toBe('0.00025');
    expect(text(files, `${runA}/params/data.fingerprint`)).toBe('abcd1234-8760');
    expect(text(files, `${runA}/metrics/charts/SPS`)).toBe('1700000009500 100.0 1\n');
    expect(text(files, `${runA}/metrics/eval/share_of_oracle`)).toBe('1700000010000 0.9 2\n');
    expect(text(files, `${runA}/tags/mlflow.source.name`)).toBe('PowerBidder (browser)');
    expect(text(files, `${runA}/tags/powerbidder.tags`)).toBe('baseline');
    expect(files[`${runA}/tags/mlflow.user`]).toBeUndefined();
    expect(
      Object.keys(files)
        .filter((p) => p.startsWith(`${runA}/artifacts/`))
        .sort(),
    ).toEqual([
      `${runA}/artifacts/backtest/trace.csv`,
      `${runA}/artifacts/charts/prices-and-soc.png`,
      `${runA}/artifacts/model/model.json`,
    ]);
  });

  it('writes the registry for staged runs: unnamed ones under BatteryPPOModel, named ones under their name', () => {
    const v = parse(text(files, 'mlruns/models/BatteryPPOModel/version-1/meta.yaml'));
    expect(v).toMatchObject({
      version: 1,
      current_stage: 'Production',
      status: 'READY',
      run_id: runIdFor(b.id),
      source: `./mlruns/${EXP}/${runIdFor(b.id)}/artifacts/model`,
    });
    expect(text(files, 'mlruns/models/BatteryPPOModel/aliases/production')).toBe('1');
    expect(parse(text(files, 'mlruns/models/de-lu/version-1/meta.yaml'))).toMatchObject({
      current_stage: 'Staging',
      run_id: runIdFor(c.id),
    });
    expect(Object.keys(files).some((p) => p.includes(`models/BatteryPPOModel/version-2`))).toBe(false);
  });
});

describe('mlrunsZipToRuns(zip)', () => {
  it('reads our export back into the same records', () => {
    const { runs, skipped } = mlrunsZipToRuns(runsToMlrunsZip([a, b, c], { nowMs: 1700000099000 }), 'mlruns.zip');
    expect(skipped).toEqual([]);
    const byId = new Map(runs.map((r) => [r.id, r]));
    for (const r of [a, b, c]) {
      const back = byId.get(r.id) as CompleteRun;
      expect(back).toMatchObject({
        id: r.id,
        createdAt: r.createdAt,
        name: r.name,
        tags: r.tags,
        modelName: r.stage === 'None' ? '' : r.modelName || 'BatteryPPOModel',
        stage: r.stage,
        dataFile: 'be.csv',
        dataFingerprint: r.dataFingerprint,
        backend: 'wasm',
        seconds: 30,
        stopReason: 'time-cap',
      });
      expect(back.evaluation).toEqual(r.evaluation);
      expect(back.model.weights[0].values).toEqual(r.model.weights[0].values);
      expect(back.backtest.trace).toEqual(r.backtest.trace);
      expect(back.history.map((h) => [h.phase, h.elapsedS, h.shareOfOracle])).toEqual(
        r.history.map((h) => [h.phase, h.elapsedS, h.shareOfOracle]),
      );
      expect(back.params).toMatchObject({ seed: 1, battery: { capacityKWh: 100 }, ppo: { learningRate: 0.00025 } });
    }
  });

  it('keeps what the trace says of why the agent acted: probabilities, teacher, forecast average, oracle cash', () => {
    const why = record('d0000000-0000-4000-8000-000000000004', 1700000040000, 0.8, {});
    why.backtest.trace = {
      ...why.backtest.trace,
      actionProbs: Float32Array.from([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.05, 0.05, 0.9]),
      teacherActions: Int32Array.from([0, 1, 1]),
      forecastAvgEurPerMWh: Float32Array.from([1.5, 0.25, 3.1]),
      oracleGridKWh: Float64Array.from([0, 50, -45]),
      oracleCashEur: Float64Array.from([0, -0.43, 0.1215]),
    };
    const { runs } = mlrunsZipToRuns(runsToMlrunsZip([why], { nowMs: 1700000099000 }), 'mlruns.zip');
    expect((runs[0] as CompleteRun).backtest.trace).toEqual(why.backtest.trace);
  });

  it('keeps the policy a run kept and the inputs it was trained on, so an imported run reopens', () => {
    const inputs = testInputs({ settings: { seed: 1, numActions: 3 } });
    const r = record('e0000000-0000-4000-8000-000000000005', 1700000050000, 0.85, { inputs });
    expect(r.kept).toBeDefined();
    const { runs, skipped } = mlrunsZipToRuns(runsToMlrunsZip([r], { nowMs: 1700000099000 }), 'mlruns.zip');
    expect(skipped).toEqual([]);
    const back = runs[0] as CompleteRun;
    expect(back.kept).toEqual(r.kept);
    expect(back.inputs).toEqual(inputs);
    // A tag that is not what it should be: the run is imported without that field, and the notes say so.
    const files = unzipSync(runsToMlrunsZip([r], { nowMs: 1700000099000 }));
    const tag = Object.keys(files).find((p) => p.endsWith('/tags/powerbidder.kept'))!;
    files[tag] = new TextEncoder().encode('{"source": 3}');
    const damaged = mlrunsZipToRuns(zipSync(files), 'edited.zip');
    expect((damaged.runs[0] as CompleteRun).kept).toBeUndefined();
    expect((damaged.runs[0] as CompleteRun).inputs).toEqual(inputs);
    expect(damaged.skipped.join('\n')).toMatch(/tag powerbidder.kept does not describe what it should/);
  });

  it('reads a store MLflow wrote: takes the PowerBidder training, says what it skipped', () => {
    const tree: Zippable = {};
    const walk = (rel: string) => {
      for (const name of readdirSync(join('test-data/mlflow/mlflow-store', rel))) {
        const p = rel ? `${rel}/${name}` : name;
        if (statSync(join('test-data/mlflow/mlflow-store', p)).isDirectory()) walk(p);
        else tree[`mlruns/${p}`] = new Uint8Array(readFileSync(join('test-data/mlflow/mlflow-store', p)));
      }
    };
    walk('');
    const { runs, skipped } = mlrunsZipToRuns(zipSync(tree), 'theirs.zip');
    expect(runs.map((r) => [r.id, r.name, r.stage, r.modelName, r.dataFile])).toEqual([
      ['5f3c9a2b7d1e4c6f8a0b2d4e6f8a1c3e', 'ppo-be-2023', 'Production', 'BatteryPPOModel', 'be-2023-hourly.csv'],
    ]);
    expect(runs[0].evaluation).toEqual({
      shareOfOracle: 0.9684,
      profitEur: 502.87,
      oracleProfitEur: 519.2743111111121,
      equivalentCycles: 91.85,
    });
    expect((runs[0] as CompleteRun).backtest.trace.actions).toEqual(Int32Array.from([1, 2, 0]));
    expect(skipped).toEqual(
      expect.arrayContaining([
        'mlruns/0/a1b2c3d4e5f60718293a4b5c6d7e8f90/ (elasticnet-sweep): no PowerBidder model (artifacts/model/model.json)',
        'mlruns/412345678901234567/7a7a7a7a7a7a4b4b8c8c9d9d0e0e1f1f/ (aborted): the run is deleted',
        'mlruns/0/datasets/: datasets logged with runs are not used',
        'mlruns/.trash/598765432109876543/: deleted experiment (in .trash)',
      ]),
    );
    expect(skipped.length).toBe(9);
  });

  it('names the first wrong entry of a damaged store, and says a foreign or broken zip is not one', () => {
    const good = unzipSync(runsToMlrunsZip([a], { nowMs: 1700000000000 }));
    const runMeta = `mlruns/${EXP}/${runIdFor(a.id)}/meta.yaml`;
    const damaged = { ...good, [runMeta]: strToU8('status: [') };
    expect(() => mlrunsZipToRuns(zipSync(damaged), 'd.zip')).toThrow(
      new RunFileError(
        `d.zip: ${runMeta}: is not valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ])`,
      ),
    );
    const badModel = {
      ...good,
      [`mlruns/${EXP}/${runIdFor(a.id)}/artifacts/model/model.json`]: strToU8('{"weights": 3}'),
    };
    expect(() => mlrunsZipToRuns(zipSync(badModel), 'm.zip')).toThrow(
      /m.zip: mlruns\/\d+\/[0-9a-f]{32}\/artifacts\/model\/model.json: format unknown format/,
    );
    expect(() => mlrunsZipToRuns(zipSync({ 'holiday/cat.jpg': Uint8Array.from([1, 2]) }), 'cat.zip')).toThrow(
      'cat.zip is not an MLflow store: no experiment (<id>/meta.yaml); first entry holiday/cat.jpg',
    );
    const zip = runsToMlrunsZip([a], { nowMs: 1700000000000 });
    expect(() => mlrunsZipToRuns(zip.subarray(0, zip.length - 30), 'cut.zip')).toThrow(
      /cut.zip is not a readable zip file/,
    );
    expect(() => mlrunsZipToRuns(strToU8('PK not really'), 'fake.zip')).toThrow(RunFileError);
  });
});
