import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FileEntry, type MlflowRun, storeFiles } from './layout.ts';
import { MlflowStoreError, readStore, resolveModelUri, stripStoreRoot } from './read.ts';
import { utf8 } from './text.ts';

const FIXTURE = 'test-data/mlflow/mlflow-store';

function entriesOf(root: string, rel = ''): FileEntry[] {
  return readdirSync(join(root, rel)).flatMap((name) => {
    const p = rel ? `${rel}/${name}` : name;
    return statSync(join(root, p)).isDirectory()
      ? entriesOf(root, p)
      : [{ path: p, bytes: new Uint8Array(readFileSync(join(root, p))) }];
  });
}

const fixture = entriesOf(FIXTURE);
const E = '412345678901234567';
const PB = '5f3c9a2b7d1e4c6f8a0b2d4e6f8a1c3e';

describe('readStore(entries) on a store laid out by MLflow (test-data/mlflow/mlflow-store)', () => {
  const { store, skipped } = readStore(fixture);

  it('reads the active experiments, a legacy integer experiment_id as a string', () => {
    expect(store.experiments.map((e) => [e.experimentId, e.name, e.creationTimeMs]).sort()).toEqual([
      ['0', 'Default', 1700000000000],
      ['1', 'old-experiment', null],
      [E, 'BatteryPPO', 1700001000000],
    ]);
    expect(store.experiments.find((e) => e.experimentId === '0')!.tags).toEqual({
      'mlflow.note.content': 'Experiments from the notebook',
    });
  });

  it('reads every run with params, tags, metrics (nested names, two-field legacy lines) and artifacts', () => {
    const byId = new Map(store.runs.map((r) => [r.runId, r]));
    expect([...byId.keys()].sort()).toEqual([
      '5f3c9a2b7d1e4c6f8a0b2d4e6f8a1c3e',
      '7a7a7a7a7a7a4b4b8c8c9d9d0e0e1f1f',
      'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      'f0e1d2c3b4a5968778695a4b3c2d1e0f',
    ]);
    const pb = byId.get(PB)!;
    expect(pb).toMatchObject({
      experimentId: E,
      runName: 'ppo-be-2023',
      userId: 'ada',
      status: 'FINISHED',
      startTimeMs: 1700001060000,
      endTimeMs: 1700001190000,
      lifecycleStage: 'active',
    });
    expect(pb.params['ppo.learningRate']).toBe('0.00025');
    expect(pb.metrics['charts/SPS']).toEqual([{ timestampMs: 1700001150000, value: 3157, step: 3 }]);
    expect(pb.metrics['losses/approx_kl'][0].value).toBe(1.2e-5);
    expect(pb.artifacts.map((a) => a.path).sort()).toEqual(['backtest/trace.csv', 'model/model.json']);
    const legacy = byId.get('f0e1d2c3b4a5968778695a4b3c2d1e0f')!;
    expect(legacy).toMatchObject({ experimentId: '1', status: 'FAILED', runName: 'legacy', userId: 'bob' });
    expect(legacy.metrics.loss).toEqual([
      { timestampMs: 1560000010000, value: 0.9, step: 0 },
      { timestampMs: 1560000020000, value: 0.5, step: 0 },
    ]);
    expect(byId.get('7a7a7a7a7a7a4b4b8c8c9d9d0e0e1f1f')).toMatchObject({ lifecycleStage: 'deleted', status: 'KILLED' });
  });

  it('reads the registry: versions with stage, source, run_id, status, tags; aliases; skips deleted versions', () => {
    expect(store.models.map((m) => m.name).sort()).toEqual(['BatteryPPOModel', 'Retired']);
    const m = store.models.find((x) => x.name === 'BatteryPPOModel')!;
    expect(m.aliases).toEqual({ champion: 2 });
    expect(m.tags).toEqual({ team: 'trading' });
    expect(m.versions.map((v) => [v.version, v.currentStage, v.runId, v.status])).toEqual([
      [1, 'Archived', PB, 'READY'],
      [2, 'Production', PB, 'READY'],
    ]);
    expect(m.versions[1].tags).toEqual({ validated: 'true' });
    expect(store.models.find((x) => x.name === 'Retired')!.versions).toEqual([]);
  });

  it('reports what it skipped: trash, datasets, inputs, traces, logged models, deleted versions', () => {
    expect(skipped.map((s) => s.path).sort()).toEqual([
      `.trash/598765432109876543/`,
      '0/a1b2c3d4e5f60718293a4b5c6d7e8f90/inputs/',
      '0/datasets/',
      `${E}/models/`,
      `${E}/traces/`,
      'models/Retired/version-1/',
    ]);
    for (const s of skipped) expect(s.reason.length).toBeGreaterThan(5);
  });

  it('resolveModelUri(store, uri) finds models:/NAME/STAGE, /VERSION, @ALIAS and latest', () => {
    expect(resolveModelUri(store, 'models:/BatteryPPOModel/Production').version).toBe(2);
    expect(resolveModelUri(store, 'models:/BatteryPPOModel/production').version).toBe(2);
    expect(resolveModelUri(store, 'models:/BatteryPPOModel/1').currentStage).toBe('Archived');
    expect(resolveModelUri(store, 'models:/BatteryPPOModel@champion').version).toBe(2);
    expect(resolveModelUri(store, 'models:/BatteryPPOModel/latest').version).toBe(2);
    expect(() => resolveModelUri(store, 'models:/BatteryPPOModel/Staging')).toThrow(/no such version/);
    expect(() => resolveModelUri(store, 'models:/Nope/Production')).toThrow(/no registered model named 'Nope'/);
    expect(() => resolveModelUri(store, 'models:/BatteryPPOModel/Prod')).toThrow(/not a stage/);
  });
});

describe('readStore(entries) on damaged or foreign input', () => {
  const replace = (path: string, text: string) =>
    fixture.map((e) => (e.path === path ? { path, bytes: utf8.encode(text) } : e));
  const fails = (entries: FileEntry[], entry: string, what: RegExp) => {
    let err: unknown;
    try {
      readStore(entries);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MlflowStoreError);
    expect((err as MlflowStoreError).entry).toBe(entry);
    expect((err as Error).message).toMatch(what);
  };
  const runMeta = `${E}/${PB}/meta.yaml`;

  it('names a meta.yaml that is not YAML, or not a mapping', () => {
    fails(replace(runMeta, 'status: [unclosed'), runMeta, /not valid YAML/);
    fails(replace(`${E}/meta.yaml`, '- a list'), `${E}/meta.yaml`, /not a YAML mapping/);
  });
  it('names a wrong type or code', () => {
    const meta = utf8.decode(fixture.find((e) => e.path === runMeta)!.bytes);
    fails(replace(runMeta, meta.replace('status: 3', 'status: FINISHED')), runMeta, /status must be a RunStatus code/);
    fails(
      replace(runMeta, meta.replace('start_time: 1700001060000', 'start_time: soon')),
      runMeta,
      /start_time must be an integer/,
    );
    fails(
      replace(runMeta, meta.replace(`experiment_id: '${E}'`, "experiment_id: '0'")),
      runMeta,
      /does not match the experiment folder/,
    );
    fails(
      replace(runMeta, meta.replace(`run_id: ${PB}`, 'run_id: ffffffffffffffffffffffffffffffff')),
      runMeta,
      /does not match its folder/,
    );
  });
  it('names a malformed metric line with its line number', () => {
    const p = `${E}/${PB}/metrics/charts/SPS`;
    fails(replace(p, '1700001150000 3157.0 3\n1700001150000 fast 4\n'), p, /line 2 .*not a number/);
    fails(replace(p, '1700001150000\n'), p, /found 1 fields/);
  });
  it('names a version folder or alias that does not fit', () => {
    const v = 'models/BatteryPPOModel/version-2/meta.yaml';
    fails(
      replace(
        v,
        utf8
          .decode(fixture.find((e) => e.path === v)!.bytes)
          .replace('current_stage: Production', 'current_stage: Live'),
      ),
      v,
      /current_stage must be one of/,
    );
    fails(
      replace('models/BatteryPPOModel/aliases/champion', 'two'),
      'models/BatteryPPOModel/aliases/champion',
      /version number/,
    );
  });
  it('finds no experiment in a foreign folder: everything is skipped, nothing is read', () => {
    const { store, skipped } = readStore([
      { path: 'photos/cat.jpg', bytes: new Uint8Array([0xff, 0xd8]) },
      { path: 'notes.txt', bytes: utf8.encode('hi') },
    ]);
    expect(store.experiments).toEqual([]);
    expect(skipped.map((s) => s.path)).toEqual(['notes.txt', 'photos/']);
  });
  it('refuses paths that climb out of the store', () => {
    fails([{ path: '0/../../etc/passwd', bytes: new Uint8Array() }], '0/../../etc/passwd', /plain relative path/);
  });
});

describe('stripStoreRoot(entries)', () => {
  it('drops a wrapping mlruns/ folder (and directory entries) but not an experiment folder', () => {
    const wrapped = fixture.map((e) => ({ path: `mlruns/${e.path}`, bytes: e.bytes }));
    const { entries, root } = stripStoreRoot([{ path: 'mlruns/', bytes: new Uint8Array() }, ...wrapped]);
    expect(root).toBe('mlruns/');
    expect(entries.length).toBe(fixture.length);
    const single = fixture.filter((e) => e.path.startsWith('0/'));
    expect(stripStoreRoot(single).root).toBe('');
  });
});

describe('readStore(storeFiles(s))', () => {
  it('reads back what the writer wrote', () => {
    const run: MlflowRun = {
      runId: 'ab'.repeat(16),
      experimentId: '0',
      runName: 'r',
      userId: 'unknown',
      status: 'FINISHED',
      startTimeMs: 1,
      endTimeMs: 2,
      lifecycleStage: 'active',
      artifactUri: 'mlruns/0/abab/artifacts',
      params: { a: '1', 'b.c': 'x y' },
      tags: { 'mlflow.runName': 'r' },
      metrics: {
        'charts/SPS': [
          { timestampMs: 5, value: 0.1, step: 0 },
          { timestampMs: 6, value: NaN, step: 1 },
        ],
      },
      artifacts: [{ path: 'model/model.json', bytes: utf8.encode('{}') }],
    };
    const exp = {
      experimentId: '0',
      name: 'Default',
      artifactLocation: 'mlruns/0',
      lifecycleStage: 'active' as const,
      creationTimeMs: 1,
      lastUpdateTimeMs: 1,
      tags: {},
    };
    const { store, skipped } = readStore(storeFiles({ experiments: [exp], runs: [run], models: [] }));
    expect(skipped).toEqual([]);
    expect(store.experiments).toEqual([exp]);
    expect(store.runs).toEqual([run]);
  });
  it('keeps ids made only of digits strings (quoted for a YAML 1.1 loader)', () => {
    const id = '12345678901234567890123456789012';
    const exp = {
      experimentId: '123456789012345678',
      name: '1e5',
      artifactLocation: 'x',
      lifecycleStage: 'active' as const,
      creationTimeMs: 1,
      lastUpdateTimeMs: 1,
      tags: {},
    };
    const run: MlflowRun = {
      runId: id,
      experimentId: exp.experimentId,
      runName: 'yes',
      userId: 'no',
      status: 'RUNNING',
      startTimeMs: 1,
      endTimeMs: null,
      lifecycleStage: 'active',
      artifactUri: 'x',
      params: {},
      tags: {},
      metrics: {},
      artifacts: [],
    };
    const files = storeFiles({ experiments: [exp], runs: [run], models: [] });
    expect(utf8.decode(files.find((f) => f.path.endsWith(`${id}/meta.yaml`))!.bytes)).toContain(`run_id: '${id}'`);
    const { store } = readStore(files);
    expect(store.runs[0]).toMatchObject({ runId: id, runName: 'yes', userId: 'no', endTimeMs: null });
    expect(store.experiments[0].name).toBe('1e5');
  });
});
