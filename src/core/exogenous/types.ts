import type { ParseWarning } from '../prices/types.ts';

/** Exogenous day-ahead series (wind, solar, load forecasts…) read from a file: regular UTC steps. */
export interface ExogenousSeries {
  source: string;
  /** Column names as the file has them (SMARD's unit suffix " [MWh] Originalauflösungen" removed). */
  names: string[];
  /** Start of each interval, UTC epoch ms, strictly increasing by dtHours. */
  timesUtcMs: Float64Array;
  dtHours: number;
  /** One array per name, aligned to timesUtcMs. */
  values: Float64Array[];
  /** 1-based file line of each step (0 for a step filled in a gap). */
  lines: Int32Array;
  warnings: ParseWarning[];
}
