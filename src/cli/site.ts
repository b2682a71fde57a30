// The site flags and a file's pv_kw/load_kw columns, resolved and checked once for every command that takes them.
import type { PriceSeries } from '../core/prices/types.ts';
import {
  type SiteParams,
  type SiteSeries,
  SiteParamError,
  assertSiteSeries,
  isPlainSite,
  resolveSite,
} from '../core/site/site.ts';
import { CliError, type SITE_OPTIONS, siteFlagFor, siteSpec } from './args.ts';
import type { OptionValues } from './command.ts';

export interface SiteInputs {
  site: SiteParams;
  series: SiteSeries;
  /** True when the site adds nothing to the battery (no PV, load, limit, fee or PV-only rule). */
  plain: boolean;
}

/** The site of `values` around `series`; a bad PV or load value, or a load the import limit cannot cover, names the file and step. */
export function siteInputs(values: OptionValues<typeof SITE_OPTIONS>, series: PriceSeries): SiteInputs {
  const spec = siteSpec(values);
  const site = resolveSite(spec);
  if (spec.pvScale !== undefined && !series.pvKW)
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
