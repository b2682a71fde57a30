import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { openDB } from 'idb';
import {
  dataFingerprint,
  exportRunJson,
  importRunFile,
  importRunJson,
  openRunStore,
  partialRun,
  RunFileError,
  runFromResult,
  RunStorageError,
  type CompleteRun,
  type RunRecord,
} from './store.ts';
import { fakeResult } from './test-factory.ts';

const meta = (id: string, createdAt: number) => ({
  id,
  createdAt,
  name: `run ${id}`,
  dataFile: 'be.csv',
  dataFingerprint: 'x',
  seconds: 30,
});

describe('run store', () => {
  it('put, list (newest first, without heavy fields), get, update and delete', async () => {
    const store = await openRunStore(`test-${Math.random()}`);
    await store.put(runFromResult(fakeResult(0.9), meta('a', 1)));
    await store.put(runFromResult(fakeResult(0.95), meta('b', 2)));
    const { runs: list, damaged } = await store.list();
    expect(damaged).toEqual([]);
    expect(list.map((r) => r.id)).toEqual(['b', 'a']);
    expect(list[0]).not.toHaveProperty('model');
    expect(list[0].evaluation?.shareOfOracle).toBe(0.95);
    const full = (await store.get('a')) as CompleteRun;
    expect(full.model.weights[0].values).toBeInstanceOf(Float32Array);
    expect(Array.from(full.backtest.trace.actions)).toEqual([0, 1, 2, 0]);
    const updated = await store.update('a', { tags: ['baseline'], stage: 'Production', modelName: 'de-lu' });
    expect(updated).toMatchObject({ tags: ['baseline'], stage: 'Production', modelName: 'de-lu' });
    await expect(store.update('a', { stage: 'Live' as never })).rejects.toThrow(/stage must be one of/);
    await store.delete('b');
    expect((await store.list()).runs.map((r) => r.id)).toEqual(['a']);
    store.close();
  });
  it('a run survives closing and reopening the database (a reload)', async () => {
    const name = `test-${Math.random()}`;
    const s1 = await openRunStore(name);
    await s1.put(runFromResult(fakeResult(0.97), meta('kept', 5)));
    s1.close();
    const s2 = await openRunStore(name);
    expect((await s2.get('kept'))?.evaluation?.shareOfOracle).toBe(0.97);
    s2.close();
  });
});

describe('the kept policy', () => {
  it('is stored with the run, listed in its summary and survives export and import', async () => {
    const kept = {
      source: 'ppo' as const,
      validationShare: 0.975,
      cloneValidationShare: 0.961,
      ppoValidationShare: 0.975,
    };
    const store = await openRunStore(`test-${Math.random()}`);
    await store.put(runFromResult(fakeResult(0.96, { kept }), meta('k', 3)));
    expect((await store.list()).runs[0].kept).toEqual(kept);
    const back = importRunJson(exportRunJson((await store.get('k'))!)) as CompleteRun;
    expect(back.kept).toEqual(kept);
    store.close();
  });
  it('a run without it (stored before it was recorded) still reads; a wrong source is refused by name', () => {
    const run = runFromResult(fakeResult(0.9), meta('old', 4));
    const { kept: _k, ...old } = run;
    expect(importRunJson(exportRunJson(old as CompleteRun)).kept).toBeUndefined();
    const bad = { ...run, kept: { ...run.kept!, source: 'teacher' } };
    expect(() => importRunJson(exportRunJson(bad as unknown as CompleteRun), 'bad.json')).toThrow(/run\.kept\.source/);
  });
});

describe('run files', () => {
  it('exportRunJson → importRunJson round-trips typed arrays exactly', () => {
    const run = runFromResult(fakeResult(0.93), meta('r', 7));
    const back = importRunJson(exportRunJson(run)) as CompleteRun;
    expect(back.model.weights[0].values).toEqual(run.model.weights[0].values);
    expect(back.backtest.trace.pricesEurPerMWh).toBeInstanceOf(Float64Array);
    expect(Array.from(back.backtest.trace.pricesEurPerMWh)).toEqual([1, -2.5, 3, 4]);
    expect(back.backtest.trace.actions).toBeInstanceOf(Int32Array);
    expect(back.evaluation).toEqual(run.evaluation);
  });
  it("the trace's why-the-agent-acted fields round-trip; a run without them still reads; a wrong length is refused", () => {
    const run = runFromResult(fakeResult(0.93, { why: true }), meta('w', 8));
    const t = (importRunJson(exportRunJson(run)) as CompleteRun).backtest.trace;
    expect(t.actionProbs).toBeInstanceOf(Float32Array);
    expect(t.actionProbs).toEqual(run.backtest.trace.actionProbs);
    expect(Array.from(t.teacherActions!)).toEqual([0, 1, 2, 2]);
    expect(t.forecastAvgEurPerMWh).toEqual(run.backtest.trace.forecastAvgEurPerMWh);
    expect(Array.from(t.oracleCashEur!)).toEqual([0, -0.7, 2.4, 0.3]);
    expect(Array.from(t.oracleGridKWh!)).toEqual([0, 50, -45, -5]);
    const old = importRunJson(exportRunJson(runFromResult(fakeResult(0.9), meta('o', 9)))) as CompleteRun;
    expect(old.backtest.trace.teacherActions).toBeUndefined();
    const short = runFromResult(fakeResult(0.93, { why: true }), meta('s', 10)) as CompleteRun;
    short.backtest.trace.oracleCashEur = Float64Array.from([1, 2]);
    expect(() => importRunJson(exportRunJson(short), 'bad.json')).toThrow(/one value per step/);
    const probs = runFromResult(fakeResult(0.93, { why: true }), meta('p', 11)) as CompleteRun;
    probs.backtest.trace.actionProbs = Float32Array.from([1, 0, 0, 1, 0]);
    expect(() => importRunJson(exportRunJson(probs), 'bad.json')).toThrow(/actionProbs/);
  });
  it.each([
    ['not JSON', '{oops', /is not JSON/],
    ['another format', '{"format":"mlflow","version":1}', /is not a PowerBidder run/],
    ['a newer version', '{"format":"powerbidder-run","version":9,"run":{}}', /version 9/],
    [
      'a run without a model',
      '{"format":"powerbidder-run","version":1,"run":{"id":"x","createdAt":1,"params":{},"evaluation":{},"backtest":{}}}',
      /run\.model: expected object/,
    ],
  ])('importRunJson refuses %s with a clear message', (_what, text, message) => {
    expect(() => importRunJson(text, 'bad.json')).toThrow(RunFileError);
    expect(() => importRunJson(text, 'bad.json')).toThrow(message);
  });
  it('importRunJson refuses a run whose model is damaged (a NaN weight, a zero price std), naming the field', () => {
    const nan = runFromResult(fakeResult(0.9), meta('n', 1));
    nan.model.weights[0].values[2] = Number.NaN;
    expect(() => importRunJson(exportRunJson(nan), 'bad.json')).toThrow(
      /bad\.json: model: weights\[0\]\.values\[2\] is NaN/,
    );
    const std = runFromResult(fakeResult(0.9), meta('s', 1));
    std.model.config.stats.priceStdEurPerMWh = 0;
    expect(() => importRunJson(exportRunJson(std), 'bad.json')).toThrow(/priceStdEurPerMWh must be > 0/);
  });
});

/** A valid exported run, with one field replaced by `value` (a JSON path of keys under "run"). */
function fileWith(path: string[], value: unknown): string {
  const doc = JSON.parse(exportRunJson(runFromResult(fakeResult(0.9), meta('f', 3))));
  let o = doc.run;
  for (const k of path.slice(0, -1)) o = o[k];
  o[path.at(-1)!] = value;
  return JSON.stringify(doc);
}

describe('run files: the schema names the wrong field', () => {
  it.each([
    [['tags'], 'abc', /bad\.json is not a valid run: run\.tags: expected array, received string/],
    [['createdAt'], 'yesterday', /run\.createdAt: expected number, received string/],
    [['evaluation'], null, /run\.evaluation: expected object, received null/],
    [['evaluation', 'shareOfOracle'], 'high', /run\.evaluation\.shareOfOracle/],
    [['stage'], 'Live', /run\.stage/],
    [['history'], {}, /run\.history: expected array/],
    [['history', 0, 'metrics'], 3, /run\.history\.0\.metrics/],
    [['model', 'weights'], [], /run\.model\.weights/],
    [
      ['model', 'weights', 0, 'shape'],
      [3, 3],
      /run\.model\.weights\.0\.values: the weight has as many values as its shape holds/,
    ],
    [['backtest', 'trace', 'actions'], [1, 2], /run\.backtest\.trace\.actions: expected an Int32Array/],
    [['status'], 'paused', /run\.status/],
  ] as const)('a run whose %j is %j is refused', (path, value, message) => {
    const text = fileWith([...path] as string[], value);
    expect(() => importRunJson(text, 'bad.json')).toThrow(RunFileError);
    expect(() => importRunJson(text, 'bad.json')).toThrow(message);
  });

  it('NaN and ±Infinity in metrics survive export and import (JSON alone would turn them into null)', () => {
    const result = fakeResult(0.5);
    result.history[0].metrics['losses/approx_kl'] = NaN;
    result.history[0].metrics['losses/value_loss'] = Infinity;
    const back = importRunJson(exportRunJson(runFromResult(result, meta('n', 1))));
    expect(back.history[0].metrics['losses/approx_kl']).toBeNaN();
    expect(back.history[0].metrics['losses/value_loss']).toBe(Infinity);
  });

  it('a version-1 file (no status, no inputs) is read as a complete run', () => {
    const doc = JSON.parse(exportRunJson(runFromResult(fakeResult(0.8), meta('v1', 2))));
    doc.version = 1;
    delete doc.run.status;
    delete doc.run.tags;
    expect(importRunJson(JSON.stringify(doc))).toMatchObject({ id: 'v1', status: 'complete', tags: [] });
  });

  it('an interrupted run (no evaluation, model optional) round-trips', () => {
    const rec = partialRun(meta('p', 9), { history: fakeResult(0.1).history, backend: 'wasm' });
    const back = importRunJson(exportRunJson(rec));
    expect(back).toMatchObject({ id: 'p', status: 'interrupted', backend: 'wasm' });
    expect(back.evaluation).toBeUndefined();
  });
});

describe('run store: damaged records, copies, quota', () => {
  afterEach(() => vi.restoreAllMocks());

  /** Writes `values` straight into the store's object store, past every check, as old versions could. */
  async function writeRaw(dbName: string, values: unknown[]): Promise<void> {
    const db = await openDB(dbName, 1);
    for (const v of values) await db.put('runs', v);
    db.close();
  }

  it('a damaged record is skipped and reported; the valid runs are still listed and new runs too', async () => {
    const name = `test-${Math.random()}`;
    const store = await openRunStore(name);
    await store.put(runFromResult(fakeResult(0.9), meta('good', 1)));
    const bad = { ...runFromResult(fakeResult(0.9), meta('bad', 2)), tags: 'abc' };
    await writeRaw(name, [bad]);
    await store.put(runFromResult(fakeResult(0.95), meta('new', 3)));
    const { runs, damaged } = await store.list();
    expect(runs.map((r) => r.id)).toEqual(['new', 'good']);
    expect(damaged).toEqual([{ key: 'bad', reason: expect.stringMatching(/run\.tags: expected array/) }]);
    await expect(store.get('bad')).rejects.toThrow(/stored run bad is damaged: run\.tags/);
    await store.delete('bad');
    expect((await store.list()).damaged).toEqual([]);
    store.close();
  });

  it('put refuses a damaged record instead of storing it', async () => {
    const store = await openRunStore(`test-${Math.random()}`);
    const bad = { ...runFromResult(fakeResult(0.9), meta('x', 1)), createdAt: 'yesterday' } as unknown as RunRecord;
    await expect(store.put(bad)).rejects.toThrow(/not saved.*run\.createdAt/);
    expect((await store.list()).runs).toEqual([]);
    store.close();
  });

  it('importing a run whose id is stored makes a copy with a new id and "(copy)" name; the original is untouched', async () => {
    const store = await openRunStore(`test-${Math.random()}`);
    const original = runFromResult(fakeResult(0.9), meta('same', 1));
    await store.put(original);
    const text = exportRunJson({ ...original, name: 'changed elsewhere', tags: ['x'] });
    const first = await importRunFile(store, text, 'same.json');
    const second = await importRunFile(store, text, 'same.json');
    expect(first).toMatchObject({ copyOf: 'same', run: { name: 'changed elsewhere (copy)' } });
    expect(second.run.id).not.toBe(first.run.id);
    expect((await store.get('same'))?.name).toBe('run same');
    expect((await store.list()).runs.map((r) => r.id).sort()).toEqual(['same', first.run.id, second.run.id].sort());
    store.close();
  });

  it('a full disk on put is a RunStorageError saying what was not saved, and the stored record is unchanged', async () => {
    const store = await openRunStore(`test-${Math.random()}`);
    await store.put(runFromResult(fakeResult(0.9), meta('r', 1)));
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const err = await store.update('r', { name: 'renamed' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunStorageError);
    expect((err as RunStorageError).quota).toBe(true);
    expect((err as Error).message).toMatch(/storage is full: the change to run "run r" was not saved/);
    await expect(store.put(runFromResult(fakeResult(0.9), meta('s', 2)))).rejects.toThrow(
      /storage is full: run "run s" was not saved/,
    );
    vi.restoreAllMocks();
    expect((await store.get('r'))?.name).toBe('run r');
    expect((await store.list()).runs.map((r) => r.id)).toEqual(['r']);
    store.close();
  });

  // Damage of every kind a file or an older version could leave: a field deleted, replaced by a value of another
  // type, or the record not an object at all. Whatever the damage, the valid runs are all listed.
  const junk = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }),
  );
  const FIELDS = [
    'createdAt',
    'name',
    'tags',
    'modelName',
    'stage',
    'dataFile',
    'dataFingerprint',
    'backend',
    'seconds',
    'stopReason',
    'params',
    'history',
    'evaluation',
    'model',
    'backtest',
    'status',
    'inputs',
  ];
  const damage = fc.oneof(
    fc.record({ kind: fc.constant('replace' as const), field: fc.constantFrom(...FIELDS), value: junk }),
    fc.record({
      kind: fc.constant('delete' as const),
      field: fc.constantFrom(...FIELDS.filter((f) => f !== 'inputs')),
    }),
    fc.record({
      kind: fc.constant('nested' as const),
      field: fc.constantFrom('evaluation', 'model', 'backtest'),
      value: junk,
    }),
    fc.record({ kind: fc.constant('whole' as const), value: junk }),
  );

  it('property: random damaged records never hide the valid stored runs', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(damage, { minLength: 1, maxLength: 4 }),
        async (nValid, damages) => {
          const name = `prop-${round++}-${Math.random()}`;
          const store = await openRunStore(name);
          const valid = Array.from({ length: nValid }, (_, i) =>
            runFromResult(fakeResult(0.5 + i / 10), meta(`ok${i}`, 100 + i)),
          );
          for (const r of valid) await store.put(r);
          const raw = damages.map((d, i) => {
            const r: Record<string, unknown> = { ...runFromResult(fakeResult(0.7), meta(`bad${i}`, i)) };
            if (d.kind === 'replace') r[d.field] = d.value;
            else if (d.kind === 'delete') delete r[d.field];
            else if (d.kind === 'nested')
              r[d.field] = { ...(r[d.field] as object), shareOfOracle: d.value, weights: d.value, trace: d.value };
            else return { id: `bad${i}`, junk: d.value };
            return r;
          });
          await writeRaw(name, raw);
          const { runs, damaged } = await store.list();
          const ids = runs.map((r) => r.id);
          for (const r of valid) expect(ids).toContain(r.id);
          // Every record is either listed or reported, never silently dropped.
          expect(runs.length + damaged.length).toBe(valid.length + raw.length);
          for (const id of ids) await expect(store.get(id)).resolves.toBeDefined();
          store.close();
        },
      ),
      { numRuns: 60, seed: 17 },
    );
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

describe('run store: forward compatibility', () => {
  it('a field this version does not know survives a write (update) and an export', async () => {
    const store = await openRunStore(`test-${Math.random()}`);
    const run = { ...runFromResult(fakeResult(0.9), meta('fwd', 1)), mlflowRunId: 'abc123' } as RunRecord;
    await store.put(run);
    await store.update('fwd', { name: 'renamed' });
    const back = (await store.get('fwd')) as RunRecord & { mlflowRunId?: string };
    expect(back.mlflowRunId).toBe('abc123');
    expect((importRunJson(exportRunJson(back)) as RunRecord & { mlflowRunId?: string }).mlflowRunId).toBe('abc123');
    store.close();
  });
});
