// The oracle's first solve where users meet it (issue 4 §2: under 30 ms for 35,040 steps, schedule included):
// `bess oracle` in a fresh Node process (the solveMs it prints), and the page's oracle worker in headless Chromium,
// a fresh worker per sample (its first solveMs, the page's wall time of that call, then warm solves). Prices: DE-LU
// 2023 hourly (8,760 steps) and DK1 2025 Q4 15-minute tiled to a year (35,040 steps), written to temporary files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MS_PER_HOUR } from '../src/core/units.ts';
import { loadPriceFile } from '../src/io/load.ts';
import { startBenchHost, openBenchPage } from './browser-host.ts';

const DATA = new URL('../test-data/real/', import.meta.url).pathname;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs: number[]) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;

/** A plain ISO price file of `steps` steps of `dtHours`, cycling through `prices`. */
function writeTiled(dir: string, prices: Float64Array, steps: number, dtHours: number): string {
  const start = Date.UTC(2024, 0, 1);
  const lines = ['timestamp,price_eur_mwh'];
  for (let i = 0; i < steps; i++)
    lines.push(
      `${new Date(start + i * dtHours * MS_PER_HOUR).toISOString().replace('.000Z', 'Z')},${prices[i % prices.length].toFixed(2)}`,
    );
  const file = join(dir, `tiled-${steps}.csv`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

export async function bench(opts: { quick: boolean }) {
  const samples = opts.quick ? 3 : 7;
  const dir = mkdtempSync(join(tmpdir(), 'powerbidder-oracle-cold-'));
  const hourly = await loadPriceFile(DATA + 'de-lu-2023-hourly.csv');
  const q15 = await loadPriceFile(DATA + 'dk1-2025q4-15min-iso.csv');
  const cases = [
    { steps: 8760, dt: 1, prices: hourly.pricesEurPerMWh, file: DATA + 'de-lu-2023-hourly.csv' },
    { steps: 35040, dt: 0.25, prices: q15.pricesEurPerMWh, file: writeTiled(dir, q15.pricesEurPerMWh, 35040, 0.25) },
  ];
  const rows: (string | number)[][] = [];
  const json: unknown[] = [];
  const host = await startBenchHost();
  try {
    for (const c of cases) {
      const cli: number[] = [];
      for (let i = 0; i < samples; i++) {
        const r = spawnSync('npm', ['run', '-s', 'bess', '--', 'oracle', c.file, '--json'], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`bess oracle ${c.file}: ${r.stderr.trim()}`);
        cli.push(JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}').solveMs);
      }
      const cold: number[] = [];
      const call: number[] = [];
      const warm: number[] = [];
      const req = {
        pricesEurPerMWh: Array.from({ length: c.steps }, (_, k) => c.prices[k % c.prices.length]),
        dtHours: c.dt,
        reps: 10,
      };
      for (let i = 0; i < samples; i++) {
        const context = await host.browser.newContext();
        try {
          const page = await openBenchPage(context, host.url);
          const res = await page.evaluate((q) => window.powerbidderOracleBench(q), req);
          cold.push(res.coldSolveMs);
          call.push(res.coldCallMs);
          warm.push(median(res.warmSolveMs));
        } finally {
          await context.close();
        }
      }
      rows.push([
        c.steps,
        `${median(cli).toFixed(1)} (${range(cli)})`,
        `${median(cold).toFixed(1)} (${range(cold)})`,
        `${median(call).toFixed(1)} (${range(call)})`,
        median(warm).toFixed(2),
      ]);
      json.push({
        steps: c.steps,
        dtHours: c.dt,
        cliSolveMs: cli,
        workerColdSolveMs: cold,
        workerColdCallMs: call,
        workerWarmMedianMs: warm,
      });
    }
  } finally {
    await host.close();
  }
  return {
    title: `Oracle first solve, ms, median (range) of ${samples} fresh processes / workers; Chromium ${host.version}`,
    columns: [
      'steps',
      'bess oracle solveMs (fresh Node)',
      'worker first solveMs',
      'worker first call, page wall',
      'worker warm median',
    ],
    rows,
    json,
  };
}
