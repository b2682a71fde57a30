// The page's sizing worker pool (no Svelte, so the browser benchmark drives the same code): one sizing worker per
// core the browser reports, each loaded once per run with the prices and battery, solving the chunks of cells that
// core/sizing's sizeGrid hands out. Cancel ends the workers (the only way to stop a synchronous solve); the next run
// starts fresh ones.

import type { SizingApi } from '../../../workers/sizing-api.ts';
import type { BatterySpec } from '../../core/battery/index.ts';
import {
  type CellResult,
  type CellRunner,
  type Economics,
  type SizingResult,
  sizeGrid,
} from '../../core/sizing/index.ts';
import { WorkerBox } from '../lib/worker-box.ts';

/** Workers in the pool: one per logical core the browser reports (at least one, at most 16). */
export function poolSize(): number {
  return Math.max(1, Math.min(16, globalThis.navigator?.hardwareConcurrency || 1));
}

export interface PoolRun {
  pricesEurPerMWh: Float64Array;
  dtHours: number;
  /** Every battery field but size. */
  battery: BatterySpec;
  capacitiesKWh: number[];
  powersKW: number[];
  economics: Economics;
}

export class SizingPool {
  readonly size: number;
  #boxes: WorkerBox<SizingApi>[] = [];
  #onCrash: (message: string) => void;

  constructor(onCrash: (message: string) => void, size = poolSize()) {
    this.size = size;
    this.#onCrash = onCrash;
  }

  /**
   * Sizes the grid; `onCells` sees each chunk's cells as they arrive. Rejects with WorkerCallAborted('cancelled')
   * after cancel(), with SizingParamError for an invalid cell (before any solve).
   */
  async run(req: PoolRun, onCells: (cells: CellResult[], done: number, total: number) => void): Promise<SizingResult> {
    const boxes = this.#pool();
    await Promise.all(
      boxes.map((b) =>
        b.call((w) =>
          w.load({ pricesEurPerMWh: req.pricesEurPerMWh.slice(), dtHours: req.dtHours, battery: req.battery }),
        ),
      ),
    );
    const runners: CellRunner[] = boxes.map((b) => (chunk) => b.call((w) => w.solve(chunk)));
    return sizeGrid(req, req.economics, { runners, nowMs: () => performance.now(), onCells });
  }

  /** Ends every worker now; calls in flight reject as cancelled. */
  cancel(): void {
    for (const b of this.#boxes) b.cancel();
  }

  dispose(): void {
    for (const b of this.#boxes) b.dispose();
  }

  #pool(): WorkerBox<SizingApi>[] {
    while (this.#boxes.length < this.size) {
      this.#boxes.push(
        new WorkerBox<SizingApi>(
          () => new Worker(new URL('../../../workers/sizing.worker.ts', import.meta.url), { type: 'module' }),
          this.#onCrash,
        ),
      );
    }
    return this.#boxes;
  }
}
