// The site worker's implementation as a plain object, importable in Node tests: the site optimum of a series, a bad
// PV/load column, site or battery answered as a message naming the file (solveSiteFor), anything else as a message too.
import { solveSiteFor } from '../src/ui/site/site-form.ts';
import type { SiteApi, SiteReply } from './site-api.ts';

export const siteWorker: SiteApi = {
  async solve(req): Promise<SiteReply> {
    try {
      return solveSiteFor(
        {
          source: req.source,
          pricesEurPerMWh: req.pricesEurPerMWh,
          dtHours: req.dtHours,
          pvKW: req.pvKW ?? undefined,
          loadKW: req.loadKW ?? undefined,
        },
        req.battery,
        req.site,
      );
    } catch (e) {
      return { ok: false, message: `${req.source}: the site optimum failed: ${(e as Error).message}` };
    }
  },
};
