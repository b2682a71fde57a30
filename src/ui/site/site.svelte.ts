// The Site panel's state: the form (remembered across reloads), its validated site, and the site optimum of the
// loaded series, re-solved in the site worker a moment after the inputs stop changing. A reply for anything but the
// latest request is dropped; a worker that fails or dies is a message in the panel (and restarted on the next
// request), never a broken page.
import type { SiteApi, SiteReply } from '../../../workers/site-api.ts';
import type { BatteryParams } from '../../core/battery/index.ts';
import type { PriceSeries } from '../../core/prices/types.ts';
import type { SiteParams } from '../../core/site/site.ts';
import { readStorage, writeStorage } from '../lib/storage.ts';
import { WorkerBox, WorkerCallAborted } from '../lib/worker-box.ts';
import {
  type ResolvedSite,
  type SiteForm,
  type SiteSolve,
  DEFAULT_SITE_FORM,
  resolveSiteForm,
  siteFormFromJson,
} from './site-form.ts';

const KEY = 'powerbidder.site';
const DEBOUNCE_MS = 150;

export class SiteState {
  form = $state<SiteForm>(siteFormFromJson(readStorage(KEY)));
  resolved: ResolvedSite = $derived(resolveSiteForm(this.form));
  solve = $state.raw<SiteSolve | null>(null);
  /** The series the solve is for (the same object). */
  solvedFor = $state.raw<PriceSeries | null>(null);
  /** A solve is under way (debouncing or in the worker). */
  busy = $state(false);
  /** The worker failed or died (it is restarted on the next request); null otherwise. */
  workerError = $state<string | null>(null);
  #timer: ReturnType<typeof setTimeout> | null = null;
  #latest = 0;
  #box = new WorkerBox<SiteApi>(
    () => new Worker(new URL('../../../workers/site.worker.ts', import.meta.url), { type: 'module' }),
    (message) => (this.workerError = `Site: ${message}`),
  );

  persist(): void {
    writeStorage(KEY, JSON.stringify(this.form));
  }

  reset(): void {
    this.form = { ...DEFAULT_SITE_FORM };
  }

  /** Solves (debounced, in the worker) for this series and battery when the site is valid. */
  request(series: PriceSeries | null, battery: BatteryParams | null): void {
    const id = ++this.#latest;
    if (this.#timer) clearTimeout(this.#timer);
    const site = this.resolved;
    if (!series || !battery || !site.ok) {
      this.busy = false;
      return;
    }
    this.busy = true;
    const params = $state.snapshot(site.params);
    const b = $state.snapshot(battery) as BatteryParams;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#solve(id, series, b, params);
    }, DEBOUNCE_MS);
  }

  /** Ends the worker (page teardown); a later request starts a fresh one. */
  dispose(): void {
    this.#latest++;
    if (this.#timer) clearTimeout(this.#timer);
    this.#box.dispose();
    this.busy = false;
  }

  async #solve(id: number, series: PriceSeries, battery: BatteryParams, site: SiteParams): Promise<void> {
    try {
      const reply = await this.#box.call<SiteReply>((w) =>
        w.solve({
          source: series.source,
          pricesEurPerMWh: series.pricesEurPerMWh,
          dtHours: series.dtHours,
          pvKW: series.pvKW ?? null,
          loadKW: series.loadKW ?? null,
          battery,
          site,
        }),
      );
      if (id !== this.#latest) return;
      this.solve = reply;
      this.solvedFor = series;
      this.workerError = null;
    } catch (e) {
      if (id !== this.#latest) return;
      if (!(e instanceof WorkerCallAborted && e.reason === 'cancelled'))
        this.workerError = `Site: ${(e as Error).message}`;
    } finally {
      if (id === this.#latest) this.busy = false;
    }
  }
}
