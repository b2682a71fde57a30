// Every baseline under one information mode over a span, settled at actual prices, each as a share of the
// perfect-foresight optimum of the same span and battery: what `bess compare --information`, the bench and the
// page report.

import type { BatteryParams } from '../battery/index.ts';
import { solveOracle } from '../oracle/oracle.ts';
import { solveSiteOracle } from '../oracle/site-oracle.ts';
import type { Forecaster } from '../forecast/types.ts';
import {
  type InformationSetup,
  type MarketSeries,
  type SiteRun,
  type Strategy,
  activeSite,
  decisionPoints,
  runStrategy,
  sliceSiteSeries,
} from './run.ts';
import { baselineStrategies } from './strategies.ts';
import type { InformationMode } from './view.ts';

export interface StrategyScore {
  name: string;
  profitEur: number;
  shareOfOracle: number;
  ms: number;
}

export interface InformationComparison {
  information: InformationMode;
  /** The forecaster's name under day-ahead, null otherwise. */
  forecast: string | null;
  strategies: StrategyScore[];
  /** Day-ahead: D's part of every issue over the span (span-relative), and the time issuing took. */
  forecastEurPerMWh: Float64Array | null;
  forecastMs: number;
  /**
   * SOC after each span step, kWh, of the strategies named in CompareInput.socOf ('oracle' among them): the same
   * runs that are scored above, not a second simulation.
   */
  socAfterKWh: Record<string, Float64Array>;
}

export interface CompareInput {
  series: MarketSeries;
  spanFrom: number;
  spanTo: number;
  battery: BatteryParams;
  mode: InformationMode;
  forecaster?: Forecaster;
  exogenous?: readonly Float64Array[];
  strategies?: Strategy[];
  /** A site around the battery (PV, load over the whole series; limits, fees): planned and settled on it. */
  site?: SiteRun;
  /** Injected clock for the ms columns (core stays free of Date.now). */
  nowMs?: () => number;
  /** Strategies (by name, 'oracle' included) whose SOC path the comparison returns in socAfterKWh. */
  socOf?: readonly string[];
}

const share = (x: number, oracle: number) => (oracle !== 0 ? x / oracle : x === 0 ? 1 : 0);

/** Oracle first (information: perfect, the yardstick), then each strategy under `mode`. */
export function compareUnderInformation(input: CompareInput): InformationComparison {
  const now = input.nowMs ?? (() => 0);
  const { series, spanFrom, spanTo, battery } = input;
  let t0 = now();
  const site = activeSite(input);
  const span = { pricesEurPerMWh: series.pricesEurPerMWh.subarray(spanFrom, spanTo), dtHours: series.dtHours, battery };
  // The yardstick: the battery's, or on a site the site's, perfect-foresight optimum of the same span.
  const oracle = site
    ? solveSiteOracle({ ...span, site: site.site, series: sliceSiteSeries(site.series, spanFrom, spanTo) })
    : solveOracle(span);
  const oracleEur = oracle.profitEur;
  const socOf = new Set(input.socOf ?? []);
  const socAfterKWh: Record<string, Float64Array> = {};
  if (socOf.has('oracle')) socAfterKWh.oracle = oracle.schedule.socKWh;
  const strategies: StrategyScore[] = [{ name: 'oracle', profitEur: oracleEur, shareOfOracle: 1, ms: now() - t0 }];
  const setup: InformationSetup = {
    series,
    spanFrom,
    spanTo,
    mode: input.mode,
    forecaster: input.forecaster,
    exogenous: input.exogenous,
    ...(site ? { site } : {}),
  };
  t0 = now();
  const { points, forecastEurPerMWh } = decisionPoints(setup);
  const forecastMs = now() - t0;
  for (const s of input.strategies ?? baselineStrategies()) {
    t0 = now();
    const r = runStrategy(setup, points, s, battery);
    strategies.push({
      name: s.name,
      profitEur: r.profitEur,
      shareOfOracle: share(r.profitEur, oracleEur),
      ms: now() - t0,
    });
    if (socOf.has(s.name)) socAfterKWh[s.name] = r.trace.socAfterKWh;
  }
  return {
    information: input.mode,
    forecast: input.mode === 'day-ahead' ? (input.forecaster?.name ?? null) : null,
    strategies,
    forecastEurPerMWh,
    forecastMs,
    socAfterKWh,
  };
}
