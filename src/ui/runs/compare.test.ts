import { describe, expect, it } from 'vitest';
import { runFromResult, type RunSummary, type RunRecord } from './store.ts';
import { fakeResult } from './test-factory.ts';
import { resolveBattery } from '../../core/battery/index.ts';
import { diffParams, diffResults, differingKeys, filterRuns, runColumns, runParams, sortRuns } from './compare.ts';

/** A stored run's summary (what the table lists) with these trainer params and share of oracle. */
function run(id: string, share: number, params: Record<string, unknown>, over: Partial<RunRecord> = {}): RunSummary {
  const r = runFromResult(fakeResult(share, { params }), {
    id,
    createdAt: Date.UTC(2026, 0, 1) + share * 1e6,
    name: `Run ${id}`,
    dataFile: 'be.csv',
    dataFingerprint: 'fp',
    seconds: 3,
  });
  const { history, model: _m, backtest: _b, ...rest } = { ...r, ...over } as RunRecord;
  return { ...rest, iterations: history.length, hasModel: true } as RunSummary;
}
const base = (over: Record<string, unknown> = {}) => ({
  seed: 1,
  clone: true,
  backend: 'wasm',
  env: { sellAboveAvgBonusCoef: 0.1, numActions: 3 },
  ppo: { learningRate: 3e-4, totalTimesteps: 10240 },
  data: { trainSteps: 100 },
  battery: resolveBattery({}),
  seconds: null,
  ...over,
});
const status = () => '';

describe('runs comparison', () => {
  const a = run('a', 0.9, base());
  const b = run('b', 0.8, base({ seed: 2, env: { sellAboveAvgBonusCoef: 0, numActions: 3 } }));
  const c = run('c', 0.85, base({ seed: 3, clone: false, data: { trainSteps: 200 } }));

  it('makes columns of exactly the settings that differ, tuned ones first, not data bookkeeping', () => {
    expect(differingKeys([a, b, c])).toEqual(['env.sellAboveAvgBonusCoef', 'clone', 'seed', 'data.trainSteps']);
    const cols = runColumns([a, b, c], status).filter((k) => k.param);
    expect(cols.map((k) => k.label)).toEqual(['Sell bonus', 'Warm start', 'Seed']);
    expect(cols.map((k) => k.text(c))).toEqual(['0.1', 'none', '3']);
    expect(runColumns([a, a], status).filter((k) => k.param)).toEqual([]);
  });

  it('shows the information mode and forecaster when runs record different ones', () => {
    const known = run('k', 0.9, base({ information: { mode: 'known-24h', forecast: null } }));
    const ahead = run('d', 0.6, base({ information: { mode: 'day-ahead', forecast: 'lear' } }));
    const cols = runColumns([known, ahead], status).filter((k) => k.param);
    expect(cols.map((k) => [k.label, k.text(known), k.text(ahead)])).toEqual([
      ['Information', 'known-24h', 'day-ahead'],
      ['Forecast', 'none', 'lear'],
    ]);
    expect(filterRuns([known, ahead], cols, 'information=day-ahead').runs.map((r) => r.id)).toEqual(['d']);
  });

  it('names the site a run trained on in its own words, not the record’s keys; feature scales are no column', () => {
    const site = (over: Record<string, unknown>) => ({
      pvScale: 1,
      importLimitKW: null,
      exportLimitKW: 50,
      importFeeEurPerMWh: 30,
      exportFeeEurPerMWh: 5,
      chargeFromPvOnly: false,
      pvStdKW: 20,
      loadStdKW: 3,
      ...over,
    });
    const alone = run('s0', 0.9, base());
    const tight = run('s1', 0.8, base({ site: site({}) }));
    const loose = run('s2', 0.85, base({ site: site({ exportLimitKW: null, pvStdKW: 25 }) }));
    const cols = runColumns([alone, tight, loose], status).filter((k) => k.param);
    expect(cols.map((k) => [k.label, k.text(alone), k.text(tight), k.text(loose)])).toEqual([
      ['PV scale', '—', '1', '1'],
      ['Import limit (kW)', '—', 'unlimited', 'unlimited'],
      ['Export limit (kW)', '—', '50', 'unlimited'],
      ['Import fee (EUR/MWh)', '—', '30', '30'],
      ['Export fee (EUR/MWh)', '—', '5', '5'],
      ['Charge from PV only', '—', 'false', 'false'],
    ]);
  });

  it('reads an interrupted run from its settings; keys it cannot know do not count as differences', () => {
    const partial = run('p', 0.5, {}, {
      status: 'interrupted',
      inputs: {
        dataFile: 'be.csv',
        dataFingerprint: 'fp',
        dtHours: 1,
        steps: 10,
        split: { trainStart: 0, trainEnd: 8, n: 10 },
        battery: {},
        settings: { seed: 1, sellAboveAvgBonusCoef: 0.1, clone: true, capSeconds: 0, learningRate: 3e-4 },
      },
    } as Partial<RunRecord>);
    expect(runParams(partial)).toMatchObject({
      complete: false,
      values: { seed: '1', seconds: 'None', clone: 'true' },
    });
    expect(runParams(partial).values['battery.capacityKWh']).toBe('100');
    expect(differingKeys([a, partial])).toEqual([]);
    expect(differingKeys([b, partial])).toEqual(['env.sellAboveAvgBonusCoef', 'seed']);
  });

  it('sorts numerically either way, missing values last, ties in store order', () => {
    const cols = runColumns([a, b, c], status);
    const ids = (rs: RunSummary[]) => rs.map((r) => r.id);
    expect(ids(sortRuns([a, b, c], cols, { column: 'share', dir: 'ascending' }))).toEqual(['b', 'c', 'a']);
    expect(ids(sortRuns([a, b, c], cols, { column: 'share', dir: 'descending' }))).toEqual(['a', 'c', 'b']);
    expect(ids(sortRuns([c, b, a], cols, { column: 'param:seed', dir: 'descending' }))).toEqual(['c', 'b', 'a']);
    const none = { ...a, id: 'n', evaluation: undefined, status: 'interrupted' as const };
    expect(ids(sortRuns([none, b, a], cols, { column: 'share', dir: 'descending' }))).toEqual(['a', 'b', 'n']);
    expect(ids(sortRuns([none, b, a], cols, { column: 'share', dir: 'ascending' }))).toEqual(['b', 'a', 'n']);
    expect(ids(sortRuns([c, a], cols, { column: 'kept', dir: 'ascending' }))).toEqual(['c', 'a']);
  });

  it('filters by text and by column, and names an unknown column', () => {
    const cols = runColumns([a, b, c], status);
    const ids = (q: string) => filterRuns([a, b, c], cols, q).runs.map((r) => r.id);
    expect(ids('')).toEqual(['a', 'b', 'c']);
    expect(ids('"run b"')).toEqual(['b']);
    expect(ids('name:"run c"')).toEqual(['c']);
    expect(ids('seed=2')).toEqual(['b']);
    expect(ids('seed>1')).toEqual(['b', 'c']);
    expect(ids('share>=85%')).toEqual(['a', 'c']);
    expect(ids('warmstart:none')).toEqual(['c']);
    expect(ids('env.sellAboveAvgBonusCoef=0')).toEqual(['b']);
    expect(ids('seed>1 share>0.84')).toEqual(['c']);
    expect(filterRuns([a, b], cols, 'colour=red').error).toMatch(/No column "colour"/);
    expect(filterRuns([a, b], cols, 'seed>x').error).toMatch(/needs a number/);
  });

  it('diffs two runs: every parameter side by side, differences first; results with B − A', () => {
    const rows = diffParams(a, b);
    expect(rows.filter((r) => r.differs).map((r) => [r.label, r.a, r.b])).toEqual([
      ['Sell bonus', '0.1', '0'],
      ['Seed', '1', '2'],
    ]);
    expect(rows.find((r) => r.key === 'ppo.learningRate')).toMatchObject({ a: '0.0003', b: '0.0003', differs: false });
    const res = diffResults(a, b);
    expect(res.find((r) => r.label.startsWith('Share'))).toMatchObject({
      a: '90.0%',
      b: '80.0%',
      delta: '−10.0 points',
      differs: true,
    });
    expect(res.find((r) => r.label === 'Agent profit')?.delta).toBe('−9.00 EUR');
    expect(res.find((r) => r.label === 'Kept policy')).toMatchObject({ a: 'clone', b: 'clone', differs: false });
  });
});
