// Protocol of the site worker: the site optimum (solveSiteOracle) of a loaded series, off the page's main thread.
import type { BatteryParams } from '../src/core/battery/index.ts';
import type { SiteParams } from '../src/core/site/site.ts';
import type { SiteSolve } from '../src/ui/site/site-form.ts';

export interface SiteRequest {
  /** The file's name, for messages. */
  source: string;
  pricesEurPerMWh: Float64Array;
  dtHours: number;
  pvKW: Float64Array | null;
  loadKW: Float64Array | null;
  battery: BatteryParams;
  site: SiteParams;
}

export type SiteReply = SiteSolve;

export interface SiteApi {
  solve(req: SiteRequest): Promise<SiteReply>;
}
