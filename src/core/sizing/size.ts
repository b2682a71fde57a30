// A whole sizing run: validate the grid, solve its cells on the given runners, value them, pick the best by NPV.
// The CLI passes worker-thread runners, the page Web Worker runners, tests the in-thread one: the same code.

import { type Economics } from './economics.ts';
import {
  type CellResult,
  type CellSolve,
  type SizingCell,
  type SizingProblem,
  bestCell,
  expandSolve,
  gridCells,
  planSolves,
  solveCells,
  validateGrid,
  valueCell,
} from './grid.ts';
import { chunk, chunkSize, runChunks } from './pool.ts';

/** Solves a list of cells somewhere (this thread, a worker) for a problem it already holds. */
export type CellRunner = (cells: SizingCell[]) => Promise<CellSolve[]>;

export interface SizingResult {
  /** Every cell, in index order (capacity-major). */
  cells: CellResult[];
  /** Highest NPV. */
  best: CellResult | null;
  /** Oracle solves made: one per duration (capacity / power) when the LP scales with size, else one per cell. */
  solves: number;
  /** Wall time from the first chunk handed out to the last result, ms (from the injected clock). */
  ms: number;
}

/** Solves on this thread. */
export function localRunner(problem: SizingProblem): CellRunner {
  return async (cells) => solveCells(problem.pricesEurPerMWh, problem.dtHours, problem.battery, cells, problem.site);
}

export interface SizeOptions {
  /** Where cells are solved; default one in-thread runner. */
  runners?: CellRunner[];
  /** Injected clock for `ms`. */
  nowMs?: () => number;
  /**
   * Share one solve among cells of the same duration when the LP scales with size (default true; see
   * planSolves). False solves every cell.
   */
  shareScaled?: boolean;
  /** Called with each chunk's valued cells as they arrive, and the count done so far. */
  onCells?: (cells: CellResult[], done: number, total: number) => void;
}

/** Sizes the battery over the problem's grid; throws SizingParamError for an invalid cell before solving any. */
export async function sizeGrid(
  problem: SizingProblem,
  economics: Economics,
  opts: SizeOptions = {},
): Promise<SizingResult> {
  const nowMs = opts.nowMs ?? (() => 0);
  const cells = gridCells(problem.capacitiesKWh, problem.powersKW);
  validateGrid(problem.battery, cells);
  const runners = opts.runners ?? [localRunner(problem)];
  // PV, load and grid limits do not grow with the battery, so a site's cells are each solved.
  const plan = planSolves(problem.battery, cells, (opts.shareScaled ?? true) && !problem.site);
  const steps = problem.pricesEurPerMWh.length;
  const out: CellResult[] = new Array(cells.length);
  let done = 0;
  const t0 = nowMs();
  await runChunks(chunk(plan.solves, chunkSize(plan.solves.length, runners.length)), runners, (solved) => {
    const valued = solved
      .flatMap((s) => expandSolve(plan, s))
      .map((s) => valueCell(s, steps, problem.dtHours, economics));
    for (const v of valued) out[v.index] = v;
    done += valued.length;
    opts.onCells?.(valued, done, cells.length);
  });
  const ms = nowMs() - t0;
  return { cells: out, best: bestCell(out), solves: plan.solves.length, ms };
}
