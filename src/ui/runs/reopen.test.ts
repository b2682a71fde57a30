import { describe, expect, it } from 'vitest';
import { partialRun, runFromResult } from './store.ts';
import { fakeResult } from './test-factory.ts';
import { reopenRun, reopenedDayAhead } from './reopen.ts';
import { resolveBattery } from '../../core/battery/index.ts';

const meta = { id: 'r1', createdAt: 1, name: 'R', dataFile: 'be.csv', dataFingerprint: 'fp', seconds: 2 };

describe('reopening a stored run', () => {
  it('gives back the trace, kept policy, params and action levels the run recorded', () => {
    const result = fakeResult(0.8, {
      params: { seed: 3, run: { keepBestMargin: 0.01 }, env: { numActions: 5 }, data: { dtHours: 0.25 } },
      history: [
        { phase: 'clone', iteration: 2, elapsedS: 1, metrics: {} },
        { phase: 'ppo', iteration: 4, elapsedS: 2, metrics: { 'charts/global_step': 4096 } },
      ],
    });
    const run = runFromResult(result, meta);
    const r = reopenRun(run);
    if (!r.ok) throw new Error(r.reason);
    expect(r.result.backtest.trace.cashEur).toBe(run.backtest.trace.cashEur);
    expect(r.result.backtest.shareOfOracle).toBe(0.8);
    expect(r.result.kept).toEqual(run.kept);
    expect(r.levels).toEqual([0, 0.5, 1, -0.5, -1]);
    expect(r.dtHours).toBe(0.25);
    // No inputs recorded: the battery is the trainer's resolved one.
    expect(reopenRun({ ...run, params: { ...run.params, battery: resolveBattery({ capacityKWh: 7 }) } })).toMatchObject(
      {
        battery: { capacityKWh: 7 },
      },
    );
    expect(r.result.work).toEqual({ cloneEpochs: 2, ppoIterations: 4, ppoTimesteps: 4096 });
  });

  it('refuses an interrupted run and one stored without the params the panel needs, saying why', () => {
    expect(reopenRun(partialRun(meta, { history: [] }))).toMatchObject({ ok: false, reason: /did not finish/ });
    const old = runFromResult(fakeResult(0.8, { params: { seed: 1 } }), meta);
    expect(reopenRun(old)).toMatchObject({ ok: false, reason: /older version/ });
  });
});

describe('a reopened day-ahead run', () => {
  const HOUR = 3.6e6;
  const pageTimes = Float64Array.from({ length: 10 }, (_, i) => i * HOUR);
  /** A complete run tested on steps 6..9 (the first whole day after the brushed trainEnd 5) of a 10-step file. */
  function run(information?: { mode: 'day-ahead'; forecast: string }) {
    const result = fakeResult(0.7);
    result.model = { ...result.model, config: { ...result.model.config, ...(information ? { information } : {}) } };
    result.backtest.trace.timesUtcMs = Float64Array.from([6, 7, 8, 9], (i) => i * HOUR);
    const r = runFromResult(result, {
      ...meta,
      inputs: {
        dataFile: 'be.csv',
        dataFingerprint: 'fp',
        dtHours: 1,
        steps: 10,
        split: { trainStart: 0, trainEnd: 5, n: 10 },
        battery: {},
        settings: {},
      },
    });
    if (r.status !== 'complete') throw new Error('not complete');
    return r;
  }

  it('gives its forecaster and the split its agent was tested on, from the trace’s first step', () => {
    const r = reopenedDayAhead(run({ mode: 'day-ahead', forecast: 'ridge' }), {
      fingerprint: 'fp',
      timesUtcMs: pageTimes,
    });
    expect(r).toEqual({ ok: true, forecast: 'ridge', split: { trainStart: 0, trainEnd: 6, n: 10 } });
  });

  it('is null for a known-24h run', () => {
    expect(reopenedDayAhead(run(), { fingerprint: 'fp', timesUtcMs: pageTimes })).toBeNull();
  });

  it('asks for the run’s own prices when the page shows others, and refuses a trace off its split', () => {
    const da = run({ mode: 'day-ahead', forecast: 'naive-d1' });
    expect(reopenedDayAhead(da, { fingerprint: 'other', timesUtcMs: pageTimes })).toMatchObject({
      ok: false,
      forecast: 'naive-d1',
      reason: /load be\.csv/,
    });
    expect(reopenedDayAhead(da, { fingerprint: 'fp', timesUtcMs: null })).toMatchObject({ ok: false });
    const shifted = Float64Array.from(pageTimes, (t) => t + 1);
    expect(reopenedDayAhead(da, { fingerprint: 'fp', timesUtcMs: shifted })).toMatchObject({
      ok: false,
      reason: /does not line up/,
    });
  });
});
