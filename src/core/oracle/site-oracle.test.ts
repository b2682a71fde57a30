import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadPriceFile } from '../../io/load.ts';
import type { SiteSpec } from '../site/index.ts';
import { BatteryParamError, DEFAULT_BATTERY, resolveBattery, type BatteryParams } from '../battery/index.ts';
import { createRng } from '../rl/rng.ts';
import { resolveSite, type SiteParams, type SiteSeries, simulateSite } from '../site/index.ts';
import { solveOracle } from './oracle.ts';
import { solveSiteOracle } from './site-oracle.ts';
import { type HighsLike, evaluateLp, siteLp, siteLpPoint, solveWithHighs } from './lp.ts';

let highs: HighsLike;
beforeAll(async () => {
  highs = (await (await import('highs')).default()) as unknown as HighsLike;
});

interface Instance {
  prices: Float64Array;
  dt: number;
  b: BatteryParams;
  site: SiteParams;
  series: SiteSeries;
}

/** A random small site: PV (sometimes none or zero), load, both limits, fees, PV-only charging, prices to −500. */
function randomSite(seed: number): Instance {
  const r = createRng(seed);
  const u = () => r.next();
  const T = 1 + Math.floor(u() ** 3 * 120);
  const dt = u() < 0.6 ? 1 : 0.25;
  const cap = u() < 0.05 ? 0 : Math.round(1 + u() * 200);
  const b = resolveBattery({
    capacityKWh: cap,
    powerKW: u() < 0.05 ? 0 : 1 + u() * 100,
    chargeEfficiency: u() < 0.2 ? 1 : 0.5 + 0.5 * u(),
    dischargeEfficiency: u() < 0.3 ? 1 : 0.6 + 0.4 * u(),
    degradationEurPerKWh: u() < 0.3 ? 0 : u() * 0.05,
    initialSocKWh: u() < 0.4 ? 0 : u() * cap,
    sharedPowerLimit: u() < 0.7,
  });
  const pvPeak = u() < 0.15 ? 0 : u() * 150;
  const pv =
    u() < 0.1
      ? null
      : Float64Array.from({ length: T }, (_, t) => Math.max(0, Math.sin((t * dt * Math.PI) / 12)) * pvPeak * u());
  const load = u() < 0.3 ? null : Float64Array.from({ length: T }, () => (u() < 0.2 ? 0 : u() * 60));
  const importFee = u() < 0.3 ? 0 : -20 + u() * 100;
  const exportFee = u() < 0.3 ? Math.max(0, -importFee) : Math.max(-importFee, -20 + u() * 60);
  const pvScale = u() < 0.2 ? 0.5 + u() : 1;
  let importLimitKW: number | null = u() < 0.4 ? null : u() * 80;
  if (importLimitKW !== null && load !== null)
    for (let t = 0; t < T; t++) load[t] = Math.min(load[t], importLimitKW + (pv ? pvScale * pv[t] : 0));
  if (u() < 0.05) importLimitKW = 0;
  if (importLimitKW === 0 && load !== null)
    for (let t = 0; t < T; t++) load[t] = Math.min(load[t], pv ? pvScale * pv[t] : 0);
  const site = resolveSite({
    pvScale,
    importLimitKW,
    exportLimitKW: u() < 0.4 ? null : u() < 0.1 ? 0 : u() * 80,
    importFeeEurPerMWh: importFee,
    exportFeeEurPerMWh: exportFee,
    chargeFromPvOnly: u() < 0.3,
  });
  const prices = Float64Array.from({ length: T }, () => {
    const x = u();
    return x < 0.05 ? 0 : x < 0.2 ? -500 * u() : Math.round((u() * 250 - 30) * 100) / 100;
  });
  return { prices, dt, b, site, series: { pvKW: pv, loadKW: load } };
}

const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe('solveSiteOracle (slope trick on the site)', () => {
  it('equals HiGHS on 1,000 seeded random site instances, with a trace that is a feasible point of the site LP worth its profit', () => {
    let worst = 0;
    for (let seed = 1; seed <= 1000; seed++) {
      const { prices, dt, b, site, series } = randomSite(seed);
      const o = solveSiteOracle({ pricesEurPerMWh: prices, dtHours: dt, battery: b, site, series });
      const lp = siteLp(prices, dt, b, site, series);
      const h = solveWithHighs(highs, lp);
      expect(h.status, `seed ${seed}`).toBe('Optimal');
      const rel = relDiff(o.profitEur, h.objective);
      worst = Math.max(worst, rel);
      expect(rel, `seed ${seed}: DP ${o.profitEur} vs HiGHS ${h.objective}`).toBeLessThan(1e-9);
      const at = evaluateLp(lp, siteLpPoint(o.trace));
      expect(at.maxViolation, `seed ${seed}`).toBeLessThanOrEqual(1e-9 * Math.max(1, b.capacityKWh, 100));
      expect(relDiff(at.objective, o.profitEur), `seed ${seed}`).toBeLessThan(1e-9);
    }
    expect(worst).toBeLessThan(1e-9);
  }, 900_000);

  it('reproduces the battery oracle exactly on a site without PV, load, limits or fees', () => {
    const r = createRng(3);
    const prices = Float64Array.from({ length: 500 }, () => (r.next() - 0.3) * 400);
    const site = resolveSite({});
    for (const series of [
      { pvKW: null, loadKW: null },
      { pvKW: new Float64Array(500), loadKW: new Float64Array(500) },
    ]) {
      const o = solveSiteOracle({ pricesEurPerMWh: prices, dtHours: 1, battery: DEFAULT_BATTERY, site, series });
      const base = solveOracle({ pricesEurPerMWh: prices, dtHours: 1, battery: DEFAULT_BATTERY });
      expect(o.profitEur).toBe(base.profitEur);
      expect(Array.from(o.schedule.socKWh)).toEqual(Array.from(base.schedule.socKWh));
      expect(o.pvKWh).toBe(0);
      expect(o.batteryArbitrageEur).toBe(o.profitEur);
    }
  });

  it('with PV, the site DP on a site that only differs by a zero-price fee pair equals the battery oracle plus the PV value', () => {
    // Fees 0 and no limits: PV is sold at the market price whatever the battery does, so the optimum splits.
    const r = createRng(11);
    const T = 300;
    const prices = Float64Array.from({ length: T }, () => 20 + r.next() * 150);
    const pv = Float64Array.from({ length: T }, (_, t) => Math.max(0, Math.sin((t * Math.PI) / 12)) * 80);
    const o = solveSiteOracle({
      pricesEurPerMWh: prices,
      dtHours: 1,
      battery: DEFAULT_BATTERY,
      site: resolveSite({}),
      series: { pvKW: pv, loadKW: null },
    });
    const base = solveOracle({ pricesEurPerMWh: prices, dtHours: 1, battery: DEFAULT_BATTERY });
    const pvValue = pv.reduce((s, p, t) => s + (p * prices[t]) / 1000, 0);
    expect(relDiff(o.profitEur, base.profitEur + pvValue)).toBeLessThan(1e-12);
    expect(relDiff(o.pvSoldEur, pvValue)).toBeLessThan(1e-12);
    expect(relDiff(o.batteryArbitrageEur, base.profitEur)).toBeLessThan(1e-9);
    expect(o.curtailedKWh).toBeLessThan(1e-9);
  });

  it('curtails PV at negative prices and never charges from the grid with chargeFromPvOnly', () => {
    const prices = [-50, -50, 100, 100];
    const pv = [40, 40, 0, 0];
    const load = [10, 10, 10, 10];
    const run = (chargeFromPvOnly: boolean) =>
      solveSiteOracle({
        pricesEurPerMWh: prices,
        dtHours: 1,
        battery: resolveBattery({ degradationEurPerKWh: 0 }),
        site: resolveSite({ chargeFromPvOnly }),
        series: { pvKW: pv, loadKW: load },
      });
    const free = run(false);
    const pvOnly = run(true);
    // Free: at −50 the battery charges 50 kWh per step from the grid and PV is curtailed (drawing power pays).
    expect(free.schedule.chargeKWh[0]).toBeCloseTo(50, 9);
    expect(free.curtailedKWh).toBeCloseTo(80, 9);
    // PV only: at most pv − load = 30 kWh per step.
    for (let t = 0; t < 4; t++)
      expect(pvOnly.schedule.chargeKWh[t]).toBeLessThanOrEqual(Math.max(0, pv[t] - load[t]) + 1e-12);
    expect(pvOnly.profitEur).toBeLessThan(free.profitEur);
  });

  it('replays to the same profit and SOC through simulateSite', () => {
    const { prices, dt, b, site, series } = randomSite(42);
    const o = solveSiteOracle({ pricesEurPerMWh: prices, dtHours: dt, battery: b, site, series });
    const sim = simulateSite(
      { pricesEurPerMWh: prices, dtHours: dt, battery: b, site, series },
      { chargeKWh: o.schedule.chargeKWh, dischargeKWh: o.schedule.dischargeKWh },
    );
    expect(sim.profitEur).toBe(o.profitEur);
    expect(Array.from(sim.socAfterKWh)).toEqual(Array.from(o.schedule.socKWh));
  });

  it('refuses a terminal SOC that PV-only charging cannot reach', () => {
    const b = resolveBattery({ terminalSocKWh: 50 });
    expect(() =>
      solveSiteOracle({
        pricesEurPerMWh: [10, 20, 30],
        dtHours: 1,
        battery: b,
        site: resolveSite({ chargeFromPvOnly: true }),
        series: { pvKW: [10, 10, 10], loadKW: null },
      }),
    ).toThrow(BatteryParamError);
  });

  it('matches the pinned HiGHS optimum of the DE-LU 2023 PV site for every pinned site setting', async () => {
    const pinned = JSON.parse(
      readFileSync(new URL('../../../test-data/site/pinned-site-optima.json', import.meta.url), 'utf8'),
    ) as { settings: Record<string, { site: SiteSpec; highsProfitEur: number }> };
    const s = await loadPriceFile(
      new URL('../../../test-data/site/de-lu-2023-pv100-iso.csv', import.meta.url).pathname,
    );
    const series = { pvKW: s.pvKW ?? null, loadKW: null };
    expect(Object.keys(pinned.settings).length).toBeGreaterThanOrEqual(4);
    const profits = new Set<number>();
    for (const [name, { site, highsProfitEur }] of Object.entries(pinned.settings)) {
      const o = solveSiteOracle({
        pricesEurPerMWh: s.pricesEurPerMWh,
        dtHours: s.dtHours,
        battery: DEFAULT_BATTERY,
        site: resolveSite(site),
        series,
      });
      expect(relDiff(o.profitEur, highsProfitEur), name).toBeLessThan(1e-9);
      expect(o.pvKWh, name).toBeCloseTo(134749.877 * (site.pvScale ?? 1), 3);
      expect(o.pvSoldEur + o.avoidedImportEur + o.batteryArbitrageEur - o.loadCostEur).toBeCloseTo(o.profitEur, 6);
      profits.add(Math.round(o.profitEur));
    }
    expect(profits.size).toBe(Object.keys(pinned.settings).length);
  });
});
