import { describe, expect, it, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  BATTERY_LIMITS,
  BatteryParamError,
  DEFAULT_BATTERY,
  resolveBattery,
  type BatteryParams,
} from '../battery/index.ts';
import { createRng } from '../rl/rng.ts';
import { loadPriceFile } from '../../io/load.ts';
import { solveOracle } from './oracle.ts';
import {
  batteryLp,
  evaluateLp,
  lpPoint,
  solveWithHighs,
  solveWithJsLpSolver,
  type HighsLike,
  type JsLpSolverLike,
} from './lp.ts';
import { solveActionDp } from './action-dp.ts';
import { heuristicEstimate } from './heuristic.ts';

let highs: HighsLike;
beforeAll(async () => {
  highs = (await (await import('highs')).default()) as unknown as HighsLike;
});

/** A random instance: lengths 1–2,000 weighted to small, prices down to −500, any battery the LP allows. */
function randomInstance(seed: number): { prices: Float64Array; dt: number; b: BatteryParams } {
  const r = createRng(seed);
  const u = () => r.next();
  const T = seed % 100 === 0 ? 2000 : 1 + Math.floor(u() ** 8 * 1999);
  const cap = u() < 0.05 ? 0 : Math.round(1 + u() * 300);
  const power = u() < 0.05 ? 0 : 1 + u() * 150;
  const dt = u() < 0.5 ? 1 : 0.25;
  const initial = u() < 0.3 ? 0 : u() * cap;
  const spec = {
    capacityKWh: cap,
    powerKW: power,
    chargeEfficiency: u() < 0.2 ? 1 : 0.5 + 0.5 * u(),
    dischargeEfficiency: u() < 0.3 ? 1 : 0.5 + 0.5 * u(),
    degradationEurPerKWh: u() < 0.4 ? 0 : u() * 0.05,
    initialSocKWh: initial,
    sharedPowerLimit: u() < 0.7,
  };
  const b0 = resolveBattery(spec);
  // A terminal minimum that the power limit can reach from the initial SOC.
  const reach = Math.min(cap, initial + T * b0.chargeEfficiency * power * dt);
  const b = u() < 0.3 ? resolveBattery({ ...spec, terminalSocKWh: u() * reach }) : b0;
  const prices = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const x = u();
    prices[t] = x < 0.05 ? 0 : x < 0.15 ? -500 * u() : Math.round((u() * 250 - 30) * 100) / 100;
  }
  return { prices, dt, b };
}

const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe('solveOracle (slope trick)', () => {
  it('equals HiGHS on 1,000 seeded random instances, with a schedule that is a feasible point of the LP worth its profit', () => {
    let worst = 0;
    for (let seed = 1; seed <= 1000; seed++) {
      const { prices, dt, b } = randomInstance(seed);
      const o = solveOracle({ pricesEurPerMWh: prices, dtHours: dt, battery: b });
      const lp = batteryLp(prices, dt, b);
      const h = solveWithHighs(highs, lp);
      expect(h.status, `seed ${seed}`).toBe('Optimal');
      const rel = relDiff(o.profitEur, h.objective);
      worst = Math.max(worst, rel);
      expect(rel, `seed ${seed}: fast ${o.profitEur} vs HiGHS ${h.objective}`).toBeLessThan(1e-9);
      // The schedule judged by the LP, not by the simulator that produced it: every bound, SOC balance, power and
      // terminal constraint holds, and the LP's own objective at that point is the profit reported.
      const at = evaluateLp(lp, lpPoint(o.schedule));
      expect(at.maxViolation, `seed ${seed}`).toBeLessThanOrEqual(1e-9 * Math.max(1, b.capacityKWh));
      expect(relDiff(at.objective, o.profitEur), `seed ${seed}`).toBeLessThan(1e-9);
    }
    expect(worst).toBeLessThan(1e-9);
    // 1,000 HiGHS solves: about 80 s on this 2-core machine when quiet, 140 s at load 15; the limit only stops a hang.
  }, 900_000);

  it('evaluateLp catches a schedule that breaks the LP: an SOC path off its balance, or charge over the power limit', () => {
    const b = resolveBattery({});
    const prices = [10, 200, 50];
    const o = solveOracle({ pricesEurPerMWh: prices, dtHours: 1, battery: b });
    const lp = batteryLp(prices, 1, b);
    expect(evaluateLp(lp, lpPoint(o.schedule)).maxViolation).toBeLessThan(1e-12);
    const offBalance = { ...o.schedule, socKWh: o.schedule.socKWh.map((s, t) => (t === 0 ? s + 1 : s)) };
    expect(evaluateLp(lp, lpPoint(offBalance)).maxViolation).toBeCloseTo(1, 12);
    const overPower = {
      ...o.schedule,
      chargeKWh: Float64Array.from([60, 0, 0]),
      socKWh: Float64Array.from([54, 0, 0]),
    };
    expect(evaluateLp(lp, lpPoint(overPower)).maxViolation).toBeGreaterThanOrEqual(10);
  });

  it('refuses a terminal SOC that no schedule can reach over the series, naming it, and meets one at the edge', () => {
    // 3 hourly steps of 50 kW at ηc = 0.9 store at most 135 kWh; the battery holds 200.
    const b = resolveBattery({ capacityKWh: 200, terminalSocKWh: 140 });
    expect(() => solveOracle({ pricesEurPerMWh: [50, 60, 70], dtHours: 1, battery: b })).toThrow(BatteryParamError);
    expect(() => solveOracle({ pricesEurPerMWh: [50, 60, 70], dtHours: 1, battery: b })).toThrow(
      /terminal SOC \(kWh\) 140 cannot be met.*at most 135 kWh in 3 steps/,
    );
    expect(() => solveActionDp({ pricesEurPerMWh: [50, 60, 70], dtHours: 1, battery: b, levels: [0, 1, -1] })).toThrow(
      /cannot be met/,
    );
    expect(() =>
      solveOracle({ pricesEurPerMWh: [], dtHours: 1, battery: resolveBattery({ terminalSocKWh: 1 }) }),
    ).toThrow(/cannot be met/);
    const edge = solveOracle({ pricesEurPerMWh: [50, 60, 70], dtHours: 1, battery: { ...b, terminalSocKWh: 135 } });
    expect(edge.schedule.socKWh[2]).toBeCloseTo(135, 9);
    expect(edge.chargedKWh).toBeCloseTo(150, 9);
  });

  it('gives finite profits for every battery at the edges of the physical ranges', () => {
    const r = createRng(9);
    const prices = Float64Array.from({ length: 500 }, () => (r.next() - 0.5) * 2e4);
    const L = BATTERY_LIMITS;
    for (const spec of [
      { capacityKWh: L.maxCapacityKWh, powerKW: L.maxPowerKW, degradationEurPerKWh: L.maxDegradationEurPerKWh },
      {
        capacityKWh: L.maxCapacityKWh,
        powerKW: L.maxPowerKW,
        chargeEfficiency: L.minEfficiency,
        dischargeEfficiency: L.minEfficiency,
      },
      { capacityKWh: L.maxCapacityKWh, powerKW: 1e-6, degradationEurPerKWh: 0, sharedPowerLimit: false },
    ]) {
      const o = solveOracle({ pricesEurPerMWh: prices, dtHours: 1, battery: resolveBattery(spec) });
      expect(Number.isFinite(o.profitEur), JSON.stringify(spec)).toBe(true);
      expect(o.profitEur).toBeGreaterThanOrEqual(0);
    }
  });

  it('agrees with javascript-lp-solver on tiny instances', async () => {
    const solver =
      ((await import('javascript-lp-solver')) as unknown as { default: JsLpSolverLike }).default ??
      (createRequire(import.meta.url)('javascript-lp-solver') as JsLpSolverLike);
    for (let seed = 5001; seed <= 5036; seed++) {
      const { prices, dt, b } = randomInstance(seed);
      const p = prices.subarray(0, 1 + (seed % 12));
      const o = solveOracle({
        pricesEurPerMWh: p,
        dtHours: dt,
        battery: b.terminalSocKWh === null ? b : { ...b, terminalSocKWh: null },
      });
      const j = solveWithJsLpSolver(
        solver,
        batteryLp(p, dt, b.terminalSocKWh === null ? b : { ...b, terminalSocKWh: null }),
      );
      expect(j.status).toBe('Optimal');
      expect(Math.abs(o.profitEur - j.objective), `seed ${seed}`).toBeLessThan(
        1e-6 * Math.max(1, Math.abs(j.objective)),
      );
    }
  });

  it('does not burn energy at very negative prices with the shared limit, and does with independent limits', () => {
    const prices = [-500, -500, -500];
    const shared = solveOracle({ pricesEurPerMWh: prices, dtHours: 1, battery: resolveBattery({ capacityKWh: 0 }) });
    expect(shared.chargedKWh).toBeGreaterThan(0);
    // Shared: at most one full-power step's worth of throughput per step.
    for (let t = 0; t < 3; t++)
      expect(shared.schedule.chargeKWh[t] / 50 + shared.schedule.dischargeKWh[t] / 50).toBeLessThanOrEqual(1 + 1e-12);
    const indep = solveOracle({
      pricesEurPerMWh: prices,
      dtHours: 1,
      battery: resolveBattery({ capacityKWh: 0, sharedPowerLimit: false }),
    });
    expect(indep.profitEur).toBeGreaterThan(shared.profitEur);
    // Zero power: nothing happens.
    expect(
      solveOracle({ pricesEurPerMWh: [10, 200], dtHours: 1, battery: resolveBattery({ powerKW: 0 }) }).profitEur,
    ).toBe(0);
  });

  it('equals HiGHS when thousands of pieces of the value function live at once (the value function grows its arrays)', () => {
    // A big battery with little power: the value of stored energy has a piece per power-step of capacity.
    const r = createRng(77);
    const T = 2500;
    const prices = Float64Array.from(
      { length: T },
      (_, t) => 60 + 50 * Math.sin((2 * Math.PI * t) / 24) + 40 * r.next() - (t % 97 === 0 ? 300 : 0),
    );
    for (const spec of [
      { capacityKWh: 5000, powerKW: 1 },
      { capacityKWh: 5000, powerKW: 1, sharedPowerLimit: false, initialSocKWh: 2500 },
    ]) {
      const b = resolveBattery(spec);
      const o = solveOracle({ pricesEurPerMWh: prices, dtHours: 1, battery: b });
      const h = solveWithHighs(highs, batteryLp(prices, 1, b));
      expect(relDiff(o.profitEur, h.objective)).toBeLessThan(1e-9);
    }
  });

  it('gives the same answer however it was called before (the value function is reused across sizes)', () => {
    const { prices, dt, b } = randomInstance(100);
    const first = solveOracle({ pricesEurPerMWh: prices, dtHours: dt, battery: b });
    solveOracle({
      pricesEurPerMWh: Float64Array.from({ length: 20000 }, (_, t) => ((t * 37) % 211) - 50),
      dtHours: 0.25,
      battery: DEFAULT_BATTERY,
    });
    solveOracle({ pricesEurPerMWh: [5], dtHours: 1, battery: DEFAULT_BATTERY });
    const again = solveOracle({ pricesEurPerMWh: prices, dtHours: dt, battery: b });
    expect(again.profitEur).toBe(first.profitEur);
    expect(Array.from(again.schedule.socKWh)).toEqual(Array.from(first.schedule.socKWh));
    expect(solveOracle({ pricesEurPerMWh: [], dtHours: 1, battery: DEFAULT_BATTERY }).profitEur).toBe(0);
  });

  it('matches the pinned HiGHS optimum of every real file with the default battery, and beats the action-set optimum', async () => {
    const pinned = JSON.parse(
      readFileSync(new URL('../../../test-data/oracle/pinned-optima.json', import.meta.url), 'utf8'),
    ) as { files: Record<string, { steps: number; highsProfitEur: number }> };
    const names = Object.keys(pinned.files);
    expect(names.length).toBeGreaterThanOrEqual(9);
    for (const name of names) {
      const s = await loadPriceFile(new URL(`../../../test-data/real/${name}`, import.meta.url).pathname);
      expect(s.pricesEurPerMWh.length).toBe(pinned.files[name].steps);
      const o = solveOracle({ pricesEurPerMWh: s.pricesEurPerMWh, dtHours: s.dtHours, battery: DEFAULT_BATTERY });
      expect(relDiff(o.profitEur, pinned.files[name].highsProfitEur), name).toBeLessThan(1e-9);
      const dp = solveActionDp({
        pricesEurPerMWh: s.pricesEurPerMWh,
        dtHours: s.dtHours,
        battery: DEFAULT_BATTERY,
        levels: [0, 1, -1],
      });
      expect(dp.profitEur, name).toBeLessThanOrEqual(o.profitEur + 1e-9);
      expect(
        heuristicEstimate({ pricesEurPerMWh: s.pricesEurPerMWh, dtHours: s.dtHours, battery: DEFAULT_BATTERY })
          .profitEur,
        name,
      ).toBeGreaterThan(o.profitEur);
    }
  });
});
