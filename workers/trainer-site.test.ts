// The agent on a site (issue 14 §3): a short seeded training on a PV + load site, its money as simulateSite
// replays its actions, and the same model backtested again on the site.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionLevels } from '../src/core/env/config.ts';
import { requestForPowerFraction, resolveBattery } from '../src/core/battery/index.ts';
import { solveSiteOracle } from '../src/core/oracle/site-oracle.ts';
import { createRng } from '../src/core/rl/rng.ts';
import { resolveSite } from '../src/core/site/site.ts';
import { simulateSite } from '../src/core/site/simulate.ts';
import { createTrainer } from './trainer.ts';
import type { TrainRequest } from './trainer-api.ts';

const HOUR = 3_600_000;
function days(n: number, seed: number, startDay = 0) {
  const rng = createRng(seed);
  const steps = n * 24;
  const hour = (i: number) => i % 24;
  return {
    timesUtcMs: Float64Array.from({ length: steps }, (_, i) => Date.UTC(2023, 5, 1 + startDay) + i * HOUR),
    // Midday PV pushes prices down (to below zero some days), evenings are dear.
    pricesEurPerMWh: Float64Array.from(
      { length: steps },
      (_, i) => 90 + 60 * Math.sin((2 * Math.PI * (hour(i) - 12)) / 24) - 70 * sun(hour(i)) + 15 * rng.normal(),
    ),
    pvKW: Float64Array.from({ length: steps }, (_, i) => 80 * sun(hour(i)) * (0.6 + 0.4 * rng.next())),
    loadKW: Float64Array.from({ length: steps }, (_, i) => 12 + 6 * Math.cos((2 * Math.PI * hour(i)) / 24)),
  };
}
const sun = (h: number) => Math.max(0, Math.sin(((h - 6) * Math.PI) / 12));

beforeAll(async () => {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(new URL('../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
});

const train = days(20, 1);
const test = days(6, 2, 20);
const siteSpec = { exportLimitKW: 60, importFeeEurPerMWh: 20, exportFeeEurPerMWh: 5, chargeFromPvOnly: true };
const request = (site: TrainRequest['site']): TrainRequest => ({
  train: { timesUtcMs: train.timesUtcMs, pricesEurPerMWh: train.pricesEurPerMWh },
  test: { timesUtcMs: test.timesUtcMs, pricesEurPerMWh: test.pricesEurPerMWh },
  dtHours: 1,
  battery: {},
  env: { horizonHours: 12 },
  cloneOptions: { epochs: 2, augmentPriceScale: 0 },
  ppo: { totalTimesteps: 4 * 4 * 32, numEnvs: 4, numSteps: 32, numMinibatches: 2, evalEveryIterations: 2 },
  seed: 5,
  backend: 'wasm',
  ...(site ? { site } : {}),
});
const onSite = (spec: object) => ({
  site: spec,
  train: { pvKW: train.pvKW, loadKW: train.loadKW },
  test: { pvKW: test.pvKW, loadKW: test.loadKW },
});

describe('training on a site', { timeout: 600_000 }, () => {
  it('the agent trains on the site; its profit is simulateSite of its actions and a share of the site oracle', async () => {
    const trainer = createTrainer();
    const res = await trainer.start(request(onSite(siteSpec)), () => {});
    expect(res.model.config.site).toMatchObject({ exportLimitKW: 60, importLimitKW: null, chargeFromPvOnly: true });
    expect(res.params.site).toEqual(res.model.config.site);
    expect(res.model.config.layout.map((s) => s.name)).toContain('nextPv');
    const battery = resolveBattery({});
    const site = resolveSite(siteSpec);
    const input = {
      pricesEurPerMWh: test.pricesEurPerMWh,
      dtHours: 1,
      battery,
      site,
      series: { pvKW: test.pvKW, loadKW: test.loadKW },
    };
    const levels = actionLevels(3);
    const reqs = Array.from(res.backtest.trace.actions, (a) => requestForPowerFraction(battery, levels[a], 1));
    const sim = simulateSite(input, {
      chargeKWh: Float64Array.from(reqs, (r) => r.chargeKWh),
      dischargeKWh: Float64Array.from(reqs, (r) => r.dischargeKWh),
    });
    expect(res.backtest.profitEur).toBe(sim.profitEur);
    expect(Array.from(res.backtest.trace.cashEur)).toEqual(Array.from(sim.cashEur));
    const oracle = solveSiteOracle(input).profitEur;
    expect(res.backtest.oracleProfitEur).toBe(oracle);
    expect(res.backtest.shareOfOracle).toBe(sim.profitEur / oracle);
    expect(res.backtest.profitEur).toBeLessThanOrEqual(oracle + 1e-9);
    // The saved model backtests again on the site: the same actions and money.
    const again = await trainer.backtest(res.model, res.backtest.trace, 1, {}, undefined, {
      site: { series: { pvKW: test.pvKW, loadKW: test.loadKW } },
    });
    expect(again.profitEur).toBe(res.backtest.profitEur);
    await expect(trainer.backtest(res.model, res.backtest.trace, 1, {})).rejects.toThrow(/model was trained on a site/);
    // A site field given overrides the model's: without the export fee the agent earns something else.
    const noFee = await trainer.backtest(res.model, res.backtest.trace, 1, {}, undefined, {
      site: { series: { pvKW: test.pvKW, loadKW: test.loadKW }, site: { exportFeeEurPerMWh: 0 } },
    });
    expect(noFee.profitEur).not.toBe(res.backtest.profitEur);
  });

  it('a site that adds nothing trains exactly as the battery alone (same weights, same backtest)', async () => {
    const a = await createTrainer().start(request(undefined), () => {});
    // No PV (scale 0), no load, no limit, no fee: the battery alone.
    const c = await createTrainer().start(
      request({
        site: { pvScale: 0 },
        train: { pvKW: train.pvKW, loadKW: null },
        test: { pvKW: test.pvKW, loadKW: null },
      }),
      () => {},
    );
    expect(c.model.config.site).toBeUndefined();
    expect(c.model.weights.map((w) => Array.from(w.values))).toEqual(a.model.weights.map((w) => Array.from(w.values)));
    expect(c.backtest.profitEur).toBe(a.backtest.profitEur);
    // A model without a site refuses an active site.
    await expect(
      createTrainer().backtest(a.model, res0(), 1, {}, undefined, {
        site: { series: { pvKW: test.pvKW, loadKW: test.loadKW } },
      }),
    ).rejects.toThrow(/trained on the battery alone/);
  });
});
const res0 = () => ({ timesUtcMs: test.timesUtcMs, pricesEurPerMWh: test.pricesEurPerMWh });
