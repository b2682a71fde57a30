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
