// The sizing run of the page: the worker pool (pool.ts) over the form's grid, partial results as they arrive,
// redrawn at most every REDRAW_MS so that drawing never holds up handing out chunks.

import type { BatterySpec } from '../../core/battery/index.ts';
import type { PriceSeries } from '../../core/prices/types.ts';
import { type CellResult, HOURS_PER_YEAR, SizingParamError, bestCell } from '../../core/sizing/index.ts';
import { WorkerCallAborted } from '../lib/worker-box.ts';
import { readStorage, writeStorage } from '../lib/storage.ts';
import {
  type ResolvedSizing,
  type SizingForm,
  DEFAULT_SIZING_FORM,
  resolveSizingForm,
  sizingFormFromJson,
} from './form.ts';
import type { MetricKey } from './heatmap.ts';
import { SizingPool } from './pool.ts';

const KEY = 'powerbidder.sizing';
const REDRAW_MS = 150;
/** Form, run state and the grid's cells as they arrive. */
export class SizingState {
  form = $state<SizingForm>(sizingFormFromJson(readStorage(KEY)));
  resolved: ResolvedSizing = $derived(resolveSizingForm(this.form));
  metric = $state<MetricKey>('npvEur');
  /** Cells by index (capacity-major); null until solved. */
  cells = $state.raw<(CellResult | null)[]>([]);
  capacitiesKWh = $state.raw<number[]>([]);
  powersKW = $state.raw<number[]>([]);
  best = $state.raw<CellResult | null>(null);
  done = $state(0);
  total = $state(0);
  running = $state(false);
  /** One line on the last run: time, solves, or that it was cancelled. */
  status = $state<string | null>(null);
  error = $state<string | null>(null);
  #pool = new SizingPool((message) => (this.error = `Sizing: ${message}`));
  readonly workers = this.#pool.size;
  #run = 0;

  /** Remembers the form (called from an effect in the panel). */
  persist(): void {
    writeStorage(KEY, JSON.stringify(this.form));
  }

  reset(): void {
    this.form = { ...DEFAULT_SIZING_FORM };
  }

  /** Sizes the battery over the form's grid for `series`, with `battery`'s other settings. */
  async start(series: PriceSeries, battery: BatterySpec): Promise<void> {
    const r = this.resolved;
    if (!r.ok) return;
    if (this.running) this.cancel();
    const id = ++this.#run;
    const prices = series.pricesEurPerMWh;
    const base: BatterySpec = {
      ...($state.snapshot(battery) as BatterySpec),
      capacityKWh: undefined,
      powerKW: undefined,
    };
    this.error = null;
    this.status = null;
    this.capacitiesKWh = r.capacitiesKWh;
    this.powersKW = r.powersKW;
    this.total = r.capacitiesKWh.length * r.powersKW.length;
    this.done = 0;
    this.best = null;
    let cells: (CellResult | null)[] = new Array(this.total).fill(null);
    this.cells = cells;
    this.running = true;
    const t0 = performance.now();
    let timer: ReturnType<typeof setTimeout> | null = null;
    let pending: CellResult[] = [];
    let done = 0;
    const flush = () => {
      timer = null;
      if (id !== this.#run || !pending.length) return;
      cells = cells.slice();
      for (const c of pending) cells[c.index] = c;
      const b = bestCell(pending);
      if (
        b &&
        (!this.best || b.npvEur > this.best.npvEur || (b.npvEur === this.best.npvEur && b.index < this.best.index))
      )
        this.best = b;
      pending = [];
      this.cells = cells;
      this.done = done;
    };
    try {
      const res = await this.#pool.run(
        {
          pricesEurPerMWh: prices,
          dtHours: series.dtHours,
          battery: base,
          capacitiesKWh: r.capacitiesKWh,
          powersKW: r.powersKW,
          economics: r.economics,
        },
        (valued, n) => {
          pending.push(...valued);
          done = n;
          timer ??= setTimeout(flush, REDRAW_MS);
        },
      );
      if (id !== this.#run) return;
      if (timer) clearTimeout(timer);
      flush();
      this.best = res.best;
      const spanHours = prices.length * series.dtHours;
      const scale =
        spanHours === HOURS_PER_YEAR
          ? 'a 365-day year as it is'
          : `profit × ${(HOURS_PER_YEAR / spanHours).toFixed(3)} to a 365-day year`;
      this.status = `${res.cells.length.toLocaleString('en-GB')} cells (${res.solves.toLocaleString('en-GB')} oracle solves) in ${((performance.now() - t0) / 1000).toFixed(2)} s on ${this.workers} worker${this.workers > 1 ? 's' : ''} · ${series.source}, ${spanHours.toLocaleString('en-GB')} h: ${scale}`;
    } catch (e) {
      if (id !== this.#run) return;
      if (timer) clearTimeout(timer);
      flush();
      if (e instanceof WorkerCallAborted && e.reason === 'cancelled')
        this.status = `Cancelled after ${this.done.toLocaleString('en-GB')} of ${this.total.toLocaleString('en-GB')} cells`;
      else this.error = `Sizing: ${e instanceof SizingParamError ? e.message : (e as Error).message}`;
    } finally {
      if (id === this.#run) this.running = false;
    }
  }

  /** Stops the run now (the workers are ended and restarted on the next run); solved cells stay. */
  cancel(): void {
    if (this.running) this.#pool.cancel();
  }

  /** Ends the workers (page teardown). */
  dispose(): void {
    this.#run++;
    this.#pool.dispose();
  }
}
