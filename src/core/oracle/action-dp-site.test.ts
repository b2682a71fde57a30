import { describe, expect, it } from 'vitest';
import { requestForPowerFraction, resolveBattery } from '../battery/index.ts';
import { createRng } from '../rl/rng.ts';
import { resolveSite, simulateSite, siteStepContext, siteWithoutBattery } from '../site/index.ts';
import { rollingHorizon, solveActionDp } from './action-dp.ts';
import { solveSiteOracle } from './site-oracle.ts';

const LEVELS = [0, 1, -1];

function tinySite(seed: number) {
  const r = createRng(seed);
  const u = () => r.next();
  const T = 2 + Math.floor(u() * 5);
  const battery = resolveBattery({
    capacityKWh: 40 + Math.round(u() * 60),
    powerKW: 10 + u() * 40,
    chargeEfficiency: 0.8 + 0.2 * u(),
    initialSocKWh: u() < 0.5 ? 0 : 20,
  });
  const pvKW = Array.from({ length: T }, () => (u() < 0.4 ? 0 : u() * 60));
  const loadKW = Array.from({ length: T }, () => u() * 20);
  const importLimitKW = u() < 0.5 ? null : 20 + u() * 30;
  if (importLimitKW !== null) for (let t = 0; t < T; t++) loadKW[t] = Math.min(loadKW[t], importLimitKW + pvKW[t]);
  const site = resolveSite({
    importLimitKW,
    exportLimitKW: u() < 0.5 ? null : u() * 30,
    importFeeEurPerMWh: u() * 40,
    exportFeeEurPerMWh: u() * 10,
    chargeFromPvOnly: u() < 0.5,
  });
  const prices = Array.from({ length: T }, () => (u() < 0.2 ? -200 * u() : u() * 200));
  return { pricesEurPerMWh: prices, dtHours: 1, battery, levels: LEVELS, site: { site, series: { pvKW, loadKW } } };
}

describe('solveActionDp on a site', () => {
  it('equals the best of every action sequence the site allows without cutting, by brute force on 200 tiny sites', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const input = tinySite(seed);
      const { battery: b, dtHours, pricesEurPerMWh: prices } = input;
      const T = prices.length;
      const dp = solveActionDp(input);
      let best = -Infinity;
      const actions = new Array<number>(T).fill(0);
      const walk = (t: number, soc: number): void => {
        if (t === T) {
          const req = actions.map((a) => requestForPowerFraction(b, LEVELS[a], dtHours));
          const sim = simulateSite(
            { pricesEurPerMWh: prices, dtHours, battery: b, ...input.site },
            { chargeKWh: req.map((x) => x.chargeKWh), dischargeKWh: req.map((x) => x.dischargeKWh) },
          );
          best = Math.max(best, sim.profitEur);
          return;
        }
        const ctx = siteStepContext(b, input.site.site, input.site.series, t, prices[t], dtHours);
        for (let a = 0; a < LEVELS.length; a++) {
          const r = requestForPowerFraction(b, LEVELS[a], dtHours);
          // What the battery itself takes from this SOC (its own clipping), then whether the site allows it uncut.
          const sim = simulateSite(
            {
              pricesEurPerMWh: [prices[t]],
              dtHours,
              battery: { ...b, initialSocKWh: soc },
              site: resolveSite({}),
              series: { pvKW: null, loadKW: null },
            },
            { chargeKWh: [r.chargeKWh], dischargeKWh: [r.dischargeKWh] },
          );
          const c = sim.chargedKWh[0];
          const d = sim.dischargedKWh[0];
          const net = ctx.loadKWh + c - d;
          const tol = 1e-9;
          if (c > ctx.chargeMaxKWh + tol || net > ctx.pvKWh + ctx.importMaxKWh + tol || net < -ctx.exportMaxKWh - tol)
            continue;
          actions[t] = a;
          walk(t + 1, sim.finalSocKWh);
        }
      };
      walk(0, b.initialSocKWh);
      expect(Math.abs(dp.profitEur - best), `seed ${seed}: DP ${dp.profitEur} vs brute force ${best}`).toBeLessThan(
        1e-9 * Math.max(1, Math.abs(best)),
      );
      const oracle = solveSiteOracle({ pricesEurPerMWh: prices, dtHours, battery: b, ...input.site });
      expect(dp.profitEur, `seed ${seed}`).toBeLessThanOrEqual(oracle.profitEur + 1e-9);
    }
  });

  it('the rolling horizon on a site replays through the site to the profit it reports, and stays under the site oracle', () => {
    const r = createRng(4);
    const T = 96;
    const pvKW = Array.from({ length: T }, (_, t) => Math.max(0, Math.sin(((t % 24) - 6) * (Math.PI / 12))) * 120);
    const input = {
      pricesEurPerMWh: Array.from({ length: T }, (_, t) => 80 + 60 * Math.sin((t * Math.PI) / 12) + 20 * r.next()),
      dtHours: 1,
      battery: resolveBattery({}),
      levels: LEVELS,
      site: {
        site: resolveSite({ exportLimitKW: 60, chargeFromPvOnly: true, importFeeEurPerMWh: 20 }),
        series: { pvKW, loadKW: null },
      },
    };
    const rh = rollingHorizon(input, 24);
    const dp = solveActionDp(input);
    const oracle = solveSiteOracle({ ...input, ...input.site });
    expect(rh.profitEur).toBeLessThanOrEqual(dp.profitEur + 1e-9);
    expect(dp.profitEur).toBeLessThanOrEqual(oracle.profitEur + 1e-9);
    // Storing PV the export limit would curtail pays: the plan beats the site without a battery.
    expect(rh.profitEur).toBeGreaterThan(siteWithoutBattery({ ...input, ...input.site }).cashEur);
  });
});
