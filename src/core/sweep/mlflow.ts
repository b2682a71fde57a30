// A sweep's runs read out of an MLflow store (already parsed: core/mlflow/read.ts) and aggregated by report.ts. The
// CLI (`bess sweep-report`, from a folder) and the page (a zip or a folder it was given) both call sweepReport, so
// they print the same table from the same store.
//
// Usage: const { configurations, runs } = sweepReport(readStore(entries).store);

import type { MlflowRun, MlflowStore } from '../mlflow/layout.ts';
import { KEPT_TAG } from '../mlflow/training.ts';
import { aggregateSweep, type ConfigRow, type TaskRun } from './report.ts';

/** Tags every sweep run carries (bess sweep-task writes them). */
export const SWEEP_TAGS = {
  sweep: 'powerbidder.sweep.id',
  name: 'powerbidder.sweep.name',
  task: 'powerbidder.sweep.task',
  config: 'powerbidder.sweep.config',
  index: 'powerbidder.sweep.index',
} as const;

const last = (run: MlflowRun, key: string): number => {
  const points = run.metrics[key];
  return points?.length ? points[points.length - 1].value : NaN;
};

/** The kept policy's source from KEPT_TAG's JSON, or the tag itself as stores written before the JSON hold it. */
function keptSource(tag: string | undefined): string {
  if (!tag) return '';
  try {
    const v: unknown = JSON.parse(tag);
    return v && typeof v === 'object' && typeof (v as { source?: unknown }).source === 'string'
      ? (v as { source: string }).source
      : '';
  } catch {
    return tag;
  }
}

/** A sweep run of the store as the report's input; null for runs of no sweep (or deleted ones). */
export function taskRunOf(run: MlflowRun): TaskRun | null {
  const sweep = run.tags[SWEEP_TAGS.name];
  const configId = run.tags[SWEEP_TAGS.config];
  if (!sweep || !configId || run.lifecycleStage !== 'active') return null;
  const config = Object.fromEntries(
    Object.entries(run.params)
      .filter(([k]) => k.startsWith('task.') || k === 'sweep.information' || k === 'sweep.forecast')
      .filter(([, v]) => v !== 'None'),
  );
  const compareShares: Record<string, number> = {};
  for (const k of Object.keys(run.metrics)) {
    const m = /^compare\/(.+)\/share_of_oracle$/.exec(k);
    if (m) compareShares[m[1]] = last(run, k);
  }
  return {
    sweep,
    configId,
    config,
    seed: Number(run.params.seed),
    status: run.status,
    shareOfOracle: last(run, 'eval/share_of_oracle'),
    profitEur: last(run, 'eval/profit_eur'),
    oracleProfitEur: last(run, 'eval/oracle_profit_eur'),
    compareShares,
    kept: keptSource(run.tags[KEPT_TAG]),
    lastTrainedShare: last(run, 'charts/test_share'),
  };
}

/** What `bess sweep-report --json` prints. */
export interface SweepReport {
  configurations: ConfigRow[];
  /** Sweep runs aggregated (every status). */
  runs: number;
}

/** The sweep runs of a store (of one sweep, when named) aggregated per configuration; empty when it has none. */
export function sweepReport(store: MlflowStore, sweep?: string): SweepReport {
  const runs = store.runs.map(taskRunOf).filter((r): r is TaskRun => r !== null && (!sweep || r.sweep === sweep));
  return { configurations: runs.length ? aggregateSweep(runs) : [], runs: runs.length };
}

/** The names of the sweeps in a store, sorted. */
export function sweepNames(store: MlflowStore): string[] {
  return [...new Set(store.runs.map((r) => taskRunOf(r)?.sweep).filter((s): s is string => !!s))].sort();
}
