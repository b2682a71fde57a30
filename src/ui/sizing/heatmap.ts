// Pure helpers of the sizing views: the metric per cell, colours, contour paths and picking. Grid coordinates are
// x = capacity index (left to right), y = power index (bottom to top); d3-contour's values are row-major in y.

import { contours } from 'd3-contour';
import { scaleLinear } from 'd3-scale';
import type { CellResult } from '../../core/sizing/grid.ts';

export type MetricKey = 'annualProfitEur' | 'npvEur' | 'paybackYears' | 'annualProfitEurPerKWh';

export interface Metric {
  key: MetricKey;
  label: string;
  unit: string;
  /** Whether a higher value is better (colours run from bad to good). */
  higherIsBetter: boolean;
}

export const METRICS: readonly Metric[] = [
  { key: 'npvEur', label: 'NPV', unit: 'EUR', higherIsBetter: true },
  { key: 'annualProfitEur', label: 'Profit', unit: 'EUR/year', higherIsBetter: true },
  { key: 'paybackYears', label: 'Payback', unit: 'years', higherIsBetter: false },
  { key: 'annualProfitEurPerKWh', label: 'Profit per kWh installed', unit: 'EUR/kWh/year', higherIsBetter: true },
];

/** The metric of a cell; NaN for a missing cell or a payback that never comes. */
export function metricValue(cell: CellResult | null | undefined, key: MetricKey): number {
  const v = cell ? cell[key] : null;
  return v === null || v === undefined ? Number.NaN : v;
}

/** Values in d3-contour order (y-major) from cells indexed capacity-major (index = x × ny + y). */
export function gridValues(
  cells: readonly (CellResult | null | undefined)[],
  nx: number,
  ny: number,
  key: MetricKey,
): Float64Array {
  const out = new Float64Array(nx * ny);
  for (let x = 0; x < nx; x++) for (let y = 0; y < ny; y++) out[y * nx + x] = metricValue(cells[x * ny + y], key);
  return out;
}

/** Finite extent, or null when nothing is finite. */
export function finiteExtent(values: ArrayLike<number>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * The range colours and contour lines span: the whole finite extent, except for payback, where a few cells that
 * barely pay (decades) would wash out the rest; there the 5th to 95th percentile.
 */
export function colorExtent(metric: Metric, values: ArrayLike<number>): [number, number] | null {
  const ext = finiteExtent(values);
  if (!ext || metric.key !== 'paybackYears') return ext;
  const sorted = Array.from(values)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
  return q(0.05) < q(0.95) ? [q(0.05), q(0.95)] : ext;
}

const BAD = '#7f1d1d';
const MID = '#1e293b';
const GOOD = '#10b981';
const LOW = '#0c2340';
const HIGH = '#fbbf24';

/** Colour of a value: NPV diverges at 0 (red losses, green gains); others run dark → amber from bad to good. */
export function colorScale(metric: Metric, extent: [number, number] | null): (v: number) => string {
  if (!extent) return () => MID;
  const [lo, hi] = extent;
  if (metric.key === 'npvEur') {
    const m = Math.max(Math.abs(lo), Math.abs(hi), 1e-9);
    const s = scaleLinear<string>().domain([-m, 0, m]).range([BAD, MID, GOOD]).clamp(true);
    return (v) => (Number.isFinite(v) ? s(v) : MID);
  }
  const s = scaleLinear<string>()
    .domain(metric.higherIsBetter ? [lo, hi] : [hi, lo])
    .range([LOW, HIGH])
    .clamp(true);
  // A payback that never comes is the worst colour.
  const worst = s(metric.higherIsBetter ? lo : hi);
  return (v) => (Number.isFinite(v) ? s(v) : worst);
}

/** Contour lines as SVG path data in a plot of width × height (y up), `count` nice thresholds inside `within` (default the extent). */
export function contourPaths(
  values: Float64Array,
  nx: number,
  ny: number,
  width: number,
  height: number,
  count = 6,
  within?: [number, number] | null,
): { value: number; d: string }[] {
  const all = finiteExtent(values);
  const ext = within ?? all;
  if (!ext || nx < 2 || ny < 2 || ext[0] === ext[1]) return [];
  // Unknown values (cells not solved yet, a payback that never comes) sit above every line, so lines do not run
  // around them; the cap keeps marching squares' interpolation finite.
  const cap = (all ?? ext)[1] + (ext[1] - ext[0]);
  const filled = Float64Array.from(values, (v) => (Number.isFinite(v) ? v : cap));
  const thresholds = scaleLinear()
    .domain(ext)
    .nice(count)
    .ticks(count)
    .filter((t) => t > ext[0] && t < ext[1]);
  const sx = width / nx;
  const sy = height / ny;
  // d3-contour's grid coordinates put value i at [i, i + 1]; centre them on the cells.
  const gen = contours().size([nx, ny]).thresholds(thresholds);
  return gen(Array.from(filled))
    .filter((c) => c.coordinates.length > 0)
    .map((c) => ({
      value: c.value,
      d: c.coordinates
        .map((poly) =>
          poly
            .map(
              (ring) =>
                'M' + ring.map(([x, y]) => `${(x * sx).toFixed(1)},${(height - y * sy).toFixed(1)}`).join('L') + 'Z',
            )
            .join(''),
        )
        .join(''),
    }));
}

/** The cell under a point of the plot (y up), or null outside. */
export function cellAt(
  px: number,
  py: number,
  nx: number,
  ny: number,
  width: number,
  height: number,
): { x: number; y: number } | null {
  const x = Math.floor((px / width) * nx);
  const y = Math.floor(((height - py) / height) * ny);
  return x >= 0 && x < nx && y >= 0 && y < ny ? { x, y } : null;
}

/** Up to `count` power levels spread over the axis (always the first and last). */
export function curvePowers(powersKW: number[], count = 4): number[] {
  if (powersKW.length <= count) return [...powersKW];
  const idx = new Set(Array.from({ length: count }, (_, i) => Math.round((i * (powersKW.length - 1)) / (count - 1))));
  return [...idx].map((i) => powersKW[i]);
}
