import { describe, expect, it } from 'vitest';
import { createSizingWorker } from './sizing.ts';
import { gridCells, localRunner, resolveEconomics, sizeGrid } from '../src/core/sizing/index.ts';

describe('sizing worker', () => {
  it('solves chunks of cells like the in-thread runner, on the problem it was loaded with', async () => {
    const prices = Float64Array.from(
      { length: 96 },
      (_, t) => 80 + 60 * Math.sin((2 * Math.PI * t) / 24) - (t % 24 === 13 ? 120 : 0),
    );
    const problem = {
      pricesEurPerMWh: prices,
      dtHours: 1,
      battery: { chargeEfficiency: 0.9 },
      capacitiesKWh: [10, 20, 40],
      powersKW: [5, 10],
    };
    const a = createSizingWorker();
    const b = createSizingWorker();
    await a.load({ pricesEurPerMWh: prices, dtHours: 1, battery: problem.battery });
    await b.load({ pricesEurPerMWh: prices, dtHours: 1, battery: problem.battery });
    const cells = gridCells(problem.capacitiesKWh, problem.powersKW);
    expect(await a.solve(cells)).toEqual(await localRunner(problem)(cells));
    const e = resolveEconomics({});
    const pooled = await sizeGrid(problem, e, { runners: [(c) => a.solve(c), (c) => b.solve(c)], shareScaled: false });
    const local = await sizeGrid(problem, e, { shareScaled: false });
    expect(pooled.cells).toEqual(local.cells);
    expect(pooled.cells.some((c) => c.profitEur > 0)).toBe(true);
  });

  it('refuses to solve before it is loaded', async () => {
    await expect(createSizingWorker().solve(gridCells([1], [1]))).rejects.toThrow(/before load/);
  });
});
