// How the page shows things, by the user's choice and remembered: the clock (UTC or the market's CET/CEST), the
// display units (kW/kWh or MW/MWh; inputs always say their unit) and whether the price axis clips rare spikes.

import { type ClockZone, CLOCK_ZONES } from '../lib/time-zone.ts';
import type { DisplayUnits } from '../format.ts';
import { readStorage, writeStorage } from '../lib/storage.ts';

const KEY = 'powerbidder.view';

interface Saved {
  zone: ClockZone;
  units: DisplayUnits;
  clipAxis: boolean;
}

/** The saved choices (JSON) over the defaults; anything unknown is ignored. */
export function prefsFromJson(json: string | null): Saved {
  const out: Saved = { zone: 'UTC', units: 'kW', clipAxis: false };
  try {
    const v = JSON.parse(json ?? 'null') as Partial<Saved> | null;
    if (v && typeof v === 'object') {
      if (CLOCK_ZONES.includes(v.zone as ClockZone)) out.zone = v.zone as ClockZone;
      if (v.units === 'kW' || v.units === 'MW') out.units = v.units;
      if (typeof v.clipAxis === 'boolean') out.clipAxis = v.clipAxis;
    }
  } catch {
    // Corrupt storage: defaults.
  }
  return out;
}

/** Display choices; every setter remembers them. */
export class ViewPrefs {
  #saved = prefsFromJson(readStorage(KEY));
  zone = $state<ClockZone>(this.#saved.zone);
  units = $state<DisplayUnits>(this.#saved.units);
  clipAxis = $state(this.#saved.clipAxis);

  setZone(zone: ClockZone): void {
    this.zone = zone;
    this.#save();
  }

  setUnits(units: DisplayUnits): void {
    this.units = units;
    this.#save();
  }

  setClipAxis(on: boolean): void {
    this.clipAxis = on;
    this.#save();
  }

  #save(): void {
    writeStorage(KEY, JSON.stringify({ zone: this.zone, units: this.units, clipAxis: this.clipAxis }));
  }
}
