// The sizing grid as CSV (the page's export and `bess size --csv`): one row per cell, units in the header.
import type { CellResult } from './grid.ts';

export const SIZING_CSV_COLUMNS = [
  'capacity_kwh',
  'power_kw',
  'profit_eur',
  'annual_profit_eur',
  'capex_eur',
  'npv_eur',
  'payback_years',
  'discounted_payback_years',
  'annual_profit_eur_per_kwh',
  'equivalent_cycles',
] as const;

const num = (v: number | null): string => (v === null ? '' : String(Number(v.toPrecision(12))));

/** Header plus a row per cell in index order; an empty field for a payback that never comes. */
export function sizingCsv(cells: CellResult[]): string {
  const rows = [...cells]
    .sort((a, b) => a.index - b.index)
    .map((c) =>
      [
        c.capacityKWh,
        c.powerKW,
        c.profitEur,
        c.annualProfitEur,
        c.capexEur,
        c.npvEur,
        c.paybackYears,
        c.discountedPaybackYears,
        c.annualProfitEurPerKWh,
        c.equivalentCycles,
      ]
        .map(num)
        .join(','),
    );
  return [SIZING_CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}
