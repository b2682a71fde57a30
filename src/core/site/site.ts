// The site around the one battery model: PV, a load and a grid connection with import/export limits and fees
// (DESIGN.md "Site"). The battery stays the single source of battery physics (src/core/battery); this file only
// adds what happens on the AC bus. Per step, with e = export, i = import, q = PV used (0 ≤ q ≤ pv, the rest
// curtailed) and c/d the battery's charge/discharge (its grid-side energies):
//   q + i + d = load + c + e,   i ≤ importLimitKW·dt,   e ≤ exportLimitKW·dt,
//   cash = (price − exportFee)/1000·e − (price + importFee)/1000·i − k·(c + d),
// and with chargeFromPvOnly, c ≤ max(0, pv − load). Export price ≤ import price (importFee + exportFee ≥ 0) keeps
// importing and exporting at once unprofitable, so the LP needs no binaries. Without PV, load, limits and fees this
// is exactly the battery model: e − i = d − c and cash = price/1000·(d − c) − k·(c + d).

import { type BatteryParams, maxChargeKWh, stepBattery, stepCashEur, type StepResult } from '../battery/index.ts';
import { energyForPower, eurForEnergy } from '../units.ts';

/** What a user sets; every field optional. Absent limits mean no limit; absent fees are 0. */
export interface SiteSpec {
  /** Multiplies the file's pv_kw column (1: as in the file; 0: no PV). */
  pvScale?: number;
  /** Largest power drawn from the grid, kW (default: unlimited). */
  importLimitKW?: number | null;
  /** Largest power fed into the grid, kW (default: unlimited). */
  exportLimitKW?: number | null;
  /** Added to the market price for energy bought, EUR/MWh (network fees, levies). */
  importFeeEurPerMWh?: number;
  /** Subtracted from the market price for energy sold, EUR/MWh. */
  exportFeeEurPerMWh?: number;
  /** The battery charges only from PV surplus over the load, never from the grid (a subsidy condition). */
  chargeFromPvOnly?: boolean;
}

/** A resolved, validated site: limits are Infinity when unset. */
export interface SiteParams {
  pvScale: number;
  importLimitKW: number;
  exportLimitKW: number;
  importFeeEurPerMWh: number;
  exportFeeEurPerMWh: number;
  chargeFromPvOnly: boolean;
}

export const DEFAULT_SITE: Readonly<SiteParams> = Object.freeze({
  pvScale: 1,
  importLimitKW: Infinity,
  exportLimitKW: Infinity,
  importFeeEurPerMWh: 0,
  exportFeeEurPerMWh: 0,
  chargeFromPvOnly: false,
});

/** Each spec field as users read it, with its unit. */
export const SITE_FIELD_LABELS: Readonly<Record<keyof SiteSpec, string>> = Object.freeze({
  pvScale: 'PV scale',
  importLimitKW: 'import limit (kW)',
  exportLimitKW: 'export limit (kW)',
  importFeeEurPerMWh: 'import fee (EUR/MWh)',
  exportFeeEurPerMWh: 'export fee (EUR/MWh)',
  chargeFromPvOnly: 'charge from PV only',
});

/** Ranges that keep every product far from float limits and beyond any real site. */
export const SITE_LIMITS = Object.freeze({ maxPvScale: 1e6, maxPowerKW: 1e9, maxFeeEurPerMWh: 1e5, maxSeriesKW: 1e9 });

/** Thrown for a site that makes no sense; `field` names the parameter, the message its label. */
export class SiteParamError extends Error {
  constructor(
    message: string,
    readonly field: keyof SiteSpec | 'pv_kw' | 'load_kw',
    /** 0-based step, for a bad PV or load value. */
    readonly step?: number,
  ) {
    super(message);
    this.name = 'SiteParamError';
  }
}

/** Fills defaults and validates; throws SiteParamError naming the field. */
export function resolveSite(spec: SiteSpec = {}): SiteParams {
  const L = SITE_LIMITS;
  const num = (field: keyof SiteSpec, fallback: number, min: number, max: number, range: string): number => {
    const value = spec[field];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new SiteParamError(`${SITE_FIELD_LABELS[field]} must be a finite number, got ${String(value)}`, field);
    if (!(value >= min && value <= max))
      throw new SiteParamError(`${SITE_FIELD_LABELS[field]} must be within ${range}, got ${value}`, field);
    return value;
  };
  const pvScale = num('pvScale', 1, 0, L.maxPvScale, `[0, ${L.maxPvScale}]`);
  const importLimitKW = num('importLimitKW', Infinity, 0, L.maxPowerKW, `[0, ${L.maxPowerKW}] kW`);
  const exportLimitKW = num('exportLimitKW', Infinity, 0, L.maxPowerKW, `[0, ${L.maxPowerKW}] kW`);
  const feeRange = `[-${L.maxFeeEurPerMWh}, ${L.maxFeeEurPerMWh}] EUR/MWh`;
  const importFeeEurPerMWh = num('importFeeEurPerMWh', 0, -L.maxFeeEurPerMWh, L.maxFeeEurPerMWh, feeRange);
  const exportFeeEurPerMWh = num('exportFeeEurPerMWh', 0, -L.maxFeeEurPerMWh, L.maxFeeEurPerMWh, feeRange);
  if (importFeeEurPerMWh + exportFeeEurPerMWh < 0)
    throw new SiteParamError(
      `${SITE_FIELD_LABELS.exportFeeEurPerMWh} ${exportFeeEurPerMWh} with ${SITE_FIELD_LABELS.importFeeEurPerMWh} ${importFeeEurPerMWh} makes the export price (price − export fee) exceed the import price (price + import fee), so buying and selling at once would pay; the two fees must sum to at least 0`,
      spec.exportFeeEurPerMWh !== undefined ? 'exportFeeEurPerMWh' : 'importFeeEurPerMWh',
    );
  return {
    pvScale,
    importLimitKW,
    exportLimitKW,
    importFeeEurPerMWh,
    exportFeeEurPerMWh,
    chargeFromPvOnly: spec.chargeFromPvOnly ?? false,
  };
}

/** PV and load over a series, average kW per step; null when the file has no such column. */
export interface SiteSeries {
  pvKW: ArrayLike<number> | null;
  loadKW: ArrayLike<number> | null;
}

/** True when the site adds nothing to the battery: no PV (or scale 0), no load, no limit, no fee, no PV-only rule. */
export function isPlainSite(site: SiteParams, series: SiteSeries): boolean {
  const none = (xs: ArrayLike<number> | null, scale = 1) => {
    if (xs === null || scale === 0) return true;
    for (let t = 0; t < xs.length; t++) if (xs[t] !== 0) return false;
    return true;
  };
  return (
    none(series.pvKW, site.pvScale) &&
    none(series.loadKW) &&
    site.importLimitKW === Infinity &&
    site.exportLimitKW === Infinity &&
    site.importFeeEurPerMWh === 0 &&
    site.exportFeeEurPerMWh === 0 &&
    !site.chargeFromPvOnly
  );
}

/**
 * Checks PV and load against the series and the site: finite, not negative, as long as the prices, and at every
 * step the load must be coverable by PV plus the import limit (the battery is never forced to serve it). Throws
 * SiteParamError naming the column and the step (its UTC time when `timesUtcMs` is given).
 */
export function assertSiteSeries(
  site: SiteParams,
  series: SiteSeries,
  steps: number,
  timesUtcMs?: ArrayLike<number>,
): void {
  const at = (t: number) => `step ${t + 1}${timesUtcMs ? ` (${new Date(timesUtcMs[t]).toISOString()})` : ''}`;
  for (const [column, xs] of [
    ['pv_kw', series.pvKW],
    ['load_kw', series.loadKW],
  ] as const) {
    if (xs === null) continue;
    if (xs.length !== steps)
      throw new SiteParamError(`${column} has ${xs.length} values for ${steps} price steps`, column);
    for (let t = 0; t < steps; t++) {
      const v = xs[t];
      if (typeof v !== 'number' || Number.isNaN(v))
        throw new SiteParamError(`${column} is missing at ${at(t)}`, column, t);
      if (!(v >= 0 && v <= SITE_LIMITS.maxSeriesKW))
        throw new SiteParamError(
          `${column} must be within [0, ${SITE_LIMITS.maxSeriesKW}] kW at ${at(t)}, got ${v}`,
          column,
          t,
        );
    }
  }
  if (series.loadKW !== null && site.importLimitKW !== Infinity) {
    for (let t = 0; t < steps; t++) {
      const pv = series.pvKW === null ? 0 : site.pvScale * series.pvKW[t];
      if (series.loadKW[t] > pv + site.importLimitKW + 1e-9 * Math.max(1, series.loadKW[t]))
        throw new SiteParamError(
          `${SITE_FIELD_LABELS.importLimitKW} ${site.importLimitKW} with PV ${pv} kW cannot cover load_kw ${series.loadKW[t]} at ${at(t)}`,
          'importLimitKW',
          t,
        );
    }
  }
}

/** One step's site inputs in energies and per-kWh prices. */
export interface SiteStepContext {
  /** PV available (scaled), kWh. */
  pvKWh: number;
  loadKWh: number;
  /** Largest import and export in the step, kWh (Infinity when unlimited). */
  importMaxKWh: number;
  exportMaxKWh: number;
  /** Price paid per MWh imported and received per MWh exported, EUR/MWh. */
  importPriceEurPerMWh: number;
  exportPriceEurPerMWh: number;
  /** Largest battery charge this step allows (the power limit, or the PV surplus with chargeFromPvOnly), kWh. */
  chargeMaxKWh: number;
}

/** The context of step t. */
export function siteStepContext(
  b: BatteryParams,
  site: SiteParams,
  series: SiteSeries,
  t: number,
  priceEurPerMWh: number,
  dtHours: number,
): SiteStepContext {
  const pvKWh = series.pvKW === null ? 0 : energyForPower(site.pvScale * series.pvKW[t], dtHours);
  const loadKWh = series.loadKW === null ? 0 : energyForPower(series.loadKW[t], dtHours);
  const full = maxChargeKWh(b, dtHours);
  return {
    pvKWh,
    loadKWh,
    importMaxKWh: site.importLimitKW === Infinity ? Infinity : energyForPower(site.importLimitKW, dtHours),
    exportMaxKWh: site.exportLimitKW === Infinity ? Infinity : energyForPower(site.exportLimitKW, dtHours),
    importPriceEurPerMWh: priceEurPerMWh + site.importFeeEurPerMWh,
    exportPriceEurPerMWh: priceEurPerMWh - site.exportFeeEurPerMWh,
    chargeMaxKWh: site.chargeFromPvOnly ? Math.min(full, Math.max(0, pvKWh - loadKWh)) : full,
  };
}

/** How the AC bus settles: PV used, import, export, and their cash (no battery wear), for a net demand. */
export interface GridFlows {
  usedPvKWh: number;
  importedKWh: number;
  exportedKWh: number;
  gridCashEur: number;
}

/**
 * The best settlement of a net demand `netKWh` = load + c − d (negative: the battery exports more than the load
 * takes): PV is free, so it is used unless curtailing pays (a negative export price, or a negative import price
 * that pays for drawing power); export only pays above 0 EUR/MWh; import and export never at once. The caller keeps
 * `netKWh` within [−exportMax, pv + importMax].
 */
export function settleGrid(ctx: SiteStepContext, netKWh: number): GridFlows {
  return settleGridInto(ctx, netKWh, { usedPvKWh: 0, importedKWh: 0, exportedKWh: 0, gridCashEur: 0 });
}

/** settleGrid into `out` (no allocation: the oracle evaluates it many times per step); returns `out`. */
export function settleGridInto(ctx: SiteStepContext, netKWh: number, out: GridFlows): GridFlows {
  const { pvKWh, importMaxKWh, exportMaxKWh, importPriceEurPerMWh: pi, exportPriceEurPerMWh: pe } = ctx;
  let e: number;
  let i: number;
  if (pi < 0) {
    // Drawing power is paid (and exporting costs, as pe ≤ pi): export only what must go, import all that may come.
    e = netKWh < 0 ? -netKWh : 0;
    i = Math.min(importMaxKWh, netKWh + e);
  } else {
    e = pe > 0 ? Math.min(exportMaxKWh, Math.max(0, pvKWh - netKWh)) : netKWh < 0 ? -netKWh : 0;
    i = netKWh + e - pvKWh;
  }
  if (i < 0) i = 0;
  out.usedPvKWh = Math.min(pvKWh, Math.max(0, netKWh + e - i));
  out.importedKWh = i;
  out.exportedKWh = e;
  out.gridCashEur = eurForEnergy(pe, e) - eurForEnergy(pi, i);
  return out;
}

const scratchFlows: GridFlows = { usedPvKWh: 0, importedKWh: 0, exportedKWh: 0, gridCashEur: 0 };

/** One site step after clipping: the battery's step plus the grid flows. */
export interface SiteStepResult extends StepResult {
  usedPvKWh: number;
  curtailedKWh: number;
  importedKWh: number;
  exportedKWh: number;
}

/**
 * One step of the site: the battery request is clipped to the site (chargeFromPvOnly, and so that the AC bus can
 * balance within the grid limits), the battery takes it (stepBattery: power and SOC clipping), and the grid settles
 * the rest at its best (settleGrid). `plain` (isPlainSite) keeps the battery model's own cash, bit for bit.
 */
export function stepSite(
  b: BatteryParams,
  ctx: SiteStepContext,
  socKWh: number,
  requestChargeKWh: number,
  requestDischargeKWh: number,
  priceEurPerMWh: number,
  dtHours: number,
  plain = false,
): SiteStepResult {
  const { loadKWh, pvKWh, importMaxKWh, exportMaxKWh } = ctx;
  let c = Math.min(Math.max(0, requestChargeKWh), ctx.chargeMaxKWh);
  let d = Math.max(0, requestDischargeKWh);
  const tol = 1e-9 * Math.max(1, loadKWh, pvKWh);
  // Net demand load + c − d within [−exportMax, pv + importMax]: first on the requests, then on what the battery took.
  c = Math.min(c, Math.max(0, pvKWh + importMaxKWh - loadKWh + d));
  d = Math.min(d, loadKWh + c + exportMaxKWh);
  let step = stepBattery(b, socKWh, c, d, priceEurPerMWh, dtHours);
  let net = loadKWh + step.chargedKWh - step.dischargedKWh;
  if (net > pvKWh + importMaxKWh + tol || net < -exportMaxKWh - tol) {
    // The battery cut one side (SOC bounds) and the other now breaks a grid limit: drop the charge, and the discharge
    // beyond what the load and the export limit take; without charge neither limit can break (assertSiteSeries).
    step = stepBattery(b, socKWh, 0, Math.min(step.dischargedKWh, loadKWh + exportMaxKWh), priceEurPerMWh, dtHours);
    net = loadKWh - step.dischargedKWh;
  }
  const out: SiteStepResult = {
    chargedKWh: step.chargedKWh,
    dischargedKWh: step.dischargedKWh,
    socAfterKWh: step.socAfterKWh,
    cashEur: step.cashEur,
    usedPvKWh: 0,
    curtailedKWh: 0,
    importedKWh: net > 0 ? net : 0,
    exportedKWh: net < 0 ? -net : 0,
  };
  if (plain) return out;
  const g = settleGridInto(ctx, Math.min(Math.max(net, -exportMaxKWh), pvKWh + importMaxKWh), scratchFlows);
  out.cashEur = g.gridCashEur + stepCashEur(b, 0, step.chargedKWh, step.dischargedKWh);
  out.usedPvKWh = g.usedPvKWh;
  out.curtailedKWh = pvKWh - g.usedPvKWh;
  out.importedKWh = g.importedKWh;
  out.exportedKWh = g.exportedKWh;
  return out;
}
