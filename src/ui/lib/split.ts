// The train/test split of a series, as index ranges. The price chart's brush picks the training window; the test
// split is everything after it (DESIGN.md: episodes are random windows of the training split, the test is unseen).

import { deliveryDays } from '../../core/information/index.ts';

/** Half-open index ranges: train = [trainStart, trainEnd), test = [trainEnd, n). */
export interface Split {
  trainStart: number;
  trainEnd: number;
  n: number;
}

/** Share of rows in training by default (the quality target's first 75% / last 25%). */
export const DEFAULT_TRAIN_SHARE = 0.75;

/** The smallest window either split may have, in steps: a day of hourly data. */
export const MIN_SPLIT_STEPS = 24;

/** First 75% train, last 25% test. */
export function defaultSplit(n: number): Split {
  return clampSplit({ trainStart: 0, trainEnd: Math.round(n * DEFAULT_TRAIN_SHARE), n });
}

/** Keeps both windows non-empty (at least MIN_SPLIT_STEPS where the series allows it) and in order. */
export function clampSplit(s: Split): Split {
  const n = Math.max(0, Math.floor(s.n));
  if (n < 2) return { trainStart: 0, trainEnd: n, n };
  const minStep = Math.min(MIN_SPLIT_STEPS, Math.floor(n / 2));
  const trainEnd = Math.min(Math.max(Math.round(s.trainEnd), minStep), n - minStep);
  const trainStart = Math.min(Math.max(Math.round(s.trainStart), 0), trainEnd - minStep);
  return { trainStart, trainEnd, n };
}

/**
 * A brush selection in pixels → a split. `invert` maps a pixel to a (fractional) series index, as a D3 scale's
 * invert does; the brushed window becomes the training split.
 */
export function splitFromBrush(
  selectionPx: readonly [number, number],
  invert: (px: number) => number,
  n: number,
): Split {
  const a = invert(Math.min(selectionPx[0], selectionPx[1]));
  const b = invert(Math.max(selectionPx[0], selectionPx[1]));
  return clampSplit({ trainStart: a, trainEnd: b, n });
}

/** Copies the rows of [from, to) of parallel arrays (the worker gets its own buffers to transfer). */
export function sliceSeries(
  times: Float64Array,
  prices: Float64Array,
  from: number,
  to: number,
): { timesUtcMs: Float64Array; pricesEurPerMWh: Float64Array } {
  return { timesUtcMs: times.slice(from, to), pricesEurPerMWh: prices.slice(from, to) };
}

/**
 * The split a day-ahead run trains and tests on: the test split starts at the first complete delivery day at or after the
 * chosen split's end (the day-ahead auction's timing; the forecast panel's test span does the same), or null when
 * the test split holds no whole delivery day.
 */
export function dayAheadSplit(series: { timesUtcMs: Float64Array; dtHours: number }, split: Split): Split | null {
  const day = deliveryDays(series.timesUtcMs, series.dtHours).find((d) => d.start >= split.trainEnd && d.complete);
  if (!day || day.start >= split.n || day.start <= split.trainStart) return null;
  return { ...split, trainEnd: day.start };
}
