import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { openLab, trainOnWasm } from './journey.ts';

// Why the agent acted (issue 12 §4, §5): a short run shows its phases by name with progress per cloning minibatch;
// then the step table filters the steps where the agent and the oracle (or the teacher) disagree, with the money
// each cost, and the SOC chart's tooltip says what the agent, the teacher and the oracle did at a step.

/** "1,234.56 EUR" / "−3.20 EUR" → number. */
const money = (s: string | null) => Number((s ?? '').replace(/[^\d.−-]/g, '').replace('−', '-'));

test('filter the steps where agent and oracle disagree and see what they cost; the tooltip says why', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openLab(page, { oracle: 'EUR' });
  await trainOnWasm(page, 'quick');
  // Every phase label the status shows, as rendered (each progress message is its own render).
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __phases: string[] }).__phases = seen;
    new MutationObserver(() => {
      const t = document.querySelector('[data-testid="train-phase"]')?.textContent;
      if (t && seen.at(-1) !== t) seen.push(t);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 240_000 });
  await expect(page.getByTestId('rl-share')).toHaveText(/%$/);
  const phases = await page.evaluate(() => (window as unknown as { __phases: string[] }).__phases);
  expect(phases.some((p) => /^teacher dataset \d+\/\d+$/.test(p))).toBe(true);
  const minibatches = phases.filter((p) => /^cloning epoch 1\/1 · minibatch \d+\/\d+$/.test(p));
  expect(minibatches.length).toBeGreaterThan(1);
  expect(phases.some((p) => /^PPO iteration \d+\/\d+$/.test(p))).toBe(true);

  // All steps: the step costs add up to the profit gap the KPIs show.
  const cost = page.getByTestId('steps-cost');
  await expect(cost).toContainText('the profit gap');
  const agentEur = money(await page.getByTestId('rl-profit').textContent());
  const oracleEur = money(
    await page.locator('.kpi', { hasText: 'Oracle profit (same split)' }).locator('.value').textContent(),
  );
  expect(Number(await cost.getAttribute('data-all-eur'))).toBeCloseTo(oracleEur - agentEur, 1);
  const rows = page.getByTestId('step-row');
  await expect(rows.first()).toBeVisible();
  // The why columns: the action's probability, the teacher's action, the forecast average.
  await expect(rows.first().locator('td').nth(5)).toHaveText(/^\d+%$/);
  await expect(rows.first().locator('td').nth(6)).toHaveText(/^(hold|charge|discharge)/);
  await expect(rows.first().locator('td').nth(2)).toHaveText(/^−?[\d,]+\.\d\d$/);

  // Only the disagreements: fewer steps, each marked, and their total cost.
  await page.getByTestId('steps-filter').selectOption('oracle');
  await expect(cost).toContainText('steps where the agent and the oracle buy, sell or hold differently');
  const n = Number(await cost.getAttribute('data-steps'));
  expect(n).toBeGreaterThan(0);
  expect(n).toBeLessThan(2190);
  const total = Number(await cost.getAttribute('data-cost-eur'));
  expect(money(await page.getByTestId('steps-cost-total').textContent())).toBeCloseTo(total, 2);
  const shown = await rows.count();
  expect(shown).toBe(Math.min(24, n));
  for (let i = 0; i < shown; i++) await expect(rows.nth(i).getByTestId('step-oracle')).toHaveClass(/differs/);
  // Each row's cost is the oracle's cash minus the agent's.
  const cells = rows.first().locator('td');
  const count = await cells.count();
  const [agentCash, oracleCash, stepCost] = [
    money(await cells.nth(count - 4).textContent()),
    money(await cells.nth(count - 3).textContent()),
    money(await cells.nth(count - 2).textContent()),
  ];
  expect(stepCost).toBeCloseTo(oracleCash - agentCash, 1);
  await page.getByTestId('steps-filter').selectOption('teacher');
  await expect(cost).toContainText('steps where the agent and the teacher');
  await page.getByTestId('steps-filter').selectOption('oracle');
  await page.getByTestId('result-kept').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'e2e/screenshots/why-disagreements.png', fullPage: true });
  // The filtered table (marked cells, units in the header) stays accessible.
  const axe = await new AxeBuilder({ page }).include('section.results').analyze();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes[0]?.target.join(' ')})`)).toEqual([]);

  // The SOC chart's tooltip on a test-split step: the agent with its probability, the teacher, the oracle.
  const hover = page.getByTestId('soc-hover');
  const box = (await hover.boundingBox())!;
  await hover.hover({ position: { x: box.width * 0.9, y: box.height / 2 } });
  const tip = page.getByTestId('soc-tooltip');
  await expect(tip).toContainText(/Agent: (hold|charge|discharge)[^(]*\(p \d+%\)/);
  await expect(tip).toContainText('Teacher:');
  await expect(tip).toContainText('Oracle:');
  await expect(tip).toContainText('Forecast average seen:');
  await expect(tip).toContainText(/Policy: hold \d+% · charge \d+% · discharge \d+%/);
});
