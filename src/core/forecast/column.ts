// The forecast column of a plain price file (`timestamp,price_eur_mwh,forecast_eur_mwh`): the one column whose name
// says forecast, read as an exogenous series and aligned to the prices' steps. The CLI (`--forecast column`) and the
// page's parse worker both read it here.

import { alignExogenous, parseExogenousCsv } from '../exogenous/index.ts';

/** A column name that says forecast (English, German Prognose, predicted). */
export const FORECAST_COLUMN_NAME = /forecast|prognos|predict/i;

/** What the page keeps of a price file's forecast column: its values, or why they cannot be used. */
export interface ForecastColumn {
  name: string;
  /** One value per price step, EUR/MWh; absent when `error` says why the column cannot be used. */
  valuesEurPerMWh?: Float64Array;
  error?: string;
}

/** True when the file's first line names a forecast column (a cheap test before reading the whole file again). */
export function headerNamesForecast(text: string): boolean {
  const nl = text.search(/\r\n|\n|\r/);
  return FORECAST_COLUMN_NAME.test(nl < 0 ? text : text.slice(0, nl));
}

/**
 * The forecast column of `text` aligned to `prices`, or null when no column's name says forecast. Throws
 * PriceFileError (file, row, column) when the file is not plain `timestamp,<name>,…` or the column cannot be aligned.
 */
export function readForecastColumn(
  text: string,
  file: string,
  prices: { timesUtcMs: Float64Array; dtHours: number; source?: string },
): { name: string; valuesEurPerMWh: Float64Array } | null {
  const exo = parseExogenousCsv(text, file);
  const j = exo.names.findIndex((n) => FORECAST_COLUMN_NAME.test(n));
  if (j < 0) return null;
  const one = { ...exo, names: [exo.names[j]], values: [exo.values[j]] };
  return { name: exo.names[j], valuesEurPerMWh: alignExogenous(one, prices).values[0] };
}
