// The sizing grid: every capacity × power cell solved exactly by the oracle (the one battery model), then valued.
// Cells are numbered capacity-major: index = capacityIndex × powers.length + powerIndex.

import { type BatteryParams, type BatterySpec, BatteryParamError, resolveBattery } from '../battery/index.ts';
import { solveOracle } from '../oracle/oracle.ts';
import { type CellEconomics, type Economics, cellEconomics } from './economics.ts';
import { SizingParamError } from './range.ts';

/** One size to try. */
export interface SizingCell {
  index: number;
  capacityKWh: number;
  powerKW: number;
}

/** The oracle's optimum for one cell. */
export interface CellSolve extends SizingCell {
  /** Profit over the loaded span at actual prices (degradation included), EUR: what `bess oracle` prints. */
  profitEur: number;
  chargedKWh: number;
  dischargedKWh: number;
  equivalentCycles: number;
}

/** A solved and valued cell. */
export type CellResult = CellSolve & CellEconomics;

/** What a sizing run is over. */
export interface SizingProblem {
  pricesEurPerMWh: ArrayLike<number>;
  dtHours: number;
  /** Every battery field but size; the cell's capacity and power replace capacityKWh and both power limits. */
  battery: BatterySpec;
  capacitiesKWh: number[];
  powersKW: number[];
}

/** The grid's cells in index order. */
export function gridCells(capacitiesKWh: number[], powersKW: number[]): SizingCell[] {
  const cells: SizingCell[] = [];
  for (const capacityKWh of capacitiesKWh) for (const powerKW of powersKW) cells.push({ index: cells.length, capacityKWh, powerKW });
  return cells;
}

/** The battery of one cell: the base spec with this capacity and this power in both directions. */
export function cellBattery(base: BatterySpec, cell: { capacityKWh: number; powerKW: number }): BatteryParams {
  return resolveBattery({ ...base, capacityKWh: cell.capacityKWh, powerKW: cell.powerKW, chargePowerKW: undefined, dischargePowerKW: undefined });
}

/** Checks that every cell is a valid battery (before any solving); the error names the first bad cell. */
export function validateGrid(base: BatterySpec, cells: SizingCell[]): void {
  if (cells.length === 0) throw new SizingParamError('the grid has no cells', 'capacityKWh');
  for (const cell of cells) {
    try {
      cellBattery(base, cell);
    } catch (e) {
      if (e instanceof BatteryParamError) throw new SizingParamError(`cell ${cell.capacityKWh} kWh × ${cell.powerKW} kW: ${e.message}`, e.field);
      throw e;
    }
  }
}

/** Solves `cells` one after another on this thread (what each worker does with its share). */
export function solveCells(pricesEurPerMWh: ArrayLike<number>, dtHours: number, base: BatterySpec, cells: SizingCell[]): CellSolve[] {
  return cells.map((cell) => {
    const r = solveOracle({ pricesEurPerMWh, dtHours, battery: cellBattery(base, cell) });
    return { ...cell, profitEur: r.profitEur, chargedKWh: r.chargedKWh, dischargedKWh: r.dischargedKWh, equivalentCycles: r.equivalentCycles };
  });
}

/** Values a solved cell over a span of `steps` × `dtHours`. */
export function valueCell(solve: CellSolve, steps: number, dtHours: number, e: Economics): CellResult {
  return { ...solve, ...cellEconomics(solve.profitEur, steps * dtHours, solve.capacityKWh, solve.powerKW, e) };
}

/** The cell with the highest NPV (the first in index order on a tie); null for none. */
export function bestCell<T extends { npvEur: number; index: number }>(cells: T[]): T | null {
  let best: T | null = null;
  for (const c of cells) if (!best || c.npvEur > best.npvEur || (c.npvEur === best.npvEur && c.index < best.index)) best = c;
  return best;
}
