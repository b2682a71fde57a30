// Protocol of a sizing worker: the page's pool loads each worker with the prices and base battery once, then hands
// it chunks of cells to solve (core/sizing's runChunks).
import type { BatterySpec } from '../src/core/battery/index.ts';
import type { CellSolve, SizingCell } from '../src/core/sizing/grid.ts';

export interface SizingLoad {
  pricesEurPerMWh: Float64Array;
  dtHours: number;
  /** Every battery field but size (the cell's capacity and power replace those). */
  battery: BatterySpec;
}

export interface SizingApi {
  /** Holds the problem for the solves that follow. */
  load(req: SizingLoad): Promise<void>;
  /** The oracle optimum of each cell, in order; rejects if nothing was loaded. */
  solve(cells: SizingCell[]): Promise<CellSolve[]>;
}
