// A sizing worker's implementation as a plain object, importable in Node tests: core/sizing's solveCells over the
// problem it was loaded with.
import { solveCells } from '../src/core/sizing/grid.ts';
import type { SizingApi, SizingLoad } from './sizing-api.ts';

/** A fresh sizing worker state (one per worker; tests make their own). */
export function createSizingWorker(): SizingApi {
  let problem: SizingLoad | null = null;
  return {
    async load(req) {
      problem = req;
    },
    async solve(cells) {
      if (!problem) throw new Error('sizing worker: solve() before load()');
      return solveCells(problem.pricesEurPerMWh, problem.dtHours, problem.battery, cells);
    },
  };
}
