// Replays per-step battery requests through the site (stepSite: the one battery model plus the AC bus) and settles
// cash per DESIGN.md "Site". Every strategy on a site is scored here, the oracle's schedule included.

import { type BatteryParams, equivalentCycles } from '../battery/index.ts';
import type { Schedule } from '../sim/simulate.ts';
import { eurForEnergy } from '../units.ts';
import {
  type SiteParams,
  type SiteSeries,
  assertSiteSeries,
  isPlainSite,
  settleGrid,
  siteStepContext,
  stepSite,
} from './site.ts';

/** Per-step flows on the site, kWh, and cash, EUR. */
export interface SiteTrace {
  socBeforeKWh: Float64Array;
  socAfterKWh: Float64Array;
  chargedKWh: Float64Array;
  dischargedKWh: Float64Array;
  /** PV available (scaled), curtailed, grid import and export per step, kWh. */
  pvStepKWh: Float64Array;
  curtailStepKWh: Float64Array;
  importStepKWh: Float64Array;
  exportStepKWh: Float64Array;
  cashEur: Float64Array;
}

/**
 * Where the money came from. Against a site without a battery (PV settled at its best, the load bought at the
 * import price where PV does not cover it): cash = pvSoldEur + avoidedImportEur + batteryArbitrageEur − loadCostEur.
 */
export interface SiteRevenue {
  /** Export of PV without the battery, at the export price, EUR. */
  pvSoldEur: number;
  /** Load covered by PV without the battery, at the import price it did not pay, EUR. */
  avoidedImportEur: number;
  /** What the battery adds to the site's cash, wear included, EUR. */
  batteryArbitrageEur: number;
  /** The whole load bought at the import price, EUR. */
  loadCostEur: number;
}

export interface SiteSummary extends SiteRevenue {
  profitEur: number;
  totalChargedKWh: number;
  totalDischargedKWh: number;
  equivalentCycles: number;
  finalSocKWh: number;
  importedKWh: number;
  exportedKWh: number;
  curtailedKWh: number;
  pvKWh: number;
}

/** Inputs of a site run: prices, step length, battery, site and its PV/load series. */
export interface SiteInput {
  pricesEurPerMWh: ArrayLike<number>;
  dtHours: number;
  battery: BatteryParams;
  site: SiteParams;
  series: SiteSeries;
}

/** The site without a battery, per step summed: the reference of the revenue split. */
export function siteWithoutBattery(input: SiteInput): Omit<SiteRevenue, 'batteryArbitrageEur'> & { cashEur: number } {
  const { pricesEurPerMWh: prices, dtHours, battery: b, site, series } = input;
  let pvSoldEur = 0;
  let avoidedImportEur = 0;
  let loadCostEur = 0;
  let cashEur = 0;
  for (let t = 0; t < prices.length; t++) {
    const ctx = siteStepContext(b, site, series, t, prices[t], dtHours);
    const g = settleGrid(ctx, ctx.loadKWh);
    pvSoldEur += eurForEnergy(ctx.exportPriceEurPerMWh, g.exportedKWh);
    loadCostEur += eurForEnergy(ctx.importPriceEurPerMWh, ctx.loadKWh);
    avoidedImportEur += eurForEnergy(ctx.importPriceEurPerMWh, ctx.loadKWh - g.importedKWh);
    cashEur += g.gridCashEur;
  }
  return { pvSoldEur, avoidedImportEur, loadCostEur, cashEur };
}

/** Replays `schedule` on the site from the battery's initial SOC; validates the PV and load series first. */
export function simulateSite(input: SiteInput, schedule: Schedule): SiteTrace & SiteSummary {
  const { pricesEurPerMWh: prices, dtHours, battery: b, site, series } = input;
  const n = prices.length;
  assertSiteSeries(site, series, n);
  const plain = isPlainSite(site, series);
  const tr: SiteTrace = {
    socBeforeKWh: new Float64Array(n),
    socAfterKWh: new Float64Array(n),
    chargedKWh: new Float64Array(n),
    dischargedKWh: new Float64Array(n),
    pvStepKWh: new Float64Array(n),
    curtailStepKWh: new Float64Array(n),
    importStepKWh: new Float64Array(n),
    exportStepKWh: new Float64Array(n),
    cashEur: new Float64Array(n),
  };
  let soc = b.initialSocKWh;
  const sum = { profit: 0, charged: 0, discharged: 0, imported: 0, exported: 0, curtailed: 0, pv: 0 };
  for (let t = 0; t < n; t++) {
    const ctx = siteStepContext(b, site, series, t, prices[t], dtHours);
    const r = stepSite(
      b,
      ctx,
      soc,
      schedule.chargeKWh[t] ?? 0,
      schedule.dischargeKWh[t] ?? 0,
      prices[t],
      dtHours,
      plain,
    );
    tr.socBeforeKWh[t] = soc;
    tr.socAfterKWh[t] = r.socAfterKWh;
    tr.chargedKWh[t] = r.chargedKWh;
    tr.dischargedKWh[t] = r.dischargedKWh;
    tr.pvStepKWh[t] = ctx.pvKWh;
    tr.curtailStepKWh[t] = r.curtailedKWh;
    tr.importStepKWh[t] = r.importedKWh;
    tr.exportStepKWh[t] = r.exportedKWh;
    tr.cashEur[t] = r.cashEur;
    sum.profit += r.cashEur;
    sum.charged += r.chargedKWh;
    sum.discharged += r.dischargedKWh;
    sum.imported += r.importedKWh;
    sum.exported += r.exportedKWh;
    sum.curtailed += r.curtailedKWh;
    sum.pv += ctx.pvKWh;
    soc = r.socAfterKWh;
  }
  const base = plain ? { pvSoldEur: 0, avoidedImportEur: 0, loadCostEur: 0, cashEur: 0 } : siteWithoutBattery(input);
  return {
    ...tr,
    profitEur: sum.profit,
    totalChargedKWh: sum.charged,
    totalDischargedKWh: sum.discharged,
    equivalentCycles: equivalentCycles(b, sum.charged, sum.discharged),
    finalSocKWh: soc,
    importedKWh: sum.imported,
    exportedKWh: sum.exported,
    curtailedKWh: sum.curtailed,
    pvKWh: sum.pv,
    pvSoldEur: base.pvSoldEur,
    avoidedImportEur: base.avoidedImportEur,
    loadCostEur: base.loadCostEur,
    batteryArbitrageEur: sum.profit - base.cashEur,
  };
}
