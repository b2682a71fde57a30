// The Site panel's state: the form (remembered across reloads), its validated site, and the site optimum of the
// loaded series, re-solved a moment after the inputs stop changing.
import type { BatteryParams } from '../../core/battery/index.ts';
import type { PriceSeries } from '../../core/prices/types.ts';
import { readStorage, writeStorage } from '../lib/storage.ts';
import {
  type ResolvedSite,
  type SiteForm,
  type SiteSolve,
  DEFAULT_SITE_FORM,
  resolveSiteForm,
  siteFormFromJson,
  solveSiteFor,
} from './site-form.ts';

const KEY = 'powerbidder.site';
const DEBOUNCE_MS = 150;

export class SiteState {
  form = $state<SiteForm>(siteFormFromJson(readStorage(KEY)));
  resolved: ResolvedSite = $derived(resolveSiteForm(this.form));
  solve = $state.raw<SiteSolve | null>(null);
  /** The series the solve is for (the same object). */
  solvedFor = $state.raw<PriceSeries | null>(null);
  #timer: ReturnType<typeof setTimeout> | null = null;

  persist(): void {
    writeStorage(KEY, JSON.stringify(this.form));
  }

  reset(): void {
    this.form = { ...DEFAULT_SITE_FORM };
  }

  /** Solves (debounced) for this series and battery when the site is valid. */
  request(series: PriceSeries | null, battery: BatteryParams | null): void {
    if (this.#timer) clearTimeout(this.#timer);
    const site = this.resolved;
    if (!series || !battery || !site.ok) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.solve = solveSiteFor(series, battery, site.params);
      this.solvedFor = series;
    }, DEBOUNCE_MS);
  }
}
