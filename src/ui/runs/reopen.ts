// Reopening a stored run: the results panel, SOC chart and step table of a run come back from its record (the
// backtest trace, kept policy and params the trainer returned), not from the page's current data or settings.
//
// Usage: const r = reopenRun(record); if (r.ok) show(r.result, r.levels); else say(r.reason);

import type { RunParams, TrainResult } from '../../../workers/trainer-api.ts';
import type { BatterySpec } from '../../core/battery/index.ts';
import { actionLevels } from '../../core/env/config.ts';
import type { RunRecord } from './schema.ts';

export type Reopened =
  | {
      ok: true;
      /** The run as the trainer returned it, rebuilt from the record. */
      result: TrainResult;
      /** Power fractions of the policy's actions, for the step table. */
      levels: number[];
      /** The battery the run was trained and backtested with (for the oracle's cash on its test split). */
      battery: BatterySpec;
      dtHours: number;
    }
  | { ok: false; reason: string };

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The stored run as a result to show, or why it cannot be shown (an interrupted run has no backtest). */
export function reopenRun(run: RunRecord): Reopened {
  if (run.status !== 'complete') return { ok: false, reason: 'it did not finish: it has no backtest to show' };
  const p = run.params;
  const margin = isObj(p.run) ? p.run.keepBestMargin : undefined;
  const numActions = isObj(p.env) ? p.env.numActions : undefined;
  if (!run.kept || typeof margin !== 'number' || typeof numActions !== 'number' || !Number.isInteger(numActions))
    return {
      ok: false,
      reason: 'its record lacks the kept policy or the trainer’s params (a run stored by an older version)',
    };
  const dtHours = run.inputs?.dtHours ?? (isObj(p.data) && typeof p.data.dtHours === 'number' ? p.data.dtHours : NaN);
  if (!(dtHours > 0)) return { ok: false, reason: 'its record does not say the data’s step length' };
  const battery = (run.inputs?.battery ?? (isObj(p.battery) ? p.battery : {})) as BatterySpec;
  // The work done, as its progress records tell it (the record keeps no separate copy).
  const last = (phase: string) => run.history.filter((h) => h.phase === phase).at(-1);
  const work = {
    cloneEpochs: last('clone')?.iteration ?? 0,
    ppoIterations: last('ppo')?.iteration ?? 0,
    ppoTimesteps: run.history.reduce((m, h) => Math.max(m, h.metrics['charts/global_step'] ?? 0), 0),
  };
  const result: TrainResult = {
    backend: run.backend as TrainResult['backend'],
    params: p as unknown as RunParams,
    history: run.history,
    stopReason: run.stopReason as TrainResult['stopReason'],
    work,
    kept: run.kept,
    model: run.model,
    backtest: run.backtest,
  };
  return { ok: true, result, levels: actionLevels(numActions), battery, dtHours };
}

/** What the page needs to score a reopened day-ahead run's baselines again, or why it cannot. */
export type ReopenedDayAhead =
  | { ok: true; forecast: string; split: { trainStart: number; trainEnd: number; n: number } }
  | { ok: false; forecast: string; reason: string };

/**
 * A reopened day-ahead run's forecaster and the split its agent was tested on, against the prices the page shows:
 * the baselines are recomputed from those prices (the record keeps the agent's backtest, not theirs), so they must be
 * the run's own (same fingerprint and length). The test split starts at the first whole delivery day after the
 * brushed split, which the record's trace tells (its first step). Null for a run that was not day-ahead.
 */
export function reopenedDayAhead(
  run: RunRecord & { status: 'complete' },
  page: { fingerprint: string | null; timesUtcMs: Float64Array | null },
): ReopenedDayAhead | null {
  const info = run.model.config.information;
  if (info?.mode !== 'day-ahead') return null;
  const forecast = info.forecast;
  const inputs = run.inputs;
  if (!inputs) return { ok: false, forecast, reason: 'its record does not name the data it was trained on' };
  const times = page.timesUtcMs;
  if (!times || page.fingerprint !== inputs.dataFingerprint || times.length !== inputs.steps)
    return {
      ok: false,
      forecast,
      reason: `the baselines are computed from the prices the run was trained on: load ${inputs.dataFile} to see them`,
    };
  const first = run.backtest.trace.timesUtcMs[0];
  const trainEnd = times.indexOf(first);
  const { trainStart, n } = inputs.split;
  if (trainEnd <= trainStart || trainEnd >= n || n - trainEnd !== run.backtest.trace.timesUtcMs.length)
    return { ok: false, forecast, reason: 'its backtest does not line up with its recorded split' };
  return { ok: true, forecast, split: { trainStart, trainEnd, n } };
}
