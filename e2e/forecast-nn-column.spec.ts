import { test, expect, type Page } from '@playwright/test';
import { openLab, pageErrors } from './journey.ts';

/** A plain price file of `days` hourly days from 2023-01-01 CET with a forecast column 3 EUR/MWh above the price. */
function plainFile(days: number): Buffer {
  const t0 = Date.UTC(2023, 0, 1, -1);
  const rows = ['timestamp,price_eur_mwh,forecast_eur_mwh'];
  for (let i = 0; i < days * 24; i++) {
    const p = 70 + 25 * Math.sin((2 * Math.PI * ((i % 24) - 8)) / 24) + ((i * 7919) % 13) - 6;
    rows.push(`${new Date(t0 + i * 3_600_000).toISOString()},${p.toFixed(2)},${(p + 3).toFixed(2)}`);
  }
  return Buffer.from(rows.join('\n') + '\n');
}

async function only(page: Page, models: string[]): Promise<void> {
  for (const m of ['naive-d1', 'naive-d7', 'ridge', 'nn', 'noisy-truth', 'column']) {
    const box = page.getByTestId(`forecast-model-${m}`);
    if ((await box.count()) === 0) continue;
    if (models.includes(m)) await box.check();
    else if (await box.isChecked()) await box.uncheck();
  }
}

test('column: a price file with a forecast column offers it, scores it, keeps it after a reload; a file without says so', async ({
  page,
}) => {
  const errors = pageErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('dataset-summary')).toContainText('de-lu-2023-hourly.csv');
  // The bundled sample has no forecast column: column is not offered.
  await expect(page.getByTestId('forecast-model-column')).toHaveCount(0);

  await page
    .getByTestId('csv-input')
    .setInputFiles({ name: 'with-forecast.csv', mimeType: 'text/csv', buffer: plainFile(100) });
  await expect(page.getByTestId('dataset-summary')).toContainText('with-forecast.csv');
  const column = page.getByTestId('forecast-model-column');
  await expect(column).toBeEnabled();
  await expect(page.locator('label', { has: column })).toContainText('forecast_eur_mwh');
  await only(page, ['naive-d1', 'column']);
  await page.getByTestId('forecast-button').click();
  const table = page.getByTestId('forecast-table');
  const row = table.locator('tbody tr', { hasText: 'column' });
  await expect(row).toBeVisible({ timeout: 120_000 });
  // MAE of a forecast 3 EUR/MWh off everywhere.
  await expect(row.locator('td').nth(6)).toHaveText('3.0');

  // The kept file comes back with its column.
  await page.reload();
  await expect(page.getByTestId('dataset-summary')).toContainText('with-forecast.csv');
  await expect(page.getByTestId('forecast-model-column')).toBeEnabled();

  // Chosen, then a file without one: a clear message, and its row says it too.
  await page.getByTestId('forecast-model-column').check();
  await page.getByLabel('Bundled market-year').selectOption('dk1-2023');
  await expect(page.getByTestId('dataset-summary')).toContainText('dk1-2023-hourly.csv');
  await expect(page.getByTestId('column-error')).toContainText('dk1-2023-hourly.csv has no forecast column');
  await only(page, ['naive-d1', 'column']);
  await page.getByTestId('forecast-button').click();
  await expect(table.locator('tbody tr', { hasText: 'column' })).toContainText('has no forecast column', {
    timeout: 120_000,
  });
  await expect(table.locator('tbody tr', { hasText: 'naive-d1' })).toContainText('%');
  expect(errors).toEqual([]);
});

test('nn: trains in the forecast worker on a tiny budget, with progress, and lands in the table', async ({ page }) => {
  // Two nn runs in the page's worker: on a loaded machine they take minutes where an idle one takes seconds.
  test.setTimeout(300_000);
  await openLab(page);
  await only(page, ['naive-d1', 'nn']);
  await expect(page.getByTestId('nn-note')).toContainText('lear');
  await page.getByTestId('nn-epochs').fill('2');
  await page.getByTestId('forecast-button').click();
  await expect(page.getByTestId('forecast-progress')).toBeVisible();
  await expect(page.locator('.actions .hint')).toContainText('nn (wasm): training', { timeout: 120_000 });
  const table = page.getByTestId('forecast-table');
  const nn = table.locator('tbody tr', { hasText: 'nn' });
  await expect(nn).toContainText('%', { timeout: 170_000 });
  await expect(nn.locator('td').nth(7)).toHaveText(/^\d\.\d\d$/);
  // The run is over for good: no late progress message brings the bar back (they can arrive after the reply).
  await expect(page.getByTestId('forecast-progress')).toHaveCount(0);
  await expect(page.getByTestId('forecast-button')).toBeEnabled();

  // Cancel a run under way (60 epochs: it is still fitting when the click lands; the worker is stopped): the
  // previous table stays. The cancel does not wait for a particular phase label, which a loaded machine may
  // render late or skip past.
  await page.getByTestId('nn-epochs').fill('60');
  await page.getByTestId('forecast-button').click();
  await expect(page.getByTestId('forecast-progress')).toBeVisible();
  await page.getByTestId('forecast-cancel').click();
  await expect(page.getByTestId('forecast-progress')).toHaveCount(0);
  await expect(nn).toContainText('%');
  await expect(page.getByTestId('forecast-button')).toBeEnabled();
});
