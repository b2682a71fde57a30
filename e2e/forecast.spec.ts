import { test, expect } from '@playwright/test';
import { openLab } from './journey.ts';

const SMARD = 'test-data/exogenous/de-lu-2023-generation-forecast-hourly.csv';

test('day-ahead information: drop SMARD forecasts, compare, cancel keeps the table, a bad file keeps the prices', async ({
  page,
}) => {
  await openLab(page);

  await page.getByTestId('exogenous-input').setInputFiles(SMARD);
  await expect(page.getByTestId('exogenous-summary')).toContainText('Wind Onshore');
  await expect(page.getByTestId('exogenous-summary')).toContainText('8,760');

  await page.getByTestId('forecast-button').click();
  await expect(page.getByTestId('forecast-progress')).toBeVisible();
  const table = page.getByTestId('forecast-table');
  await expect(table).toBeVisible({ timeout: 120_000 });
  await expect(table.locator('tbody tr')).toHaveCount(6); // perfect, known-24h, naive-d1, naive-d7, ridge, lear
  const lear = table.locator('tbody tr', { hasText: 'lear' });
  await expect(lear).toContainText('%');
  const naive = table.locator('tbody tr', { hasText: 'naive-d1' });
  const share = async (row: typeof lear) =>
    Number((await row.locator('td.share').first().innerText()).replace(/[^\d.]/g, ''));
  expect(await share(lear)).toBeGreaterThan(await share(naive));
  await expect(page.getByTestId('forecast-chart')).toBeVisible();

  // Cancel mid-run: the previous table stays.
  await page.getByTestId('forecast-button').click();
  await page.getByTestId('forecast-cancel').click();
  await expect(page.getByTestId('forecast-progress')).toHaveCount(0);
  await expect(table.locator('tbody tr')).toHaveCount(6);

  // A file with text in a value column: one message with file, row and column; the prices stay loaded.
  await page.getByTestId('exogenous-input').setInputFiles({
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('timestamp,wind\n2023-01-01T00:00:00Z,1\n2023-01-01T01:00:00Z,windy\n'),
  });
  await expect(page.getByTestId('exogenous-error')).toContainText(
    'bad.csv: row 3, column wind: "windy" is not a number',
  );
  await expect(page.getByTestId('dataset-summary')).toContainText('8,760');
});
