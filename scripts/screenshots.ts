// Retakes README's screenshots of the lab from the real app: builds the site (skip with --no-build), serves dist/
// with vite preview on a port of its own, and in Debian's Chromium (headless, the e2e flags) loads the bundled
// DE-LU 2023 sample, waits for the oracle, trains the "Quick look" preset on wasm and photographs:
//   lab-overview.png    the first screen at 1440×900, before training
//   training.png        the training panel while it clones (the named phase and the per-minibatch progress bar)
//   charts-zoomed.png   prices and SOC zoomed into two weeks of the test split, the SOC tooltip saying why
//   agent-results.png   the agent on the test split: share of oracle, profits, cumulative profit, step table
//   agent-why.png       the step table filtered to the steps where agent and oracle disagree, with their cost
//   day-ahead.png       a Quick look run under day-ahead with ridge: the agent beside the baselines and the oracle,
//                       two weeks of the test split with the forecast under the prices and the three SOC paths
// --only day-ahead takes day-ahead.png alone (one training run instead of two).
// docs/screenshots/sizing.png comes from scripts/sizing-screenshot.ts, mlflow-runs.png from e2e/mlflow.spec.ts.
// Prints what each picture shows (share, phase, filter line) so a reader can check the README's words against it.
// Usage: npx tsx scripts/screenshots.ts [--no-build] [OUT_DIR]
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { withPreviewPage } from './preview-browser.ts';

const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
if (only !== null && only !== 'day-ahead') throw new Error(`--only: "${only}" is not a picture set (day-ahead)`);
const outDir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--only') ?? 'docs/screenshots';
const port = Number(process.env.SCREENSHOT_PORT ?? 4275);
mkdirSync(outDir, { recursive: true });

if (build) {
  const b = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
  if (b.status !== 0) throw new Error('vite build failed');
}
await withPreviewPage(port, { width: 1440, height: 900 }, async (page, url) => {
  const shot = (name: string) => join(outDir, name);
  await page.goto(url);
  await page.getByTestId('dataset-summary').filter({ hasText: '8,760' }).waitFor();
  await page.getByTestId('oracle-profit').filter({ hasText: 'EUR' }).waitFor();
  if (only === null) await lab(page, shot);
  await dayAhead(page, shot);
});

/** lab-overview, training, charts-zoomed, agent-results and agent-why: the known-24h Quick look run. */
async function lab(page: Page, shot: (name: string) => string): Promise<void> {
  await page.screenshot({ path: shot('lab-overview.png') });
  console.log(`lab-overview.png: oracle ${await page.getByTestId('oracle-profit').textContent()}`);

  await page.getByLabel('Backend').selectOption('wasm');
  await page.getByLabel('Preset').selectOption('quick');
  await page.getByTestId('train-button').click();
  const training = page.locator('section.panel', { has: page.getByTestId('train-button') });
  // The panel while cloning: the phase by name, minibatch by minibatch (the moment may pass on a fast machine).
  try {
    await page
      .getByTestId('train-phase')
      .filter({ hasText: /minibatch \d+\/\d+/ })
      .waitFor({ timeout: 120_000 });
    await training.screenshot({ path: shot('training.png') });
    console.log(`training.png: ${await page.getByTestId('train-phase').textContent()}`);
  } catch {
    console.log('training.png: cloning passed before it could be photographed; not retaken');
  }
  await page.getByTestId('rl-share').waitFor({ timeout: 300_000 });
  await page.getByTestId('train-button').filter({ hasText: 'Train again' }).waitFor({ timeout: 300_000 });
  console.log(`trained: share ${await page.getByTestId('rl-share').textContent()}`);

  // Two weeks of the test split: wheel-zoom about a point near the end of the year, then hover the SOC chart there.
  const charts = page.locator('section.charts');
  const overlay = charts.locator('.overlay').first();
  await overlay.scrollIntoViewIfNeeded();
  const box = (await overlay.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
  for (let i = 0; i < 24; i++) await page.mouse.wheel(0, -100);
  await page.waitForTimeout(300);
  const soc = page.getByTestId('soc-hover');
  const socBox = (await soc.boundingBox())!;
  // A step where the agent and the oracle differ, when the window has one: the tooltip then says why.
  const tooltip = page.getByTestId('soc-tooltip');
  for (let f = 0.3; f < 0.95; f += 0.005) {
    await page.mouse.move(socBox.x + socBox.width * f, socBox.y + socBox.height / 2);
    if (/Oracle: .*\(differs\)/.test((await tooltip.textContent()) ?? '')) break;
  }
  await charts.screenshot({ path: shot('charts-zoomed.png') });
  console.log(
    `charts-zoomed.png: tooltip ${(await page.getByTestId('soc-tooltip').innerText()).replace(/\n/g, ' | ')}`,
  );
  await page.mouse.move(0, 0);

  const results = page.locator('section.results');
  await results.scrollIntoViewIfNeeded();
  await results.screenshot({ path: shot('agent-results.png') });
  console.log(`agent-results.png: ${(await page.getByTestId('steps-cost').innerText()).trim()}`);
  await page.getByTestId('steps-filter').selectOption('oracle');
  await page.locator('.steps').screenshot({ path: shot('agent-why.png') });
  console.log(`agent-why.png: ${(await page.getByTestId('steps-cost').innerText()).trim()}`);
}

/** day-ahead.png: a Quick look run under day-ahead with ridge, its box zoomed into two weeks of the test split. */
async function dayAhead(page: Page, shot: (name: string) => string): Promise<void> {
  await page.getByLabel('Backend').selectOption('wasm');
  await page.getByLabel('Preset').selectOption('quick');
  await page.getByTestId('information-select').selectOption('day-ahead');
  await page.getByTestId('information-forecast').selectOption('ridge');
  await page.getByTestId('train-button').click();
  await page.getByTestId('result-information').filter({ hasText: 'day-ahead, ridge' }).waitFor({ timeout: 600_000 });
  const box = page.getByTestId('day-ahead-results');
  await box.getByTestId('day-ahead-charts').waitFor({ timeout: 300_000 });
  // Two weeks: wheel-zoom the test split's price pane about its middle, then hover the SOC pane there.
  const overlay = box.locator('[data-forecast="yes"] .overlay');
  await overlay.scrollIntoViewIfNeeded();
  const o = (await overlay.boundingBox())!;
  await page.mouse.move(o.x + o.width * 0.5, o.y + o.height / 2);
  for (let i = 0; i < 13; i++) await page.mouse.wheel(0, -100);
  await page.waitForTimeout(300);
  const soc = (await box.getByTestId('soc-hover').boundingBox())!;
  // A step where the agent and the planner hold different charges, when the window has one.
  const tip = box.getByTestId('soc-tooltip');
  let f = 0.3;
  for (; f < 0.95; f += 0.005) {
    await page.mouse.move(soc.x + soc.width * f, soc.y + soc.height / 2);
    const t = (await tip.textContent()) ?? '';
    const at = (who: string) => new RegExp(`${who} SOC ([\\d.,]+)`).exec(t)?.[1];
    if (at('Agent') && at('Agent') !== at('Plan-on-forecast')) break;
  }
  // The same step on the price pane: its tooltip adds the price and the forecast, and covers no legend.
  await page.mouse.move(soc.x + soc.width * f, o.y + o.height * 0.8);
  const priceTip = box.locator('[data-forecast="yes"] .tip');
  await box.screenshot({ path: shot('day-ahead.png') });
  const row = async (id: string) => (await box.getByTestId(id).textContent())?.trim();
  console.log(
    `day-ahead.png: agent ${await row('day-ahead-agent-share')}, plan-on-forecast ${await row('day-ahead-baseline-plan-on-forecast')}, threshold ${await row('day-ahead-baseline-threshold')}, oracle ${await row('day-ahead-profit-oracle')}; tooltip ${(await priceTip.innerText()).replace(/\n/g, ' | ')}`,
  );
}
