// The sizing grid: every capacity × power cell solved exactly by the oracle (the one battery model), then valued.
// Cells are numbered capacity-major: index = capacityIndex × powers.length + powerIndex.

import { type BatteryParams, type BatterySpec, BatteryParamError, resolveBattery } from '../battery/index.ts';
import { solveOracle } from '../oracle/oracle.ts';
import { solveSiteOracle } from '../oracle/site-oracle.ts';
import { type SiteSeries, type SiteSpec, resolveSite } from '../site/site.ts';
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
  /** A site around every cell's battery (PV, load, grid limits, fees); absent: the battery alone. */
  site?: SizingSite;
}

/** The site of a sizing run: the flags as a spec and the file's PV and load (plain arrays cross to workers). */
export interface SizingSite {
  spec: SiteSpec;
  series: SiteSeries;
}

/** The grid's cells in index order. */
export function gridCells(capacitiesKWh: number[], powersKW: number[]): SizingCell[] {
  const cells: SizingCell[] = [];
  for (const capacityKWh of capacitiesKWh)
    for (const powerKW of powersKW) cells.push({ index: cells.length, capacityKWh, powerKW });
  return cells;
}

/** The battery of one cell: the base spec with this capacity and this power in both directions. */
export function cellBattery(base: BatterySpec, cell: { capacityKWh: number; powerKW: number }): BatteryParams {
  return resolveBattery({
    ...base,
    capacityKWh: cell.capacityKWh,
    powerKW: cell.powerKW,
    chargePowerKW: undefined,
    dischargePowerKW: undefined,
  });
}

/** Checks that every cell is a valid battery (before any solving); the error names the first bad cell. */
export function validateGrid(base: BatterySpec, cells: SizingCell[]): void {
  if (cells.length === 0) throw new SizingParamError('the grid has no cells', 'capacityKWh');
  for (const cell of cells) {
    try {
      cellBattery(base, cell);
    } catch (e) {
      if (e instanceof BatteryParamError)
        throw new SizingParamError(`cell ${cell.capacityKWh} kWh × ${cell.powerKW} kW: ${e.message}`, e.field);
      throw e;
    }
  }
}

/** Solves `cells` one after another on this thread (what each worker does with its share). */
export function solveCells(
  pricesEurPerMWh: ArrayLike<number>,
  dtHours: number,
  base: BatterySpec,
  cells: SizingCell[],
  site?: SizingSite,
): CellSolve[] {
  const params = site ? resolveSite(site.spec) : null;
  return cells.map((cell) => {
    const battery = cellBattery(base, cell);
    // On a site the battery is worth what it adds to the site's cash (the PV earns without it), so that is its profit.
    const r =
      site && params ? solveSiteOracle({ pricesEurPerMWh, dtHours, battery, site: params, series: site.series }) : null;
    const o = r ?? solveOracle({ pricesEurPerMWh, dtHours, battery });
    return {
      ...cell,
      profitEur: r ? r.batteryArbitrageEur : o.profitEur,
      chargedKWh: o.chargedKWh,
      dischargedKWh: o.dischargedKWh,
      equivalentCycles: o.equivalentCycles,
    };
  });
}

/** Values a solved cell over a span of `steps` × `dtHours`. */
export function valueCell(solve: CellSolve, steps: number, dtHours: number, e: Economics): CellResult {
  return { ...solve, ...cellEconomics(solve.profitEur, steps * dtHours, solve.capacityKWh, solve.powerKW, e) };
}

/** The cell with the highest NPV (the first in index order on a tie); null for none. */
export function bestCell<T extends { npvEur: number; index: number }>(cells: T[]): T | null {
  let best: T | null = null;
  for (const c of cells)
    if (!best || c.npvEur > best.npvEur || (c.npvEur === best.npvEur && c.index < best.index)) best = c;
  return best;
}

/** Which cells are solved, and which others reuse a solve scaled by `factor`. */
export interface SolvePlan {
  /** Cells the oracle solves. */
  solves: SizingCell[];
  /** For a solved cell's index, the other cells that take its result × factor. */
  shared: Map<number, { cell: SizingCell; factor: number }[]>;
}

/**
 * Whether the battery LP is homogeneous in (capacity, power): with the SOC bounds and the initial and terminal
 * SOC all 0 or the capacity itself, a battery λ times larger in both is the same LP with every variable × λ, so its
 * optimum is λ times the profit (and the same cycles). Absolute SOC settings in kWh break that.
 */
export function scalesWithSize(base: BatterySpec): boolean {
  return (
    (base.initialSocKWh ?? 0) === 0 &&
    (base.minSocKWh ?? 0) === 0 &&
    base.maxSocKWh === undefined &&
    (base.terminalSocKWh ?? 0) === 0
  );
}

/**
 * Groups cells of the same duration (capacity / power, to 12 significant digits) so each group is solved once, at
 * its first cell, when the LP scales with size; otherwise (or `share` false) every cell is solved.
 */
export function planSolves(base: BatterySpec, cells: SizingCell[], share = true): SolvePlan {
  const shared = new Map<number, { cell: SizingCell; factor: number }[]>();
  if (!share || !scalesWithSize(base)) return { solves: cells, shared };
  const first = new Map<string, SizingCell>();
  const solves: SizingCell[] = [];
  for (const cell of cells) {
    const key =
      cell.capacityKWh > 0 && cell.powerKW > 0
        ? (cell.capacityKWh / cell.powerKW).toPrecision(12)
        : `cell ${cell.index}`;
    const rep = first.get(key);
    if (!rep) {
      first.set(key, cell);
      solves.push(cell);
    } else {
      const list = shared.get(rep.index) ?? [];
      list.push({ cell, factor: cell.powerKW / rep.powerKW });
      shared.set(rep.index, list);
    }
  }
  return { solves, shared };
}

/** A solved cell and the cells that share it, scaled. */
export function expandSolve(plan: SolvePlan, solve: CellSolve): CellSolve[] {
  const out = [solve];
  for (const { cell, factor } of plan.shared.get(solve.index) ?? []) {
    out.push({
      ...cell,
      profitEur: solve.profitEur * factor,
      chargedKWh: solve.chargedKWh * factor,
      dischargedKWh: solve.dischargedKWh * factor,
      equivalentCycles: solve.equivalentCycles,
    });
  }
  return out;
}
