// Min/max decimation per pixel column: a year of 15-minute prices (35,040 points, or 350,400 for ten years) drawn
// as at most 4 points per column keeps every spike visible and the canvas draw under a millisecond or two.

/** Decimated polyline in data coordinates (x = index into the series). */
export interface Decimated {
  /** Series index of each kept point, in drawing order. */
  index: Int32Array;
  length: number;
}

/**
 * Keeps, for each of `columns` equal slices of [from, to), the first, min, max and last point in index order.
 * Returns every index when the slice is shorter than 4 × columns. Non-finite values are skipped.
 */
export function minMaxDecimate(values: ArrayLike<number>, from: number, to: number, columns: number): Decimated {
  const lo = Math.max(0, Math.floor(from));
  const hi = Math.min(values.length, Math.ceil(to));
  const n = hi - lo;
  if (n <= 0 || columns <= 0) return { index: new Int32Array(0), length: 0 };
  if (n <= 4 * columns) {
    const index = new Int32Array(n);
    let k = 0;
    for (let i = lo; i < hi; i++) if (Number.isFinite(values[i])) index[k++] = i;
    return { index, length: k };
  }
  const index = new Int32Array(4 * columns);
  let k = 0;
  const per = n / columns;
  for (let c = 0; c < columns; c++) {
    const a = lo + Math.floor(c * per);
    const b = Math.min(hi, lo + Math.floor((c + 1) * per));
    let first = -1,
      last = -1,
      iMin = -1,
      iMax = -1;
    for (let i = a; i < b; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      if (first < 0) first = i;
      last = i;
      if (iMin < 0 || v < values[iMin]) iMin = i;
      if (iMax < 0 || v > values[iMax]) iMax = i;
    }
    if (first < 0) continue;
    // Keep the four in index order so the line does not double back within a column.
    const picks = [first, iMin, iMax, last].sort((x, y) => x - y);
    for (let j = 0; j < 4; j++) if (j === 0 || picks[j] !== picks[j - 1]) index[k++] = picks[j];
  }
  return { index, length: k };
}

/** Per-pixel-column min, max and mean of a series; NaN where a column holds no finite value. */
export interface Envelope {
  min: Float64Array;
  max: Float64Array;
  mean: Float64Array;
}

/**
 * Min and max of values over each pixel column p of [0, pxCount): indices [start + p·perPx, start + (p+1)·perPx).
 * For dense views a filled 1-px bar per column draws the same picture as the min/max polyline at a fraction of
 * the raster cost (a zigzag of tall antialiased strokes is what makes software canvases slow).
 */
export function columnEnvelope(values: ArrayLike<number>, start: number, perPx: number, pxCount: number): Envelope {
  const min = new Float64Array(pxCount).fill(NaN);
  const max = new Float64Array(pxCount).fill(NaN);
  const mean = new Float64Array(pxCount).fill(NaN);
  for (let p = 0; p < pxCount; p++) {
    const a = Math.max(0, Math.floor(start + p * perPx));
    const b = Math.min(values.length, Math.max(a + 1, Math.floor(start + (p + 1) * perPx)));
    let lo = Infinity,
      hi = -Infinity,
      sum = 0,
      k = 0;
    for (let i = a; i < b; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      sum += v;
      k++;
    }
    if (k > 0) {
      min[p] = lo;
      max[p] = hi;
      mean[p] = sum / k;
    }
  }
  return { min, max, mean };
}
