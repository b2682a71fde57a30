// What a battery of a given size is worth over its life: annualised arbitrage profit against capex and fixed O&M,
// discounted (NPV), and the years until it has paid for itself.
//
// Conventions, stated once:
// - The profit is the oracle's cash over the loaded span (market settlement minus the battery model's
//   cycle-based degradation cost, degradationEurPerKWh on every kWh in and out), scaled to a 365-day year by
//   the span's length: annual = profit × 8,760 h / (steps × dtHours). A leap year's file is scaled by 8,760/8,784.
// - Every year of the lifetime earns that same annual profit, at the end of the year; capex is paid at year 0.
// - NPV = −capex + (annual − O&M) × A(L), A(L) = (1 − (1 + r)^−L) / r (A = L when r = 0).
// - Simple payback = capex / (annual − O&M). Discounted payback is the t where (annual − O&M) × A(t) = capex, with
//   A(t) the same annuity factor at fractional t: −ln(1 − r·capex/net) / ln(1 + r). Both null when it never pays;
//   both 0 without capex, unless O&M exceeds the profit.

import { SizingParamError } from './range.ts';

/** Hours in the 365-day year that profits are scaled to. */
export const HOURS_PER_YEAR = 8760;

/** Cost side of a battery project. */
export interface Economics {
  /** Capex per kWh of capacity, EUR/kWh. */
  capexEurPerKWh: number;
  /** Capex per kW of power (inverter, grid connection), EUR/kW. */
  capexEurPerKW: number;
  /** Fixed operation and maintenance, EUR per year, whatever the size. */
  omEurPerYear: number;
  /** Years the battery earns. */
  lifetimeYears: number;
  /** Discount rate per year as a fraction (0.06 = 6 %). */
  discountRate: number;
}

/** Defaults: a 2025-ish utility battery (cells and containers per kWh, inverter and connection per kW). */
export const DEFAULT_ECONOMICS: Readonly<Economics> = Object.freeze({
  capexEurPerKWh: 150,
  capexEurPerKW: 50,
  omEurPerYear: 0,
  lifetimeYears: 15,
  discountRate: 0.05,
});

/** Fills defaults and validates; throws SizingParamError naming the field. */
export function resolveEconomics(spec: Partial<Economics> = {}): Economics {
  const e: Economics = { ...DEFAULT_ECONOMICS };
  for (const k of Object.keys(DEFAULT_ECONOMICS) as (keyof Economics)[]) {
    const v = spec[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new SizingParamError(`${k} must be a finite number, got ${String(v)}`, k);
    e[k] = v;
  }
  if (e.capexEurPerKWh < 0)
    throw new SizingParamError(`capexEurPerKWh must be ≥ 0 EUR/kWh, got ${e.capexEurPerKWh}`, 'capexEurPerKWh');
  if (e.capexEurPerKW < 0)
    throw new SizingParamError(`capexEurPerKW must be ≥ 0 EUR/kW, got ${e.capexEurPerKW}`, 'capexEurPerKW');
  if (e.omEurPerYear < 0)
    throw new SizingParamError(`omEurPerYear must be ≥ 0 EUR/year, got ${e.omEurPerYear}`, 'omEurPerYear');
  if (!(e.lifetimeYears > 0))
    throw new SizingParamError(`lifetimeYears must be > 0 years, got ${e.lifetimeYears}`, 'lifetimeYears');
  if (!(e.discountRate >= 0 && e.discountRate < 1))
    throw new SizingParamError(
      `discountRate must be in [0, 1) per year (0.06 = 6 %), got ${e.discountRate}`,
      'discountRate',
    );
  return e;
}

/** What one size is worth. */
export interface CellEconomics {
  /** Profit scaled to a 365-day year, EUR/year. */
  annualProfitEur: number;
  capexEur: number;
  npvEur: number;
  /** Years until undiscounted net income repays capex; null if it never does. */
  paybackYears: number | null;
  /** Years until discounted net income repays capex; null if it never does. */
  discountedPaybackYears: number | null;
  /** Annual profit per kWh of capacity installed, EUR/kWh/year; null for zero capacity. */
  annualProfitEurPerKWh: number | null;
}

/** Present value of 1 EUR at the end of each of `years` years (fractional years allowed). */
export function annuityFactor(years: number, rate: number): number {
  return rate === 0 ? years : (1 - Math.pow(1 + rate, -years)) / rate;
}

/** Economics of a battery of `capacityKWh` × `powerKW` that earned `profitEur` over `spanHours`. */
export function cellEconomics(
  profitEur: number,
  spanHours: number,
  capacityKWh: number,
  powerKW: number,
  e: Economics,
): CellEconomics {
  const annualProfitEur = spanHours > 0 ? (profitEur * HOURS_PER_YEAR) / spanHours : 0;
  const capexEur = e.capexEurPerKWh * capacityKWh + e.capexEurPerKW * powerKW;
  const net = annualProfitEur - e.omEurPerYear;
  const npvEur = -capexEur + net * annuityFactor(e.lifetimeYears, e.discountRate);
  let paybackYears: number | null = null;
  let discountedPaybackYears: number | null = null;
  if (capexEur === 0) {
    // Nothing to repay: paid back at once, unless O&M makes every year a loss.
    paybackYears = discountedPaybackYears = net >= 0 ? 0 : null;
  } else if (net > 0) {
    paybackYears = capexEur / net;
    const r = e.discountRate;
    const x = 1 - (r * capexEur) / net;
    discountedPaybackYears = r === 0 ? paybackYears : x > 0 ? -Math.log(x) / Math.log(1 + r) : null;
  }
  return {
    annualProfitEur,
    capexEur,
    npvEur,
    paybackYears,
    discountedPaybackYears,
    annualProfitEurPerKWh: capacityKWh > 0 ? annualProfitEur / capacityKWh : null,
  };
}
