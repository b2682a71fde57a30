import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../../../', import.meta.url).pathname;
const BE = join(ROOT, 'test-data/real/be-2023-hourly.csv');

/** `bess ARGS` through bin/bess.mjs (tsx's API, as `npx bess` runs it), from another directory. */
function bess(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/bess.mjs'), ...args], { encoding: 'utf8', cwd: tmpdir() });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bess size', () => {
  it('prints every cell, each equal to `bess oracle` for that battery, on worker threads, and writes the CSV', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bess-size-'));
    const csv = join(dir, 'grid.csv');
    const r = bess(
      'size',
      BE,
      '--capacity-kwh',
      '100:300:100',
      '--power-kw',
      '50:100:50',
      '--charge-efficiency',
      '0.85',
      '--jobs',
      '2',
      '--capex-eur-per-kwh',
      '120',
      '--capex-eur-per-kw',
      '60',
      '--lifetime-years',
      '12',
      '--discount-rate',
      '0.07',
      '--csv',
      csv,
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      cells: { capacityKWh: number; powerKW: number; profitEur: number; npvEur: number; paybackYears: number | null }[];
      best: { npvEur: number };
      solves: number;
      ms: number;
      jobs: number;
    };
    expect(out.cells.map((c) => [c.capacityKWh, c.powerKW])).toEqual([
      [100, 50],
      [100, 100],
      [200, 50],
      [200, 100],
      [300, 50],
      [300, 100],
    ]);
    // 200 × 100 has the duration of 100 × 50 and shares its solve.
    expect(out.solves).toBe(5);
    expect(out.jobs).toBe(2);
    expect(out.best.npvEur).toBe(Math.max(...out.cells.map((c) => c.npvEur)));
    const o = JSON.parse(
      bess('oracle', BE, '--capacity-kwh', '300', '--power-kw', '50', '--charge-efficiency', '0.85', '--json').stdout,
    ) as { profitEur: number };
    expect(out.cells[4].profitEur).toBe(o.profitEur);
    const shared = JSON.parse(
      bess('oracle', BE, '--capacity-kwh', '200', '--power-kw', '100', '--charge-efficiency', '0.85', '--json').stdout,
    ) as { profitEur: number };
    expect(Math.abs(out.cells[3].profitEur - shared.profitEur) / shared.profitEur).toBeLessThan(1e-12);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'capacity_kwh,power_kw,profit_eur,annual_profit_eur,capex_eur,npv_eur,payback_years,discounted_payback_years,annual_profit_eur_per_kwh,equivalent_cycles',
    );
    expect(lines).toHaveLength(7);
    expect(Number(lines[5].split(',')[2])).toBeCloseTo(o.profitEur, 6);
  });

  it.each([
    [['--capacity-kwh', '100:50:10', '--power-kw', '50'], /--capacity-kwh: TO \(50\) must be ≥ FROM \(100\)/],
    [['--capacity-kwh', '100:200:x', '--power-kw', '50'], /--capacity-kwh: STEP must be a number/],
    [['--power-kw', '50'], /size needs --capacity-kwh FROM:TO:STEP/],
    [['--capacity-kwh', '100', '--power-kw', '50', '--charge-power-kw', '5'], /unknown flag --charge-power-kw/],
    [
      ['--capacity-kwh', '100', '--power-kw', '50', '--discount-rate', '1.5'],
      /--discount-rate: discountRate must be in \[0, 1\)/,
    ],
    [['--capacity-kwh', '100', '--power-kw', '50', '--jobs', '0'], /--jobs must be a whole number ≥ 1/],
    [['--capacity-kwh', '100', '--power-kw', '50', '--capex-per-kwh', '3'], /unknown flag --capex-per-kwh/],
    [
      ['--capacity-kwh', '50:100:50', '--power-kw', '50', '--initial-soc-kwh', '80'],
      /cell 50 kWh × 50 kW: initial SOC \(kWh\)/,
    ],
    [
      ['--capacity-kwh', '100', '--power-kw', '50', '--csv', '/nonexistent-dir/grid.csv'],
      /--csv: no such directory: \/nonexistent-dir/,
    ],
  ])('exits 2 with one line naming the flag for %j', (args, message) => {
    const r = bess('size', BE, ...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
