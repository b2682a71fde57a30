// The site flags and a file's pv_kw/load_kw columns, resolved and checked once for every command that takes them.
import type { PriceSeries } from '../core/prices/types.ts';
import {
  type SiteParams,
  type SiteSeries,
  type SiteSpec,
  SiteParamError,
  assertSiteSeries,
  isPlainSite,
  resolveSite,
} from '../core/site/site.ts';
import { CliError, type SITE_OPTIONS, siteFlagFor, siteSpec } from './args.ts';
import { siteSpecOfRecord, siteText } from '../core/env/site.ts';
import type { SavedModel } from '../core/rl/model.ts';
import type { OptionValues } from './command.ts';

export interface SiteInputs {
  site: SiteParams;
  series: SiteSeries;
  /** True when the site adds nothing to the battery (no PV, load, limit, fee or PV-only rule). */
  plain: boolean;
}

/**
 * The site of `values` around `series` (on top of `base`, a trained model's site: each flag given overrides its
 * field); a bad PV or load value, or a load the import limit cannot cover, names the file and step.
 */
export function siteInputs(
  values: OptionValues<typeof SITE_OPTIONS>,
  series: PriceSeries,
  base: SiteSpec = {},
): SiteInputs {
  const flags = siteSpec(values);
  const spec = { ...base, ...flags };
  const site = resolveSite(spec);
  if (flags.pvScale !== undefined && !series.pvKW)
    throw new CliError(`--pv-scale: ${series.source} has no pv_kw column to scale`);
  const s: SiteSeries = { pvKW: series.pvKW ?? null, loadKW: series.loadKW ?? null };
  try {
    assertSiteSeries(site, s, series.pricesEurPerMWh.length, series.timesUtcMs);
  } catch (e) {
    if (e instanceof SiteParamError && e.step !== undefined) {
      const flag = siteFlagFor(e.field);
      throw new CliError(`${flag ? `${flag}: ` : ''}${series.source}, ${e.message}`);
    }
    throw e;
  }
  return { site, series: s, plain: isPlainSite(site, s) };
}

/**
 * The site a trained model is scored on: its own (config.site) with every site flag given on top, around the
 * file's PV and load. A model trained on the battery alone is scored on the battery alone, and refuses site flags
 * (it never observed PV or load). Returns null for the battery alone.
 */
export function modelSiteInputs(
  model: SavedModel,
  where: string,
  values: OptionValues<typeof SITE_OPTIONS>,
  series: PriceSeries,
): SiteInputs | null {
  const rec = model.config.site;
  if (!rec) {
    const given = Object.keys(siteSpec(values));
    if (given.length > 0)
      throw new CliError(
        `${siteFlagFor(given[0])}: the model in ${where} was trained on the battery alone (it does not observe PV or load); train it on the site (bess train with the site flags) to score it there`,
      );
    return null;
  }
  return siteInputs(values, series, siteSpecOfRecord(rec));
}

/** One line that says which site a model trained on (src/core/env/site.ts, shared with the page). */
export { siteText };
