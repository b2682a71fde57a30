import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { openLab, trainOnWasm } from './journey.ts';

// Training through the real trainer worker (wasm): a short run, its backtest and CSV export, then a second run
// with other shaping that is stopped early; the first run's curve stays for comparison.

test('train twice: share of oracle, agent SOC, step CSV; stop keeps the best policy; runs are compared', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openLab(page, { oracle: 'EUR' });
  await trainOnWasm(page);
  // A small budget (one cloning epoch, ten PPO iterations): the run's work, not a time, so any load gives the same.
  await page.getByLabel('Preset').selectOption('quick');
  await expect(page.getByLabel(/Clone epochs/)).toHaveValue('1');
  await expect(page.getByLabel('Preset')).toHaveValue('quick');
  await expect(page.getByTestId('budget-estimate')).toContainText('cloning 1 ×');

  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('stop-button')).toBeEnabled();
  await expect(page.getByTestId('rl-share')).toHaveText(/^−?\d[\d,]*\.\d%$/, { timeout: 120_000 });
  await expect(page.getByTestId('result-information')).toContainText('it saw known-24h prices');
  await expect(page.getByTestId('rl-profit')).toContainText('EUR');
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  // The run says which policy it kept and on what validation numbers, here and in the runs table.
  await expect(page.getByTestId('result-kept')).toHaveText(
    /^Kept: (teacher clone|fine-tuned|untrained policy) \(validation −?\d/,
  );
  await expect(page.getByTestId('run-kept').first()).toHaveText(/^(clone|fine-tuned|untrained)$/);
  await expect(page.getByTestId('soc-chart')).toHaveAttribute('data-agent', 'yes');
  await page.screenshot({ path: 'e2e/screenshots/trained.png', fullPage: true });
  await expect(page.getByTestId('runs-table').locator('tbody tr')).toHaveCount(1);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('steps-csv').click()]);
  const csv = readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\n');
  expect(csv[0]).toBe(
    'time_utc,price_eur_mwh,action,power_fraction,soc_before_kwh,soc_after_kwh,cash_eur,cumulative_eur,' +
      'action_probability,teacher_action,forecast_avg_eur_mwh,oracle_grid_kwh,oracle_cash_eur,cost_vs_oracle_eur',
  );
  expect(csv.length).toBe(2190 + 1);

  // A setting the chosen preset names is changed: the select no longer claims the preset.
  await page.getByLabel(/Clone epochs/).fill('2');
  await expect(page.getByLabel('Preset')).toHaveValue('custom');

  // Other shaping, a longer budget, stopped early: the run still ends with a backtest.
  await page.getByLabel('Preset').selectOption('money');
  await expect(page.getByLabel(/Sell-above-average bonus/)).toHaveValue('0');
  await expect(page.getByLabel('Preset')).toHaveValue('money');
  await page.getByLabel(/Clone epochs/).fill('40');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-curve')).toContainText('Run 1');
  await expect(page.getByRole('status').filter({ hasText: /clon|ppo/i })).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByText(/Training ended: stopped by the user/)).toBeVisible();
  await expect(page.getByTestId('rl-share')).toHaveText(/%$/);
  await expect(page.getByTestId('runs-table').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('training-curve')).toContainText('Run 1');
  await page.screenshot({ path: 'e2e/screenshots/trained-twice.png', fullPage: true });

  // Nothing the user made is lost by a reload: both runs come back from IndexedDB with their share of oracle.
  await page.reload();
  await expect(page.getByTestId('dataset-summary')).toContainText('8,760');
  await expect(page.getByTestId('runs-table').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('runs-table').locator('td.share').first()).toHaveText(/\d\.\d%$/);
});

test('two runs with the same seed and budget give the same result', async ({ page }) => {
  test.setTimeout(300_000);
  await openLab(page);
  await trainOnWasm(page, 'quick');
  const results: string[] = [];
  for (let run = 0; run < 2; run++) {
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('stop-button')).toBeEnabled();
    await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 240_000 });
    await expect(page.getByText(/Training ended: ran its whole budget/)).toBeVisible();
    results.push(
      `${await page.getByTestId('rl-share').textContent()} ${await page.getByTestId('rl-profit').textContent()}`,
    );
  }
  expect(results[1]).toBe(results[0]);
  await expect(page.getByTestId('runs-table').locator('tbody tr')).toHaveCount(2);
});
