import { describe, expect, it } from 'vitest';
import { resolveBattery } from '../battery/index.ts';
import { simulate } from '../sim/simulate.ts';
import { createRng } from '../rl/rng.ts';
import { actionLevels, resolveEnvConfig } from './config.ts';
import { BatteryEnv, VecEnv, shapingEur } from './env.ts';
import {
  OBS_FEATURES,
  OBS_FIXED,
  computeNormStats,
  createObsContext,
  obsLayout,
  writeObservation,
} from './features.ts';
import { requestForPowerFraction } from '../battery/index.ts';

const HOUR = 3_600_000;
function series(prices: number[], dtHours = 1) {
  return {
    timesUtcMs: Float64Array.from(prices, (_, i) => Date.UTC(2023, 0, 2) + i * dtHours * HOUR),
    pricesEurPerMWh: Float64Array.from(prices),
    dtHours,
  };
}

describe('actionLevels', () => {
  it('the planner correction is a share from 0 to 1 over a whole number of days', () => {
    expect(resolveEnvConfig({})).toMatchObject({ plannerBiasWeight: 0.25, plannerBiasDays: 14 });
    expect(() => resolveEnvConfig({ plannerBiasWeight: -0.1 })).toThrow(/plannerBiasWeight must be between 0 and 1/);
    expect(() => resolveEnvConfig({ plannerBiasWeight: 1.5 })).toThrow(/plannerBiasWeight/);
    expect(() => resolveEnvConfig({ plannerBiasDays: 0 })).toThrow(/plannerBiasDays must be a whole number/);
    expect(() => resolveEnvConfig({ plannerBiasDays: 7.5 })).toThrow(/plannerBiasDays/);
    expect(resolveEnvConfig({}).plannerLastDayWeight).toBe(0.1);
    expect(() => resolveEnvConfig({ plannerLastDayWeight: 1.01 })).toThrow(/plannerLastDayWeight must be between 0/);
  });

  it('actionLevels(3) is hold, charge full, discharge full; 5 adds half power', () => {
    expect(actionLevels(3)).toEqual([0, 1, -1]);
    expect(actionLevels(5)).toEqual([0, 0.5, 1, -0.5, -1]);
  });
});

describe('BatteryEnv', () => {
  it('summed cash over random actions equals simulate() profit for the same actions (3 and 5 levels, hourly and 15 min)', () => {
    const rng = createRng(7);
    for (const [numActions, dt] of [
      [3, 1],
      [5, 0.25],
      [3, 0.25],
    ] as const) {
      const prices = Array.from({ length: 300 }, (_, i) => 80 + 60 * Math.sin(i / 4) + (rng.next() - 0.3) * 200);
      const s = series(prices, dt);
      const battery = resolveBattery({
        initialSocKWh: 30,
        degradationEurPerKWh: 0.02,
        chargeEfficiency: 0.85,
        dischargeEfficiency: 0.95,
      });
      const config = resolveEnvConfig({ numActions });
      const ctx = createObsContext(s, battery, config, computeNormStats(s, battery, config));
      const env = new BatteryEnv(ctx, battery, config);
      env.reset(0, battery.initialSocKWh, prices.length);
      const levels = actionLevels(numActions);
      const ch = new Float64Array(prices.length);
      const dis = new Float64Array(prices.length);
      let cash = 0;
      let last;
      for (let t = 0; t < prices.length; t++) {
        const a = rng.int(numActions);
        const r = requestForPowerFraction(battery, levels[a], dt);
        ch[t] = r.chargeKWh;
        dis[t] = r.dischargeKWh;
        last = env.step(a);
        cash += last.cashEur;
      }
      const sim = simulate(battery, s.pricesEurPerMWh, dt, { chargeKWh: ch, dischargeKWh: dis });
      expect(cash).toBeCloseTo(sim.profitEur, 9);
      expect(env.socKWh).toBeCloseTo(sim.finalSocKWh, 9);
      expect(last!.terminated).toBe(true);
      expect(last!.truncated).toBe(false);
    }
  });

  it('reward is (cash + shaping) / scale and shaping follows the original terms', () => {
    const config = resolveEnvConfig({});
    // Selling 50 kWh at 100 EUR/MWh with a forecast average of 60: bonus 0.1 × 40 × 50 / 1000 = 0.2 EUR.
    expect(shapingEur(config, 100, 60, 0, 50)).toBeCloseTo(0.2, 12);
    // Buying 50 kWh above the average: −0.05 × 50 = −2.5 EUR; below the average: nothing.
    expect(shapingEur(config, 100, 60, 50, 0)).toBeCloseTo(-2.5, 12);
    expect(shapingEur(config, 50, 60, 50, 0)).toBe(0);
    expect(shapingEur(config, 50, 60, 0, 50)).toBe(0);
  });

  it('observation holds price, SOC fraction, UTC time, the next H prices and their mean, normalised', () => {
    const prices = Array.from({ length: 30 }, (_, i) => i * 10);
    const s = series(prices);
    const battery = resolveBattery({});
    const config = resolveEnvConfig({ horizonHours: 4, windowNormalisation: false });
    const stats = { priceMeanEurPerMWh: 100, priceStdEurPerMWh: 50, rewardScaleEur: 1 };
    const ctx = createObsContext(s, battery, config, stats);
    const out = new Float32Array(ctx.obsDim);
    expect(ctx.obsDim).toBe(OBS_FIXED + 4);
    const env = new BatteryEnv(ctx, battery, config);
    env.reset(27, 25, 10);
    env.observe(out, 0);
    // t = 27: price 270; the series ends at 29, so the look-ahead repeats 290.
    expect(out[0]).toBeCloseTo((270 - 100) / 50, 6);
    expect(out[1]).toBeCloseTo(0.25, 6);
    // 2023-01-02 00:00 UTC + 27 h = 03:00 UTC: day angle 2π·3/24.
    expect(out[2]).toBeCloseTo(Math.sin((2 * Math.PI * 3) / 24), 6);
    expect(out[3]).toBeCloseTo(Math.cos((2 * Math.PI * 3) / 24), 6);
    expect(Array.from(out.slice(6, 10))).toEqual([280, 290, 290, 290].map((p) => Math.fround((p - 100) / 50)));
    const avg = (280 + 290 * 3) / 4;
    expect(out[10]).toBeCloseTo((avg - 100) / 50, 6);
    // Window spread: std of [270, 280, 290, 290, 290]; degradation 0.01 EUR/kWh = 10 EUR/MWh.
    const win = [270, 280, 290, 290, 290];
    const m = win.reduce((a, b) => a + b) / 5;
    const spread = Math.sqrt(win.reduce((a, b) => a + (b - m) ** 2, 0) / 5);
    expect(out[11]).toBeCloseTo(Math.log(spread / 50), 5);
    expect(out[12]).toBeCloseTo(10 / (10 + spread), 6);
    expect(out[13]).toBeCloseTo(avg / (avg + spread), 6);
    // Round-trip margins per cell kWh on the price scale (std 50): charge now at 270, sell at 290 later; or sell
    // now at 270 and buy back at 280 at best. Buying a cell kWh costs (p/1000 + 0.01)/0.9, selling earns p/1000 − 0.01.
    const buy = (p: number) => (p / 1000 + 0.01) / 0.9;
    const sell = (p: number) => p / 1000 - 0.01;
    expect(out[16]).toBeCloseTo(((sell(290) - buy(270)) * 1000) / 50, 5);
    expect(out[17]).toBeCloseTo(((sell(270) - buy(280)) * 1000) / 50, 5);
  });

  it('with windowNormalisation, prices are relative to the forecast average over the window spread: level-free', () => {
    const base = Array.from({ length: 48 }, (_, i) => 50 + 30 * Math.sin(i / 3));
    const battery = resolveBattery({ degradationEurPerKWh: 0 });
    const config = resolveEnvConfig({ horizonHours: 6 });
    const stats = { priceMeanEurPerMWh: 50, priceStdEurPerMWh: 20, rewardScaleEur: 1 };
    const obsAt = (prices: number[]) => {
      const ctx = createObsContext(series(prices), battery, config, stats);
      const out = new Float32Array(ctx.obsDim);
      writeObservation(ctx, 10, 40, out, 0);
      return out;
    };
    const a = obsAt(base);
    const b = obsAt(base.map((p) => p + 500));
    // The price features [0] and [6, 12) do not move when every price shifts by 500 EUR/MWh; the level does.
    for (const k of [0, 6, 7, 8, 9, 10, 11]) expect(b[k]).toBeCloseTo(a[k], 4);
    expect(b[12]).toBeCloseTo(a[12] + 25, 4);
    const p = base;
    const win = p.slice(10, 17);
    const avg = p.slice(11, 17).reduce((x, y) => x + y) / 6;
    const m = win.reduce((x, y) => x + y) / 7;
    const spread = Math.sqrt(win.reduce((x, y) => x + (y - m) ** 2, 0) / 7);
    expect(a[0]).toBeCloseTo((p[10] - avg) / spread, 4);
    expect(a[6]).toBeCloseTo((p[11] - avg) / spread, 4);
  });
});

describe('VecEnv', () => {
  it('truncates episodes at the window length without terminating, and resets them', () => {
    const prices = Array.from({ length: 500 }, (_, i) => 50 + 40 * Math.sin(i / 3));
    const s = series(prices);
    const battery = resolveBattery({});
    const config = resolveEnvConfig({ episodeHours: 10 });
    const ctx = createObsContext(s, battery, config, computeNormStats(s, battery, config));
    const vec = new VecEnv(ctx, battery, config, 4, createRng(1));
    let truncations = 0;
    for (let step = 0; step < 10; step++) {
      const out = vec.step(new Int32Array([1, 2, 0, 1]));
      for (let e = 0; e < 4; e++) {
        truncations += out.truncated[e];
        expect(out.terminated[e]).toBe(0);
      }
      if (step < 9) expect(Array.from(out.truncated)).toEqual([0, 0, 0, 0]);
    }
    expect(truncations).toBe(4);
    expect(vec.drainEpisodes().map((e) => e.length)).toEqual([10, 10, 10, 10]);
  });
});

describe('obsLayout', () => {
  it('obsLayout(H) places every declared feature once, in order, back to back, H wide for the look-ahead', () => {
    const l = obsLayout(24);
    expect(l.slots.map((s) => s.name)).toEqual(OBS_FEATURES.map((f) => f.name));
    expect(new Set(l.slots.map((s) => s.name)).size).toBe(l.slots.length);
    let offset = 0;
    for (const s of l.slots) {
      expect(s.offset).toBe(offset);
      expect(l.at[s.name]).toBe(offset);
      offset += s.width;
    }
    expect(l.dim).toBe(offset);
    expect(l.dim).toBe(OBS_FIXED + 24);
    expect(l.slots.find((s) => s.name === 'nextPrices')!.width).toBe(24);
  });

  it('writeObservation fills every slot of the layout (no offset left unwritten) and the SOC slot holds the fraction', () => {
    const s = {
      timesUtcMs: Float64Array.from({ length: 48 }, (_, i) => Date.UTC(2023, 0, 2) + i * 3_600_000),
      pricesEurPerMWh: Float64Array.from({ length: 48 }, (_, i) => 40 + 20 * Math.sin(i / 3)),
      dtHours: 1,
    };
    const battery = resolveBattery({});
    const config = resolveEnvConfig({ horizonHours: 6 });
    const ctx = createObsContext(s, battery, config, computeNormStats(s, battery, config));
    const out = new Float32Array(ctx.obsDim).fill(Number.NaN);
    writeObservation(ctx, 5, 30, out, 0);
    expect(Array.from(out).every(Number.isFinite)).toBe(true);
    expect(out[ctx.layout.at.soc]).toBeCloseTo(0.3, 6);
  });
});
