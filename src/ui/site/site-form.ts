// The Site panel's form (PV scale, grid limits, fees, PV-only charging) → the one site model's resolveSite, and the
// site optimum of a loaded series for the panel and its chart.
import type { BatteryParams } from '../../core/battery/index.ts';
import { solveSiteOracle, type SiteOracleResult } from '../../core/oracle/site-oracle.ts';
import type { PriceSeries } from '../../core/prices/types.ts';
import { type SiteParams, type SiteSpec, SiteParamError, isPlainSite, resolveSite } from '../../core/site/site.ts';

/** What the user types: every site field; a limit left empty (null) is no limit. */
export type SiteForm = Required<SiteSpec>;

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

/**
 * What the page's training takes of the Site panel: the panel's site (as a SiteSpec, the form's fields) when it adds
 * something to the battery over `series` (its pv_kw/load_kw columns, a limit, a fee or PV-only charging; the same
 * rule as bess train), null when it adds nothing (the battery alone, today's run bit for bit); an invalid form is
 * the panel's message, which blocks training (never a silent battery-only run). Under day-ahead a site is refused:
 * the page's day-ahead baselines box plans on the battery alone, so it would stand beside a site agent unlabelled.
 */
export type TrainingSite = { ok: true; site: SiteSpec | null } | { ok: false; message: string };

export function trainingSite(
  form: SiteForm,
  series: Pick<PriceSeries, 'pvKW' | 'loadKW'>,
  mode: 'known-24h' | 'day-ahead' = 'known-24h',
): TrainingSite {
  const resolved = resolveSiteForm(form);
  if (!resolved.ok) return { ok: false, message: `Site: ${resolved.message}` };
  if (isPlainSite(resolved.params, { pvKW: series.pvKW ?? null, loadKW: series.loadKW ?? null }))
    return { ok: true, site: null };
  if (mode === 'day-ahead')
    return {
      ok: false,
      message:
        'Site: day-ahead training on a site is not offered on the page (its day-ahead baselines plan on the battery alone); train under known-24h, set the Site panel to add nothing (PV scale 0, no limits or fees), or use bess train --information day-ahead with the site flags.',
    };
  return { ok: true, site: { ...form } };
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
