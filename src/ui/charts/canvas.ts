// Canvas drawing for long series: decimated per pixel column, sized for the device pixel ratio.

import type { ScaleLinear } from 'd3-scale';
import { columnEnvelope, minMaxDecimate } from '../lib/decimate.ts';

/** Resizes a canvas's backing store to its CSS size × devicePixelRatio; returns a context scaled to CSS pixels. */
export function fitCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const dpr = globalThis.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(width * dpr));
  const h = Math.max(1, Math.round(height * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}

// Above this many steps per pixel the line becomes a per-column min–max bar.
const DENSE_STEPS_PER_PX = 3;

/**
 * Draws values[from..to) against scales mapping series index → x px and value → y px. `offset` is the series index
 * of values[0] (a sub-series such as the test split). Sparse views are a stroked polyline through the min/max
 * decimation; dense views are one filled bar per pixel column from min to max, joined to the next column.
 */
export function strokeSeries(
  ctx: CanvasRenderingContext2D,
  values: ArrayLike<number>,
  from: number,
  to: number,
  x: ScaleLinear<number, number>,
  y: (v: number) => number,
  widthPx: number,
  style: { color: string; width?: number; band?: string },
  offset = 0,
): void {
  const lineW = style.width ?? 1.25;
  const [d0, d1] = x.domain();
  const perPx = (d1 - d0) / Math.max(1, widthPx);
  if (perPx > DENSE_STEPS_PER_PX) {
    const pxFrom = Math.max(0, Math.floor(x(Math.max(from, offset))));
    const pxTo = Math.min(Math.ceil(widthPx), Math.ceil(x(Math.min(to, offset + values.length))));
    if (pxTo <= pxFrom) return;
    const env = columnEnvelope(values, x.invert(pxFrom) - offset, perPx, pxTo - pxFrom);
    if (style.band) {
      // Band mode (SOC): the min–max range as a light band and the column mean as a line — at a year's zoom a
      // daily-cycling SOC would otherwise be a solid block.
      ctx.fillStyle = style.band;
      for (let p = 0; p < env.min.length; p++) {
        if (Number.isFinite(env.min[p])) ctx.fillRect(pxFrom + p, y(env.max[p]), 1, y(env.min[p]) - y(env.max[p]));
      }
      ctx.beginPath();
      ctx.strokeStyle = style.color;
      ctx.lineWidth = lineW;
      let pen = false;
      for (let p = 0; p < env.mean.length; p++) {
        if (!Number.isFinite(env.mean[p])) {
          pen = false;
          continue;
        }
        if (pen) ctx.lineTo(pxFrom + p + 0.5, y(env.mean[p]));
        else ctx.moveTo(pxFrom + p + 0.5, y(env.mean[p]));
        pen = true;
      }
      ctx.stroke();
      return;
    }
    ctx.fillStyle = style.color;
    let prevBottomPx = NaN,
      prevTopPx = NaN;
    for (let p = 0; p < env.min.length; p++) {
      if (!Number.isFinite(env.min[p])) {
        prevBottomPx = prevTopPx = NaN;
        continue;
      }
      // Extend the bar to meet the previous column so that steep moves stay connected.
      let top = y(env.max[p]);
      let bottom = y(env.min[p]);
      if (Number.isFinite(prevBottomPx)) {
        top = Math.min(top, prevBottomPx);
        bottom = Math.max(bottom, prevTopPx);
      }
      ctx.fillRect(pxFrom + p, top - lineW / 2, 1, bottom - top + lineW);
      prevBottomPx = y(env.min[p]);
      prevTopPx = y(env.max[p]);
    }
    return;
  }
  const d = minMaxDecimate(values, from - offset, to - offset, Math.max(1, Math.floor(widthPx)));
  if (d.length === 0) return;
  ctx.beginPath();
  ctx.strokeStyle = style.color;
  ctx.lineWidth = lineW;
  ctx.lineJoin = 'round';
  for (let k = 0; k < d.length; k++) {
    const i = d.index[k];
    const px = x(i + offset);
    const py = y(values[i]);
    if (k === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.stroke();
}
