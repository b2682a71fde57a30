// Pins the site optimum of the DE-LU 2023 PV site file for a few site settings, as HiGHS (the reference LP solver)
// and the DP compute it: test-data/site/pinned-site-optima.json. Run: npx tsx scripts/pin-site-optima.ts
import { writeFileSync } from 'node:fs';
import { DEFAULT_BATTERY } from '../src/core/battery/index.ts';
import { type HighsLike, siteLp, solveSiteOracle, solveWithHighs } from '../src/core/oracle/index.ts';
import { type SiteSpec, resolveSite } from '../src/core/site/index.ts';
import { loadPriceFile } from '../src/io/load.ts';

export const PINNED_SITE_SETTINGS: Record<string, SiteSpec> = {
  'pv-only-no-limits': {},
  'export-50kw-fees': { exportLimitKW: 50, importFeeEurPerMWh: 30, exportFeeEurPerMWh: 5 },
  'charge-from-pv-only-export-30kw': { chargeFromPvOnly: true, exportLimitKW: 30, importFeeEurPerMWh: 30 },
  'pv-x2-import-20kw-export-60kw': {
    pvScale: 2,
    importLimitKW: 20,
    exportLimitKW: 60,
    importFeeEurPerMWh: 100,
    exportFeeEurPerMWh: 10,
  },
};

const file = new URL('../test-data/site/de-lu-2023-pv100-iso.csv', import.meta.url).pathname;
const s = await loadPriceFile(file);
const highs = (await (await import('highs')).default()) as unknown as HighsLike;
const series = { pvKW: s.pvKW ?? null, loadKW: s.loadKW ?? null };
const out: Record<string, { site: SiteSpec; highsProfitEur: number; dpProfitEur: number }> = {};
for (const [name, spec] of Object.entries(PINNED_SITE_SETTINGS)) {
  const site = resolveSite(spec);
  const dp = solveSiteOracle({
    pricesEurPerMWh: s.pricesEurPerMWh,
    dtHours: s.dtHours,
    battery: DEFAULT_BATTERY,
    site,
    series,
  });
  const h = solveWithHighs(highs, siteLp(s.pricesEurPerMWh, s.dtHours, DEFAULT_BATTERY, site, series));
  if (h.status !== 'Optimal') throw new Error(`${name}: HiGHS ${h.status}`);
  out[name] = { site: spec, highsProfitEur: h.objective, dpProfitEur: dp.profitEur };
  console.log(name, h.objective, dp.profitEur, Math.abs(h.objective - dp.profitEur) / Math.abs(h.objective));
}
writeFileSync(
  new URL('../test-data/site/pinned-site-optima.json', import.meta.url),
  JSON.stringify({ file: 'de-lu-2023-pv100-iso.csv', battery: 'default', settings: out }, null, 2) + '\n',
);
