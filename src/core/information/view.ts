// What a strategy knows when it decides (DESIGN.md "Information"). Every strategy — planner, rule, agent — is
// handed an InformationView per decision and nothing else: the view holds copies of exactly what its mode
// allows at that moment, so a strategy cannot read further even by accident.

import type { SiteParams, SiteSeries } from '../site/site.ts';

/** The three information modes. */
export const INFORMATION_MODES = ['perfect', 'known-24h', 'day-ahead'] as const;
export type InformationMode = (typeof INFORMATION_MODES)[number];

/** Parses a mode name; null for anything else. */
export function informationMode(name: string): InformationMode | null {
  return (INFORMATION_MODES as readonly string[]).includes(name) ? (name as InformationMode) : null;
}

/**
 * One decision: the strategy commits grid-side requests for the steps [from, to) of the span, seeing only this.
 * - perfect: one decision for the whole span; planPrices = the span's actual prices.
 * - known-24h: one decision per step; planPrices = the next 24 h of actual prices (fewer at the span's end).
 * - day-ahead: one decision per delivery day D at its gate closure; planPrices = the forecast issued then for D
 *   and D+1 (D+1 only for look-ahead; its steps are decided at the next gate closure).
 */
export interface InformationView {
  readonly mode: InformationMode;
  /** First step decided now and one past the last, span-relative. */
  readonly from: number;
  readonly to: number;
  /** Prices to plan on for steps [from, from + planPrices.length), EUR/MWh: actual or forecast, per mode. */
  readonly planPricesEurPerMWh: Float64Array;
  /** Interval starts of those steps, UTC ms (the calendar is public). */
  readonly planTimesUtcMs: Float64Array;
  readonly dtHours: number;
  /** State of charge at the start of step `from`, kWh: the committed schedule fixes it, whatever the prices. */
  readonly socKWh: number;
  /** True when the plan window reaches the span's end (a terminal SOC requirement applies there). */
  readonly reachesSpanEnd: boolean;
  /** Actual prices known at the decision: the series' steps [0, knownSteps), a copy made on first read. */
  readonly knownPricesEurPerMWh: Float64Array;
  /** Series index of span step 0 (so knownPricesEurPerMWh[spanStart + i] is span step i, when known). */
  readonly spanStart: number;
  /** For day-ahead: the delivery day's date (yyyy-mm-dd) and its gate closure, UTC ms. */
  readonly deliveryDate?: string;
  readonly gateClosureUtcMs?: number;
  /**
   * On a site (PV, load, grid limits, fees; absent for the battery alone): the site and its PV and load over the plan
   * window, aligned to planPricesEurPerMWh. PV and load count as known in every mode: the file's pv_kw/load_kw stand
   * in for the site's own day-ahead PV and load forecasts (a perfect PV forecast; only the prices are forecast).
   */
  readonly site?: { readonly site: SiteParams; readonly series: SiteSeries };
}

/** Grid-side requests for the steps [from, to) of a decision, kWh. */
export interface Decision {
  chargeKWh: Float64Array;
  dischargeKWh: Float64Array;
}
