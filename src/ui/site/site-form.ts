// The Site panel's form (PV scale, grid limits, fees, PV-only charging) → the one site model's resolveSite, and the
// site optimum of a loaded series for the panel and its chart.
import type { BatteryParams } from '../../core/battery/index.ts';
import { solveSiteOracle, type SiteOracleResult } from '../../core/oracle/site-oracle.ts';
import type { PriceSeries } from '../../core/prices/types.ts';
import { type SiteParams, type SiteSpec, SiteParamError, resolveSite } from '../../core/site/site.ts';

/** What the user types; a limit left empty (null) is no limit. */
export interface SiteForm {
  pvScale: number;
  importLimitKW: number | null;
  exportLimitKW: number | null;
  importFeeEurPerMWh: number;
  exportFeeEurPerMWh: number;
  chargeFromPvOnly: boolean;
}

export const DEFAULT_SITE_FORM: Readonly<SiteForm> = Object.freeze({
  pvScale: 1,
  importLimitKW: null,
  exportLimitKW: null,
  importFeeEurPerMWh: 0,
  exportFeeEurPerMWh: 0,
  chargeFromPvOnly: false,
});

/** A stored form (JSON), with every field checked; anything unusable falls back to the default. */
export function siteFormFromJson(text: string | null): SiteForm {
  const f = { ...DEFAULT_SITE_FORM };
  if (!text) return f;
  try {
    const j = JSON.parse(text) as Partial<SiteForm>;
    const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
    const limit = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    return {
      pvScale: num(j.pvScale, f.pvScale),
      importLimitKW: limit(j.importLimitKW),
      exportLimitKW: limit(j.exportLimitKW),
      importFeeEurPerMWh: num(j.importFeeEurPerMWh, 0),
      exportFeeEurPerMWh: num(j.exportFeeEurPerMWh, 0),
      chargeFromPvOnly: j.chargeFromPvOnly === true,
    };
  } catch {
    return f;
  }
}

export type ResolvedSite = { ok: true; params: SiteParams } | { ok: false; field: string; message: string };

/** Form → validated site; an emptied number field (NaN) is an error naming it. */
export function resolveSiteForm(f: SiteForm): ResolvedSite {
  const spec: SiteSpec = { ...f };
  try {
    return { ok: true, params: resolveSite(spec) };
  } catch (e) {
    if (e instanceof SiteParamError) return { ok: false, field: e.field, message: e.message };
    throw e;
  }
}

export type SiteSolve = { ok: true; result: SiteOracleResult } | { ok: false; message: string };

/** The site optimum of `series` (its pv_kw/load_kw columns) with this battery and site; a bad input is a message. */
export function solveSiteFor(
  series: Pick<PriceSeries, 'source' | 'pricesEurPerMWh' | 'dtHours' | 'pvKW' | 'loadKW'>,
  battery: BatteryParams,
  site: SiteParams,
): SiteSolve {
  try {
    const result = solveSiteOracle({
      pricesEurPerMWh: series.pricesEurPerMWh,
      dtHours: series.dtHours,
      battery,
      site,
      series: { pvKW: series.pvKW ?? null, loadKW: series.loadKW ?? null },
    });
    return { ok: true, result };
  } catch (e) {
    if (e instanceof Error && (e.name === 'SiteParamError' || e.name === 'BatteryParamError'))
      return { ok: false, message: `${series.source}: ${e.message}` };
    throw e;
  }
}

/** Per-bucket means of a per-step series (kWh per step → average kW), at most `buckets` of them, for the chart. */
export function bucketMeansKW(stepKWh: ArrayLike<number>, dtHours: number, buckets: number): Float64Array {
  const n = stepKWh.length;
  const k = Math.max(1, Math.ceil(n / Math.max(1, buckets)));
  const out = new Float64Array(Math.ceil(n / k));
  for (let b = 0; b < out.length; b++) {
    let sum = 0;
    const end = Math.min(n, (b + 1) * k);
    for (let t = b * k; t < end; t++) sum += stepKWh[t];
    out[b] = sum / (end - b * k) / dtHours;
  }
  return out;
}
