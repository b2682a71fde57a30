// Shared x mapping of the price and SOC charts: series index ↔ pixel ↔ UTC time, for a regular series.

import { type ScaleLinear, scaleUtc } from 'd3-scale';
import { type ClockZone, fromWallClockMs, wallClockMs } from '../lib/time-zone.ts';

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

/**
 * Bottom-axis ticks for the view, placed by index (the series is regular). D3 picks nice times on the chosen
 * clock's wall time (so in CET/CEST a tick at midnight is the delivery day's start); each tick is then mapped back
 * to its UTC instant, which places it — a 23- or 25-hour DST day is drawn with its real length.
 */
export function timeTicks(view: View, t0: number, dtMs: number, width: number, zone: ClockZone = 'UTC'): Tick[] {
  const start = t0 + view.from * dtMs;
  const end = t0 + view.to * dtMs;
  const wall = scaleUtc().domain([wallClockMs(start, zone), wallClockMs(end, zone)]);
  const n = Math.max(2, Math.floor(width / 110));
  const fmt = wall.tickFormat(n);
  const span = Math.max(1, end - start);
  return wall
    .ticks(n)
    .map((d) => {
      const t = fromWallClockMs(+d, zone);
      return { value: t, label: fmt(d), pos: ((t - start) / span) * width };
    })
    .filter((tk) => tk.pos >= -0.5 && tk.pos <= width + 0.5);
}

/** Left-axis ticks of a linear scale (nice it first so ticks sit on the ends). */
export function linearTicks(y: ScaleLinear<number, number>, count = 5, unit = ''): Tick[] {
  const fmt = y.tickFormat(count);
  return y.ticks(count).map((v) => ({ value: v, label: fmt(v) + unit, pos: y(v) }));
}

/** Min and max of values[from..to), ignoring NaN; [0, 1] when empty. */
export function extentOf(values: ArrayLike<number>, from: number, to: number): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = Math.max(0, from); i < Math.min(values.length, to); i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo <= hi)) return [0, 1];
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}
