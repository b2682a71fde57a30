import { describe, expect, it } from 'vitest';
import {
  METRICS,
  cellAt,
  colorExtent,
  colorScale,
  contourPaths,
  curvePowers,
  finiteExtent,
  gridValues,
  metricValue,
} from './heatmap.ts';
import type { CellResult } from '../../core/sizing/grid.ts';

const cell = (index: number, npvEur: number, paybackYears: number | null): CellResult => ({
  index,
  capacityKWh: 0,
  powerKW: 0,
  profitEur: 0,
  chargedKWh: 0,
  dischargedKWh: 0,
  equivalentCycles: 0,
  annualProfitEur: 0,
  capexEur: 0,
  npvEur,
  paybackYears,
  discountedPaybackYears: null,
  annualProfitEurPerKWh: null,
});

describe('gridValues(cells, nx, ny, key)', () => {
  it('turns capacity-major cells into y-major values, NaN for missing cells and nulls', () => {
    // nx = 2 capacities, ny = 3 powers: cell index = x × 3 + y.
    const cells = [cell(0, 0, 1), cell(1, 1, 1), cell(2, 2, 1), cell(3, 10, null), cell(4, 11, 1)];
    const v = gridValues(cells, 2, 3, 'npvEur');
    expect(Array.from(v)).toEqual([0, 10, 1, 11, 2, Number.NaN]);
    expect(metricValue(cells[3], 'paybackYears')).toBeNaN();
  });
});

describe('colorScale(metric, extent)', () => {
  it('diverges at zero for NPV and runs from bad to good for payback', () => {
    const npv = colorScale(METRICS[0], [-100, 50]);
    expect(npv(0)).toBe('rgb(30, 41, 59)');
    expect(npv(-100)).toBe('rgb(127, 29, 29)');
    const payback = colorScale(
      METRICS.find((m) => m.key === 'paybackYears')!,
      [5, 20],
    );
    expect(payback(5)).toBe('rgb(251, 191, 36)');
    expect(payback(Number.NaN)).toBe(payback(20));
  });
});

describe('contourPaths(values, nx, ny, width, height)', () => {
  it('draws lines at nice thresholds inside the range, in plot pixels with y up', () => {
    // A ramp in x from 0 to 30 over 4 × 3 cells.
    const v = Float64Array.from({ length: 12 }, (_, i) => (i % 4) * 10);
    const paths = contourPaths(v, 4, 3, 400, 300, 3);
    expect(paths.map((p) => p.value)).toEqual([10, 20]);
    for (const p of paths) expect(p.d).toMatch(/^M[\d.]+,[\d.]+L/);
    expect(contourPaths(new Float64Array(12).fill(5), 4, 3, 400, 300)).toEqual([]);
    expect(finiteExtent([Number.NaN])).toBeNull();
  });
});

describe('cellAt(px, py, nx, ny, width, height)', () => {
  it('maps a point to the cell under it, y up, null outside', () => {
    expect(cellAt(5, 295, 4, 3, 400, 300)).toEqual({ x: 0, y: 0 });
    expect(cellAt(399, 1, 4, 3, 400, 300)).toEqual({ x: 3, y: 2 });
    expect(cellAt(401, 1, 4, 3, 400, 300)).toBeNull();
  });
});

describe('curvePowers(powers, count)', () => {
  it('spreads count levels over the axis, ends included', () => {
    expect(curvePowers([1, 2, 3, 4, 5, 6, 7], 4)).toEqual([1, 3, 5, 7]);
    expect(curvePowers([1, 2], 4)).toEqual([1, 2]);
  });
});

describe('colorExtent(metric, values)', () => {
  it('is the finite extent, but the 5th–95th percentile for payback', () => {
    const v = [Number.NaN, ...Array.from({ length: 100 }, (_, i) => i + 1)];
    expect(colorExtent(METRICS[0], v)).toEqual([1, 100]);
    expect(
      colorExtent(
        METRICS.find((m) => m.key === 'paybackYears')!,
        v,
      ),
    ).toEqual([5, 95]);
  });
});
