// The sweep report as CSV (`bess sweep-report --csv OUT` and the page's CSV button write the same text): one row per
// configuration, the spread of share and profit over seeds, then each compared strategy's median share.

import { configText, type ConfigRow } from './report.ts';

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

/** The compared strategies of the rows, sorted (the CSV's and the tables' extra columns). */
export function reportStrategies(rows: readonly ConfigRow[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r.compareShares)))].sort();
}

/** The rows as CSV text with a header line. */
export function reportCsv(rows: readonly ConfigRow[]): string {
  const strategies = reportStrategies(rows);
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
