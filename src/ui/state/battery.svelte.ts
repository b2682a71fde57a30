// Battery parameters as the user types them, validated by the one battery model's resolveBattery.

import { type BatteryForm, type ResolvedForm, DEFAULT_FORM, formFromJson, resolveForm } from '../lib/battery-form.ts';
import { readStorage, writeStorage } from '../lib/storage.ts';

export type { BatteryForm } from '../lib/battery-form.ts';

const KEY = 'powerbidder.battery';

/** Battery form, its validated parameters (or the field at fault), remembered across reloads. */
export class BatteryState {
  form = $state<BatteryForm>(formFromJson(readStorage(KEY)));
  resolved: ResolvedForm = $derived(resolveForm(this.form));

  /** Remembers the form (called from an effect in the page). */
  persist(): void {
    writeStorage(KEY, JSON.stringify(this.form));
  }

  reset(): void {
    this.form = { ...DEFAULT_FORM };
  }
}
