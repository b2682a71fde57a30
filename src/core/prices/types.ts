import { cleanMessage } from './text.ts';
import type { ForecastColumn } from '../forecast/column.ts';

/** Something the parser noticed and how it dealt with it; `row` is the 1-based line number in the file. */
export interface ParseWarning {
  /** `gap`: missing rows; `missing`: rows whose price is a missing marker (empty, NaN, n/e, ...); both are filled. */
  kind:
    'gap' | 'missing' | 'duplicate' | 'unparsable' | 'empty' | 'reordered' | 'ambiguous-date' | 'encoding' | 'other';
  /** 1-based line in the file (the header is line 1); absent for file-wide notes. */
  row?: number;
  column?: string;
  message: string;
  /** What the parser did about it, in words: "dropped", "filled by repeating the previous price", ... */
  action: string;
}

/** A regular series of market prices. Index i covers [timesUtcMs[i], timesUtcMs[i] + dtHours). */
export interface PriceSeries {
  /** Start of each interval, UTC epoch milliseconds, strictly increasing by dtHours. */
  timesUtcMs: Float64Array;
  /** Price of each interval in EUR/MWh, as the market quotes it (may be negative). */
  pricesEurPerMWh: Float64Array;
  /** Step length in hours (1 for hourly, 0.25 for 15-minute data). */
  dtHours: number;
  /** Where it came from (file name), for messages. */
  source: string;
  warnings: ParseWarning[];
  /** The file's forecast column, when its header names one (core/forecast/column.ts): the `column` forecaster. */
  forecastColumn?: ForecastColumn;
  /** PV power per step (the file's pv_kw column, average kW over the step), when the file has one. */
  pvKW?: Float64Array;
  /** Site load per step (the file's load_kw column, average kW), when the file has one. */
  loadKW?: Float64Array;
}

/**
 * Thrown for a file that cannot be used at all; the message names the file, row and column where it can, and is
 * cleaned (one line, no control characters, bounded length) whatever the file held.
 */
export class PriceFileError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly row?: number,
    readonly column?: string,
  ) {
    super(cleanMessage(message));
    this.name = 'PriceFileError';
  }
}
