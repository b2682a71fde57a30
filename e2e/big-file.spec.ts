import { expect, test } from '@playwright/test';
import { openLab } from './journey.ts';

// Ten years of 15-minute prices (350,400 rows, ~11 MB): the parse runs in its worker with progress, the page keeps
// answering clicks while it runs (Cancel works and keeps the previous data), and then the summary, the chart and
// the oracle handle the whole series.

const ROWS = 350_400;

function tenYearCsv(): Buffer {
  const start = Date.UTC(2015, 0, 1) - 3_600_000;
  const lines = ['timestamp,price_eur_mwh'];
  for (let i = 0; i < ROWS; i++) {
    const hour = (i / 4) % 24;
    const price = 60 + 40 * Math.sin((2 * Math.PI * (hour - 8)) / 24) + ((i * 7919) % 23) - (i % 5000 === 0 ? 150 : 0);
    lines.push(`${new Date(start + i * 900_000).toISOString().replace('.000Z', 'Z')},${price.toFixed(2)}`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

test('a ten-year 15-minute file parses with progress and a working Cancel, then loads whole', async ({ page }) => {
  test.setTimeout(240_000);
  await openLab(page);
  const summary = page.getByTestId('dataset-summary');
  const file = { name: 'ten-years-15min.csv', mimeType: 'text/csv', buffer: tenYearCsv() };

  // While the worker parses, the page answers: the Cancel button is clicked and acts; the old data stays.
  await page.getByTestId('csv-input').setInputFiles(file);
  const status = page.getByRole('status').filter({ hasText: 'Reading ten-years-15min.csv' });
  await expect(status).toBeVisible();
  await status.getByRole('button', { name: 'Cancel' }).click();
  await expect(status).toHaveCount(0);
  await expect(summary).toContainText('8,760');
  await expect(page.getByTestId('error')).toHaveCount(0);

  // Again, to the end.
  await page.getByTestId('csv-input').setInputFiles(file);
  await expect(summary).toContainText('350,400', { timeout: 120_000 });
  await expect(summary).toContainText('15 min');
  await expect(summary).toContainText('ten-years-15min.csv');
  await expect(page.getByTestId('oracle-profit')).toContainText('EUR', { timeout: 60_000 });
  const chart = page.getByRole('img', { name: /price chart/i });
  await expect(chart).toBeVisible();
  // Zooming the whole decade with the wheel keeps the chart and its axis working.
  const axis = page.locator('section.charts svg .axis.bottom').first();
  const before = await axis.textContent();
  await chart.hover();
  for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -400);
  await expect(axis).not.toHaveText(before ?? '');
  await expect(page.getByTestId('error')).toHaveCount(0);
});
