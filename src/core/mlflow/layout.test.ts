import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  type MlflowExperiment,
  type MlflowRegisteredModel,
  type MlflowRun,
  experimentFiles,
  experimentIdForName,
  pythonFloat,
  registeredModelFiles,
  runFiles,
  runIdFor,
  storeFiles,
} from './layout.ts';
import { utf8 } from './text.ts';

const exp: MlflowExperiment = {
  experimentId: '0',
  name: 'Default',
  artifactLocation: 'file:///tmp/mlruns/0',
  lifecycleStage: 'active',
  creationTimeMs: 1700000000000,
  lastUpdateTimeMs: 1700000000000,
  tags: {},
};
const run: MlflowRun = {
  runId: '0123456789abcdef0123456789abcdef',
  experimentId: '0',
  runName: 'Run 1',
  userId: 'ada',
  status: 'FINISHED',
  startTimeMs: 1700000001000,
  endTimeMs: 1700000061000,
  lifecycleStage: 'active',
  artifactUri: 'file:///tmp/mlruns/0/0123456789abcdef0123456789abcdef/artifacts',
  params: { 'battery.capacityKWh': '100', backend: 'wasm' },
  tags: { 'mlflow.runName': 'Run 1', 'mlflow.user': 'ada' },
  metrics: {
    'charts/SPS': [
      { timestampMs: 1700000002000, value: 3157, step: 1 },
      { timestampMs: 1700000003000, value: 3160.5, step: 2 },
    ],
    'losses/approx_kl': [{ timestampMs: 1700000002000, value: 1e-5, step: 1 }],
  },
  artifacts: [{ path: 'model/model.json', bytes: utf8.encode('{}') }],
};
const model: MlflowRegisteredModel = {
  name: 'BatteryPPOModel',
  creationTimestampMs: 1700000070000,
  lastUpdatedTimestampMs: 1700000070000,
  description: null,
  tags: {},
  aliases: { production: 1 },
  versions: [
    {
      name: 'BatteryPPOModel',
      version: 1,
      creationTimestampMs: 1700000070000,
      lastUpdatedTimestampMs: 1700000070000,
      currentStage: 'Production',
      source: `${run.artifactUri}/model`,
      runId: run.runId,
      status: 'READY',
      description: null,
      userId: 'ada',
      runLink: null,
      tags: {},
    },
  ],
};

const byPath = (files: { path: string; bytes: Uint8Array }[]) =>
  new Map(files.map((f) => [f.path, utf8.decode(f.bytes)]));

describe('experimentFiles(e)', () => {
  it("writes meta.yaml with exactly MLflow's experiment fields, experiment_id a quoted string", () => {
    const f = byPath(experimentFiles(exp));
    const text = f.get('0/meta.yaml')!;
    expect(text).toContain("experiment_id: '0'\n");
    const m = parse(text);
    expect(Object.keys(m)).toEqual([
      'artifact_location',
      'creation_time',
      'experiment_id',
      'last_update_time',
      'lifecycle_stage',
      'name',
    ]);
    expect(m).toEqual({
      artifact_location: 'file:///tmp/mlruns/0',
      creation_time: 1700000000000,
      experiment_id: '0',
      last_update_time: 1700000000000,
      lifecycle_stage: 'active',
      name: 'Default',
    });
  });
});

describe('runFiles(r)', () => {
  const f = byPath(runFiles(run));
  const dir = '0/0123456789abcdef0123456789abcdef';

  it("writes meta.yaml with RunInfo's fields, sorted, status as the RunStatus code and tags an empty list", () => {
    const text = f.get(`${dir}/meta.yaml`)!;
    const m = parse(text);
    expect(Object.keys(m)).toEqual([
      'artifact_uri',
      'deleted_time',
      'end_time',
      'entry_point_name',
      'experiment_id',
      'lifecycle_stage',
      'run_id',
      'run_name',
      'run_uuid',
      'source_name',
      'source_type',
      'source_version',
      'start_time',
      'status',
      'tags',
      'user_id',
    ]);
    expect(m).toMatchObject({
      status: 3,
      source_type: 4,
      experiment_id: '0',
      run_id: run.runId,
      run_uuid: run.runId,
      start_time: 1700000001000,
      end_time: 1700000061000,
      tags: [],
      deleted_time: null,
      user_id: 'ada',
      lifecycle_stage: 'active',
      entry_point_name: '',
      source_name: '',
      source_version: '',
    });
    expect(text).toContain("experiment_id: '0'\n");
    expect(text).toMatch(/^status: 3$/m);
  });

  it('writes params and tags as the bare value, no trailing newline', () => {
    expect(f.get(`${dir}/params/battery.capacityKWh`)).toBe('100');
    expect(f.get(`${dir}/params/backend`)).toBe('wasm');
    expect(f.get(`${dir}/tags/mlflow.runName`)).toBe('Run 1');
  });

  it('writes a metric with a / in its name as a nested file of "<timestamp_ms> <value> <step>" lines', () => {
    expect(f.get(`${dir}/metrics/charts/SPS`)).toBe('1700000002000 3157.0 1\n1700000003000 3160.5 2\n');
    expect(f.get(`${dir}/metrics/losses/approx_kl`)).toBe('1700000002000 1e-05 1\n');
  });

  it('puts artifacts under artifacts/ and refuses a run id that is not 32 hex digits', () => {
    expect(f.get(`${dir}/artifacts/model/model.json`)).toBe('{}');
    expect(() => runFiles({ ...run, runId: 'abc' })).toThrow(/32 hex/);
    expect(() => runFiles({ ...run, params: { '../x': '1' } })).toThrow(/not a valid MLflow name/);
  });
});

describe('registeredModelFiles(m)', () => {
  const f = byPath(registeredModelFiles(model));
  it('writes models/<name>/meta.yaml, version-<N>/meta.yaml with stage, source, run_id, READY, and aliases/<alias>', () => {
    expect(parse(f.get('models/BatteryPPOModel/meta.yaml')!)).toEqual({
      aliases: { production: '1' },
      creation_timestamp: 1700000070000,
      description: null,
      last_updated_timestamp: 1700000070000,
      name: 'BatteryPPOModel',
    });
    const v = parse(f.get('models/BatteryPPOModel/version-1/meta.yaml')!);
    expect(Object.keys(v)).toEqual([
      'aliases',
      'creation_timestamp',
      'current_stage',
      'description',
      'last_updated_timestamp',
      'name',
      'run_id',
      'run_link',
      'source',
      'status',
      'status_message',
      'storage_location',
      'user_id',
      'version',
    ]);
    expect(v).toMatchObject({
      current_stage: 'Production',
      status: 'READY',
      run_id: run.runId,
      source: `${run.artifactUri}/model`,
      version: 1,
    });
    expect(f.get('models/BatteryPPOModel/aliases/production')).toBe('1');
    expect(() => registeredModelFiles({ ...model, name: 'a/b' })).toThrow(/not valid/);
  });

  it('storeFiles(s) is the union of the three', () => {
    expect(storeFiles({ experiments: [exp], runs: [run], models: [model] }).length).toBe(
      experimentFiles(exp).length + runFiles(run).length + registeredModelFiles(model).length,
    );
  });
});

describe('pythonFloat(x)', () => {
  it("writes what Python's repr(float) writes", () => {
    const cases: [number, string][] = [
      [0, '0.0'],
      [-0, '-0.0'],
      [1, '1.0'],
      [3157, '3157.0'],
      [0.1, '0.1'],
      [1e-5, '1e-05'],
      [0.0001, '0.0001'],
      [1.5e-7, '1.5e-07'],
      [123456789012345680, '1.2345678901234568e+17'],
      [1e16, '1e+16'],
      [9999999999999998, '9999999999999998.0'],
      [-2.5, '-2.5'],
      [NaN, 'nan'],
      [Infinity, 'inf'],
      [-Infinity, '-inf'],
      [0.30000000000000004, '0.30000000000000004'],
      [1e22, '1e+22'],
    ];
    for (const [x, s] of cases) expect([x, pythonFloat(x)]).toEqual([x, s]);
  });
  it('reads back to the same number', () => {
    for (const x of [Math.PI, 1 / 3, -1e-300, 5e-324, 1.7976931348623157e308, 42])
      expect(Number(pythonFloat(x))).toBe(x);
  });
});

describe('ids', () => {
  it('experimentIdForName(name) is 18 digits without a leading zero, the same every time', () => {
    const id = experimentIdForName('PowerBidder');
    expect(id).toMatch(/^[1-9]\d{17}$/);
    expect(experimentIdForName('PowerBidder')).toBe(id);
    expect(experimentIdForName('Other')).not.toBe(id);
  });
  it("runIdFor(id) keeps a UUID's hex and hashes anything else to 32 hex digits", () => {
    expect(runIdFor('01234567-89ab-cdef-0123-456789ABCDEF')).toBe('0123456789abcdef0123456789abcdef');
    expect(runIdFor('lq3k-abc')).toMatch(/^[0-9a-f]{32}$/);
    expect(runIdFor('lq3k-abc')).toBe(runIdFor('lq3k-abc'));
  });
});
