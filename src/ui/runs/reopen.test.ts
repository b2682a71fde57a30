import { describe, expect, it } from 'vitest';
import { partialRun, runFromResult } from './store.ts';
import { fakeResult } from './test-factory.ts';
import { reopenRun } from './reopen.ts';
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
