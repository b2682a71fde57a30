import * as Comlink from 'comlink';
import { siteWorker } from './site.ts';
import type { SiteApi } from './site-api.ts';

// Thin: the reply (the optimum with its per-step trace) is structured-cloned back to the page.
const api: SiteApi = { solve: (req) => siteWorker.solve(req) };
Comlink.expose(api);
