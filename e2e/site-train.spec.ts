import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_BATTERY } from '../src/core/battery/index.ts';
import { solveOracle } from '../src/core/oracle/oracle.ts';
import { solveSiteOracle } from '../src/core/oracle/site-oracle.ts';
import { parsePriceText } from '../src/core/prices/parse.ts';
import { resolveSite } from '../src/core/site/site.ts';
import { eur } from '../src/ui/format.ts';
import { defaultSplit } from '../src/ui/lib/split.ts';
import { openLab, pageErrors, runRows, trainOnWasm } from './journey.ts';

// The agent on the site, on the page: a battery-only file trains as before (battery oracle, no site named), then the
// bundled DE-LU 2023 PV site with an export limit and fees from the Site panel trains on that site: the results name
// it, the share is of the site oracle of the test split (solved here independently, in Node, on the same file), the
// cumulative chart draws the site oracle, the monthly table says its Oracle column is the battery alone's, and the
// runs table shows the site as a differing parameter. An invalid Site form, and a site under day-ahead, block Train.

/** The default split's test-split optima of a bundled sample: the battery alone's and, with `site`, the site's. */
function testOptima(file: string, site?: Parameters<typeof resolveSite>[0]): { battery: number; site: number | null } {
  const path = fileURLToPath(new URL(`../public/samples/${file}`, import.meta.url));
  const s = parsePriceText(file, readFileSync(path, 'utf8'));
  const split = defaultSplit(s.pricesEurPerMWh.length);
  const prices = s.pricesEurPerMWh.subarray(split.trainEnd, split.n);
  const battery = DEFAULT_BATTERY;
  const cut = (xs: Float64Array | undefined) => (xs ? xs.subarray(split.trainEnd, split.n) : null);
  return {
    battery: solveOracle({ pricesEurPerMWh: prices, dtHours: s.dtHours, battery }).profitEur,
    site: site
      ? solveSiteOracle({
          pricesEurPerMWh: prices,
          dtHours: s.dtHours,
          battery,
          site: resolveSite(site),
          series: { pvKW: cut(s.pvKW), loadKW: cut(s.loadKW) },
        }).profitEur
      : null,
  };
}

test('a battery-only run is unchanged; a run on the PV site trains and is scored on the Site panel’s site', async ({
  page,
}) => {
  test.setTimeout(360_000);
  const errors = pageErrors(page);
  await openLab(page, { oracle: 'EUR' });
  await trainOnWasm(page, 'quick');

  // The battery alone (the DE-LU 2023 hourly sample, no site): as before.
  const plain = testOptima('de-lu-2023-hourly.csv');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('rl-share')).toHaveText(/%$/, { timeout: 180_000 });
  await expect(page.getByTestId('result-site')).toHaveCount(0);
  await expect(page.getByTestId('rl-oracle-profit')).toHaveText(eur(plain.battery));
  await expect(page.getByTestId('cum-oracle-label')).toHaveText('Oracle');
  await expect(page.getByTestId('monthly-oracle-head')).toHaveText('Oracle');

  // The PV site with an export limit of 50 kW and fees 30 / 5 EUR/MWh.
  await page.getByLabel('Bundled market-year').selectOption('de-lu-2023-pv');
  await expect(page.getByTestId('dataset-summary')).toContainText('de-lu-2023-pv100-iso.csv');
  await page.getByTestId('site-export-limit').fill('50');
  await page.getByTestId('site-export-limit').press('Tab');
  await page.getByTestId('site-import-fee').fill('30');
  await page.getByTestId('site-export-fee').fill('5');
  await expect(page.getByTestId('site-oracle-profit')).toContainText('10,964.92');

  // An invalid Site form blocks training with the panel's message; mended, Train is back.
  await page.getByTestId('site-export-fee').fill('-40');
  await expect(page.getByTestId('site-error')).toContainText('exceed the import price');
  await expect(page.getByTestId('train-button')).toBeDisabled();
  await expect(page.getByRole('status').filter({ hasText: 'Site: ' })).toContainText('exceed the import price');
  // Day-ahead on a site is refused with its reason, not run on the battery alone.
  await page.getByTestId('site-export-fee').fill('5');
  await page.getByTestId('information-select').selectOption('day-ahead');
  await expect(page.getByTestId('train-button')).toBeDisabled();
  await expect(page.getByRole('status').filter({ hasText: 'Site: ' })).toContainText(
    'day-ahead training on a site is not offered',
  );
  await page.getByTestId('information-select').selectOption('known-24h');
  await expect(page.getByTestId('train-button')).toBeEnabled();

  const site = testOptima('de-lu-2023-pv100-iso.csv', {
    exportLimitKW: 50,
    importFeeEurPerMWh: 30,
    exportFeeEurPerMWh: 5,
  });
  // The yardstick differs from the battery alone's on the same split (else the check below could not fail).
  const pvBattery = testOptima('de-lu-2023-pv100-iso.csv').battery;
  expect(eur(site.site)).not.toBe(eur(pvBattery));
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('result-site')).toHaveText(
    'on the site: PV × 1, import unlimited, export 50 kW, fees 30/5 EUR/MWh',
    { timeout: 180_000 },
  );
  await expect(page.getByTestId('rl-oracle-profit')).toHaveText(eur(site.site));
  await expect(page.getByTestId('headline-oracle')).toHaveText(eur(site.site, 0));
  await expect(page.getByText(/^Site oracle, test split/)).toBeVisible();
  await expect(page.getByTestId('cum-oracle-label')).toHaveText('Site oracle');
  await expect(page.getByTestId('monthly-oracle-head')).toHaveText('Oracle (battery alone)');
  await expect(page.getByTestId('soc-chart')).toContainText('Oracle SOC (battery alone)');
  // The share is the agent's site profit over the site oracle.
  const profit = Number(
    (await page.getByTestId('rl-profit').textContent())!.replace(/[^\d.−-]/g, '').replace('−', '-'),
  );
  const share = Number((await page.getByTestId('rl-share').textContent())!.replace(/[^\d.−-]/g, '').replace('−', '-'));
  expect(Math.abs(share - (100 * profit) / site.site!)).toBeLessThan(0.06);

  // The runs table: two runs, the site's fields a differing parameter.
  await expect(runRows(page)).toHaveCount(2);
  const exportLimit = page.getByTestId('runs-table').locator('th[data-column="param:site.exportLimitKW"]');
  await expect(exportLimit).toHaveCount(1);
  await expect(exportLimit).toContainText('Export limit (kW)');

  // The record keeps the site: reopened after a reload, the run still names it and its site oracle.
  await page.reload();
  await expect(runRows(page)).toHaveCount(2);
  await page.getByRole('button', { name: 'Open Run 2' }).click();
  await expect(page.getByTestId('reopened-run')).toContainText('Reopened run: “Run 2”');
  await expect(page.getByTestId('result-site')).toHaveText(
    'on the site: PV × 1, import unlimited, export 50 kW, fees 30/5 EUR/MWh',
  );
  await expect(page.getByTestId('rl-oracle-profit')).toHaveText(eur(site.site));
  await expect(page.getByTestId('cum-oracle-label')).toHaveText('Site oracle');
  expect(errors).toEqual([]);
});
