// `bess sweep-report --mlruns DIR [--json] [--csv OUT]`: the runs of every sweep in an MLflow store aggregated per
// configuration (core/sweep: the page's sweep panel computes the same report from the same store): share of the oracle and profit on the test split, median and spread over
// seeds, and the compared strategies' median shares.
import { writeFile } from 'node:fs/promises';
import { defineCommand } from '../command.ts';
import { CliError } from '../args.ts';
import { table } from '../format.ts';
import { configText, reportCsv, reportStrategies, sweepReport } from '../../core/sweep/index.ts';
import { readStoreDir } from '../../io/mlflow-dir.ts';

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
    const report = sweepReport(store, values.sweep);
    if (!report.runs)
      throw new CliError(
        `--mlruns ${values.mlruns}: no sweep runs${values.sweep ? ` of sweep ${values.sweep}` : ''} (bess sweep writes them)`,
      );
    const rows = report.configurations;
    if (values.csv) await writeFile(values.csv, reportCsv(rows));
    const strategies = reportStrategies(rows).filter((s) => s !== 'oracle');
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
        'kept',
        'last trained median',
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
        Object.entries(r.kept)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || '-',
        pct(r.lastTrainedShare.median),
        ...strategies.map((s) => pct(r.compareShares[s])),
      ]),
    );
    return { json: report, text };
  },
});
