// Takes docs/screenshots/sizing.png from the real app: builds nothing (run `npx vite build` first), serves dist/
// with vite preview on a port of its own, runs a 50 × 50 grid on the bundled DE-LU 2023 sample in Debian's
// Chromium and photographs the sizing panel. Prints the panel's status line (cells, solves, seconds, workers).
// Usage: npx tsx scripts/sizing-screenshot.ts [OUT.png]
import { withPreviewPage } from './preview-browser.ts';

const out = process.argv[2] ?? 'docs/screenshots/sizing.png';
const port = 4274;
await withPreviewPage(port, { width: 1400, height: 1000 }, async (page, url) => {
  await page.goto(url);
  await page.getByTestId('oracle-profit').waitFor();
  const panel = page.getByTestId('sizing-panel');
  await panel.getByLabel(/^Storage sizes/).fill('100:5000:100');
  await panel.getByLabel(/^Power sizes/).fill('50:2500:50');
  await panel.getByLabel('Heatmap shows').selectOption('paybackYears');
  await page.getByTestId('sizing-run').click();
  await panel.getByRole('status').filter({ hasText: 'cells (' }).waitFor({ timeout: 120_000 });
  console.log(await panel.getByRole('status').first().textContent());
  await page.getByTestId('sizing-heatmap').click({ position: { x: 300, y: 120 } });
  await panel.screenshot({ path: out });
  console.log(`wrote ${out}`);
});
