import { describe, expect, it } from 'vitest';
import { loadPriceFile } from '../../io/load.ts';
import { solveOracle } from '../oracle/oracle.ts';
import { resolveBattery } from '../battery/index.ts';
import {
  type CellRunner,
  SizingParamError,
  bestCell,
  cellBattery,
  chunk,
  chunkSize,
  gridCells,
  localRunner,
  planSolves,
  resolveEconomics,
  scalesWithSize,
  runChunks,
  sizeGrid,
  validateGrid,
} from './index.ts';

const BE = new URL('../../../test-data/real/be-2023-hourly.csv', import.meta.url).pathname;

describe('gridCells(capacities, powers)', () => {
  it('numbers cells capacity-major', () => {
    expect(gridCells([10, 20], [1, 2, 3]).map((c) => [c.index, c.capacityKWh, c.powerKW])).toEqual([
      [0, 10, 1],
      [1, 10, 2],
      [2, 10, 3],
      [3, 20, 1],
      [4, 20, 2],
      [5, 20, 3],
    ]);
  });
});

describe('cellBattery(base, cell)', () => {
  it('keeps every other battery field and sets power in both directions', () => {
    const b = cellBattery(
      { chargeEfficiency: 0.8, chargePowerKW: 7, degradationEurPerKWh: 0.02 },
      { capacityKWh: 300, powerKW: 90 },
    );
    expect(b).toEqual(
      resolveBattery({ chargeEfficiency: 0.8, degradationEurPerKWh: 0.02, capacityKWh: 300, powerKW: 90 }),
    );
  });
});

describe('validateGrid(base, cells)', () => {
  it('names the first cell the battery model rejects', () => {
    expect(() => validateGrid({ maxSocKWh: 150 }, gridCells([100, 200], [50]))).toThrow(
      /cell 100 kWh × 50 kW: max SOC \(kWh\)/,
    );
    expect(() => validateGrid({}, [])).toThrow(SizingParamError);
  });
});

describe('sizeGrid(problem, economics)', () => {
  it('every cell equals a single solveOracle solve of that battery, and the best is the highest NPV', async () => {
    const s = await loadPriceFile(BE);
    // 200 kWh × 100 kW has the duration of 50 kWh × 25 kW (2 h): it shares that solve, × 4.
    const problem = {
      pricesEurPerMWh: s.pricesEurPerMWh,
      dtHours: s.dtHours,
      battery: { chargeEfficiency: 0.88 },
      capacitiesKWh: [50, 200, 400],
      powersKW: [25, 100],
    };
    const e = resolveEconomics({ capexEurPerKWh: 100, capexEurPerKW: 40, discountRate: 0.05, lifetimeYears: 15 });
    const r = await sizeGrid(problem, e);
    const every = await sizeGrid(problem, e, { shareScaled: false });
    expect(r.solves).toBe(5);
    expect(every.solves).toBe(6);
    expect(r.cells.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const c of r.cells) {
      const one = solveOracle({
        pricesEurPerMWh: s.pricesEurPerMWh,
        dtHours: 1,
        battery: resolveBattery({ chargeEfficiency: 0.88, capacityKWh: c.capacityKWh, powerKW: c.powerKW }),
      });
      expect(every.cells[c.index].profitEur).toBe(one.profitEur);
      expect(every.cells[c.index].equivalentCycles).toBe(one.equivalentCycles);
      expect(Math.abs(c.profitEur - one.profitEur) / one.profitEur).toBeLessThan(1e-12);
      expect(Math.abs(c.equivalentCycles - one.equivalentCycles) / one.equivalentCycles).toBeLessThan(1e-12);
      expect(Math.abs(c.chargedKWh - one.chargedKWh) / one.chargedKWh).toBeLessThan(1e-12);
      // The file is 2023: 8,760 hours, so the year's profit is the span's.
      expect(c.annualProfitEur).toBeCloseTo(one.profitEur, 9);
    }
    const maxNpv = Math.max(...r.cells.map((c) => c.npvEur));
    expect(r.best?.npvEur).toBe(maxNpv);
    // More capacity at the same power never earns less (the optimum can keep the extra capacity idle).
    expect(r.cells[2].profitEur).toBeGreaterThanOrEqual(r.cells[0].profitEur);
  });

  it('gives the same cells on several runners as on one, whatever order chunks finish in', async () => {
    const prices = Float64Array.from(
      { length: 300 },
      (_, t) => 60 + 50 * Math.sin(t / 3) + (t % 7) * 4 - 30 * Number(t % 24 === 3),
    );
    const problem = {
      pricesEurPerMWh: prices,
      dtHours: 0.25,
      battery: {},
      capacitiesKWh: [0, 10, 20, 30, 40],
      powersKW: [0, 5, 10, 20],
    };
    const e = resolveEconomics({});
    const one = await sizeGrid(problem, e);
    const local = localRunner(problem);
    let calls = 0;
    // Runners that answer in a scrambled order (the second one defers twice).
    const slow: CellRunner = async (cells) => {
      calls++;
      await Promise.resolve();
      await Promise.resolve();
      return local(cells);
    };
    const seen: number[] = [];
    const many = await sizeGrid(problem, e, {
      runners: [local, slow, local],
      onCells: (cells, done, total) => {
        seen.push(...cells.map((c) => c.index));
        expect(done).toBeLessThanOrEqual(total);
      },
    });
    expect(calls).toBeGreaterThan(0);
    expect(seen.sort((a, b) => a - b)).toEqual(one.cells.map((c) => c.index));
    expect(many.cells).toEqual(one.cells);
    expect(many.best).toEqual(one.best);
    // Zero capacity or zero power earns nothing.
    expect(one.cells.filter((c) => c.capacityKWh === 0 || c.powerKW === 0).every((c) => c.profitEur === 0)).toBe(true);
  });

  it('rejects an invalid cell before solving any', async () => {
    let ran = 0;
    const runner: CellRunner = async () => {
      ran++;
      return [];
    };
    await expect(
      sizeGrid(
        {
          pricesEurPerMWh: [1, 2],
          dtHours: 1,
          battery: { initialSocKWh: 60 },
          capacitiesKWh: [50, 100],
          powersKW: [10],
        },
        resolveEconomics({}),
        { runners: [runner] },
      ),
    ).rejects.toThrow(/cell 50 kWh × 10 kW: initial SOC \(kWh\)/);
    expect(ran).toBe(0);
  });

  it('stops handing out chunks after a runner fails and rejects with its error', async () => {
    let ran = 0;
    const bad: CellRunner = async () => {
      ran++;
      throw new Error('worker died');
    };
    await expect(runChunks(chunk(gridCells([1, 2, 3, 4], [1, 2]), 1), [bad], () => {})).rejects.toThrow('worker died');
    expect(ran).toBe(1);
  });
});

describe('planSolves(base, cells)', () => {
  const cells = gridCells([0, 100, 200, 300], [50, 100, 150]);
  it('solves each duration once when the LP scales with size', () => {
    const plan = planSolves({}, cells);
    // Durations: 0 kWh (3 cells, solved each), 2, 1, 2/3, 4, 2 (shared), 4/3, 6, 3, 2 (shared).
    expect(plan.solves.length).toBe(10);
    expect(plan.shared.get(3)?.map((s) => [s.cell.capacityKWh, s.cell.powerKW, s.factor])).toEqual([
      [200, 100, 2],
      [300, 150, 3],
    ]);
  });
  it('solves every cell when an absolute SOC setting breaks scaling, or when asked', () => {
    expect(scalesWithSize({ initialSocKWh: 10 })).toBe(false);
    expect(scalesWithSize({ maxSocKWh: 80 })).toBe(false);
    expect(scalesWithSize({ terminalSocKWh: 5 })).toBe(false);
    expect(scalesWithSize({ chargeEfficiency: 0.8, degradationEurPerKWh: 0.05, sharedPowerLimit: false })).toBe(true);
    expect(planSolves({ initialSocKWh: 10 }, cells).solves).toHaveLength(12);
    expect(planSolves({}, cells, false).solves).toHaveLength(12);
  });
});

describe('bestCell(cells)', () => {
  it('takes the highest NPV, the lowest index on a tie, null for none', () => {
    expect(
      bestCell([
        { index: 0, npvEur: 1 },
        { index: 1, npvEur: 3 },
        { index: 2, npvEur: 3 },
      ])?.index,
    ).toBe(1);
    expect(bestCell([])).toBeNull();
  });
});

describe('chunkSize(cells, runners)', () => {
  it('gives each runner about 16 chunks, at least one cell and at most 64', () => {
    expect(chunkSize(2500, 2)).toBe(64);
    expect(chunkSize(320, 2)).toBe(10);
    expect(chunkSize(3, 8)).toBe(1);
  });
});
