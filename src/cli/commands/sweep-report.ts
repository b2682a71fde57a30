// `bess sweep-report --mlruns DIR [--json] [--csv OUT]`: the runs of every sweep in an MLflow store aggregated per
// configuration (core/sweep/report.ts): share of the oracle and profit on the test split, median and spread over
// seeds, and the compared strategies' median shares.
import { writeFile } from 'node:fs/promises';
import { defineCommand } from '../command.ts';
import { CliError } from '../args.ts';
import { table } from '../format.ts';
import type { MlflowRun } from '../../core/mlflow/layout.ts';
import { aggregateSweep, configText, type ConfigRow, type TaskRun } from '../../core/sweep/index.ts';
import { readStoreDir } from '../../io/mlflow-dir.ts';
import { SWEEP_TAGS } from '../sweep/run-task.ts';

const last = (run: MlflowRun, key: string): number => {
  const points = run.metrics[key];
  return points?.length ? points[points.length - 1].value : NaN;
};

/** A sweep run of the store as the report's input; null for runs of no sweep. */
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
  };
}

const CSV_COLUMNS = [
  'sweep',
  'config_id',
  'config',
  'seeds',
  'unfinished',
  'share_median',
  'share_min',
  'share_max',
  'share_std',
  'profit_eur_median',
  'profit_eur_min',
  'profit_eur_max',
  'profit_eur_std',
  'oracle_profit_eur',
];

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function reportCsv(rows: ConfigRow[]): string {
  const strategies = [...new Set(rows.flatMap((r) => Object.keys(r.compareShares)))].sort();
  const header = [...CSV_COLUMNS, ...strategies.map((s) => `${s}_share_median`)];
  const lines = rows.map((r) =>
    [
      r.sweep,
      r.configId,
      configText(r.config),
      r.seeds.join(' '),
      r.unfinished,
      r.shareOfOracle.median,
      r.shareOfOracle.min,
      r.shareOfOracle.max,
      r.shareOfOracle.std,
      r.profitEur.median,
      r.profitEur.min,
      r.profitEur.max,
      r.profitEur.std,
      r.oracleProfitEur,
      ...strategies.map((s) => r.compareShares[s] ?? ''),
    ]
      .map(csvCell)
      .join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '-');

export const command = defineCommand({
  summary:
    'Aggregate the sweep runs of an MLflow store per configuration: share of oracle and profit, median and spread over seeds.',
  positionals: [],
  options: {
    mlruns: { type: 'string', required: true, arg: 'DIR', help: 'MLflow file store the sweep wrote' },
    csv: { type: 'string', arg: 'OUT', help: 'also write the table as CSV to OUT' },
    sweep: { type: 'string', arg: 'NAME', help: 'only this sweep (default: every sweep in the store)' },
  },
  async run({ values }) {
    let store;
    try {
      ({ store } = await readStoreDir(values.mlruns));
    } catch (e) {
      throw new CliError(`--mlruns ${values.mlruns}: ${(e as Error).message}`);
    }
    const runs = store.runs
      .map(taskRunOf)
      .filter((r): r is TaskRun => r !== null && (!values.sweep || r.sweep === values.sweep));
    if (!runs.length)
      throw new CliError(
        `--mlruns ${values.mlruns}: no sweep runs${values.sweep ? ` of sweep ${values.sweep}` : ''} (bess sweep writes them)`,
      );
    const rows = aggregateSweep(runs);
    if (values.csv) await writeFile(values.csv, reportCsv(rows));
    const strategies = [...new Set(rows.flatMap((r) => Object.keys(r.compareShares)))]
      .filter((s) => s !== 'oracle')
      .sort();
    const text = table(
      [
        'sweep',
        'configuration',
        'seeds',
        'share median',
        'share min–max',
        'profit EUR median',
        'profit min–max',
        'oracle EUR',
        ...strategies.map((s) => s.replace(/_/g, ' ')),
      ],
      rows.map((r) => [
        r.sweep,
        configText(r.config).replace(/task\./g, ''),
        `${r.seeds.length}${r.unfinished ? ` (+${r.unfinished} unfinished)` : ''}`,
        pct(r.shareOfOracle.median),
        `${pct(r.shareOfOracle.min)}–${pct(r.shareOfOracle.max)}`,
        r.profitEur.median,
        `${r.profitEur.min.toFixed(2)}–${r.profitEur.max.toFixed(2)}`,
        r.oracleProfitEur,
        ...strategies.map((s) => pct(r.compareShares[s])),
      ]),
    );
    return { json: { configurations: rows, runs: runs.length }, text };
  },
});
