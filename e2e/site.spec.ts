import { test, expect } from '@playwright/test';
import { openLab, pageErrors } from './journey.ts';

// The PV site journey: choose the bundled DE-LU 2023 PV site, see the site optimum (as pinned against HiGHS in
// test-data/site/pinned-site-optima.json), change the grid connection and see it re-solved, and a fee pair that
// would make buying and selling at once pay refused with its reason.
test('the DE-LU 2023 PV site sample shows the site oracle’s numbers, re-solved for grid limits and fees', async ({
  page,
}) => {
  const errors = pageErrors(page);
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await openLab(page);
  await page.getByLabel('Bundled market-year').selectOption('de-lu-2023-pv');
  await expect(page.getByTestId('dataset-summary')).toContainText('de-lu-2023-pv100-iso.csv');
  await expect(page.getByText('Source: Bundesnetzagentur | SMARD.de (prices and the TSOs')).toBeVisible();
  await expect(page.getByTestId('site-columns')).toContainText('PV from the file’s pv_kw column');
  const profit = page.getByTestId('site-oracle-profit');
  // HiGHS: 12,516.567823659787 EUR with the default battery and no limits or fees.
  await expect(profit).toContainText('12,516.57');
  await expect(page.getByTestId('site-pv-kwh')).toHaveText('134,750 kWh');
  await expect(page.getByTestId('site-chart')).toBeVisible();
  // Solved off the main thread, in the site worker.
  expect(workers.some((u) => /site\.worker/.test(u))).toBe(true);

  await page.getByTestId('site-export-limit').fill('50');
  await page.getByTestId('site-export-limit').press('Tab');
  await page.getByTestId('site-import-fee').fill('30');
  await page.getByTestId('site-export-fee').fill('5');
  // HiGHS: 10,964.922337427273 EUR.
  await expect(profit).toContainText('10,964.92');
  await expect(page.getByTestId('site-curtailed-kwh')).not.toHaveText('0 kWh');

  await page.getByTestId('site-export-fee').fill('-40');
  await expect(page.getByTestId('site-error')).toContainText('exceed the import price');
  // The page keeps working: the battery oracle still stands.
  await expect(page.getByTestId('oracle-profit')).toContainText(/\d/);
  expect(errors).toEqual([]);
});

// The error path: a site worker that cannot start is a message in the Site panel, and the rest of the page works.
test.describe('when the site worker fails', () => {
  test.use({ serviceWorkers: 'block' });
  test('the Site panel says so and the battery oracle still stands', async ({ page }) => {
    const errors = pageErrors(page);
    await page.route(/site\.worker[^/]*\.js/, (route) => route.abort());
    await page.goto('/');
    await page.getByLabel('Bundled market-year').selectOption('de-lu-2023-pv');
    await expect(page.getByTestId('dataset-summary')).toContainText('de-lu-2023-pv100-iso.csv');
    await expect(page.getByTestId('site-error')).toContainText(/Site: .*worker/);
    await expect(page.getByTestId('site-oracle-profit')).toHaveCount(0);
    await expect(page.getByTestId('oracle-profit')).toContainText(/\d/);
    expect(errors).toEqual([]);
  });
});
