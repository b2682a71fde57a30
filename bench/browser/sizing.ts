// The sizing bench in the browser bench page: the page's own worker pool (src/ui/sizing/pool.ts, one sizing worker
// per navigator.hardwareConcurrency) over a grid, timed from the call to the last cell. bench/size.bench.ts calls
// window.powerbidderSizingBench through Playwright.
import { parseRange, resolveEconomics } from '../../src/core/sizing/index.ts';
import { SizingPool } from '../../src/ui/sizing/pool.ts';

export interface SizingRunRequest {
  pricesEurPerMWh: number[];
  dtHours: number;
  capacityRange: string;
  powerRange: string;
  /** Runs on the same pool after the first (its workers already started). */
  reps: number;
}

export interface SizingRunResult {
  workers: number;
  cells: number;
  solves: number;
  /** Wall time of each run, ms: the first starts the workers, the others reuse them. */
  runMs: number[];
  bestCapacityKWh: number;
  bestPowerKW: number;
  bestNpvEur: number;
}

declare global {
  interface Window {
    powerbidderSizingBench: (req: SizingRunRequest) => Promise<SizingRunResult>;
  }
}

window.powerbidderSizingBench = async (req) => {
  const pool = new SizingPool((m) => window.powerbidderBenchLog?.(`sizing worker crashed: ${m}`));
  try {
    const run = {
      pricesEurPerMWh: Float64Array.from(req.pricesEurPerMWh),
      dtHours: req.dtHours,
      battery: {},
      capacitiesKWh: parseRange(req.capacityRange, 'capacity'),
      powersKW: parseRange(req.powerRange, 'power'),
      economics: resolveEconomics({}),
    };
    const runMs: number[] = [];
    let last;
    for (let i = 0; i <= req.reps; i++) {
      const t0 = performance.now();
      last = await pool.run(run, () => {});
      runMs.push(performance.now() - t0);
    }
    return {
      workers: pool.size,
      cells: last!.cells.length,
      solves: last!.solves,
      runMs,
      bestCapacityKWh: last!.best!.capacityKWh,
      bestPowerKW: last!.best!.powerKW,
      bestNpvEur: last!.best!.npvEur,
    };
  } finally {
    pool.dispose();
  }
};
