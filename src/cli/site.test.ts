// The site flags on the CLI (DESIGN.md "Site"): bess oracle's site keys and every site mistake as one line, exit 2.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { cliRunner } from './run-in-process.ts';
import { loadPriceFile } from '../io/load.ts';
import { testSpan } from '../core/information/index.ts';
import { resolveSite } from '../core/site/site.ts';
import { siteWithoutBattery } from '../core/site/simulate.ts';
import { solveSiteOracle } from '../core/oracle/site-oracle.ts';
import { resolveBattery } from '../core/battery/index.ts';

const PV = 'test-data/site/de-lu-2023-pv100-iso.csv';
const PLAIN = 'test-data/real/be-2023-hourly.csv';

const cli = cliRunner<Record<string, number>>();

describe('bess oracle on a site', () => {
  it('adds importedKWh, exportedKWh, curtailedKWh and pvKWh, and equals the pinned HiGHS optimum', async () => {
    const pinned = JSON.parse(readFileSync('test-data/site/pinned-site-optima.json', 'utf8')) as {
      settings: Record<string, { highsProfitEur: number }>;
    };
    const o = (
      await cli(
        'oracle',
        PV,
        '--export-limit-kw',
        '50',
        '--import-fee-eur-per-mwh',
        '30',
        '--export-fee-eur-per-mwh',
        '5',
        '--json',
      )
    ).json();
    const want = pinned.settings['export-50kw-fees'].highsProfitEur;
    expect(Math.abs(o.profitEur - want) / want).toBeLessThan(1e-9);
    for (const key of ['importedKWh', 'exportedKWh', 'curtailedKWh', 'pvKWh', 'chargedKWh', 'equivalentCycles'])
      expect(typeof o[key], key).toBe('number');
    expect(o.pvKWh).toBeCloseTo(134749.877, 3);
    expect(o.exportedKWh).toBeLessThanOrEqual(50 * 8760);
    const pvOnly = (await cli('oracle', PV, '--charge-from-pv-only', '--pv-scale', '0.5', '--json')).json();
    expect(pvOnly.pvKWh).toBeCloseTo(134749.877 / 2, 3);
    expect(pvOnly.profitEur).toBeLessThan(o.profitEur);
  });

  it("a price-only file keeps exactly the battery oracle's keys; a site flag on it adds the site keys", async () => {
    const o = (await cli('oracle', PLAIN, '--json')).json();
    expect(Object.keys(o).sort()).toEqual(['chargedKWh', 'dischargedKWh', 'equivalentCycles', 'profitEur', 'solveMs']);
    const fee = (await cli('oracle', PLAIN, '--import-fee-eur-per-mwh', '0', '--json')).json();
    expect(fee.profitEur).toBe(o.profitEur);
    expect(fee.pvKWh).toBe(0);
    expect(fee.curtailedKWh).toBe(0);
    expect((fee.revenue as unknown as Record<string, number>).batteryArbitrageEur).toBe(o.profitEur);
  });

  it('adds the revenue split and per-step site columns on a site', async () => {
    const o = (await cli('oracle', 'test-data/site/load-small.csv', '--schedule', '--json')).json() as unknown as {
      profitEur: number;
      revenue: Record<string, number>;
      schedule: Record<string, number>[];
    };
    const r = o.revenue;
    expect(r.pvSoldEur + r.avoidedImportEur + r.batteryArbitrageEur - r.loadCostEur).toBeCloseTo(o.profitEur, 9);
    expect(Object.keys(o.schedule[0])).toEqual(
      expect.arrayContaining(['pvKWh', 'importKWh', 'exportKWh', 'curtailKWh']),
    );
  });

  it.each([
    [['--export-fee-eur-per-mwh', '-5'], /^bess: --export-fee-eur-per-mwh: .*export price .* exceed the import price/],
    [['--import-limit-kw', '-1'], /^bess: --import-limit-kw: import limit \(kW\) must be within/],
    [['--pv-scale', 'x'], /^bess: --pv-scale must be a number/],
    [['--pv-scal', '2'], /^bess: unknown flag --pv-scal \(did you mean --pv-scale\?\)/],
  ])('refuses %j naming the flag', async (flags, message) => {
    const r = await cli('oracle', PV, ...flags);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toMatch(message);
  });

  it('refuses --pv-scale on a file without pv_kw, and a load the import limit cannot cover, naming file and step', async () => {
    const r = await cli('oracle', PLAIN, '--pv-scale', '2');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--pv-scale: be-2023-hourly.csv has no pv_kw column/);
    const load = await cli('oracle', 'test-data/site/load-small.csv', '--import-limit-kw', '10');
    expect(load.code).toBe(2);
    expect(load.err).toMatch(
      /--import-limit-kw: load-small.csv, import limit \(kW\) 10 with PV 0 kW cannot cover load_kw 30 at step 1 \(2025-06-01T00:00:00.000Z\)/,
    );
  });
});

describe('bess compare on a site', () => {
  it('scores every strategy on the site: the site oracle first and highest, hold earns the PV alone', async () => {
    const r = await cli('compare', 'test-data/site/load-small.csv', '--export-limit-kw', '20', '--json');
    expect(r.code, r.err).toBe(0);
    const { strategies } = JSON.parse(r.out) as {
      strategies: { name: string; profitEur: number; shareOfOracle: number; note?: string }[];
    };
    expect(strategies[0].name).toBe('oracle (exact LP)');
    expect(strategies.map((s) => s.name)).toContain('battery oracle, site-blind');
    expect(strategies.map((s) => s.name)).not.toContain('original heuristic');
    for (const s of strategies) expect(s.profitEur, s.name).toBeLessThanOrEqual(strategies[0].profitEur + 1e-9);
    const hold = strategies.find((s) => s.name === 'hold')!;
    expect(hold.profitEur).not.toBe(0);
    expect(strategies.find((s) => s.name === 'battery oracle, site-blind')!.note).toMatch(/settled on the site/);
  });

  it('--information day-ahead plans and settles every baseline on the PV site, against the site optimum of the span', async () => {
    const args = ['compare', PV, '--information', 'day-ahead', '--forecast', 'naive-d1', '--json'];
    const r = await cli(...args, '--export-limit-kw', '50');
    expect(r.code, r.err).toBe(0);
    type Row = { name: string; profitEur: number; shareOfOracle: number };
    const out = JSON.parse(r.out) as { information: string; forecast: string; start: string; strategies: Row[] };
    expect(out.information).toBe('day-ahead');
    expect(out.forecast).toBe('naive-d1');
    const names = out.strategies.map((s) => s.name);
    expect(names).toEqual(['oracle', 'plan-on-forecast', 'rolling-horizon', 'threshold', 'hold']);
    // The yardstick is the site's exact optimum over the test span (HiGHS-checked in core/oracle).
    const series = await loadPriceFile(PV);
    const span = testSpan(series.timesUtcMs, series.dtHours, 0.75);
    expect(new Date(series.timesUtcMs[span.from]).toISOString()).toBe(out.start);
    const site = resolveSite({ exportLimitKW: 50 });
    const cut = (xs: Float64Array) => xs.slice(span.from, span.to);
    const siteSpan = {
      pricesEurPerMWh: cut(series.pricesEurPerMWh),
      dtHours: series.dtHours,
      battery: resolveBattery({}),
      site,
      series: { pvKW: cut(Float64Array.from(series.pvKW!)), loadKW: null },
    };
    const [oracle, plan, , , hold] = out.strategies;
    expect(oracle.profitEur).toBeCloseTo(solveSiteOracle(siteSpan).profitEur, 6);
    // Hold earns the PV alone, sold under the export limit; every strategy lies between nothing and the optimum.
    expect(hold.profitEur).toBeCloseTo(siteWithoutBattery(siteSpan).cashEur, 6);
    for (const s of out.strategies) {
      expect(s.profitEur, s.name).toBeLessThanOrEqual(oracle.profitEur + 1e-6);
      expect(s.shareOfOracle, s.name).toBeCloseTo(s.profitEur / oracle.profitEur, 9);
    }
    expect(plan.profitEur).toBeGreaterThan(hold.profitEur);
    // The site changes the numbers: the same command without the limit scores a different optimum.
    const free = JSON.parse((await cli(...args)).out) as { strategies: Row[] };
    expect(free.strategies[0].profitEur).toBeGreaterThan(oracle.profitEur);
  });

  it('--information with --model on a site reads the model first: a missing one is named (the agent on a site: site-agent.test.ts)', async () => {
    const r = await cli('compare', 'test-data/site/load-small.csv', '--information', 'known-24h', '--model', 'nowhere');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^bess: nowhere: no model.json/);
  });
});

describe('bess size on a site', () => {
  it("values each cell by what its battery adds to the site (the site oracle's battery share), solving every cell", async () => {
    const site = ['--export-limit-kw', '20', '--import-fee-eur-per-mwh', '10'];
    const r = await cli(
      'size',
      'test-data/site/load-small.csv',
      '--capacity-kwh',
      '50:100:50',
      '--power-kw',
      '25:50:25',
      ...site,
      '--jobs',
      '1',
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as {
      cells: { capacityKWh: number; powerKW: number; profitEur: number }[];
      solves: number;
    };
    expect(out.solves).toBe(4);
    const cell = out.cells.find((c) => c.capacityKWh === 100 && c.powerKW === 50)!;
    const o = (
      await cli(
        'oracle',
        'test-data/site/load-small.csv',
        '--capacity-kwh',
        '100',
        '--power-kw',
        '50',
        ...site,
        '--json',
      )
    ).json();
    expect(cell.profitEur).toBeCloseTo((o.revenue as unknown as Record<string, number>).batteryArbitrageEur, 9);
    expect(cell.profitEur).toBeGreaterThan(0);
    expect(o.profitEur).not.toBeCloseTo(cell.profitEur, 3);
  });
});
