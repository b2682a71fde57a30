import { expect, test } from '@playwright/test';
import { openLab, pageErrors, trainOnWasm } from './journey.ts';

// A researcher changes one shaping coefficient in a PPO-only run (no teacher warm start, where shaping acts on
// everything the agent learns): the same seed and budget with another sell-above-average bonus gives a different
// result, and the run diff names the one parameter that differs beside the change in money.

test('a changed shaping coefficient in a PPO-only run: another result, and the diff says which parameter changed', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = pageErrors(page);
  await openLab(page);
  await trainOnWasm(page, 'scratch');
  await expect(page.getByLabel('Warm start from the teacher')).not.toBeChecked();
  // Ten PPO iterations: the budget is work, so the two runs differ only by the coefficient.
  await page.getByLabel('PPO steps').fill('10240');
  await expect(page.getByLabel('Preset')).toHaveValue('custom');
  await expect(page.getByTestId('shaping-note')).toContainText('PPO-only runs');

  const results: string[] = [];
  for (const bonus of ['0.1', '3']) {
    await page.getByLabel('Sell-above-average bonus').fill(bonus);
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('stop-button')).toBeEnabled();
    await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 240_000 });
    await expect(page.getByText(/Training ended: ran its whole budget/)).toBeVisible();
    // Money at actual prices, whatever the shaping: the share and the profit in EUR.
    await expect(page.getByTestId('rl-share')).toHaveText(/^−?\d[\d,]*\.\d%$/);
    results.push(
      `${await page.getByTestId('rl-share').textContent()} ${await page.getByTestId('rl-profit').textContent()}`,
    );
  }
  expect(results[1]).not.toBe(results[0]);

  const rows = page.getByTestId('runs-table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await rows.nth(0).getByRole('checkbox').check();
  await rows.nth(1).getByRole('checkbox').check();
  await expect(page.getByTestId('diff-summary')).toHaveText(/^1 of \d+ parameters differ\.$/);
  const differing = page.getByTestId('diff-params').locator('tbody tr[data-differs="yes"]');
  await expect(differing).toHaveCount(1);
  await expect(differing).toContainText('Sell bonus');
  await expect(differing).toContainText('0.1');
  await expect(differing).toContainText('3');
  // The results say how much money the change made or cost.
  const profit = page
    .getByTestId('diff-results')
    .locator('tr', { hasText: /profit/i })
    .first();
  await expect(profit).toHaveAttribute('data-differs', 'yes');
  await expect(profit.locator('td.delta')).toHaveText(/EUR/);
  expect(errors).toEqual([]);
});
