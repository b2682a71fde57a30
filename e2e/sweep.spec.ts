import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { reportCsv } from '../src/core/sweep/csv.ts';
import { sweepFromZip } from '../src/ui/sweep/import.ts';

// A sweep's report on the page: the mlruns zip of a real tiny sweep (test-data/sweep/tiny-mlruns.zip, 2 battery
// sizes × 2 seeds) imported shows bess sweep-report's table (numbers checked against the report computed here by
// the same code the CLI uses) and the chart; the CSV is the CLI's; a bad zip or folder is refused naming the entry
// and the report stays; a reload keeps it; the folder itself imports through the directory picker.

const FIXTURE = 'test-data/sweep/tiny-mlruns.zip';

test('import a sweep’s mlruns zip and folder: table, chart, CSV; bad ones refused by entry; kept on reload', async ({
  page,
}) => {
  const bytes = readFileSync(FIXTURE);
  const expected = sweepFromZip(new Uint8Array(bytes), 'tiny-mlruns.zip').report;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  await page.goto('/');
  const panel = page.getByTestId('sweep-panel');
  await panel.getByTestId('sweep-zip').setInputFiles(FIXTURE);

  const rows = panel.getByTestId('sweep-table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(panel.getByTestId('sweep-summary')).toContainText(
    'tiny-mlruns.zip: 4 runs in 2 configurations of sweep tiny',
  );
  for (const [i, r] of expected.configurations.entries()) {
    const row = rows.nth(i);
    await expect(row).toHaveAttribute('data-config-id', r.configId);
    await expect(row.locator('td.config')).toHaveText(`battery.capacityKWh=${r.config['task.battery.capacityKWh']}`);
    await expect(row.locator('td.seeds')).toHaveText('2');
    await expect(row.locator('td.share')).toHaveText(pct(r.shareOfOracle.median));
  }
  const dots = panel.getByTestId('sweep-chart').locator('g.row');
  await expect(dots).toHaveCount(2);
  expect(Number(await dots.nth(1).getAttribute('data-median'))).toBe(expected.configurations[1].shareOfOracle.median);
  await expect(dots.nth(0).locator('circle')).toHaveCount(1);
  await expect(dots.nth(0).locator('line.whisker')).toHaveCount(3);

  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('sweep-csv').click()]);
  expect(download.suggestedFilename()).toBe('tiny-mlruns-report.csv');
  expect(readFileSync((await download.path())!, 'utf8')).toBe(reportCsv(expected.configurations));

  // A file that is not a zip, and a store with a damaged run: said with the entry; the report shown stays.
  await panel
    .getByTestId('sweep-zip')
    .setInputFiles({ name: 'prices.zip', mimeType: 'application/zip', buffer: Buffer.from('x') });
  await expect(panel.getByTestId('sweep-error')).toContainText('prices.zip is not a readable zip file');
  await expect(rows).toHaveCount(2);

  const files = unzipSync(new Uint8Array(bytes));
  const dir = mkdtempSync(join(tmpdir(), 'sweep-e2e-'));
  try {
    for (const [path, b] of Object.entries(files)) {
      if (path.endsWith('/')) continue;
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), b);
    }
    const metric = Object.keys(files).find((p) => p.endsWith('/metrics/eval/share_of_oracle'))!;
    writeFileSync(join(dir, metric), '1 2 3 4\n');
    await panel.getByTestId('sweep-folder').setInputFiles(join(dir, 'mlruns'));
    await expect(panel.getByTestId('sweep-error')).toContainText(
      `mlruns: ${metric}: line 1 "1 2 3 4": expected "<timestamp_ms> <value> <step>", found 4 fields`,
    );
    await expect(rows).toHaveCount(2);
    await expect(page.getByTestId('oracle-profit')).toContainText('EUR');

    // The folder as it is imports through the picker.
    writeFileSync(join(dir, metric), files[metric]);
    await panel.getByTestId('sweep-folder').setInputFiles(join(dir, 'mlruns'));
    await expect(panel.getByTestId('sweep-summary')).toContainText('mlruns: 4 runs in 2 configurations of sweep tiny');
    await expect(panel.getByTestId('sweep-error')).toHaveCount(0);
    await expect(rows.nth(0).locator('td.share')).toHaveText(pct(expected.configurations[0].shareOfOracle.median));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  await page.reload();
  await expect(panel.getByTestId('sweep-table').locator('tbody tr')).toHaveCount(2);
  await expect(panel.getByTestId('sweep-chart').locator('g.row')).toHaveCount(2);

  // The panel with a report in it has no serious accessibility problem either.
  const axe = await new AxeBuilder({ page }).include('[data-testid="sweep-panel"]').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});

test('drop a sweep’s mlruns zip on the panel; a drop of something else says what to drop', async ({ page }) => {
  await page.goto('/');
  const panel = page.getByTestId('sweep-panel');
  const zone = panel.getByRole('group', { name: /Import a sweep/ });
  const drop = async (payload: { zipBase64?: string; text?: string }) => {
    const dt = await page.evaluateHandle(({ zipBase64, text }) => {
      const t = new DataTransfer();
      if (zipBase64)
        t.items.add(
          new File([Uint8Array.from(atob(zipBase64), (c) => c.charCodeAt(0))], 'tiny-mlruns.zip', {
            type: 'application/zip',
          }),
        );
      if (text) t.setData('text/plain', text);
      return t;
    }, payload);
    await zone.dispatchEvent('drop', { dataTransfer: dt });
  };
  await drop({ text: 'hello' });
  await expect(panel.getByTestId('sweep-error')).toHaveText('Drop an mlruns zip or an mlruns folder here.');
  await drop({ zipBase64: readFileSync(FIXTURE).toString('base64') });
  await expect(panel.getByTestId('sweep-table').locator('tbody tr')).toHaveCount(2);
  await expect(panel.getByTestId('sweep-error')).toHaveCount(0);
  await expect(panel.getByTestId('sweep-summary')).toContainText('tiny-mlruns.zip: 4 runs');
});
