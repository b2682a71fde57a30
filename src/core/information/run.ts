// Runs a strategy under an information mode over a span of a series: builds the decision points the mode allows
// (their plan prices fixed before any strategy runs), hands the strategy one InformationView per decision, and
// settles the committed schedule at the actual prices through the one battery model (sim/simulate.ts).

import { type BatteryParams, stepBattery } from '../battery/index.ts';
import { simulate, type SimSummary, type Trace } from '../sim/simulate.ts';
import { MS_PER_HOUR } from '../units.ts';
import type { Forecaster } from '../forecast/types.ts';
import { forecastCalendar } from '../forecast/grid.ts';
import { issueInput } from '../forecast/issue.ts';
import type { Decision, InformationMode, InformationView } from './view.ts';
import { type SiteParams, type SiteSeries, isPlainSite, siteStepContext, stepSite } from '../site/site.ts';
import { simulateSite } from '../site/simulate.ts';

/** A site around the battery: its parameters and PV/load over the whole series (indexed like the prices). */
export interface SiteRun {
  site: SiteParams;
  series: SiteSeries;
}

/** The site's PV and load over series steps [from, to); null columns stay null. */
export function sliceSiteSeries(series: SiteSeries, from: number, to: number): SiteSeries {
  const cut = (xs: ArrayLike<number> | null) =>
    xs === null ? null : Float64Array.from({ length: to - from }, (_, i) => xs[from + i]);
  return { pvKW: cut(series.pvKW), loadKW: cut(series.loadKW) };
}

/** The site of a setup when it adds something to the battery; null for none or a plain one (today's code path). */
export function activeSite(setup: { site?: SiteRun; series: MarketSeries }): SiteRun | null {
  const s = setup.site;
  return s && !isPlainSite(s.site, s.series) ? s : null;
}

/** The prices and calendar a run reads; only the runner sees the actual prices of the future. */
export interface MarketSeries {
  timesUtcMs: Float64Array;
  pricesEurPerMWh: Float64Array;
  dtHours: number;
}

/** A decision point of a mode, the same for every strategy (the SOC is added per strategy). */
export interface DecisionPoint {
  from: number;
  to: number;
  planPricesEurPerMWh: Float64Array;
  /** Series steps [0, knownSteps) are known at this decision. */
  knownSteps: number;
  deliveryDate?: string;
  gateClosureUtcMs?: number;
}

export interface InformationSetup {
  series: MarketSeries;
  /** Series steps [spanFrom, spanTo) decided and settled. Under day-ahead spanFrom must start a delivery day. */
  spanFrom: number;
  spanTo: number;
  mode: InformationMode;
  /** day-ahead: the forecaster issued at every gate closure. */
  forecaster?: Forecaster;
  /** day-ahead: exogenous day-ahead series aligned to the series' steps. */
  exogenous?: readonly Float64Array[];
  /** known-24h: hours of actual prices known ahead (default 24). */
  knownHours?: number;
  /**
   * A site around the battery (PV, load, limits, fees): strategies see its PV and load over their plan window (known
   * in every mode, see InformationView.site), and the run is settled on the site. Absent or plain: the battery alone.
   */
  site?: SiteRun;
}

/** The mode's decision points over the span; day-ahead issues the forecaster once per delivery day, in order. */
export function decisionPoints(setup: InformationSetup): {
  points: DecisionPoint[];
  forecastEurPerMWh: Float64Array | null;
} {
  const { series, spanFrom, spanTo, mode } = setup;
  const T = spanTo - spanFrom;
  const prices = series.pricesEurPerMWh;
  if (T <= 0) return { points: [], forecastEurPerMWh: null };
  if (mode === 'perfect') {
    return {
      points: [{ from: 0, to: T, planPricesEurPerMWh: prices.slice(spanFrom, spanTo), knownSteps: prices.length }],
      forecastEurPerMWh: null,
    };
  }
  if (mode === 'known-24h') {
    const H = Math.max(1, Math.round((setup.knownHours ?? 24) / series.dtHours));
    const points: DecisionPoint[] = [];
    for (let t = 0; t < T; t++) {
      const end = Math.min(T, t + H);
      points.push({
        from: t,
        to: t + 1,
        planPricesEurPerMWh: prices.slice(spanFrom + t, spanFrom + end),
        knownSteps: spanFrom + end,
      });
    }
    return { points, forecastEurPerMWh: null };
  }
  const f = setup.forecaster;
  if (!f) throw new Error('day-ahead information needs a forecaster');
  const calendar = forecastCalendar(series.timesUtcMs, series.dtHours);
  const first = calendar.days.findIndex((d) => d.start === spanFrom);
  if (first < 0)
    throw new Error(`day-ahead span must start at a delivery day's first step (step ${spanFrom} does not)`);
  const forecast = new Float64Array(T);
  const points: DecisionPoint[] = [];
  for (let k = first; k < calendar.days.length && calendar.days[k].start < spanTo; k++) {
    const day = calendar.days[k];
    // The forecaster sees copies of the prices before D and of the exogenous series up to D's end, nothing else.
    const issued = f.issue(issueInput(calendar, prices, setup.exogenous ?? [], k));
    const planLen = Math.min(issued.length, spanTo - day.start);
    const to = Math.min(day.end, spanTo) - spanFrom;
    forecast.set(issued.subarray(0, to - (day.start - spanFrom)), day.start - spanFrom);
    points.push({
      from: day.start - spanFrom,
      to,
      planPricesEurPerMWh: issued.slice(0, planLen),
      knownSteps: day.start,
      deliveryDate: day.date,
      gateClosureUtcMs: day.gateClosureUtcMs,
    });
  }
  return { points, forecastEurPerMWh: forecast };
}

/** A strategy: `start` makes a fresh decision function for one run (state, if any, lives in its closure). */
export interface Strategy {
  readonly name: string;
  start(battery: BatteryParams, dtHours: number): (view: InformationView) => Decision;
}

export interface StrategyRun extends SimSummary {
  /** The committed requests per span step, kWh. */
  requestedChargeKWh: Float64Array;
  requestedDischargeKWh: Float64Array;
  trace: Trace;
  decisions: number;
}

/** Runs `strategy` over the precomputed decision points and settles at the actual prices of the span. */
export function runStrategy(
  setup: InformationSetup,
  points: readonly DecisionPoint[],
  strategy: Strategy,
  battery: BatteryParams,
): StrategyRun {
  const { series, spanFrom, spanTo, mode } = setup;
  const T = spanTo - spanFrom;
  const dt = series.dtHours;
  const wantC = new Float64Array(T);
  const wantD = new Float64Array(T);
  const decide = strategy.start(battery, dt);
  let soc = battery.initialSocKWh;
  const stepMs = dt * MS_PER_HOUR;
  const site = activeSite(setup);
  for (const p of points) {
    const t0 = series.timesUtcMs[spanFrom + p.from];
    const planTimesUtcMs = new Float64Array(p.planPricesEurPerMWh.length);
    for (let i = 0; i < planTimesUtcMs.length; i++) planTimesUtcMs[i] = t0 + i * stepMs;
    let known: Float64Array | null = null;
    const view: InformationView = {
      mode,
      from: p.from,
      to: p.to,
      planPricesEurPerMWh: p.planPricesEurPerMWh.slice(),
      planTimesUtcMs,
      dtHours: dt,
      socKWh: soc,
      reachesSpanEnd: p.from + p.planPricesEurPerMWh.length >= T,
      get knownPricesEurPerMWh() {
        return (known ??= series.pricesEurPerMWh.slice(0, p.knownSteps));
      },
      spanStart: spanFrom,
      ...(p.deliveryDate !== undefined ? { deliveryDate: p.deliveryDate, gateClosureUtcMs: p.gateClosureUtcMs } : {}),
      ...(site
        ? {
            site: {
              site: site.site,
              series: sliceSiteSeries(site.series, spanFrom + p.from, spanFrom + p.from + p.planPricesEurPerMWh.length),
            },
          }
        : {}),
    };
    const d = decide(view);
    const n = p.to - p.from;
    if (d.chargeKWh.length < n || d.dischargeKWh.length < n)
      throw new Error(
        `strategy ${strategy.name} decided ${Math.min(d.chargeKWh.length, d.dischargeKWh.length)} of ${n} steps`,
      );
    for (let i = 0; i < n; i++) {
      wantC[p.from + i] = d.chargeKWh[i];
      wantD[p.from + i] = d.dischargeKWh[i];
      // The SOC path follows from the committed requests alone (clipping never looks at the price); on a site, from
      // the requests as the site cuts them (PV, load and limits, never the price).
      soc = site
        ? stepSite(
            battery,
            siteStepContext(battery, site.site, site.series, spanFrom + p.from + i, 0, dt),
            soc,
            d.chargeKWh[i],
            d.dischargeKWh[i],
            0,
            dt,
          ).socAfterKWh
        : stepBattery(battery, soc, d.chargeKWh[i], d.dischargeKWh[i], 0, dt).socAfterKWh;
    }
  }
  if (site) {
    // Settled on the site at the actual prices through the one site simulator.
    const sim = simulateSite(
      {
        pricesEurPerMWh: series.pricesEurPerMWh.subarray(spanFrom, spanTo),
        dtHours: dt,
        battery,
        site: site.site,
        series: sliceSiteSeries(site.series, spanFrom, spanTo),
      },
      { chargeKWh: wantC, dischargeKWh: wantD },
    );
    return {
      profitEur: sim.profitEur,
      totalChargedKWh: sim.totalChargedKWh,
      totalDischargedKWh: sim.totalDischargedKWh,
      equivalentCycles: sim.equivalentCycles,
      finalSocKWh: sim.finalSocKWh,
      requestedChargeKWh: wantC,
      requestedDischargeKWh: wantD,
      trace: {
        socBeforeKWh: sim.socBeforeKWh,
        socAfterKWh: sim.socAfterKWh,
        chargedKWh: sim.chargedKWh,
        dischargedKWh: sim.dischargedKWh,
        cashEur: sim.cashEur,
      },
      decisions: points.length,
    };
  }
  const sim = simulate(battery, series.pricesEurPerMWh.subarray(spanFrom, spanTo), dt, {
    chargeKWh: wantC,
    dischargeKWh: wantD,
  });
  const { socBeforeKWh, socAfterKWh, chargedKWh, dischargedKWh, cashEur, ...summary } = sim;
  return {
    ...summary,
    requestedChargeKWh: wantC,
    requestedDischargeKWh: wantD,
    trace: { socBeforeKWh, socAfterKWh, chargedKWh, dischargedKWh, cashEur },
    decisions: points.length,
  };
}
