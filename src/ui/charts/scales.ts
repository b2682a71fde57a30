// Shared x mapping of the price and SOC charts: series index ↔ pixel ↔ UTC time, for a regular series.

import { type ScaleLinear, scaleUtc } from 'd3-scale';

/** The visible index window [from, to). */
export interface View {
  from: number;
  to: number;
}

/** A tick for Axis.svelte. */
export interface Tick {
  value: number;
  label: string;
  pos: number;
}

/** Bottom-axis ticks for the view: D3 picks nice UTC times, placed by index (the series is regular). */
export function timeTicks(view: View, t0: number, dtMs: number, width: number): Tick[] {
  const time = scaleUtc().domain([t0 + view.from * dtMs, t0 + view.to * dtMs]).range([0, width]);
  const n = Math.max(2, Math.floor(width / 110));
  const fmt = time.tickFormat(n);
  return time.ticks(n).map((d) => ({ value: +d, label: fmt(d), pos: time(d) }));
}

/** Left-axis ticks of a linear scale (nice it first so ticks sit on the ends). */
export function linearTicks(y: ScaleLinear<number, number>, count = 5, unit = ''): Tick[] {
  const fmt = y.tickFormat(count);
  return y.ticks(count).map((v) => ({ value: v, label: fmt(v) + unit, pos: y(v) }));
}

/** Min and max of values[from..to), ignoring NaN; [0, 1] when empty. */
export function extentOf(values: ArrayLike<number>, from: number, to: number): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = Math.max(0, from); i < Math.min(values.length, to); i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo <= hi)) return [0, 1];
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}
