import { type Page, expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { openLab, pageErrors, shot } from './journey.ts';

// Battery sizing on the bundled DE-LU 2023 sample: a small grid through the page's worker pool, its heatmap and best
// cell, a click that loads a cell into the battery panel (and the oracle follows), and a cancel mid-run.

/** Clicks the heatmap cell at capacity index x, power index y (y up) of an nx × ny grid. */
async function clickCell(page: Page, x: number, y: number, nx: number, ny: number): Promise<void> {
  const heatmap = page.getByTestId('sizing-heatmap');
  const box = await heatmap.boundingBox();
  const [vx, , vw] = ((await heatmap.getAttribute('viewBox')) ?? '').split(' ').map(Number);
  const [left, top, w, h] = ((await heatmap.getAttribute('data-plot')) ?? '').split(' ').map(Number);
  if (!box || !vw) throw new Error('heatmap has no box');
  const k = box.width / (vw - vx);
  await heatmap.click({ position: { x: (left + ((x + 0.5) * w) / nx) * k, y: (top + h - ((y + 0.5) * h) / ny) * k } });
}

const eurText = (s: string | null) => Number((s ?? '').replace(/[^\d.−-]/g, '').replace('−', '-'));

test('a small grid draws its heatmap and best cell; a click loads that battery and the oracle follows', async ({
  page,
}) => {
  const errors = pageErrors(page);
  await openLab(page, { oracle: 'EUR' });
  const panel = page.getByTestId('sizing-panel');
  await panel.getByLabel(/^Storage sizes/).fill('100:500:100');
  await panel.getByLabel(/^Power sizes/).fill('50:250:50');
  await page.getByTestId('sizing-run').click();
  await expect(panel.getByRole('status').first()).toContainText('25 cells', { timeout: 60_000 });
  // 2023 has 8,760 hours: its profit is the year's, and the page says so.
  await expect(panel.getByRole('status').first()).toContainText('8,760 h: a 365-day year as it is');
  const heatmap = page.getByTestId('sizing-heatmap');
  await expect(heatmap).toBeVisible();
  await expect(heatmap).toHaveAttribute('data-solved', '25');
  await expect(heatmap.locator('path.contour').first()).toBeAttached();
  await expect(heatmap.locator('rect.best')).toHaveCount(1);
  const best = page.getByTestId('sizing-best');
  await expect(best).toContainText(/Best by NPV: .* kWh × .* kW/);
  // The default economics make every size pay at this market-year, and profit scales with size: the best is the
  // largest cell.
  await expect(best).toHaveAttribute('data-capacity-kwh', '500');
  await expect(best).toHaveAttribute('data-power-kw', '250');
  const axe = await new AxeBuilder({ page }).include('[data-testid="sizing-panel"]').analyze();
  expect(
    axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`),
  ).toEqual([]);
  // The heatmap works from the keyboard: focus, move right and up, Enter loads 200 kWh × 100 kW.
  await page.getByTestId('sizing-heatmap').focus();
  for (const key of ['ArrowRight', 'ArrowUp', 'Enter']) await page.keyboard.press(key);
  await expect(page.locator('#bat-capacityKWh')).toHaveValue('200');
  await page.locator('#bat-capacityKWh').fill('100');

  // Show annual profit, pick 200 kWh × 100 kW: the battery panel takes it and the oracle's profit equals the cell's
  // (2023 has 8,760 hours, so the year's profit is the span's).
  await panel.getByLabel('Heatmap shows').selectOption('annualProfitEur');
  await clickCell(page, 1, 1, 5, 5);
  await expect(page.locator('#bat-capacityKWh')).toHaveValue('200');
  await expect(page.locator('#bat-powerKW')).toHaveValue('100');
  await expect(panel.getByText('Loaded 200 kWh × 100 kW into the battery panel.')).toBeVisible();
  const readout = await panel.locator('.readout').textContent();
  const cellProfit = Number(
    (readout ?? '')
      .match(/Profit\s+([\d,.−-]+)/)?.[1]
      .replace(/,/g, '')
      .replace('−', '-'),
  );
  await expect(async () => {
    const oracle = eurText(await page.getByTestId('oracle-profit').textContent());
    expect(Math.abs(oracle - cellProfit)).toBeLessThan(0.06);
  }).toPass();
  await shot(page, 'sizing-small-grid');
  expect(errors).toEqual([]);
});

test('cancel mid-run keeps the solved cells and leaves the page usable', async ({ page }) => {
  await openLab(page, { oracle: 'EUR' });
  const panel = page.getByTestId('sizing-panel');
  // 500 × 50 cells: far longer than the time to press Cancel.
  await panel.getByLabel(/^Storage sizes/).fill('10:5000:10');
  await panel.getByLabel(/^Power sizes/).fill('10:500:10');
  await page.getByTestId('sizing-run').click();
  await expect(page.getByTestId('sizing-cancel')).toBeEnabled();
  await expect(panel.locator('.count')).not.toHaveText(/^0 of/);
  await page.getByTestId('sizing-cancel').click();
  await expect(panel.getByRole('status').first()).toContainText(/Cancelled after [\d,]+ of 25,000 cells/);
  await expect(page.getByTestId('sizing-run')).toBeEnabled();
  await expect(page.getByTestId('sizing-cancel')).toBeDisabled();
  await expect(page.getByTestId('error')).toHaveCount(0);
  // The page still works: the oracle answers a battery change, and a new sizing run completes.
  const before = await page.getByTestId('oracle-profit').textContent();
  await page.locator('#bat-capacityKWh').fill('300');
  await expect(page.getByTestId('oracle-profit')).not.toHaveText(before ?? '');
  await panel.getByLabel(/^Storage sizes/).fill('100:300:100');
  await panel.getByLabel(/^Power sizes/).fill('50:100:50');
  await page.getByTestId('sizing-run').click();
  await expect(panel.getByRole('status').first()).toContainText('6 cells', { timeout: 60_000 });
  await expect(page.getByTestId('sizing-heatmap')).toHaveAttribute('data-solved', '6');
});
