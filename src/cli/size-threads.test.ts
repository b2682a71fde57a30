import { describe, expect, it } from 'vitest';
import { gridCells, localRunner, resolveEconomics, sizeGrid } from '../core/sizing/index.ts';
import { startSizeThreads } from './size-threads.ts';

describe('startSizeThreads(data, jobs)', () => {
  const prices = Float64Array.from({ length: 200 }, (_, t) => 70 + 55 * Math.sin(t / 4) - (t % 24 === 2 ? 90 : 0));
  const problem = {
    pricesEurPerMWh: prices,
    dtHours: 1,
    battery: { chargeEfficiency: 0.92 },
    capacitiesKWh: [10, 30, 60],
    powersKW: [5, 20],
  };

  it('solves on worker threads exactly what the in-thread runner solves', async () => {
    const threads = startSizeThreads({ pricesEurPerMWh: prices, dtHours: 1, battery: problem.battery }, 2);
    try {
      await threads.ready;
      const e = resolveEconomics({});
      const pooled = await sizeGrid(problem, e, { runners: threads.runners, shareScaled: false });
      expect(pooled.cells).toEqual(
        (await sizeGrid(problem, e, { runners: [localRunner(problem)], shareScaled: false })).cells,
      );
    } finally {
      await threads.close();
    }
  });

  it('rejects a chunk whose solve fails in the thread, with its message', async () => {
    const threads = startSizeThreads({ pricesEurPerMWh: prices, dtHours: 1, battery: { initialSocKWh: 40 } }, 1);
    try {
      await expect(threads.runners[0](gridCells([10], [5]))).rejects.toThrow(/initial SOC \(kWh\)/);
      // The thread is still alive and answers the next chunk.
      expect((await threads.runners[0](gridCells([50], [5])))[0].capacityKWh).toBe(50);
    } finally {
      await threads.close();
    }
  });
});
