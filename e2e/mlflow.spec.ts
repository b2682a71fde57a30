import { expect, test, type Page } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { parse } from 'yaml';
import { trainOnWasm } from './journey.ts';

// Runs in MLflow's file store: a trained run, staged Production, exported as mlruns.zip (the layout checked file by
// file), deleted, imported back; a damaged zip changes nothing; a store MLflow wrote imports what it can.

function fixtureZip(): Buffer {
  const root = 'test-data/mlflow/mlflow-store';
  const tree: Zippable = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel))) {
      const p = rel ? `${rel}/${name}` : name;
      if (statSync(join(root, p)).isDirectory()) walk(p);
      else tree[`mlruns/${p}`] = new Uint8Array(readFileSync(join(root, p)));
    }
  };
  walk('');
  return Buffer.from(zipSync(tree));
}

/** The runs view beside the exported files, for the README (e2e/screenshots/mlflow-runs-and-files.png). */
async function picture(page: Page, paths: string[]): Promise<void> {
  await page.setViewportSize({ width: 1900, height: 1000 });
  const runsPng = await page.locator('section.runs').screenshot();
  await page.setViewportSize({ width: 1400, height: 1000 });
  // A tree: each run's files under its folder, the params shortened to the first few.
  const lines = ['mlruns/'];
  const runDirs = new Set(
    paths.map((p) => /^mlruns\/\d+\/[0-9a-f]{32}\//.exec(p)?.[0]).filter((d): d is string => !!d),
  );
  let params = 0;
  let lastDir = '';
  for (const p of [...paths].sort()) {
    const dir = [...runDirs].find((d) => p.startsWith(d));
    if (!dir) {
      lines.push('  ' + p.slice('mlruns/'.length));
      continue;
    }
    if (dir !== lastDir) lines.push('  ' + dir.slice('mlruns/'.length));
    lastDir = dir;
    if (p.includes('/params/') && ++params > 5) continue;
    lines.push('      ' + p.slice(dir.length));
  }
  const lastParam = lines.map((l) => l.includes('params/')).lastIndexOf(true);
  if (params > 5) lines.splice(lastParam + 1, 0, `      params/… (${params - 5} more)`);
  const view = await page.context().newPage();
  await view.setViewportSize({ width: 1480, height: 300 });
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  await view.setContent(`<body style="margin:0;padding:12px;background:#0b1220;color:#cbd5e1;font:12px/1.35 monospace;display:flex;gap:16px;align-items:flex-start">
    <img style="width:1000px;border:1px solid #334155" src="data:image/png;base64,${runsPng.toString('base64')}"><pre style="margin:0">${esc(lines.join('\n'))}</pre></body>`);
  await view.screenshot({ path: 'e2e/screenshots/mlflow-runs-and-files.png', fullPage: true });
  await view.close();
}

test('export runs as an mlruns zip, import it back, refuse a damaged one, import a store MLflow wrote', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await expect(page.getByTestId('oracle-profit')).toContainText('EUR');
  await trainOnWasm(page, 'quick');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('rl-share')).toHaveText(/%$/, { timeout: 120_000 });
  const rows = page.getByTestId('runs-table').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  // The row is the run's partial record until the finished one is stored: wait for its share.
  await expect(rows.first().locator('td.share')).toHaveText(/%$/);
  const share = await rows.first().locator('td.share').textContent();
  await rows.first().getByLabel('Model stage').selectOption('Production');

  // Export: the zip has MLflow's layout.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('mlflow-export').click()]);
  expect(download.suggestedFilename()).toBe('mlruns.zip');
  const zipBytes = readFileSync((await download.path())!);
  const files = unzipSync(new Uint8Array(zipBytes));
  const paths = Object.keys(files);
  const yaml = (p: string) => parse(strFromU8(files[p]));
  expect(yaml('mlruns/0/meta.yaml')).toMatchObject({ experiment_id: '0', name: 'Default', lifecycle_stage: 'active' });
  const expMeta = paths.find((p) => /^mlruns\/\d{18}\/meta\.yaml$/.test(p))!;
  const expId = expMeta.split('/')[1];
  expect(strFromU8(files[expMeta])).toContain(`experiment_id: '${expId}'`);
  expect(yaml(expMeta)).toMatchObject({ name: 'PowerBidder', artifact_location: `./mlruns/${expId}` });
  const runMeta = paths.find((p) => new RegExp(`^mlruns/${expId}/[0-9a-f]{32}/meta\\.yaml$`).test(p))!;
  const runDir = runMeta.replace('/meta.yaml', '');
  const runId = runDir.split('/')[2];
  expect(yaml(runMeta)).toMatchObject({
    run_id: runId,
    run_uuid: runId,
    experiment_id: expId,
    status: 3,
    lifecycle_stage: 'active',
    run_name: 'Run 1',
    source_type: 4,
    tags: [],
  });
  expect(strFromU8(files[`${runDir}/params/backend`])).toBe('wasm');
  expect(strFromU8(files[`${runDir}/params/battery.capacityKWh`])).toBe('100');
  expect(strFromU8(files[`${runDir}/params/data.file`])).toMatch(/\.csv$/);
  expect(strFromU8(files[`${runDir}/tags/mlflow.runName`])).toBe('Run 1');
  expect(strFromU8(files[`${runDir}/metrics/eval/share_of_oracle`])).toMatch(/^\d{13} -?\d\.\d+(e-\d\d)? \d+\n$/);
  expect(strFromU8(files[`${runDir}/metrics/charts/validation_share`])).toMatch(/^(\d{13} \S+ \d+\n)+$/);
  expect(paths).toContain(`${runDir}/artifacts/model/model.json`);
  // The trace with why the agent acted: teacher, forecast average, oracle grid and cash, the three actions' odds.
  expect(strFromU8(files[`${runDir}/artifacts/backtest/trace.csv`]).split('\n')[0]).toBe(
    'time_utc,price_eur_mwh,action_index,soc_before_kwh,soc_after_kwh,cash_eur,oracle_soc_kwh,' +
      'teacher_action_index,forecast_avg_eur_mwh,oracle_grid_kwh,oracle_cash_eur,p_action_0,p_action_1,p_action_2',
  );
  expect(Array.from(files[`${runDir}/artifacts/charts/prices-and-soc.png`].subarray(0, 4))).toEqual([
    0x89, 0x50, 0x4e, 0x47,
  ]);
  expect(yaml('mlruns/models/BatteryPPOModel/version-1/meta.yaml')).toMatchObject({
    version: 1,
    current_stage: 'Production',
    status: 'READY',
    run_id: runId,
    source: `./mlruns/${expId}/${runId}/artifacts/model`,
  });
  expect(strFromU8(files['mlruns/models/BatteryPPOModel/aliases/production'])).toBe('1');

  // Delete the run, import the zip: it is back, with its share and stage.
  await rows
    .first()
    .getByRole('button', { name: /^Delete/ })
    .click();
  await expect(rows.first()).toContainText('No runs yet');
  await page
    .getByTestId('mlflow-import')
    .setInputFiles({ name: 'mlruns.zip', mimeType: 'application/zip', buffer: zipBytes });
  await expect(page.getByTestId('mlflow-notes')).toContainText('mlruns.zip: imported 1 run');
  await expect(rows).toHaveCount(1);
  await expect(rows.first().locator('td.share')).toHaveText(share!);
  await expect(rows.first().getByLabel('Model stage')).toHaveValue('Production');
  // Reopened, the imported run still says why its agent acted: the action's probability and the teacher's action.
  await rows.first().getByRole('button', { name: /^Open/ }).click();
  await expect(page.getByTestId('reopened-run')).toBeVisible();
  const step = page.getByTestId('step-row').first();
  await expect(step.locator('td').nth(5)).toHaveText(/^\d+%$/);
  await expect(step.locator('td').nth(6)).toHaveText(/^(hold|charge|discharge)/);
  await page.getByTestId('reopened-close').click();
  await picture(page, paths);

  // A damaged zip: a message, and the stored run stays as it was.
  await page
    .getByTestId('mlflow-import')
    .setInputFiles({ name: 'cut.zip', mimeType: 'application/zip', buffer: zipBytes.subarray(0, 200) });
  await expect(page.getByRole('alert').filter({ hasText: 'cut.zip is not a readable zip file' })).toBeVisible();
  await expect(rows).toHaveCount(1);
  const damaged = { ...files, [runMeta]: new TextEncoder().encode('status: [') };
  await page
    .getByTestId('mlflow-import')
    .setInputFiles({ name: 'damaged.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync(damaged)) });
  await expect(page.getByRole('alert').filter({ hasText: 'damaged.zip' })).toContainText(
    `damaged.zip: ${runMeta}: is not valid YAML`,
  );
  await expect(rows).toHaveCount(1);

  // A store MLflow wrote: its PowerBidder training is imported, the rest is listed as skipped.
  await page
    .getByTestId('mlflow-import')
    .setInputFiles({ name: 'theirs.zip', mimeType: 'application/zip', buffer: fixtureZip() });
  await expect(page.getByTestId('mlflow-notes')).toContainText('theirs.zip: imported 1 run, skipped 9');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1).locator('input.name')).toHaveValue('ppo-be-2023');
  await expect(rows.nth(1).getByLabel('Model stage')).toHaveValue('Production');
  await page.getByTestId('mlflow-notes').locator('summary').click();
  await expect(page.getByTestId('mlflow-notes')).toContainText('elasticnet-sweep): no PowerBidder model');
  await page.screenshot({ path: 'e2e/screenshots/mlflow-import.png', fullPage: true });

  await page.reload();
  await expect(rows).toHaveCount(2);
});
