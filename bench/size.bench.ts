// Battery sizing (issue 15 §5): cells per second for a 50 × 50 grid (capacity 100:5000:100 kWh × power 50:2500:50
// kW) over an hourly market-year (DE-LU 2023, 8,760 steps) and a 15-minute year (DK1 2025 Q4 tiled to 35,040
// steps): in Node on worker threads (bess size's code, one per core), in headless Chromium on the page's worker pool
// (one per navigator.hardwareConcurrency), and HiGHS's time for the same grid, extrapolated from a few cells solved
// with the `highs` adapter (src/core/oracle/lp.ts). The machine's load average is recorded with every number.
import { loadavg } from 'node:os';
import { loadPriceFile } from '../src/io/load.ts';
import {
  type CellResult,
  type SizingProblem,
  cellBattery,
  parseRange,
  resolveEconomics,
  sizeGrid,
} from '../src/core/sizing/index.ts';
import { batteryLp, solveWithHighs, type HighsLike } from '../src/core/oracle/lp.ts';
import { solveOracle } from '../src/core/oracle/oracle.ts';
import { defaultJobs, startSizeThreads } from '../src/cli/size-threads.ts';
import { openBenchPage, startBenchHost } from './browser-host.ts';

const DATA = new URL('../test-data/real/', import.meta.url).pathname;
const CAPACITY = '100:5000:100';
const POWER = '50:2500:50';
const load = () => loadavg()[0].toFixed(1);

/** `steps` prices cycling through `prices`. */
const tiled = (prices: Float64Array, steps: number) =>
  Float64Array.from({ length: steps }, (_, k) => prices[k % prices.length]);

async function nodeRun(problem: SizingProblem, jobs: number, shareScaled: boolean) {
  const threads = startSizeThreads(
    { pricesEurPerMWh: problem.pricesEurPerMWh as Float64Array, dtHours: problem.dtHours, battery: problem.battery },
    jobs,
  );
  try {
    const t0 = performance.now();
    await threads.ready;
    const startMs = performance.now() - t0;
    const r = await sizeGrid(problem, resolveEconomics({}), {
      runners: threads.runners,
      nowMs: () => performance.now(),
      shareScaled,
    });
    return { ...r, startMs };
  } finally {
    await threads.close();
  }
}

/**
 * HiGHS on a few cells spread over the grid (small, middle, large durations): seconds per cell; and our oracle's
 * warm solve of the same cells on this thread (median of 5 after 2), ms.
 */
async function highsPerCell(
  prices: Float64Array,
  dtHours: number,
  cells: { capacityKWh: number; powerKW: number }[],
  oracle: CellResult[],
) {
  const highs = (await (await import('highs')).default()) as unknown as HighsLike;
  const out: { capacityKWh: number; powerKW: number; s: number; relDiff: number; oursWarmMs: number }[] = [];
  for (const cell of cells) {
    const battery = cellBattery({}, cell);
    const t0 = performance.now();
    const sol = solveWithHighs(highs, batteryLp(prices, dtHours, battery));
    const s = (performance.now() - t0) / 1000;
    const mine = oracle.find((c) => c.capacityKWh === cell.capacityKWh && c.powerKW === cell.powerKW)!;
    const ms: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = solveOracle({ pricesEurPerMWh: prices, dtHours, battery }, () => performance.now());
      if (i >= 2) ms.push(r.solveMs);
    }
    out.push({
      ...cell,
      s,
      relDiff: Math.abs(sol.objective - mine.profitEur) / Math.abs(mine.profitEur),
      oursWarmMs: ms.sort((a, b) => a - b)[2],
    });
  }
  return out;
}

export async function bench(opts: { quick: boolean }) {
  const hourly = await loadPriceFile(DATA + 'de-lu-2023-hourly.csv');
  const q15 = await loadPriceFile(DATA + 'dk1-2025q4-15min-iso.csv');
  const years = [
    { name: 'hourly year (DE-LU 2023)', prices: hourly.pricesEurPerMWh, dt: 1 },
    { name: '15-min year (DK1 2025 Q4 ×4)', prices: tiled(q15.pricesEurPerMWh, 35040), dt: 0.25 },
  ];
  const capacitiesKWh = parseRange(CAPACITY, 'capacity');
  const powersKW = parseRange(POWER, 'power');
  const cellsN = capacitiesKWh.length * powersKW.length;
  const jobs = defaultJobs();
  const highsCells = [
    { capacityKWh: 100, powerKW: 2500 },
    { capacityKWh: 2500, powerKW: 1250 },
    { capacityKWh: 5000, powerKW: 50 },
  ];
  const rows: (string | number)[][] = [];
  const json: Record<string, unknown>[] = [];
  const row = (
    year: string,
    where: string,
    cells: number,
    solves: number,
    ms: number,
    loadAvg: string,
    note: string,
  ) => {
    rows.push([
      year,
      where,
      cells,
      solves,
      Number((ms / 1000).toFixed(2)),
      Math.round(cells / (ms / 1000)),
      loadAvg,
      note,
    ]);
    json.push({ year, where, cells, solves, ms, cellsPerS: cells / (ms / 1000), loadAvg1m: Number(loadAvg), note });
  };

  for (const y of years) {
    const problem: SizingProblem = { pricesEurPerMWh: y.prices, dtHours: y.dt, battery: {}, capacitiesKWh, powersKW };
    process.stderr.write(`size: Node, ${y.name}, shared solves ...\n`);
    let l = load();
    const shared = await nodeRun(problem, jobs, true);
    row(
      y.name,
      `Node, ${jobs} worker threads`,
      cellsN,
      shared.solves,
      shared.ms,
      l,
      `one solve per duration; threads started in ${(shared.startMs / 1000).toFixed(2)} s (not counted)`,
    );
    if (!opts.quick || y.dt === 1) {
      process.stderr.write(`size: Node, ${y.name}, every cell solved ...\n`);
      l = load();
      const every = await nodeRun(problem, jobs, false);
      row(y.name, `Node, ${jobs} worker threads`, cellsN, every.solves, every.ms, l, 'every cell solved');
    }
    process.stderr.write(`size: HiGHS, ${y.name}, ${highsCells.length} cells ...\n`);
    l = load();
    const h = await highsPerCell(y.prices, y.dt, highsCells, shared.cells);
    const mean = h.reduce((a, c) => a + c.s, 0) / h.length;
    rows.push([
      y.name,
      'HiGHS (npm highs, 1 thread), extrapolated',
      cellsN,
      cellsN,
      Number((mean * cellsN).toFixed(0)),
      Number((1 / mean).toFixed(2)),
      l,
      `mean of ${h.length} cells (${h.map((c) => `${c.capacityKWh}×${c.powerKW}: ${c.s.toFixed(2)} s`).join(', ')}) × ${cellsN}; worst rel. diff to ours ${Math.max(...h.map((c) => c.relDiff)).toExponential(1)}`,
    ]);
    json.push({
      year: y.name,
      where: 'highs-extrapolated',
      cells: cellsN,
      measured: h,
      meanSPerCell: mean,
      extrapolatedS: mean * cellsN,
      loadAvg1m: Number(l),
    });
    const oursMs = h.map((c) => c.oursWarmMs);
    rows.push([
      y.name,
      'our oracle, 1 thread, same cells, warm',
      h.length,
      h.length,
      Number((oursMs.reduce((a, b) => a + b, 0) / 1000).toFixed(3)),
      Math.round(h.length / (oursMs.reduce((a, b) => a + b, 0) / 1000)),
      load(),
      `median of 5 warm solves per cell: ${h.map((c) => `${c.capacityKWh}×${c.powerKW}: ${c.oursWarmMs.toFixed(1)} ms`).join(', ')}`,
    ]);
  }

  const host = await startBenchHost();
  try {
    for (const y of years) {
      process.stderr.write(`size: Chromium, ${y.name} ...\n`);
      const context = await host.browser.newContext();
      try {
        const page = await openBenchPage(context, host.url);
        const l = load();
        const r = await page.evaluate((q) => window.powerbidderSizingBench(q), {
          pricesEurPerMWh: Array.from(y.prices),
          dtHours: y.dt,
          capacityRange: CAPACITY,
          powerRange: POWER,
          reps: 1,
        });
        row(
          y.name,
          `Chromium, page pool of ${r.workers} workers, first run`,
          r.cells,
          r.solves,
          r.runMs[0],
          l,
          'fresh workers: start, load, solve',
        );
        row(
          y.name,
          `Chromium, page pool of ${r.workers} workers, second run`,
          r.cells,
          r.solves,
          r.runMs[1],
          load(),
          'same workers',
        );
      } finally {
        await context.close();
      }
    }
  } finally {
    await host.close();
  }
  return {
    title: `Battery sizing, 50 × 50 grid (capacity ${CAPACITY} kWh × power ${POWER} kW), exact oracle per cell; Chromium ${host.version}; load = 1-min load average of this ${jobs}-core machine`,
    columns: ['prices', 'where', 'cells', 'solves', 'seconds', 'cells/s', 'load', 'note'],
    rows,
    json: { capacityRange: CAPACITY, powerRange: POWER, runs: json },
  };
}
