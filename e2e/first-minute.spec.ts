import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { dropFile, fixture, openLab, pageErrors, realFile, trainOnWasm } from './journey.ts';

// The first minute, as a new user has it: the dropped file survives a reload, the next step (Train) is on the first
// screen at 1440×900, the oracle's schedule downloads, an invalid battery marks the oracle stale in plain words,
// and the display options (CET/CEST clock, MW units, clipped price axis) are remembered.

test.use({ viewport: { width: 1440, height: 900 } });

test('a dropped file is still there after a reload; a bad file does not replace it; a chosen sample does', async ({
  page,
}) => {
  const errors = pageErrors(page);
  await page.goto('/');
  const summary = page.getByTestId('dataset-summary');
  await expect(summary).toContainText('de-lu-2023-hourly.csv');
  const oracleProfit = page.getByTestId('oracle-profit');
  await expect(oracleProfit).toContainText('EUR');
  const sampleProfit = await oracleProfit.textContent();

  await dropFile(page, 'dk1-2025q4-15min-iso.csv', readFileSync(realFile('dk1-2025q4-15min-iso.csv'), 'utf8'));
  await expect(summary).toContainText('dk1-2025q4-15min-iso.csv');
  await expect(summary).toContainText('8,836');
  // The oracle of the dropped file, once solved.
  await expect(oracleProfit).not.toHaveText(sampleProfit ?? '');
  await expect(page.locator('section[aria-labelledby="oracle-h"]')).toHaveAttribute('aria-busy', 'false');
  const profit = await oracleProfit.textContent();

  await page.reload();
  await expect(summary).toContainText('dk1-2025q4-15min-iso.csv');
  await expect(summary).toContainText('8,836');
  await expect(summary).toContainText('15 min');
  await expect(page.getByTestId('dataset-kept')).toBeVisible();
  await expect(page.getByTestId('oracle-profit')).toHaveText(profit ?? '');

  // A broken file is refused with its name; the kept file stays, also after another reload.
  await dropFile(page, 'broken-text-price.csv', readFileSync(fixture('broken-text-price.csv'), 'utf8'));
  await expect(page.getByTestId('error')).toContainText('broken-text-price.csv');
  await page.reload();
  await expect(summary).toContainText('dk1-2025q4-15min-iso.csv');

  // Choosing a bundled sample is a choice too: the reload shows the sample.
  await page.getByLabel('Bundled market-year').selectOption('dk1-2023');
  await expect(summary).toContainText('dk1-2023-hourly.csv');
  await page.reload();
  await expect(summary).toContainText('dk1-2023-hourly.csv');
  await expect(page.getByTestId('dataset-kept')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a full browser storage is reported, not silent; the dropped file stays loaded for now', async ({ page }) => {
  // What Chromium throws when the origin's quota is used up.
  await page.addInitScript(() => {
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await page.goto('/');
  await expect(page.getByTestId('dataset-summary')).toContainText('de-lu-2023-hourly.csv');
  await dropFile(page, 'be-2023-hourly.csv', readFileSync(realFile('be-2023-hourly.csv'), 'utf8'));
  await expect(page.getByTestId('dataset-summary')).toContainText('be-2023-hourly.csv');
  await expect(page.getByTestId('error')).toContainText(
    'be-2023-hourly.csv is loaded, but could not be kept for your next visit',
  );
  await expect(page.getByTestId('error')).toContainText('storage for this site is full');
});

test('at 1440×900 the Train button is on the first screen, without scrolling', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('oracle-profit')).toContainText('EUR');
  await expect(page.getByTestId('train-button')).toBeEnabled();
  await expect(page.getByTestId('train-button')).toBeInViewport({ ratio: 1 });
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await page.screenshot({ path: 'e2e/screenshots/first-screen-1440x900.png' });
});

test('the oracle schedule downloads as CSV: one row per step, with its units', async ({ page }) => {
  await openLab(page);
  await expect(page.getByTestId('oracle-schedule-csv')).toBeEnabled();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('oracle-schedule-csv').click(),
  ]);
  expect(download.suggestedFilename()).toBe('de-lu-2023-hourly-oracle-schedule.csv');
  const lines = readFileSync((await download.path())!, 'utf8')
    .trim()
    .split('\n');
  expect(lines[0]).toBe('time_utc,price_eur_mwh,charge_kwh,discharge_kwh,soc_kwh');
  expect(lines).toHaveLength(8760 + 1);
  expect(lines[1]).toMatch(/^2022-12-31T23:00:00\.000Z,-?\d/);
  // The SOC column stays within the default 100 kWh battery, and the battery does something.
  const soc = lines.slice(1).map((l) => Number(l.split(',')[4]));
  expect(Math.max(...soc)).toBeLessThanOrEqual(100 + 1e-6);
  expect(Math.max(...soc)).toBeGreaterThan(50);
});

test('an invalid battery marks the oracle stale, in the field’s words; fixing it brings the oracle back', async ({
  page,
}) => {
  await page.goto('/');
  const profit = page.getByTestId('oracle-profit');
  await expect(profit).toContainText('EUR');
  const before = await profit.textContent();
  await page.getByLabel('Power (kW)').fill('');
  await expect(page.getByTestId('oracle-stale')).toHaveText('stale: fix the battery fields');
  await expect(page.getByTestId('error')).toContainText('Power (kW) must be a number.');
  await expect(page.getByTestId('error')).not.toContainText('NaN');
  await expect(page.getByTestId('error')).not.toContainText('powerKW');
  await expect(profit).toHaveText(before ?? ''); // the last result, greyed, not blanked
  await expect(page.getByTestId('oracle-schedule-csv')).toBeDisabled();
  await page.getByLabel('Power (kW)').fill('50');
  await expect(page.getByTestId('oracle-stale')).toHaveCount(0);
  await expect(page.getByTestId('oracle-schedule-csv')).toBeEnabled();
});

test('display options: CET/CEST clock, MW units, clipped price axis, a monthly breakdown; remembered across a reload', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('oracle-profit')).toContainText('EUR');
  // The DE-LU year starts at 23:00 UTC on 31 December: on the delivery-day clock it starts on 1 January.
  await expect(page.getByText(/^Train 2022-12-31 – /)).toBeVisible();
  await expect(page.getByTestId('monthly-profit').locator('tbody tr')).toHaveCount(13); // Dec 2022 (one hour) + 12
  await page.getByTestId('clock-zone').selectOption('Europe/Brussels');
  await expect(page.getByText(/^Train 2023-01-01 – /)).toBeVisible();
  await expect(page.getByTestId('monthly-profit').locator('tbody tr')).toHaveCount(12);
  await expect(page.getByTestId('headline-oracle')).toContainText('EUR');
  await expect(page.locator('.headline-figures')).toContainText('Oracle, whole series 2023-01-01 – 2023-12-31');

  await page.getByTestId('display-units').selectOption('MW');
  await expect(page.locator('section[aria-labelledby="oracle-h"]')).toContainText('MWh');
  await expect(page.locator('section[aria-labelledby="oracle-h"]')).toContainText('EUR/MW/year');

  const chart = page.locator('.chart[data-clipped]');
  await expect(chart).toHaveAttribute('data-clipped', 'no');
  await page.getByTestId('clip-axis').check();
  await expect(chart).toHaveAttribute('data-clipped', 'yes');
  await expect(chart).toContainText(/steps off the axis/);
  // The −500 EUR/MWh hour no longer sets the axis: its lowest tick is far above −500.
  const lowest = Number((await chart.locator('.axis.left text').first().textContent())?.replace('−', '-'));
  expect(lowest).toBeGreaterThan(-200);

  await page.reload();
  await expect(page.getByTestId('clock-zone')).toHaveValue('Europe/Brussels');
  await expect(page.getByTestId('display-units')).toHaveValue('MW');
  await expect(page.getByTestId('clip-axis')).toBeChecked();
  await expect(page.getByText(/^Train 2023-01-01 – /)).toBeVisible();
});

test('an exported chart says what it shows: title, market, period, units and legend', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('oracle-profit')).toContainText('EUR');
  const [svg] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export price and SOC charts as SVG' }).click(),
  ]);
  const text = readFileSync((await svg.path())!, 'utf8');
  expect(text).toContain('<title>Day-ahead prices and state of charge</title>');
  expect(text).toContain('DE-LU (Germany/Luxembourg) day-ahead · 2022-12-31 – 2023-12-31 UTC · price EUR/MWh; SOC kWh');
  expect(text).toContain('>Price</text>');
  expect(text).toContain('>Oracle SOC</text>');
});

test('the first Train click on a fresh start keeps the page and the dropped file: no reload, training runs', async ({
  page,
}) => {
  // The served build is what `npm start` serves: no dependency re-optimisation that reloads the page on first use.
  const errors = pageErrors(page);
  let loads = 0;
  page.on('load', () => loads++);
  await page.goto('/');
  await expect(page.getByTestId('dataset-summary')).toContainText('de-lu-2023-hourly.csv');
  await dropFile(page, 'be-2023-hourly.csv', readFileSync(realFile('be-2023-hourly.csv'), 'utf8'));
  await expect(page.getByTestId('dataset-summary')).toContainText('be-2023-hourly.csv');
  // A marker on the window: a reload would drop it.
  await page.evaluate(() => ((window as unknown as { firstMinute: number }).firstMinute = 1));
  await trainOnWasm(page, 'quick');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('stop-button')).toBeEnabled();
  await expect(page.getByTestId('rl-share')).toHaveText(/^−?\d[\d,]*\.\d%$/, { timeout: 240_000 });
  expect(await page.evaluate(() => (window as unknown as { firstMinute?: number }).firstMinute)).toBe(1);
  expect(loads).toBe(1);
  await expect(page.getByTestId('dataset-summary')).toContainText('be-2023-hourly.csv');
  expect(errors).toEqual([]);
});
