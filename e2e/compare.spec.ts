import { type Page, expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { runFileText } from './run-file.ts';
import { openLab, pageErrors, runRows, trainOnWasm } from './journey.ts';

// Comparing runs as in MLflow: columns for the settings that differ, sorting and filtering, the diff of two runs,
// distinct colours per overlaid run with losses/KL/entropy plots; and a stored run reopened after a reload.

const importInput = (page: Page) => page.locator('input[aria-label="Import a run file"]');
const file = (name: string, text: string) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
const params = (seed: number, sellBonus: number, clone: boolean) => ({
  seed,
  clone,
  backend: 'wasm',
  env: { sellAboveAvgBonusCoef: sellBonus, numActions: 3 },
  ppo: { learningRate: 3e-4, totalTimesteps: 2048 },
  run: { keepBestMargin: 0.01 },
});
const history = (kl: number) => [
  { phase: 'clone' as const, iteration: 1, elapsedS: 1, metrics: { 'clone/loss': 0.7 }, shareOfOracle: 0.8 },
  ...[1, 2, 3].map((i) => ({
    phase: 'ppo' as const,
    iteration: i,
    elapsedS: 1 + i,
    metrics: {
      'losses/policy_loss': -0.01 * i,
      'losses/value_loss': 1 / i,
      'losses/approx_kl': kl * i,
      'losses/entropy': 1 - 0.1 * i,
    },
    shareOfOracle: 0.8 + 0.01 * i,
  })),
];

test('the runs table shows the settings that differ, sorts and filters; two runs diff side by side and overlay in their colours', async ({
  page,
}) => {
  const errors = pageErrors(page);
  await openLab(page);
  const runs = [
    ['a', 'Shaped seed 1', 0.9, params(1, 0.1, true), 0.01],
    ['b', 'Money seed 2', 0.8, params(2, 0, true), 0.02],
    ['c', 'PPO only seed 3', 0.7, params(3, 0.1, false), 0.03],
  ] as const;
  for (const [id, name, share, p, kl] of runs)
    await importInput(page).setInputFiles(
      file(`${id}.powerbidder-run.json`, runFileText(id, name, share, { params: p, history: history(kl) })),
    );
  await expect(runRows(page)).toHaveCount(3);

  // A column for each setting that differs, none for those that do not (learning rate, budget).
  const head = page.getByTestId('runs-table').locator('thead');
  for (const label of ['Sell bonus', 'Warm start', 'Seed']) await expect(head).toContainText(label);
  await expect(head).not.toContainText('Learning rate');
  await expect(head).not.toContainText('PPO budget');
  const seedCells = page.getByTestId('runs-table').locator('tbody td[data-column="param:seed"]');

  // Sorting by share of oracle, both ways, said by aria-sort.
  const shareHead = head.locator('th[data-column="share"]');
  await shareHead.getByRole('button').click();
  await expect(shareHead).toHaveAttribute('aria-sort', 'descending');
  await expect(seedCells).toHaveText(['1', '2', '3']);
  await shareHead.getByRole('button').click();
  await expect(shareHead).toHaveAttribute('aria-sort', 'ascending');
  await expect(seedCells).toHaveText(['3', '2', '1']);
  await expect(head.locator('th[data-column="name"]')).toHaveAttribute('aria-sort', 'none');

  // Filtering: by a column, by text, and a wrong column said.
  const filter = page.getByLabel('Filter runs');
  await filter.fill('seed>1');
  await expect(runRows(page)).toHaveCount(2);
  await filter.fill('warmstart:none');
  await expect(runRows(page)).toHaveCount(1);
  await expect(runRows(page).first().locator('input.name')).toHaveValue('PPO only seed 3');
  await filter.fill('colour=red');
  await expect(page.getByTestId('runs-filter-error')).toContainText('No column "colour"');
  await filter.fill('');
  await expect(runRows(page)).toHaveCount(3);

  // Tick two runs: their diff, parameters (the differing ones highlighted) and results.
  await page.getByRole('checkbox', { name: 'Compare Shaped seed 1' }).check();
  await page.getByRole('checkbox', { name: 'Compare Money seed 2' }).check();
  const diff = page.getByTestId('run-diff');
  await expect(page.getByTestId('diff-summary')).toHaveText(/^2 of \d+ parameters differ\.$/);
  const differing = page.getByTestId('diff-params').locator('tbody tr[data-differs="yes"]');
  await expect(differing).toHaveCount(2);
  await expect(differing.nth(0)).toContainText('Sell bonus');
  await expect(differing.nth(0)).toContainText('0.1');
  await expect(differing.nth(1)).toContainText('Seed');
  await diff.getByLabel('only the differing parameters').uncheck();
  await expect(page.getByTestId('diff-params').locator('tr[data-key="ppo.learningRate"]')).toHaveAttribute(
    'data-differs',
    'no',
  );
  const share = page.getByTestId('diff-results').locator('tr', { hasText: 'Share of oracle' });
  await expect(share).toContainText('90.0%');
  await expect(share).toContainText('80.0%');
  await expect(share).toContainText('−10.0 points');
  // B chosen by hand: the PPO-only run, whose warm start differs.
  await page.getByTestId('diff-b').selectOption({ label: 'PPO only seed 3' });
  await expect(page.getByTestId('diff-params').locator('tr[data-key="clone"]')).toHaveAttribute('data-differs', 'yes');

  // Overlaid in distinct colours, named in the legend, the same colour beside the ticked row; losses, KL, entropy.
  const legend = page.getByTestId('curve-legend');
  await expect(legend).toContainText('Shaped seed 1');
  await expect(legend).toContainText('Money seed 2');
  const colors = await legend.locator('span[data-color]').evaluateAll((els) => els.map((e) => e.dataset.color));
  expect(new Set(colors).size).toBe(2);
  const rowSwatch = await page
    .locator('tr[data-run-id="a"] .swatch')
    .evaluate((e) => getComputedStyle(e).backgroundColor);
  const legendSwatch = await legend
    .locator('span', { hasText: 'Shaped seed 1' })
    .locator('i')
    .evaluate((e) => getComputedStyle(e).backgroundColor);
  expect(rowSwatch).toBe(legendSwatch);
  const metrics = page.getByTestId('training-metrics');
  for (const key of ['losses/policy_loss', 'losses/value_loss', 'losses/approx_kl', 'losses/entropy', 'clone/loss'])
    await expect(metrics.locator(`figure[data-metric="${key}"]`)).toHaveAttribute('data-runs', '2');
  await expect(metrics.locator('figure[data-metric="losses/approx_kl"] path')).toHaveCount(2);

  // The table, its sort buttons, the filter and the diff pass axe with runs in them.
  const axe = await new AxeBuilder({ page }).include('section.runs').analyze();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes[0]?.target.join(' ')})`)).toEqual([]);
  expect(errors).toEqual([]);
});

test('a stored run is reopened after a reload: its results, SOC and step table come back from its record', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = pageErrors(page);
  await openLab(page);
  await trainOnWasm(page);
  // A tiny budget: one cloning epoch and one PPO iteration.
  await page.getByLabel(/Clone epochs/).fill('1');
  await page.getByLabel(/PPO steps/).fill('1024');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('stop-button')).toBeEnabled();
  await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 200_000 });
  await expect(page.getByTestId('rl-share')).toHaveText(/%$/);
  const share = await page.getByTestId('rl-share').textContent();
  const profit = await page.getByTestId('rl-profit').textContent();
  await expect(runRows(page)).toHaveCount(1);
  await expect(runRows(page).first().locator('td.status')).toHaveText('');

  await page.reload();
  await expect(page.getByTestId('dataset-summary')).toContainText('8,760');
  await expect(runRows(page)).toHaveCount(1);
  await expect(page.getByTestId('rl-share')).toHaveCount(0);
  await expect(page.getByTestId('soc-chart')).toHaveAttribute('data-agent', 'no');

  await runRows(page).first().getByRole('button', { name: /^Open/ }).click();
  const banner = page.getByTestId('reopened-run');
  await expect(banner).toContainText('Reopened run: “Run 1”');
  await expect(banner).toContainText('come from its stored record');
  await expect(page.getByTestId('run-open-badge')).toHaveText('reopened');
  await expect(page.getByTestId('rl-share')).toHaveText(share!);
  await expect(page.getByTestId('rl-profit')).toHaveText(profit!);
  await expect(page.getByTestId('result-kept')).toHaveText(/^Kept: /);
  // Same prices on the page: the stored agent SOC is drawn on the main chart, said so; the curve is overlaid.
  await expect(page.getByTestId('soc-chart')).toHaveAttribute('data-agent', 'yes');
  await expect(page.getByTestId('reopened-chart-note')).toContainText('from its stored backtest');
  await expect(page.getByTestId('curve-legend')).toContainText('Run 1 (reopened)');
  await expect(page.getByTestId('training-metrics').locator('figure[data-metric="losses/approx_kl"]')).toHaveCount(1);
  // The step table's export is the stored trace: one row per test step.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('steps-csv').click()]);
  const { readFile } = await import('node:fs/promises');
  expect((await readFile((await download.path())!, 'utf8')).trim().split('\n').length).toBe(2190 + 1);

  await page.getByTestId('reopened-close').click();
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('rl-share')).toHaveCount(0);
  expect(errors).toEqual([]);
});
