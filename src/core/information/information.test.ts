import { describe, expect, it } from 'vitest';
import { MS_PER_HOUR } from '../units.ts';
import { resolveBattery } from '../battery/index.ts';
import { solveOracle } from '../oracle/oracle.ts';
import { createRng } from '../rl/rng.ts';
import { columnForecaster, naiveD1, naiveD7, ridgeForecaster, type Forecaster } from '../forecast/index.ts';
import {
  baselineStrategies,
  compareUnderInformation,
  decisionPoints,
  deliveryDays,
  runStrategy,
  testSpan,
  type InformationSetup,
  type MarketSeries,
  type Strategy,
} from './index.ts';
import { planOnForecast } from './strategies.ts';
import { simulate } from '../sim/simulate.ts';

/** Seeded prices with a daily shape, noise and some negative hours, over `days` CET days from `fromIso`. */
function market(days: number, dtHours: number, seed: number, fromIso = '2023-01-01T23:00:00Z'): MarketSeries {
  const n = Math.round((days * 24) / dtHours);
  const t0 = Date.parse(fromIso);
  const r = createRng(seed);
  const timesUtcMs = Float64Array.from({ length: n }, (_, i) => t0 + i * dtHours * MS_PER_HOUR);
  const pricesEurPerMWh = Float64Array.from({ length: n }, (_, i) => {
    const h = (i * dtHours) % 24;
    return 60 + 40 * Math.sin(((h - 8) / 24) * 2 * Math.PI) + 25 * r.normal() - (r.next() < 0.02 ? 150 : 0);
  });
  return { timesUtcMs, pricesEurPerMWh, dtHours };
}

const battery = resolveBattery({});

/** Every forecaster that issues from what it knew at gate closure (noisy-truth is exempt by design). */
function forecasters(series: MarketSeries, exo: Float64Array): Forecaster[] {
  return [
    naiveD1(),
    naiveD7(),
    ridgeForecaster({ minTrainDays: 10 }),
    ridgeForecaster({ minTrainDays: 10, exogenous: true }),
    columnForecaster(exo), // a user's column is a series given in advance; it never reads the actual prices
  ];
}

function committed(setup: InformationSetup, strategy: Strategy) {
  const { points, forecastEurPerMWh } = decisionPoints(setup);
  return { run: runStrategy(setup, points, strategy, battery), forecast: forecastEurPerMWh };
}

describe('day-ahead information: no leak', () => {
  // For every strategy with every forecaster: replacing day D's actual prices leaves every decision for D (and
  // before) unchanged, and the forecasts for D too. Checked on hourly data across the spring DST day and on
  // 15-minute data across the autumn one.
  for (const [label, dt, fromIso, days, dayD] of [
    ['hourly, spring DST day as D', 1, '2023-02-25T23:00:00Z', 31, 28],
    ['15-minute, autumn DST day as D', 0.25, '2025-10-04T22:00:00Z', 26, 21],
  ] as const) {
    it(`decisions for D do not change when D's prices do (${label})`, () => {
      const series = market(days, dt, 7, fromIso);
      const dayList = deliveryDays(series.timesUtcMs, dt);
      const D = dayList[dayD];
      expect(D.end - D.start).toBe(dt === 1 ? 23 : 100);
      const r = createRng(11);
      const exo = Float64Array.from({ length: series.pricesEurPerMWh.length }, () => 40 + 30 * r.next());
      const changed = { ...series, pricesEurPerMWh: series.pricesEurPerMWh.slice() };
      for (let i = D.start; i < D.end; i++) changed.pricesEurPerMWh[i] = 500 * r.next() - 250;
      const spanFrom = dayList[dayD - 2].start;
      for (const strategy of baselineStrategies()) {
        for (let k = 0; k < forecasters(series, exo).length; k++) {
          const mk = (s: MarketSeries): InformationSetup => ({
            series: s,
            spanFrom,
            spanTo: s.pricesEurPerMWh.length,
            mode: 'day-ahead',
            forecaster: forecasters(s, exo)[k],
            exogenous: [exo],
          });
          const a = committed(mk(series), strategy);
          const b = committed(mk(changed), strategy);
          const upTo = D.end - spanFrom;
          const tag = `${strategy.name} with ${forecasters(series, exo)[k].name}`;
          expect(Array.from(b.run.requestedChargeKWh.subarray(0, upTo)), tag).toEqual(
            Array.from(a.run.requestedChargeKWh.subarray(0, upTo)),
          );
          expect(Array.from(b.run.requestedDischargeKWh.subarray(0, upTo)), tag).toEqual(
            Array.from(a.run.requestedDischargeKWh.subarray(0, upTo)),
          );
          expect(Array.from(b.forecast!.subarray(0, upTo)), tag).toEqual(Array.from(a.forecast!.subarray(0, upTo)));
        }
      }
    });
  }

  it('the same check catches known-24h, which sees D from D−1 (the test can fail)', () => {
    const series = market(12, 1, 3);
    const days = deliveryDays(series.timesUtcMs, 1);
    const D = days[8];
    const changed = { ...series, pricesEurPerMWh: series.pricesEurPerMWh.slice() };
    for (let i = D.start; i < D.end; i++) changed.pricesEurPerMWh[i] = i % 2 ? 400 : -200;
    const spanFrom = days[5].start;
    const mk = (s: MarketSeries): InformationSetup => ({
      series: s,
      spanFrom,
      spanTo: s.pricesEurPerMWh.length,
      mode: 'known-24h',
    });
    const a = committed(mk(series), planOnForecast).run.requestedChargeKWh.subarray(0, D.start - spanFrom);
    const b = committed(mk(changed), planOnForecast).run.requestedChargeKWh.subarray(0, D.start - spanFrom);
    expect(Array.from(b)).not.toEqual(Array.from(a));
  });
});

describe('information modes', () => {
  it('plan-on-forecast under perfect information is the oracle; every mode is settled at actual prices below it', () => {
    const series = market(40, 1, 5);
    const span = testSpan(series.timesUtcMs, 1, 0.75);
    const prices = series.pricesEurPerMWh.subarray(span.from, span.to);
    const oracle = solveOracle({ pricesEurPerMWh: prices, dtHours: 1, battery }).profitEur;
    const perfect: InformationSetup = { series, spanFrom: span.from, spanTo: span.to, mode: 'perfect' };
    const p = runStrategy(perfect, decisionPoints(perfect).points, planOnForecast, battery);
    expect(p.profitEur).toBeCloseTo(oracle, 9);
    const known: InformationSetup = { ...perfect, mode: 'known-24h' };
    const dayAhead: InformationSetup = { ...perfect, mode: 'day-ahead', forecaster: naiveD1() };
    for (const setup of [known, dayAhead]) {
      const { points } = decisionPoints(setup);
      for (const s of baselineStrategies())
        expect(runStrategy(setup, points, s, battery).profitEur).toBeLessThanOrEqual(oracle + 1e-9);
    }
    const k = runStrategy(known, decisionPoints(known).points, planOnForecast, battery).profitEur;
    expect(k).toBeGreaterThan(0.9 * oracle);
  });

  it('known-24h decides one step at a time on 24 h of prices; day-ahead one delivery day at a time on D and D+1', () => {
    const series = market(10, 1, 1);
    const span = { from: 24, to: 240 };
    const known = decisionPoints({ series, spanFrom: span.from, spanTo: span.to, mode: 'known-24h' }).points;
    expect(known.length).toBe(216);
    expect(known[0].planPricesEurPerMWh.length).toBe(24);
    expect(known[215].planPricesEurPerMWh.length).toBe(1);
    const da = decisionPoints({
      series,
      spanFrom: span.from,
      spanTo: span.to,
      mode: 'day-ahead',
      forecaster: naiveD1(),
    }).points;
    expect(da.map((p) => [p.to - p.from, p.planPricesEurPerMWh.length])).toEqual([
      ...Array(8).fill([24, 48]),
      [24, 24],
    ]);
    expect(da[0].knownSteps).toBe(24);
    expect(() =>
      decisionPoints({ series, spanFrom: 5, spanTo: 240, mode: 'day-ahead', forecaster: naiveD1() }),
    ).toThrow(/delivery day/);
  });

  it("hold earns nothing and threshold charges only in its window's cheap quarter", () => {
    const series = market(6, 1, 2);
    const setup: InformationSetup = { series, spanFrom: 24, spanTo: 144, mode: 'day-ahead', forecaster: naiveD1() };
    const { points } = decisionPoints(setup);
    const [plan, rolling, threshold, hold] = baselineStrategies().map((s) => runStrategy(setup, points, s, battery));
    expect(hold.profitEur).toBe(0);
    expect(plan.decisions).toBe(5);
    expect(rolling.totalChargedKWh).toBeGreaterThan(0);
    for (const p of points) {
      const median = p.planPricesEurPerMWh.slice().sort()[Math.floor(p.planPricesEurPerMWh.length / 2)];
      for (let i = p.from; i < p.to; i++) {
        if (threshold.requestedChargeKWh[i] > 0) expect(p.planPricesEurPerMWh[i - p.from]).toBeLessThan(median);
        if (threshold.requestedDischargeKWh[i] > 0) expect(p.planPricesEurPerMWh[i - p.from]).toBeGreaterThan(median);
      }
    }
    expect(threshold.totalChargedKWh).toBeGreaterThan(0);
  });
});

describe('compareUnderInformation(input) socOf', () => {
  const series = market(30, 1, 9);
  const span = testSpan(series.timesUtcMs, 1, 0.7);
  const base = { series, spanFrom: span.from, spanTo: span.to, battery, mode: 'day-ahead' as const };

  it("returns the scored runs' SOC paths: plan-on-forecast's from its committed schedule, the oracle's from its solve", () => {
    const r = compareUnderInformation({ ...base, forecaster: naiveD1(), socOf: ['oracle', 'plan-on-forecast'] });
    expect(Object.keys(r.socAfterKWh).sort()).toEqual(['oracle', 'plan-on-forecast']);
    const setup: InformationSetup = {
      series,
      spanFrom: span.from,
      spanTo: span.to,
      mode: 'day-ahead',
      forecaster: naiveD1(),
    };
    const plan = runStrategy(setup, decisionPoints(setup).points, planOnForecast, battery);
    expect(Array.from(r.socAfterKWh['plan-on-forecast'])).toEqual(Array.from(plan.trace.socAfterKWh));
    // The oracle's path replayed through the one battery model gives its profit, the share's denominator.
    const prices = series.pricesEurPerMWh.subarray(span.from, span.to);
    const oracle = solveOracle({ pricesEurPerMWh: prices, dtHours: 1, battery });
    expect(Array.from(r.socAfterKWh.oracle)).toEqual(Array.from(oracle.schedule.socKWh));
    const replay = simulate(battery, prices, 1, oracle.schedule);
    expect(Array.from(replay.socAfterKWh)).toEqual(Array.from(r.socAfterKWh.oracle));
    expect(r.strategies[0].name).toBe('oracle');
    expect(r.strategies[0].profitEur).toBeCloseTo(replay.profitEur, 9);
    for (const soc of Object.values(r.socAfterKWh)) {
      expect(soc.length).toBe(span.to - span.from);
      expect(Math.min(...soc)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...soc)).toBeLessThanOrEqual(battery.capacityKWh);
    }
    // The planner and the oracle do not hold the same path (the forecast is not the truth).
    expect(Array.from(r.socAfterKWh['plan-on-forecast'])).not.toEqual(Array.from(r.socAfterKWh.oracle));
  });

  it('adds no path unless asked and leaves the scores as they were', () => {
    const plain = compareUnderInformation({ ...base, forecaster: naiveD1() });
    const traced = compareUnderInformation({ ...base, forecaster: naiveD1(), socOf: ['oracle', 'plan-on-forecast'] });
    expect(plain.socAfterKWh).toEqual({});
    expect(traced.strategies.map((s) => [s.name, s.profitEur])).toEqual(
      plain.strategies.map((s) => [s.name, s.profitEur]),
    );
  });

  it("the planner's SOC for day D does not change when D's actual prices do", () => {
    const days = deliveryDays(series.timesUtcMs, 1);
    const k = days.findIndex((d) => d.start >= span.from) + 3;
    const D = days[k];
    const changed = { ...series, pricesEurPerMWh: series.pricesEurPerMWh.slice() };
    for (let i = D.start; i < D.end; i++) changed.pricesEurPerMWh[i] = i % 2 ? 900 : -400;
    const a = compareUnderInformation({ ...base, forecaster: naiveD1(), socOf: ['plan-on-forecast'] });
    const b = compareUnderInformation({ ...base, series: changed, forecaster: naiveD1(), socOf: ['plan-on-forecast'] });
    const upTo = D.end - span.from;
    expect(Array.from(b.socAfterKWh['plan-on-forecast'].subarray(0, upTo))).toEqual(
      Array.from(a.socAfterKWh['plan-on-forecast'].subarray(0, upTo)),
    );
  });
});
