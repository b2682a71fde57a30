// A price axis that is not flattened by a few spikes: the visible window's 1st–99th percentile range (the spikes
// then run off the plot, and the page says how many steps did).

/** The q-quantile (0..1) of sorted values, linear between neighbours (type 7, as numpy and d3.quantile). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Axis range of values[from..to) clipped to the [lo, hi] quantiles, NaN ignored, and how many values fall
 * outside it. Degenerate input as extentOf: [0, 1] when empty, ±1 around a constant. */
export function percentileExtent(
  values: ArrayLike<number>,
  from: number,
  to: number,
  lo = 0.01,
  hi = 0.99,
): { domain: [number, number]; outside: number } {
  const a = Math.max(0, Math.floor(from));
  const b = Math.min(values.length, Math.ceil(to));
  const finite: number[] = [];
  for (let i = a; i < b; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  if (finite.length === 0) return { domain: [0, 1], outside: 0 };
  const sorted = Float64Array.from(finite).sort();
  const low = quantileSorted(sorted, lo);
  const high = quantileSorted(sorted, hi);
  let outside = 0;
  for (const v of finite) if (v < low || v > high) outside++;
  return { domain: low === high ? [low - 1, high + 1] : [low, high], outside };
}
