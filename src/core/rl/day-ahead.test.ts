import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBattery } from '../battery/index.ts';
import {
  BatteryEnv,
  computeNormStats,
  createDayAheadObsContext,
  errorHistoryDays,
  issueDayAhead,
  issueDayAheadSpan,
  obsLayout,
  plannerActionAt,
  resolveEnvConfig,
  writeObservation,
} from '../env/index.ts';
import { columnForecaster, naiveD1, naiveD7, ridgeForecaster, type Forecaster } from '../forecast/index.ts';
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

  it("a span's forecast with its history (the days before it, issued apart) does not see the span's first day", () => {
    const series = market(40, 6);
    const days = deliveryDays(series.timesUtcMs, 1);
    const D = days[35];
    const changed = { ...series, pricesEurPerMWh: series.pricesEurPerMWh.slice() };
    for (let i = D.start; i < D.end; i++) changed.pricesEurPerMWh[i] += 300 * Math.sin(i);
    const stats = computeNormStats(series, battery, env);
    for (const make of forecasters().map(
      (f) => () => (f.name === 'naive-d1' ? naiveD1() : ridgeForecaster({ minTrainDays: 10 })),
    )) {
      const ctxOf = (s: typeof series) => {
        const fc = issueDayAheadSpan(s, make, [], D.start, errorHistoryDays(env));
        expect(fc.history?.length).toBe(errorHistoryDays(env));
        expect(fc.days[0].start).toBe(D.start);
        return createDayAheadObsContext(s, fc, D.start, s.pricesEurPerMWh.length, battery, env, stats);
      };
      const a = ctxOf(series);
      const b = ctxOf(changed);
      const oa = new Float32Array(a.obsDim);
      const ob = new Float32Array(b.obsDim);
      for (let t = 0; t < D.end - D.start; t++)
        for (const soc of [0, 50, 100]) {
          writeObservation(a, t, soc, oa, 0);
          writeObservation(b, t, soc, ob, 0);
          expect(Array.from(ob)).toEqual(Array.from(oa));
        }
      // The history is what the first day's features look back on: without it they read no error at all.
      const bare = createDayAheadObsContext(
        series,
        issueDayAhead(series, make(), [], D.start),
        D.start,
        series.pricesEurPerMWh.length,
        battery,
        env,
        stats,
      );
      expect(bare.dayAhead!.recentMaeEurPerMWh[0]).toBe(0);
      expect(a.dayAhead!.recentMaeEurPerMWh[0]).toBeGreaterThan(1);
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

  /**
   * (1 − `lastDay`) × `inner` + `lastDay` × D−1's actual price at the same time of day, plus `weight` × its mean
   * error (actual − forecast) at each time of day over the `days` days before D it issued for, from nothing but
   * what an issue is handed (the prices known at gate closure): the forecast the planner feature plans on, written
   * from its definition (EnvConfig.plannerBiasWeight, plannerLastDayWeight).
   */
  function corrected(inner: Forecaster, weight: number, days: number, lastDay: number): Forecaster {
    const past = new Map<number, Float64Array>();
    return {
      name: inner.name,
      minHistoryDays: inner.minHistoryDays,
      issue(input) {
        const raw = inner.issue(input);
        past.set(input.day, raw);
        const { days: ds, slots, perDay } = input.calendar;
        const error = new Float64Array(perDay);
        for (let k = input.day - days; k < input.day; k++) {
          const f = past.get(k);
          for (let t = ds[k]?.start; f && t < ds[k].end; t++)
            error[slots[k][t - ds[k].start]] += input.knownPricesEurPerMWh[t] - f[t - ds[k].start];
        }
        const last = new Map<number, number>();
        const prev = ds[input.day - 1];
        for (let t = prev?.start; prev && t < prev.end; t++)
          last.set(slots[input.day - 1][t - prev.start], input.knownPricesEurPerMWh[t]);
        const lenD = ds[input.day].end - ds[input.day].start;
        return raw.map((v, j) => {
          const slot = j < lenD ? slots[input.day][j] : slots[input.day + 1]?.[j - lenD];
          if (slot === undefined) return v;
          const blended = last.has(slot) ? (1 - lastDay) * v + lastDay * last.get(slot)! : v;
          return blended + (weight * error[slot]) / days;
        });
      },
    };
  }

  it.each([
    ['the raw forecast (both weights 0)', 0, 0],
    ['the forecast corrected by its recent error per hour', env.plannerBiasWeight, 0],
    ["the forecast blended with D−1's prices", 0, env.plannerLastDayWeight],
    ['the forecast blended and corrected (the default)', env.plannerBiasWeight, env.plannerLastDayWeight],
  ])('following the plannerAction feature is the rolling-horizon baseline on %s', (_, weight, lastDay) => {
    const series = market(40, 3);
    const days = deliveryDays(series.timesUtcMs, 1);
    const from = days[20].start;
    const cfg = resolveEnvConfig({ plannerBiasWeight: weight, plannerLastDayWeight: lastDay });
    const stats = computeNormStats(series, battery, cfg);
    const ctx = createDayAheadObsContext(
      series,
      issueDayAhead(series, naiveD7(), [], from),
      from,
      series.pricesEurPerMWh.length,
      battery,
      cfg,
      stats,
    );
    const e = new BatteryEnv(ctx, battery, cfg);
    e.reset(0, battery.initialSocKWh, ctx.length);
    let profit = 0;
    for (let t = 0; t < ctx.length; t++) profit += e.step(plannerActionAt(ctx.dayAhead!, t, e.socKWh)).cashEur;
    const baseline = (forecaster: Forecaster) =>
      compareUnderInformation({
        series,
        spanFrom: from,
        spanTo: series.pricesEurPerMWh.length,
        battery,
        mode: 'day-ahead',
        forecaster,
        strategies: [rollingHorizonStrategy()],
      }).strategies[1].profitEur;
    // The baseline plans its last day on the span's end only; the agent's window repeats the issue's last price.
    expect(profit).toBeCloseTo(baseline(corrected(naiveD7(), weight, cfg.plannerBiasDays, lastDay)), 0);
    // The correction changes the plan (so the comparison above can tell the two apart); naive-d7, as naive-d1
    // would be its own blend with D−1.
    if (weight > 0 || lastDay > 0) expect(Math.abs(profit - baseline(naiveD7()))).toBeGreaterThan(1);
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

  type Priced = { timesUtcMs: Float64Array; actual: Float64Array; forecast: Float64Array };
  /**
   * A run in-process with a still clock, trained before step `cut` of `s`, tested after it; `over` replaces the
   * request's fields (its cloneOptions only the clone options it names).
   */
  const trainOn = (s: Priced, cut: number, over: Partial<TrainRequest> = {}) =>
    runTraining(
      {
        train: { timesUtcMs: s.timesUtcMs.slice(0, cut), pricesEurPerMWh: s.actual.slice(0, cut) },
        test: { timesUtcMs: s.timesUtcMs.slice(cut), pricesEurPerMWh: s.actual.slice(cut) },
        dtHours: 1,
        battery: {},
        ppo: { totalTimesteps: 0, hiddenSize: 16 },
        information: { mode: 'day-ahead', forecast: 'column', column: s.forecast },
        seed: 1,
        backend: 'wasm',
        ...over,
        cloneOptions: {
          epochs: 12,
          batchSize: 128,
          maxSocLevels: 5,
          learningRate: 1e-2,
          augmentPriceScale: 0,
          augmentShiftStd: 0,
          ...over.cloneOptions,
        },
      },
      {
        backend: 'wasm',
        oracle: (i) => solveOracle(i),
        nowMs: () => 0,
        onProgress: () => {},
        stopRequested: () => false,
        yieldToEvents: async () => {},
      },
    );
  /** plan-on-forecast's share of the oracle after step `cut`, planning on the series' forecast column. */
  const planShare = (s: Priced, cut: number) =>
    compareUnderInformation({
      series: { timesUtcMs: s.timesUtcMs, pricesEurPerMWh: s.actual, dtHours: 1 },
      spanFrom: cut,
      spanTo: s.actual.length,
      battery,
      mode: 'day-ahead',
      forecaster: columnForecaster(s.forecast),
    }).strategies.find((x) => x.name === 'plan-on-forecast')!.shareOfOracle;

  it.each(['hindsight', 'expected'] as const)(
    'the agent cloned from the %s teacher beats planning on the biased forecast, at actual prices, on the test split',
    async (teacher) => {
      const s = biased(24);
      const cut = 18 * 24;
      const result = await trainOn(s, cut, { cloneOptions: { teacher } });
      expect(result.params.information).toEqual({ mode: 'day-ahead', forecast: 'column' });
      expect(result.model.config.information).toEqual({ mode: 'day-ahead', forecast: 'column' });
      expect(result.backtest.trace.actions.length).toBe(s.actual.length - cut);
      expect(result.backtest.shareOfOracle).toBeGreaterThan(planShare(s, cut) + 0.2);
    },
  );

  it('a fine-tuned policy that wins selection is kept only if the held-out half confirms it day after day', async () => {
    // A barely trained clone, which PPO beats on the validation slice's first half: the held-out check then runs.
    const s = biased(60);
    const cut = 50 * 24;
    const run = (confirmMinT: number) =>
      trainOn(s, cut, {
        cloneOptions: { epochs: 1, learningRate: 1e-4 },
        ppo: { totalTimesteps: 16384, hiddenSize: 16 },
        run: { keepBestMargin: 0, confirmMinT },
      });
    const lenient = await run(0);
    const c = lenient.kept.confirm!;
    expect(c).toBeDefined();
    expect(c.days).toBeGreaterThanOrEqual(3);
    expect(c.ppoShare).toBeGreaterThan(c.cloneShare);
    expect(c.tStat).toBeGreaterThan(0);
    expect(lenient.kept.source).toBe('ppo');
    // The same run (same seed) asking for a t above the one reached keeps the clone, on the same numbers.
    const strict = await run(c.tStat! + 0.5);
    expect(strict.kept.confirm).toEqual(c);
    expect(strict.kept.source).toBe('clone');
    expect(strict.params.run.confirmMinT).toBe(c.tStat! + 0.5);
    expect(strict.backtest.shareOfOracle).not.toBe(lenient.backtest.shareOfOracle);
  });

  // Two evening peaks, 17–18 h and 19–20 h CET; the battery (2 h at full power) can sell one. The forecast is right
  // but for 19–20 h, which it puts 12 EUR/MWh low every day: planning on it sells at 17–18 h for 100 EUR/MWh while
  // 19–20 h pays 110. A quarter of that recent error (3 EUR/MWh) is enough to move the sale.
  function lowEvening(days: number) {
    const n = days * 24;
    const t0 = Date.parse('2023-01-01T23:00:00Z');
    const r = createRng(7);
    const actual = new Float64Array(n);
    const forecast = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const h = (i + 1) % 24; // CET hour: the series starts at 00:00 CET
      const shape = h >= 1 && h <= 4 ? 30 : h === 17 || h === 18 ? 100 : h === 19 || h === 20 ? 110 : 60;
      actual[i] = shape + 2 * r.normal();
      forecast[i] = shape - (h === 19 || h === 20 ? 12 : 0);
    }
    return { timesUtcMs: Float64Array.from({ length: n }, (_, i) => t0 + i * MS_PER_HOUR), actual, forecast };
  }

  it('the agent cloned from the planner (the default teacher) beats planning on a forecast with a per-hour bias', async () => {
    const s = lowEvening(40);
    const cut = 30 * 24;
    const train = async (plannerBiasWeight: number, plannerLastDayWeight: number) => {
      const result = await trainOn(s, cut, { env: { plannerBiasWeight, plannerLastDayWeight } });
      expect(result.model.config.env).toMatchObject({ plannerBiasWeight, plannerLastDayWeight });
      return result.backtest.shareOfOracle;
    };
    const planned = planShare(s, cut);
    const withCorrection = await train(env.plannerBiasWeight, env.plannerLastDayWeight);
    const without = await train(0, 0);
    // A seasonal-naive forecaster is never corrected: the run records (and plans with) weight 0.
    const naive = await trainOn(s, cut, {
      cloneOptions: { epochs: 1, batchSize: 128, maxSocLevels: 5 },
      ppo: { totalTimesteps: 0, hiddenSize: 8 },
      information: { mode: 'day-ahead', forecast: 'naive-d1' },
    });
    expect(naive.model.config.env).toMatchObject({ plannerBiasWeight: 0, plannerLastDayWeight: 0 });
    expect(naive.params.env).toMatchObject({ plannerBiasWeight: 0, plannerLastDayWeight: 0 });
    // From the test split's first day (its planner looks back on the days before it): the sale moves to 19–20 h.
    expect(withCorrection).toBeGreaterThan(planned + 0.1);
    // The same agent planning on the raw forecast sells at 17–18 h like the plan (the test can fail).
    expect(withCorrection).toBeGreaterThan(without + 0.1);
  });
});
