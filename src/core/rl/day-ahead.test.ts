import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBattery } from '../battery/index.ts';
import {
  BatteryEnv,
  computeNormStats,
  createDayAheadObsContext,
  issueDayAhead,
  obsLayout,
  plannerActionAt,
  resolveEnvConfig,
} from '../env/index.ts';
import { columnForecaster, naiveD1, ridgeForecaster, type Forecaster } from '../forecast/index.ts';
import { compareUnderInformation, deliveryDays } from '../information/index.ts';
import { solveOracle } from '../oracle/oracle.ts';
import { MS_PER_HOUR } from '../units.ts';
import { greedyRollout } from './evaluate.ts';
import { initPolicyWeights } from './mlp.ts';
import { checkSavedModel, parseSavedModel, serializeSavedModel, toSavedModel } from './model.ts';
import { createRng } from './rng.ts';
import { runTraining, type TrainRequest } from './run.ts';
import { rollingHorizonStrategy } from '../information/strategies.ts';
import { dayAheadModelContext } from './day-ahead.ts';

beforeAll(async () => {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(new URL('../../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
  await tf.ready();
});

const battery = resolveBattery({});
const env = resolveEnvConfig({});

/** Seeded hourly prices with a daily shape and noise over `days` CET days. */
function market(days: number, seed: number) {
  const n = days * 24;
  const t0 = Date.parse('2023-01-01T23:00:00Z');
  const r = createRng(seed);
  return {
    timesUtcMs: Float64Array.from({ length: n }, (_, i) => t0 + i * MS_PER_HOUR),
    pricesEurPerMWh: Float64Array.from(
      { length: n },
      (_, i) => 60 + 40 * Math.sin((((i % 24) - 8) / 24) * 2 * Math.PI) + 25 * r.normal(),
    ),
    dtHours: 1,
  };
}

describe('day-ahead observation: no leak', () => {
  const forecasters = (): Forecaster[] => [naiveD1(), ridgeForecaster({ minTrainDays: 10 })];
  it("replacing day D's actual prices leaves every observation and the agent's decisions for D unchanged", () => {
    const series = market(40, 5);
    const days = deliveryDays(series.timesUtcMs, 1);
    const D = days[30];
    const changed = { ...series, pricesEurPerMWh: series.pricesEurPerMWh.slice() };
    const r = createRng(9);
    for (let i = D.start; i < D.end; i++) changed.pricesEurPerMWh[i] = 500 * r.next() - 250;
    const stats = computeNormStats(series, battery, env);
    const from = days[25].start;
    const weights = initPolicyWeights(obsLayout(24, 'day-ahead').dim, 3, 16, createRng(2));
    for (let k = 0; k < forecasters().length; k++) {
      const ctxOf = (s: typeof series) =>
        createDayAheadObsContext(
          s,
          issueDayAhead(s, forecasters()[k], [], from),
          from,
          s.pricesEurPerMWh.length,
          battery,
          env,
          stats,
        );
      const a = ctxOf(series);
      const b = ctxOf(changed);
      const upTo = D.end - from;
      // Every step up to D's end, at every SOC the agent could hold: the same observation.
      const oa = new Float32Array(a.obsDim);
      const ob = new Float32Array(b.obsDim);
      for (let t = 0; t < upTo; t++)
        for (const soc of [battery.minSocKWh, battery.initialSocKWh, battery.maxSocKWh]) {
          const ea = new BatteryEnv(a, battery, env);
          const eb = new BatteryEnv(b, battery, env);
          ea.reset(t, soc, 1);
          eb.reset(t, soc, 1);
          ea.observe(oa, 0);
          eb.observe(ob, 0);
          expect(Array.from(ob), `${forecasters()[k].name} step ${t}`).toEqual(Array.from(oa));
        }
      // So the greedy agent's actions for D are the same; its money differs (it is settled at D's actual prices).
      const ga = greedyRollout(weights, a, battery, env);
      const gb = greedyRollout(weights, b, battery, env);
      expect(Array.from(gb.actions.subarray(0, upTo))).toEqual(Array.from(ga.actions.subarray(0, upTo)));
      expect(gb.profitEur).not.toBe(ga.profitEur);
    }
  });

  it('the same check fails for the known-24h observation, which sees D from D−1 (the test can fail)', () => {
    const series = market(40, 5);
    const days = deliveryDays(series.timesUtcMs, 1);
    const D = days[30];
    const changed = { ...series, pricesEurPerMWh: series.pricesEurPerMWh.slice() };
    for (let i = D.start; i < D.end; i++) changed.pricesEurPerMWh[i] = i % 2 ? 400 : -200;
    const stats = computeNormStats(series, battery, env);
    const ctxOf = (s: typeof series) =>
      createDayAheadObsContext(
        s,
        issueDayAhead(s, columnForecaster(s.pricesEurPerMWh), []),
        0,
        s.pricesEurPerMWh.length,
        battery,
        env,
        stats,
      );
    // A "forecast" that is the actual series is the leak the day-ahead observation must not have.
    const oa = new Float32Array(ctxOf(series).obsDim);
    const ob = new Float32Array(oa.length);
    const ea = new BatteryEnv(ctxOf(series), battery, env);
    const eb = new BatteryEnv(ctxOf(changed), battery, env);
    ea.reset(D.start, battery.initialSocKWh, 1);
    eb.reset(D.start, battery.initialSocKWh, 1);
    ea.observe(oa, 0);
    eb.observe(ob, 0);
    expect(Array.from(ob)).not.toEqual(Array.from(oa));
  });

  it('following the plannerAction feature is the rolling-horizon baseline on the forecast', () => {
    const series = market(40, 3);
    const days = deliveryDays(series.timesUtcMs, 1);
    const from = days[20].start;
    const stats = computeNormStats(series, battery, env);
    const ctx = createDayAheadObsContext(
      series,
      issueDayAhead(series, naiveD1(), [], from),
      from,
      series.pricesEurPerMWh.length,
      battery,
      env,
      stats,
    );
    const e = new BatteryEnv(ctx, battery, env);
    e.reset(0, battery.initialSocKWh, ctx.length);
    let profit = 0;
    for (let t = 0; t < ctx.length; t++) profit += e.step(plannerActionAt(ctx.dayAhead!, t, e.socKWh)).cashEur;
    const c = compareUnderInformation({
      series,
      spanFrom: from,
      spanTo: series.pricesEurPerMWh.length,
      battery,
      mode: 'day-ahead',
      forecaster: naiveD1(),
      strategies: [rollingHorizonStrategy()],
    });
    // The baseline plans its last day on the span's end only; the agent's window repeats the issue's last price.
    expect(profit).toBeCloseTo(c.strategies[1].profitEur, 0);
  });
});

describe('day-ahead models', () => {
  it('a saved day-ahead model records mode and forecaster and its layout; the loader checks the layout by mode', () => {
    const weights = initPolicyWeights(obsLayout(24, 'day-ahead').dim, 3, 8, createRng(1));
    const config = {
      env,
      stats: { priceMeanEurPerMWh: 50, priceStdEurPerMWh: 20, rewardScaleEur: 1 },
      dtHours: 1,
      battery,
      hiddenSize: 8,
      validationShare: 0.5,
      backend: 'wasm' as const,
      information: { mode: 'day-ahead' as const, forecast: 'ridge' },
    };
    const saved = toSavedModel(weights, config);
    expect(saved.config.layout.map((s) => s.name).slice(-3)).toEqual(['plannerAction', 'forecastMae', 'forecastBias']);
    const back = parseSavedModel(serializeSavedModel(saved)).model;
    expect(back.config.information).toEqual({ mode: 'day-ahead', forecast: 'ridge' });
    // Without its information record the same weights no longer match the known-24h layout.
    const { information: _, ...plain } = JSON.parse(serializeSavedModel(saved)).config;
    expect(() => checkSavedModel({ ...JSON.parse(serializeSavedModel(saved)), config: plain })).toThrow(/layout/);
    // A lear model without the exogenous series is a clear error.
    const lear = toSavedModel(weights, { ...config, information: { mode: 'day-ahead', forecast: 'lear' } });
    expect(() => dayAheadModelContext(lear.config, market(5, 1), battery)).toThrow(/lear.*exogenous/);
  });
});

describe('learning under day-ahead information', () => {
  // Actual prices: cheap nights, an evening peak at 19:00 CET. The forecast (a column) is right about the night
  // but puts the peak at noon: biased the same way every day, which the calendar features let the agent learn.
  function biased(days: number) {
    const n = days * 24;
    const t0 = Date.parse('2023-01-01T23:00:00Z');
    const r = createRng(4);
    const actual = new Float64Array(n);
    const forecast = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const h = i % 24;
      const night = h >= 1 && h <= 4 ? -30 : 0;
      actual[i] = 60 + night + (h === 19 || h === 20 ? 60 : 0) + 4 * r.normal();
      forecast[i] = 60 + night + (h === 12 || h === 13 ? 60 : 0);
    }
    return { timesUtcMs: Float64Array.from({ length: n }, (_, i) => t0 + i * MS_PER_HOUR), actual, forecast };
  }

  it.each(['hindsight', 'expected'])(
    'the agent cloned from the %s teacher beats planning on the biased forecast, at actual prices, on the test split',
    async (teacher) => {
      const s = biased(24);
      const cut = 18 * 24;
      const req: TrainRequest = {
        train: { timesUtcMs: s.timesUtcMs.slice(0, cut), pricesEurPerMWh: s.actual.slice(0, cut) },
        test: { timesUtcMs: s.timesUtcMs.slice(cut), pricesEurPerMWh: s.actual.slice(cut) },
        dtHours: 1,
        battery: {},
        cloneOptions: {
          epochs: 12,
          batchSize: 128,
          maxSocLevels: 5,
          learningRate: 1e-2,
          augmentPriceScale: 0,
          augmentShiftStd: 0,
          teacher,
        },
        ppo: { totalTimesteps: 0, hiddenSize: 16 },
        information: { mode: 'day-ahead', forecast: 'column', column: s.forecast },
        seed: 1,
        backend: 'wasm',
      };
      const result = await runTraining(req, {
        backend: 'wasm',
        oracle: (i) => solveOracle(i),
        nowMs: () => 0,
        onProgress: () => {},
        stopRequested: () => false,
        yieldToEvents: async () => {},
      });
      const planned = compareUnderInformation({
        series: { timesUtcMs: s.timesUtcMs, pricesEurPerMWh: s.actual, dtHours: 1 },
        spanFrom: cut,
        spanTo: s.actual.length,
        battery,
        mode: 'day-ahead',
        forecaster: columnForecaster(s.forecast),
      }).strategies.find((x) => x.name === 'plan-on-forecast')!;
      expect(result.params.information).toEqual({ mode: 'day-ahead', forecast: 'column' });
      expect(result.model.config.information).toEqual({ mode: 'day-ahead', forecast: 'column' });
      expect(result.backtest.trace.actions.length).toBe(s.actual.length - cut);
      expect(result.backtest.shareOfOracle).toBeGreaterThan(planned.shareOfOracle + 0.2);
    },
  );
});
