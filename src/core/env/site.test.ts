import { describe, expect, it } from 'vitest';
import { requestForPowerFraction, resolveBattery } from '../battery/index.ts';
import { createRng } from '../rl/rng.ts';
import { resolveSite } from '../site/site.ts';
import { simulateSite } from '../site/simulate.ts';
import { actionLevels, resolveEnvConfig } from './config.ts';
import { BatteryEnv } from './env.ts';
import { computeNormStats, createObsContext, obsLayout, writeObservation } from './features.ts';
import { computeSiteNormStats, siteContext, siteFromRecord, siteIsActive, siteRecord, withSite } from './site.ts';

const HOUR = 3_600_000;
function series(prices: number[], dtHours = 1) {
  return {
    timesUtcMs: Float64Array.from(prices, (_, i) => Date.UTC(2023, 5, 1) + i * dtHours * HOUR),
    pricesEurPerMWh: Float64Array.from(prices),
    dtHours,
  };
}
const sunny = (n: number, peakKW: number, dt = 1) =>
  Float64Array.from({ length: n }, (_, i) => Math.max(0, peakKW * Math.sin((((i * dt) % 24) - 6) * (Math.PI / 12))));

/** Runs random actions through the env; returns rewards, cash, observations and the requests taken. */
function rollout(ctx: ReturnType<typeof createObsContext>, seed: number, numActions = 3) {
  const battery = resolveBattery({ initialSocKWh: 20 });
  const config = resolveEnvConfig({ numActions });
  const env = new BatteryEnv(ctx, battery, config);
  env.reset(0, battery.initialSocKWh, ctx.length);
  const rng = createRng(seed);
  const levels = actionLevels(numActions);
  const n = ctx.length;
  const chargeKWh = new Float64Array(n);
  const dischargeKWh = new Float64Array(n);
  const rewards: number[] = [];
  const obs: number[][] = [];
  const soc: number[] = [];
  let cash = 0;
  const o = new Float32Array(ctx.obsDim);
  for (let t = 0; t < n; t++) {
    env.observe(o, 0);
    obs.push(Array.from(o));
    const a = rng.int(numActions);
    const r = requestForPowerFraction(battery, levels[a], ctx.dtHours);
    chargeKWh[t] = r.chargeKWh;
    dischargeKWh[t] = r.dischargeKWh;
    const s = env.step(a);
    rewards.push(s.reward);
    cash += s.cashEur;
    soc.push(env.socKWh);
  }
  return { battery, rewards, obs, soc, cash, schedule: { chargeKWh, dischargeKWh } };
}

describe('the env on a site', () => {
  const rng = createRng(3);
  const prices = Array.from({ length: 120 }, (_, i) => 70 + 50 * Math.sin(i / 3) + (rng.next() - 0.4) * 150);
  const s = series(prices);
  const battery = resolveBattery({ initialSocKWh: 20 });
  const config = resolveEnvConfig({});
  const stats = computeNormStats(s, battery, config);

  it('a site without PV, load, limits or fees gives the observations and rewards of the battery alone', () => {
    const site = resolveSite({ pvScale: 0 });
    const ss = { pvKW: sunny(prices.length, 80), loadKW: null };
    expect(siteIsActive(site, ss)).toBe(false);
    const plainCtx = createObsContext(s, battery, config, stats);
    const viaSite = siteContext(plainCtx, siteIsActive(site, ss), site, ss, computeSiteNormStats(site, ss));
    const a = rollout(plainCtx, 11);
    const b = rollout(viaSite, 11);
    expect(b.obs).toEqual(a.obs);
    expect(b.rewards).toEqual(a.rewards);
    // Forced onto the site anyway: the same rewards bit for bit, and the battery's features unchanged.
    const forced = rollout(withSite(plainCtx, site, ss, computeSiteNormStats(site, ss)), 11);
    expect(forced.rewards).toEqual(a.rewards);
    const dim = plainCtx.obsDim;
    expect(forced.obs.map((o) => o.slice(0, dim))).toEqual(a.obs);
  });

  it('summed env cash and SOC equal simulateSite of the same requests (PV, load, limits, fees, PV-only)', () => {
    const pv = sunny(prices.length, 90);
    const load = Float64Array.from(prices, (_, i) => 10 + 8 * Math.cos(i / 5) ** 2);
    for (const spec of [
      { importLimitKW: 60, exportLimitKW: 40, importFeeEurPerMWh: 30, exportFeeEurPerMWh: 5 },
      { chargeFromPvOnly: true, exportLimitKW: 25 },
      { pvScale: 2, importFeeEurPerMWh: 12 },
    ]) {
      const site = resolveSite(spec);
      const ss = { pvKW: pv, loadKW: load };
      expect(siteIsActive(site, ss)).toBe(true);
      const ctx = withSite(createObsContext(s, battery, config, stats), site, ss, computeSiteNormStats(site, ss));
      const r = rollout(ctx, 5);
      const sim = simulateSite(
        { pricesEurPerMWh: s.pricesEurPerMWh, dtHours: 1, battery, site, series: ss },
        r.schedule,
      );
      expect(r.cash).toBe(sim.profitEur);
      expect(r.soc).toEqual(Array.from(sim.socAfterKWh));
    }
  });

  it('PV-only charging: a charge request without PV surplus charges nothing', () => {
    const site = resolveSite({ chargeFromPvOnly: true });
    const ss = { pvKW: new Float64Array(prices.length), loadKW: Float64Array.from(prices, () => 5) };
    const ctx = withSite(createObsContext(s, battery, config, stats), site, ss, computeSiteNormStats(site, ss));
    const env = new BatteryEnv(ctx, battery, config);
    env.reset(0, 20, 10);
    env.step(1);
    expect(env.socKWh).toBe(20);
  });

  it('observes PV and load now and over the next H steps, by the training std, and records the layout', () => {
    const pv = sunny(prices.length, 90);
    const load = Float64Array.from(prices, (_, i) => 10 + (i % 7));
    const site = resolveSite({ pvScale: 1.5 });
    const ss = { pvKW: pv, loadKW: load };
    const st = computeSiteNormStats(site, ss);
    const ctx = withSite(createObsContext(s, battery, config, stats), site, ss, st);
    const layout = obsLayout(ctx.horizon, 'known-24h', true);
    expect(ctx.obsDim).toBe(obsLayout(ctx.horizon).dim + 2 + 2 * ctx.horizon);
    const o = new Float32Array(ctx.obsDim);
    const t = 30;
    writeObservation(ctx, t, 20, o, 0);
    expect(o[layout.at.pv]).toBeCloseTo((1.5 * pv[t]) / st.pvStdKW, 5);
    expect(o[layout.at.load]).toBeCloseTo(load[t] / st.loadStdKW, 5);
    expect(o[layout.at.nextPv + 4]).toBeCloseTo((1.5 * pv[t + 5]) / st.pvStdKW, 5);
    expect(o[layout.at.nextLoad + ctx.horizon - 1]).toBeCloseTo(load[t + ctx.horizon] / st.loadStdKW, 5);
    // Past the series end the last value repeats, as the prices do.
    writeObservation(ctx, prices.length - 1, 20, o, 0);
    expect(o[layout.at.nextLoad + ctx.horizon - 1]).toBeCloseTo(load[prices.length - 1] / st.loadStdKW, 5);
  });

  it('siteRecord round-trips through siteFromRecord (no limit = null), and overrides apply field by field', () => {
    const site = resolveSite({ exportLimitKW: 30, importFeeEurPerMWh: 10, chargeFromPvOnly: true });
    const rec = siteRecord(site, { pvStdKW: 2, loadStdKW: 1 });
    expect(rec.importLimitKW).toBeNull();
    expect(JSON.parse(JSON.stringify(rec))).toEqual(rec);
    expect(siteFromRecord(rec)).toEqual(site);
    expect(siteFromRecord(rec, { exportLimitKW: 10, pvScale: undefined })).toEqual({ ...site, exportLimitKW: 10 });
  });
});
