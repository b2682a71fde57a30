import { describe, expect, it } from 'vitest';
import { resolveBattery, requestForPowerFraction, type BatteryParams } from '../battery/index.ts';
import { simulate } from '../sim/simulate.ts';
import { createRng } from '../rl/rng.ts';
import { loadPriceFile } from '../../io/load.ts';
import { reachableSocLevels, rollingHorizon, solveActionDp, teacherActions } from './action-dp.ts';

const LEVELS3 = [0, 1, -1];

function schedule(b: BatteryParams, levels: number[], actions: ArrayLike<number>, dt: number) {
  const c = new Float64Array(actions.length);
  const d = new Float64Array(actions.length);
  for (let t = 0; t < actions.length; t++) {
    const r = requestForPowerFraction(b, levels[actions[t]], dt);
    c[t] = r.chargeKWh;
    d[t] = r.dischargeKWh;
  }
  return { chargeKWh: c, dischargeKWh: d };
}

function bruteForce(b: BatteryParams, levels: number[], prices: number[], dt: number): number {
  let best = -Infinity;
  const T = prices.length;
  const total = levels.length ** T;
  const actions = new Int32Array(T);
  for (let code = 0; code < total; code++) {
    let x = code;
    for (let t = 0; t < T; t++) {
      actions[t] = x % levels.length;
      x = Math.floor(x / levels.length);
    }
    best = Math.max(best, simulate(b, prices, dt, schedule(b, levels, actions, dt)).profitEur);
  }
  return best;
}

describe('reachableSocLevels', () => {
  it('is the 21-level lattice of 5 kWh with the default battery and 3 levels', () => {
    const s = reachableSocLevels(resolveBattery({}), LEVELS3, 1, 0);
    expect(s.length).toBe(21);
    s.forEach((v, i) => expect(v).toBeCloseTo(5 * i, 9));
  });
  it('respects the cap', () => {
    expect(reachableSocLevels(resolveBattery({ chargeEfficiency: 0.7071 }), [0, 0.37, -0.61], 1, 3.3, 50).length).toBe(
      50,
    );
  });
});

describe('solveActionDp', () => {
  it('equals brute force over all action sequences on tiny instances, and its profit equals simulate()', () => {
    const r = createRng(7);
    const rng = (): number => r.next();
    for (let k = 0; k < 40; k++) {
      const b = resolveBattery({
        capacityKWh: 10 + Math.floor(rng() * 30),
        powerKW: 3 + Math.floor(rng() * 10),
        chargeEfficiency: 0.6 + 0.4 * rng(),
        dischargeEfficiency: 0.7 + 0.3 * rng(),
        degradationEurPerKWh: rng() < 0.5 ? 0 : 0.02,
        initialSocKWh: Math.floor(rng() * 10),
        sharedPowerLimit: rng() < 0.5,
      });
      const levels = k % 2 ? LEVELS3 : [0, 1, 0.5, -0.5, -1];
      const T = levels.length === 3 ? 1 + Math.floor(rng() * 6) : 1 + Math.floor(rng() * 4);
      const dt = rng() < 0.5 ? 1 : 0.25;
      const prices = Array.from({ length: T }, () => Math.round(rng() * 400 - 150));
      const dp = solveActionDp({ pricesEurPerMWh: prices, dtHours: dt, battery: b, levels });
      const sim = simulate(b, prices, dt, schedule(b, levels, dp.actions, dt));
      expect(dp.profitEur).toBeCloseTo(sim.profitEur, 9);
      expect(Array.from(dp.socKWh)).toEqual(Array.from(sim.socAfterKWh));
      expect(dp.profitEur).toBeCloseTo(bruteForce(b, levels, prices, dt), 9);
    }
  });

  it('teacherActions at step 0 over the whole series is the first action of an optimal schedule', () => {
    const b = resolveBattery({});
    const prices = [50, 10, 200, -30, 80, 300, 5, 120];
    const input = { pricesEurPerMWh: prices, dtHours: 1, battery: b, levels: LEVELS3 };
    const dp = solveActionDp(input);
    const first = teacherActions(input, 0, prices.length, [0])[0];
    const forced = simulate(b, prices, 1, schedule(b, LEVELS3, [first], 1)).profitEur;
    expect(first).toBe(dp.actions[0]);
    expect(forced).toBeLessThanOrEqual(dp.profitEur);
    // From a full battery in front of a high price, the teacher sells.
    expect(teacherActions(input, 5, 3, [100])[0]).toBe(2);
    // From empty before a price rise, it buys.
    expect(teacherActions(input, 1, 2, [0])[0]).toBe(1);
  });
});

describe('rollingHorizon', () => {
  it('with 24 h reaches ≥ 99% of the whole-window action optimum on the last quarter of be-2023', async () => {
    const series = await loadPriceFile(new URL('../../../test-data/real/be-2023-hourly.csv', import.meta.url).pathname);
    const q = series.pricesEurPerMWh.subarray(Math.floor((series.pricesEurPerMWh.length * 3) / 4));
    const input = { pricesEurPerMWh: q, dtHours: series.dtHours, battery: resolveBattery({}), levels: LEVELS3 };
    const whole = solveActionDp(input);
    const rolling = rollingHorizon(input, 24);
    const sim = simulate(input.battery, q, 1, schedule(input.battery, LEVELS3, rolling.actions, 1));
    expect(rolling.profitEur).toBeCloseTo(sim.profitEur, 6);
    expect(rolling.profitEur / whole.profitEur).toBeGreaterThanOrEqual(0.99);
    expect(rolling.profitEur).toBeLessThanOrEqual(whole.profitEur + 1e-9);
  });
});
