import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { openLab } from './journey.ts';

test('axe-core finds no serious or critical accessibility violations on the loaded lab', async ({ page }) => {
  await openLab(page, { oracle: /\d/ });
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length}× e.g. ${v.nodes[0]?.target.join(' ')})`)).toEqual(
    [],
  );
});

test('the data controls work from the keyboard: the file picker and the sample choice are labelled and focusable', async ({
  page,
}) => {
  await openLab(page);
  const input = page.getByTestId('csv-input');
  const label = await input.evaluate(
    (el) => (el as HTMLInputElement).labels?.[0]?.textContent ?? el.getAttribute('aria-label') ?? '',
  );
  expect(label.trim().length).toBeGreaterThan(0);
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.tagName);
  expect(['BUTTON', 'INPUT', 'SELECT', 'A']).toContain(focused);
});
