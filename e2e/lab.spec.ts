import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { dropFile, fixture, openLab, pageErrors, realFile, shot } from './journey.ts';

// Journeys through the lab page as a user makes them: the default sample, dropping files, battery parameters and
// the oracle, training twice. Screenshots go to e2e/screenshots/ (git-ignored) to be looked at.

test('first load shows the bundled DE-LU 2023 sample, summarised, with its attribution', async ({ page }) => {
  const errors = pageErrors(page);
  await openLab(page, { oracle: 'EUR' });
  const summary = page.getByTestId('dataset-summary');
  await expect(summary).toContainText('60 min');
  await expect(summary).toContainText('−500.00 EUR/MWh');
  await expect(page.getByText(/Licence CC BY 4\.0/)).toBeVisible();
  await expect(page.getByTestId('soc-chart')).toBeVisible();
  await expect(page.getByTestId('error')).toHaveCount(0);
  // Tooltip with time and price over the chart.
  await page.getByRole('img', { name: /price chart/i }).hover({ position: { x: 200, y: 100 } });
  await expect(page.locator('.tip')).toContainText('EUR/MWh');
  await shot(page, 'default-sample');

  // The split: default 75/25, movable from the keyboard; the brush strip follows.
  await expect(page.getByText('Test 2023-10-01 – 2023-12-31 · 2,190 steps')).toBeVisible();
  await page.getByLabel('Training ends at').fill('50');
  await expect(page.getByText(/Test .* · 4,380 steps/)).toBeVisible();
  // Zoom in with the button: the axis switches from months to days.
  const axisBefore = await page.locator('section.charts svg .axis.bottom').first().textContent();
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect(page.locator('section.charts svg .axis.bottom').first()).not.toHaveText(axisBefore ?? '');
  expect(errors).toEqual([]);
});

test('a good file from the picker replaces the data; a broken dropped file shows an error and keeps it', async ({
  page,
}) => {
  await openLab(page, { oracle: 'EUR' });
  await page.getByTestId('csv-input').setInputFiles(realFile('dk1-2025q4-15min-iso.csv'));
  const summary = page.getByTestId('dataset-summary');
  await expect(summary).toContainText('8,836');
  await expect(summary).toContainText('15 min');
  await expect(summary).toContainText('dk1-2025q4-15min-iso.csv');
  await expect(page.getByRole('img', { name: /price chart/i })).toBeVisible();

  await dropFile(page, 'broken-text-price.csv', readFileSync(fixture('broken-text-price.csv'), 'utf8'));
  await expect(page.getByTestId('error')).toContainText('broken-text-price.csv');
  await expect(page.getByTestId('error')).toHaveAttribute('role', 'alert');
  await expect(summary).toContainText('8,836');
  await shot(page, 'broken-file');

  await page.getByTestId('csv-input').setInputFiles(fixture('broken-no-price-column.csv'));
  await expect(page.getByTestId('error')).toContainText('broken-no-price-column.csv');
  await expect(summary).toContainText('dk1-2025q4-15min-iso.csv');
});

test('the oracle profit follows the capacity; a bad parameter is named next to its field and in the error panel', async ({
  page,
}) => {
  await openLab(page, { oracle: 'EUR' });
  const profit = page.getByTestId('oracle-profit');
  const before = await profit.textContent();
  await page.getByLabel('Capacity').fill('200');
  await expect(profit).not.toHaveText(before ?? '');
  await expect(profit).toContainText('EUR');

  await page.getByLabel('Charge efficiency (0–1)', { exact: true }).fill('1.5');
  await expect(page.getByTestId('error')).toContainText('Charge efficiency (0–1) must be between 0.01 and 1, got 1.5.');
  await expect(page.getByLabel('Charge efficiency (0–1)', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('train-button')).toBeDisabled();
  await page.getByLabel('Charge efficiency (0–1)', { exact: true }).fill('0.9');
  await expect(page.getByTestId('error')).toHaveCount(0);
});

test('the page fits 1024×768 without horizontal overflow', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await openLab(page, { oracle: 'EUR' });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await shot(page, 'default-1024');
});
