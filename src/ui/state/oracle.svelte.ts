// The perfect-foresight optimum for the loaded series and battery, solved in the oracle worker. Requests are
// debounced while the user edits parameters; a reply for anything but the latest request is dropped.

import type { OracleApi, OracleReply } from '../../../workers/oracle-api.ts';
import { type BatteryParams, type BatterySpec, resolveBattery } from '../../core/battery/index.ts';
import { type Yardsticks, yardsticks } from '../lib/yardsticks.ts';
import type { OracleResult } from '../../core/oracle/types.ts';
import { WorkerBox, WorkerCallAborted } from '../lib/worker-box.ts';

const DEBOUNCE_MS = 120;

/** Oracle result for the current inputs, and whether a solve is under way. */
export class OracleState {
  result = $state.raw<OracleResult | null>(null);
  /** Steps of the series the result is for. */
  steps = $state(0);
  /** The battery and prices the result was solved with (for its per-step cash and the schedule download). */
  params = $state.raw<BatteryParams | null>(null);
  prices = $state.raw<Float64Array | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  /** Action-set ceiling and heuristic for the same inputs, computed after the oracle. */
  yard = $state.raw<Yardsticks | null>(null);

  #box = new WorkerBox<OracleApi>(
    () => new Worker(new URL('../../../workers/oracle.worker.ts', import.meta.url), { type: 'module' }),
    (message) => (this.error = `Oracle: ${message}`),
  );
  #latest = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** Schedules a solve of `prices` with `battery`; only the last request within the debounce window runs. */
  request(prices: Float64Array | null, dtHours: number, battery: BatterySpec | null): void {
    const id = ++this.#latest;
    if (this.#timer) clearTimeout(this.#timer);
    if (!prices || !battery) {
      this.busy = false;
      return;
    }
    this.busy = true;
    this.#timer = setTimeout(() => void this.#solve(id, prices, dtHours, battery), DEBOUNCE_MS);
  }

  /** Solves once, now, outside the debounced stream (the training panel's test split). */
  solveOnce(prices: Float64Array, dtHours: number, battery: BatterySpec): Promise<OracleResult | null> {
    return this.#box
      .call<OracleReply>((w) =>
        w.solve({ pricesEurPerMWh: prices.slice(), dtHours, battery: $state.snapshot(battery) as BatterySpec }),
      )
      .then((r) => (r.ok ? r.result : null))
      .catch(() => null);
  }

  /** Abandons the solve in progress (the worker is restarted). */
  cancel(): void {
    this.#latest++;
    if (this.#timer) clearTimeout(this.#timer);
    this.#box.cancel();
    this.busy = false;
  }

  async #solve(id: number, prices: Float64Array, dtHours: number, battery: BatterySpec): Promise<void> {
    try {
      const reply = await this.#box.call<OracleReply>((w) =>
        w.solve({ pricesEurPerMWh: prices.slice(), dtHours, battery: $state.snapshot(battery) as BatterySpec }),
      );
      if (id !== this.#latest) return;
      if (reply.ok) {
        this.result = reply.result;
        this.steps = prices.length;
        this.params = resolveBattery(battery);
        this.prices = prices;
        this.error = null;
        this.yard = null;
        // After the oracle's figures have painted; skipped if a newer request came meanwhile.
        setTimeout(() => {
          if (id === this.#latest) this.yard = yardsticks(prices, dtHours, resolveBattery(battery));
        }, 0);
      } else {
        this.error = reply.message;
      }
    } catch (e) {
      if (id !== this.#latest) return;
      if (!(e instanceof WorkerCallAborted && e.reason === 'cancelled')) this.error = `Oracle: ${(e as Error).message}`;
    } finally {
      if (id === this.#latest) this.busy = false;
    }
  }
}
