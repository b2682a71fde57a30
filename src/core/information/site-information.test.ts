// The information modes on a site (DESIGN.md "Information", "Site"): the baselines plan on the site (PV and load
// over their plan window are known; only the prices are forecast under day-ahead), are settled on it at actual
// prices through the one site simulator, and are scored against the site's perfect-foresight optimum.
import { describe, expect, it } from 'vitest';
import { MS_PER_HOUR } from '../units.ts';
import { resolveBattery } from '../battery/index.ts';
import { solveOracle } from '../oracle/oracle.ts';
import { solveSiteOracle } from '../oracle/site-oracle.ts';
import { createRng } from '../rl/rng.ts';
import { naiveD1, ridgeForecaster } from '../forecast/index.ts';
import { type SiteSeries, type SiteSpec, resolveSite } from '../site/site.ts';
import { simulateSite, siteWithoutBattery } from '../site/simulate.ts';
import {
  type InformationMode,
  type InformationSetup,
  type MarketSeries,
  type SiteRun,
  baselineStrategies,
  compareUnderInformation,
  decisionPoints,
  deliveryDays,
  runStrategy,
  sliceSiteSeries,
  testSpan,
} from './index.ts';
import { planOnForecast } from './strategies.ts';

const battery = resolveBattery({});

/** Seeded prices with a daily shape, noise and negative midday hours, and a PV bell and a load, over CET days. */
function siteMarket(days: number, dtHours: number, seed: number, fromIso = '2023-05-01T22:00:00Z') {
  const n = Math.round((days * 24) / dtHours);
  const t0 = Date.parse(fromIso);
  const r = createRng(seed);
  const timesUtcMs = Float64Array.from({ length: n }, (_, i) => t0 + i * dtHours * MS_PER_HOUR);
  const hour = (i: number) => (((i * dtHours) % 24) + 24 + 2) % 24; // CEST local hour
  const pricesEurPerMWh = Float64Array.from({ length: n }, (_, i) => {
    const h = hour(i);
    const solarDip = h >= 11 && h <= 15 && r.next() < 0.3 ? -120 : 0;
    return 70 + 40 * Math.sin(((h - 8) / 24) * 2 * Math.PI) + 20 * r.normal() + solarDip;
  });
  const pvKW = Float64Array.from({ length: n }, (_, i) => {
    const h = hour(i);
    return h > 6 && h < 20 ? Math.max(0, 90 * Math.sin(((h - 6) / 14) * Math.PI) * (0.6 + 0.4 * r.next())) : 0;
  });
  const loadKW = Float64Array.from({ length: n }, () => 5 + 10 * r.next());
  const market: MarketSeries = { timesUtcMs, pricesEurPerMWh, dtHours };
  return { market, series: { pvKW, loadKW } as SiteSeries };
}

const SITES: [string, SiteSpec][] = [
  ['export limit and fees', { exportLimitKW: 40, importFeeEurPerMWh: 20, exportFeeEurPerMWh: 5 }],
  ['PV-only charging, import limit', { chargeFromPvOnly: true, importLimitKW: 30 }],
];

describe('information modes on a site', () => {
  it("no leak: replacing day D's actual prices leaves every day-ahead decision for D unchanged on the site", () => {
    const { market, series } = siteMarket(26, 1, 7);
    const days = deliveryDays(market.timesUtcMs, 1);
    const D = days[20];
    const r = createRng(5);
    const changed = { ...market, pricesEurPerMWh: market.pricesEurPerMWh.slice() };
    for (let i = D.start; i < D.end; i++) changed.pricesEurPerMWh[i] = 500 * r.next() - 250;
    const spanFrom = days[18].start;
    const upTo = D.end - spanFrom;
    for (const [label, spec] of SITES) {
      const site: SiteRun = { site: resolveSite(spec), series };
      for (const make of [() => naiveD1(), () => ridgeForecaster({ minTrainDays: 10 })]) {
        const mk = (s: MarketSeries): InformationSetup => ({
          series: s,
          spanFrom,
          spanTo: s.pricesEurPerMWh.length,
          mode: 'day-ahead',
          forecaster: make(),
          site,
        });
        const a = mk(market);
        const b = mk(changed);
        const pa = decisionPoints(a).points;
        const pb = decisionPoints(b).points;
        for (const strategy of baselineStrategies()) {
          const ra = runStrategy(a, pa, strategy, battery);
          const rb = runStrategy(b, pb, strategy, battery);
          const tag = `${strategy.name} on ${label} with ${make().name}`;
          expect(Array.from(rb.requestedChargeKWh.subarray(0, upTo)), tag).toEqual(
            Array.from(ra.requestedChargeKWh.subarray(0, upTo)),
          );
          expect(Array.from(rb.requestedDischargeKWh.subarray(0, upTo)), tag).toEqual(
            Array.from(ra.requestedDischargeKWh.subarray(0, upTo)),
          );
        }
      }
    }
  });

  it('the same check catches known-24h on the site, which sees D from D−1 (the test can fail)', () => {
    const { market, series } = siteMarket(12, 1, 3);
    const days = deliveryDays(market.timesUtcMs, 1);
    const D = days[8];
    const changed = { ...market, pricesEurPerMWh: market.pricesEurPerMWh.slice() };
    for (let i = D.start; i < D.end; i++) changed.pricesEurPerMWh[i] = i % 2 ? 400 : -200;
    const site: SiteRun = { site: resolveSite(SITES[0][1]), series };
    const mk = (s: MarketSeries): InformationSetup => ({
      series: s,
      spanFrom: days[5].start,
      spanTo: s.pricesEurPerMWh.length,
      mode: 'known-24h',
      site,
    });
    const run = (s: MarketSeries) =>
      Array.from(runStrategy(mk(s), decisionPoints(mk(s)).points, planOnForecast, battery).requestedChargeKWh);
    expect(run(changed).slice(0, D.start - days[5].start)).not.toEqual(run(market).slice(0, D.start - days[5].start));
  });

  for (const [label, spec] of SITES) {
    it(`every strategy in every mode is settled on the site at or below the site optimum (${label})`, () => {
      const { market, series } = siteMarket(40, 1, 9);
      const span = testSpan(market.timesUtcMs, 1, 0.75);
      const site: SiteRun = { site: resolveSite(spec), series };
      const input = {
        pricesEurPerMWh: market.pricesEurPerMWh.slice(span.from, span.to),
        dtHours: 1,
        battery,
        site: site.site,
        series: sliceSiteSeries(series, span.from, span.to),
      };
      const optimum = solveSiteOracle(input).profitEur;
      const holdEur = siteWithoutBattery(input).cashEur;
      for (const mode of ['perfect', 'known-24h', 'day-ahead'] as InformationMode[]) {
        const setup: InformationSetup = {
          series: market,
          spanFrom: span.from,
          spanTo: span.to,
          mode,
          forecaster: naiveD1(),
          site,
        };
        const { points } = decisionPoints(setup);
        for (const s of baselineStrategies()) {
          const run = runStrategy(setup, points, s, battery);
          const tag = `${s.name} under ${mode}`;
          expect(run.profitEur, tag).toBeLessThanOrEqual(optimum + 1e-9 * Math.abs(optimum));
          // Settled through the one site simulator: the committed requests replayed on the site give the same money.
          const replay = simulateSite(input, {
            chargeKWh: run.requestedChargeKWh,
            dischargeKWh: run.requestedDischargeKWh,
          });
          expect(run.profitEur, tag).toBe(replay.profitEur);
          expect(Array.from(run.trace.socAfterKWh), tag).toEqual(Array.from(replay.socAfterKWh));
          if (s.name === 'hold') expect(run.profitEur, tag).toBeCloseTo(holdEur, 9);
        }
        const c = compareUnderInformation({ ...setup, battery });
        expect(c.strategies[0]).toMatchObject({ name: 'oracle', profitEur: optimum, shareOfOracle: 1 });
      }
      // Under perfect information plan-on-forecast is the site optimum itself, and beats planning on prices alone.
      const perfect: InformationSetup = { series: market, spanFrom: span.from, spanTo: span.to, mode: 'perfect', site };
      const p = runStrategy(perfect, decisionPoints(perfect).points, planOnForecast, battery).profitEur;
      expect(p).toBeCloseTo(optimum, 6);
      const blind = simulateSite(input, solveOracle(input).schedule).profitEur;
      expect(p).toBeGreaterThan(blind + 1);
    });
  }

  it('a plain site (no PV, load, limit or fee) gives exactly the battery-alone numbers', () => {
    const { market, series } = siteMarket(30, 1, 4);
    const span = testSpan(market.timesUtcMs, 1, 0.75);
    const plainSites: SiteRun[] = [
      { site: resolveSite({}), series: { pvKW: null, loadKW: null } },
      { site: resolveSite({ pvScale: 0 }), series: { pvKW: series.pvKW, loadKW: null } },
    ];
    for (const mode of ['perfect', 'known-24h', 'day-ahead'] as InformationMode[]) {
      const base = { series: market, spanFrom: span.from, spanTo: span.to, mode, battery, nowMs: () => 0 };
      const alone = compareUnderInformation({ ...base, forecaster: naiveD1() });
      for (const site of plainSites) {
        const onSite = compareUnderInformation({ ...base, forecaster: naiveD1(), site });
        expect(onSite.strategies, mode).toEqual(alone.strategies);
        const setup: InformationSetup = { ...base, forecaster: naiveD1(), site };
        const { points } = decisionPoints(setup);
        for (const s of baselineStrategies()) {
          const a = runStrategy({ ...setup, site: undefined }, points, s, battery);
          const b = runStrategy(setup, points, s, battery);
          expect(Array.from(b.requestedChargeKWh), s.name).toEqual(Array.from(a.requestedChargeKWh));
          expect(b.profitEur, s.name).toBe(a.profitEur);
        }
      }
    }
  });

  it('the view carries the PV and load of its plan window only, aligned to its plan prices', () => {
    const { market, series } = siteMarket(6, 1, 2);
    const site: SiteRun = { site: resolveSite(SITES[1][1]), series };
    const setup: InformationSetup = {
      series: market,
      spanFrom: 24,
      spanTo: 144,
      mode: 'day-ahead',
      forecaster: naiveD1(),
      site,
    };
    const seen: { from: number; plan: number; pv: number[] }[] = [];
    runStrategy(
      setup,
      decisionPoints(setup).points,
      {
        name: 'probe',
        start: () => (view) => {
          seen.push({
            from: view.from,
            plan: view.planPricesEurPerMWh.length,
            pv: Array.from(view.site!.series.pvKW!),
          });
          return {
            chargeKWh: new Float64Array(view.to - view.from),
            dischargeKWh: new Float64Array(view.to - view.from),
          };
        },
      },
      battery,
    );
    expect(seen.length).toBe(5);
    for (const v of seen) {
      expect(v.pv.length).toBe(v.plan);
      expect(v.pv).toEqual(Array.from(series.pvKW!).slice(24 + v.from, 24 + v.from + v.plan));
    }
  });
});
