// The variance-stabilising transform and lags shared by the ridge/lear and nn forecasters (epftoolbox's "Invariant"
// asinh scaling with median and MAD): asinh((x − med)/scale), inverted by sinh.

import { median } from './linalg.ts';

/** Lagged days of the inputs: D−1, D−2, D−3, D−7. */
export const LAGS = [1, 2, 3, 7];
export const MAX_LAG = 7;
/** Normal-consistent MAD factor: 1.4826 · MAD estimates σ for Gaussian data. */
const MAD_TO_SIGMA = 1.4826;

/** asinh((x − med)/scale) with med and scale from calibration data; inverse by sinh. */
export interface Asinh {
  med: number;
  scale: number;
}

/** Median and normal-consistent MAD of the calibration values (scale 1 when they are constant). */
export function asinhFit(values: ArrayLike<number>): Asinh {
  const med = median(values);
  const dev = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) dev[i] = Math.abs(values[i] - med);
  const mad = median(dev) * MAD_TO_SIGMA;
  return { med, scale: mad > 1e-9 ? mad : 1 };
}
