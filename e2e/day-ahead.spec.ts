import { expect, type Page, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { openLab, trainOnWasm } from './journey.ts';

// Training under day-ahead information on the page: the agent sees naive-d1's forecast, not the day's prices; its
// result is shown beside planning on the same forecast over the same test split, labelled with mode and forecaster,
// with the oracle in the same table, the forecast drawn under the test split's prices and the agent's, the planner's
// and the oracle's SOC on one time axis. A known-24h run shows none of that.

/** A number in the page's format ("1,234.56 EUR", "−3.2%"). */
const numberOf = (text: string | null) => Number((text ?? '').replace(/[^\d.−-]/g, '').replace('−', '-'));

/** The stored runs' recorded information ({ mode, forecast }), read from IndexedDB as the page stored them. */
const storedInformation = (page: Page) =>
  page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('powerbidder');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const all = await new Promise<{ params?: { information?: unknown } }[]>((resolve, reject) => {
      const req = db.transaction('runs').objectStore('runs').getAll();
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    db.close();
    return all.map((r) => r.params?.information ?? null);
  });

/** `days` days of hourly prices from 2023-01-01 00:00 CET, with a daily shape. */
function hourlyCsv(days: number): Buffer {
  const start = Date.UTC(2023, 0, 1) - 3_600_000;
  const lines = ['timestamp,price_eur_mwh'];
  for (let i = 0; i < days * 24; i++) {
    const price = 60 + 40 * Math.sin((2 * Math.PI * ((i % 24) - 8)) / 24) + ((i * 7919) % 23);
    lines.push(`${new Date(start + i * 3_600_000).toISOString().replace('.000Z', 'Z')},${price.toFixed(2)}`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

test('train under day-ahead with naive-d1: the agent beside plan-on-forecast, the run records the mode', async ({
  page,
}) => {
  test.setTimeout(480_000);
  await openLab(page);
  await trainOnWasm(page);
  // A tiny budget (one cloning epoch, one PPO iteration): the run's work, not a time, so any load gives the same.
  await page.getByLabel('Preset').selectOption('quick');
  await page.getByLabel(/PPO steps/).fill('1024');

  // lear needs an exogenous file and column a forecast column: neither is offered for the bundled prices.
  await page.getByTestId('information-select').selectOption('day-ahead');
  const options = await page.getByTestId('information-forecast').locator('option').allTextContents();
  expect(options).toContain('naive-d1');
  expect(options).not.toContain('lear');
  expect(options).not.toContain('column');
  await page.getByTestId('information-forecast').selectOption('naive-d1');

  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('rl-share')).toHaveText(/^−?\d[\d,]*\.\d%$/, { timeout: 180_000 });
  await expect(page.getByTestId('result-information')).toContainText('it saw day-ahead, naive-d1 forecast');
  const results = page.getByTestId('day-ahead-results');
  await expect(results.getByTestId('day-ahead-label')).toHaveText('day-ahead, naive-d1');
  const agent = await results.getByTestId('day-ahead-agent-share').textContent();
  expect(agent).toBe(await page.getByTestId('rl-share').textContent());
  await expect(results.getByTestId('day-ahead-baseline-plan-on-forecast')).toHaveText(/^−?\d[\d,]*\.\d%$/, {
    timeout: 60_000,
  });
  await expect(results.getByTestId('day-ahead-baseline-threshold')).toHaveText(/%$/);
  await expect(results.getByTestId('day-ahead-margin')).toHaveText(/The agent (beats|trails) planning/);
  // The oracle on the same table: 100%, and the profit the agent's share is taken of (the results' own oracle).
  await expect(results.getByTestId('day-ahead-baseline-oracle')).toHaveText('100.0%');
  const oracleEur = numberOf(await results.getByTestId('day-ahead-profit-oracle').textContent());
  expect(oracleEur).toBeGreaterThan(0);
  expect(Math.round(oracleEur)).toBe(numberOf(await page.getByTestId('headline-oracle').textContent()));
  expect(numberOf(await results.getByTestId('day-ahead-agent-profit').textContent())).toBe(
    numberOf(await page.getByTestId('rl-profit').textContent()),
  );
  await expect(results.getByTestId('day-ahead-profit-plan-on-forecast')).toHaveText(/EUR$/);
  // The forecast under the actual prices, named in the legend; the three SOC paths on the same axis.
  const charts = results.getByTestId('day-ahead-charts');
  await expect(charts.locator('[data-forecast="yes"]')).toHaveCount(1);
  await expect(charts.getByTestId('price-legend-forecast')).toHaveText('naive-d1 forecast (issued at gate closure)');
  const soc = charts.getByTestId('day-ahead-soc-chart');
  await expect(soc).toHaveAttribute('data-planner', 'yes');
  await expect(soc).toHaveAttribute('data-agent', 'yes');
  await expect(soc.getByTestId('soc-legend-planner')).toHaveText('Plan-on-forecast SOC (naive-d1)');
  // Hovering a step reads all three paths and, on the price pane, the forecast for that step.
  await soc.getByTestId('soc-hover').hover();
  const tip = soc.getByTestId('soc-tooltip');
  for (const who of ['Agent SOC', 'Plan-on-forecast SOC', 'Oracle SOC']) await expect(tip).toContainText(who);
  await charts.locator('[data-forecast="yes"] .overlay').hover();
  await expect(charts.locator('[data-forecast="yes"] .tip')).toContainText(
    /naive-d1 forecast \(issued at gate closure\): −?\d[\d,]*\.\d\d EUR\/MWh/,
  );
  // The page's own price and SOC charts stay as they are.
  await expect(page.getByTestId('soc-chart')).toHaveAttribute('data-planner', 'no');
  await page.mouse.move(0, 0);
  const axe = await new AxeBuilder({ page }).include('[data-testid="day-ahead-results"]').analyze();
  expect(
    axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`),
  ).toEqual([]);
  // The stored run records the information mode and forecaster (the runs table shows them once runs differ).
  await expect(page.getByTestId('runs-table').locator('tbody tr')).toHaveCount(1);
  await expect.poll(() => storedInformation(page)).toEqual([{ mode: 'day-ahead', forecast: 'naive-d1' }]);
  await page.screenshot({ path: 'e2e/screenshots/day-ahead.png', fullPage: true });
  const live = {
    plan: await results.getByTestId('day-ahead-baseline-plan-on-forecast').textContent(),
    planEur: await results.getByTestId('day-ahead-profit-plan-on-forecast').textContent(),
    threshold: await results.getByTestId('day-ahead-baseline-threshold').textContent(),
    margin: await results.getByTestId('day-ahead-margin').textContent(),
  };

  // The choice is kept across a reload.
  await page.reload();
  await expect(page.getByTestId('dataset-summary')).toContainText('8,760');
  await expect(page.getByTestId('information-select')).toHaveValue('day-ahead');
  await expect(page.getByTestId('information-forecast')).toHaveValue('naive-d1');

  // Reopened from the runs table, the run shows the same day-ahead box: the baselines are computed again on its
  // test split with its forecaster, and match what the live run showed.
  await expect(page.getByTestId('day-ahead-results')).toHaveCount(0);
  await page.getByTestId('runs-table').locator('tbody tr').first().getByRole('button', { name: /^Open/ }).click();
  await expect(page.getByTestId('reopened-run')).toBeVisible();
  const again = page.getByTestId('day-ahead-results');
  await expect(again.getByTestId('day-ahead-label')).toHaveText('day-ahead, naive-d1');
  await expect(again.getByTestId('day-ahead-agent-share')).toHaveText(agent!);
  await expect(again.getByTestId('day-ahead-baseline-plan-on-forecast')).toHaveText(live.plan!, { timeout: 60_000 });
  await expect(again.getByTestId('day-ahead-profit-plan-on-forecast')).toHaveText(live.planEur!);
  await expect(again.getByTestId('day-ahead-baseline-threshold')).toHaveText(live.threshold!);
  await expect(again.getByTestId('day-ahead-margin')).toHaveText(live.margin!);
  await expect(again.getByTestId('day-ahead-soc-chart')).toHaveAttribute('data-agent', 'yes');
  // Other prices on the page: the box gives way to a note naming the run's file.
  await page.getByLabel('Bundled market-year').selectOption('dk1-2023');
  await expect(page.getByTestId('dataset-summary')).toContainText('dk1-2023-hourly.csv');
  await expect(page.getByTestId('day-ahead-results')).toHaveCount(0);
  await expect(page.getByTestId('reopened-day-ahead-note')).toContainText('de-lu-2023-hourly.csv');
  await page.getByLabel('Bundled market-year').selectOption('de-lu-2023');
  await expect(page.getByTestId('dataset-summary')).toContainText('de-lu-2023-hourly.csv');
  await page.getByTestId('reopened-close').click();

  // A known-24h run: no day-ahead box, no forecast under the prices, no planner SOC.
  await trainOnWasm(page, 'quick');
  await page.getByLabel(/PPO steps/).fill('1024');
  await page.getByTestId('information-select').selectOption('known-24h');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('rl-share')).toHaveText(/^−?\d[\d,]*\.\d%$/, { timeout: 180_000 });
  await expect(page.getByTestId('result-information')).toContainText('it saw known-24h prices');
  await expect(page.getByTestId('day-ahead-results')).toHaveCount(0);
  await expect(page.getByTestId('day-ahead-charts')).toHaveCount(0);
  await expect(page.locator('[data-forecast="yes"]')).toHaveCount(0);
  await expect(page.locator('[data-planner="yes"]')).toHaveCount(0);
});

test('day-ahead on too little data: the trainer says why, the page keeps working', async ({ page }) => {
  test.setTimeout(120_000);
  await openLab(page);
  await page
    .getByTestId('csv-input')
    .setInputFiles({ name: 'twelve-days.csv', mimeType: 'text/csv', buffer: hourlyCsv(12) });
  await expect(page.getByTestId('dataset-summary')).toContainText('288');
  await trainOnWasm(page, 'quick');
  await page.getByTestId('information-select').selectOption('day-ahead');
  // naive-d7 first issues a week in: too little of the nine training days is left to learn from.
  await page.getByTestId('information-forecast').selectOption('naive-d7');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('error')).toContainText('forecaster naive-d7 first issues at step', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('train-button')).toBeEnabled();
  await expect(page.getByTestId('dataset-summary')).toContainText('twelve-days.csv');
  await expect(page.getByTestId('day-ahead-results')).toHaveCount(0);
});
