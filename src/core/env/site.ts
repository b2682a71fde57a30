// The env on a site (DESIGN.md "Site"): an observation context gets the site it settles on (BatteryEnv.step then
// settles each step with stepSite, the one per-step site settlement simulateSite and the oracle's replay use) and
// the PV/load features of SITE_FEATURES, normalised by the training split's std of each (saved with the model in
// config.site). A site that adds nothing (isPlainSite over the whole run) is not attached at all: the env, its
// observations and its rewards are then exactly today's.

import { type SiteParams, type SiteSeries, type SiteSpec, isPlainSite, resolveSite } from '../site/site.ts';
import { type ObsContext, obsLayout } from './features.ts';

/** Training-split scales of the site features, kW (1 when the column is absent or constant zero). */
export interface SiteNormStats {
  /** Std of pv_kw × pvScale over the training split. */
  pvStdKW: number;
  /** Std of load_kw over the training split. */
  loadStdKW: number;
}

/** A site as a model records it: every site field (JSON-safe: null = no limit) and the feature scales. */
export interface SiteRecord extends Required<SiteSpec>, SiteNormStats {}

function std(xs: ArrayLike<number> | null, scale: number): number {
  if (xs === null || xs.length < 2) return 1;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += scale * xs[i];
  const mean = sum / xs.length;
  let ss = 0;
  for (let i = 0; i < xs.length; i++) ss += (scale * xs[i] - mean) ** 2;
  const s = Math.sqrt(ss / (xs.length - 1));
  return s > 1e-9 ? s : 1;
}

/** The feature scales of a training split's PV and load. */
export function computeSiteNormStats(site: SiteParams, train: SiteSeries): SiteNormStats {
  return { pvStdKW: std(train.pvKW, site.pvScale), loadStdKW: std(train.loadKW, 1) };
}

/** The record a model keeps of its site. */
export function siteRecord(site: SiteParams, stats: SiteNormStats): SiteRecord {
  return {
    pvScale: site.pvScale,
    importLimitKW: site.importLimitKW === Infinity ? null : site.importLimitKW,
    exportLimitKW: site.exportLimitKW === Infinity ? null : site.exportLimitKW,
    importFeeEurPerMWh: site.importFeeEurPerMWh,
    exportFeeEurPerMWh: site.exportFeeEurPerMWh,
    chargeFromPvOnly: site.chargeFromPvOnly,
    pvStdKW: stats.pvStdKW,
    loadStdKW: stats.loadStdKW,
  };
}

/** A record's site fields as a SiteSpec, without its feature scales (the base that overrides go on). */
export function siteSpecOfRecord(rec: SiteRecord): Required<SiteSpec> {
  return {
    pvScale: rec.pvScale,
    importLimitKW: rec.importLimitKW,
    exportLimitKW: rec.exportLimitKW,
    importFeeEurPerMWh: rec.importFeeEurPerMWh,
    exportFeeEurPerMWh: rec.exportFeeEurPerMWh,
    chargeFromPvOnly: rec.chargeFromPvOnly,
  };
}

/** The site parameters of a record (validated by resolveSite), with field overrides (e.g. CLI flags) on top. */
export function siteFromRecord(rec: SiteRecord, override: SiteSpec = {}): SiteParams {
  const given = Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined)) as SiteSpec;
  return resolveSite({ ...siteSpecOfRecord(rec), ...given });
}

/** True when a site adds something to the battery over `series` (the env then settles and observes it). */
export function siteIsActive(site: SiteParams, series: SiteSeries): boolean {
  return !isPlainSite(site, series);
}

/**
 * `ctx` on a site: the env settles its steps with stepSite and the observation appends SITE_FEATURES. `series`
 * holds PV and load for the context's steps (index t = step t of `ctx`).
 */
export function withSite(ctx: ObsContext, site: SiteParams, series: SiteSeries, stats: SiteNormStats): ObsContext {
  const n = ctx.length;
  for (const xs of [series.pvKW, series.loadKW])
    if (xs !== null && xs.length !== n)
      throw new RangeError(`site series has ${xs.length} steps, the observation context ${n}`);
  const padded = (xs: ArrayLike<number> | null, scale: number, by: number): Float32Array => {
    const out = new Float32Array(n + ctx.horizon);
    if (xs === null || n === 0) return out;
    for (let i = 0; i < out.length; i++) out[i] = (scale * xs[Math.min(i, n - 1)]) / by;
    return out;
  };
  const layout = obsLayout(ctx.horizon, ctx.dayAhead ? 'day-ahead' : 'known-24h', true);
  return {
    ...ctx,
    layout,
    obsDim: layout.dim,
    site: {
      site,
      series,
      plain: isPlainSite(site, series),
      pvNorm: padded(series.pvKW, site.pvScale, stats.pvStdKW),
      loadNorm: padded(series.loadKW, 1, stats.loadStdKW),
    },
  };
}

/** `ctx` on the site when the site adds something over the whole run (`active`), else `ctx` unchanged. */
export function siteContext(
  ctx: ObsContext,
  active: boolean,
  site: SiteParams,
  series: SiteSeries,
  stats: SiteNormStats,
): ObsContext {
  return active ? withSite(ctx, site, series, stats) : ctx;
}

/** The site of an observation context as the action-set DP takes it (`{}` for the battery alone). */
export function siteOfCtx(ctx: ObsContext): { site?: { site: SiteParams; series: SiteSeries } } {
  return ctx.site ? { site: { site: ctx.site.site, series: ctx.site.series } } : {};
}

/** One line that says which site a model trained on (the CLI's train and backtest summaries, the page's results). */
export function siteText(rec: SiteRecord | null | undefined): string {
  if (!rec) return 'none (the battery alone)';
  const kw = (v: number | null) => (v === null ? 'unlimited' : `${v} kW`);
  return [
    `PV × ${rec.pvScale}`,
    `import ${kw(rec.importLimitKW)}`,
    `export ${kw(rec.exportLimitKW)}`,
    `fees ${rec.importFeeEurPerMWh}/${rec.exportFeeEurPerMWh} EUR/MWh`,
    ...(rec.chargeFromPvOnly ? ['charge from PV only'] : []),
  ].join(', ');
}
