// The parse worker's implementation as a plain object, importable in Node tests. Files arrive as a Blob and go
// through the same bytes → text → rows path as `bess` (src/io/csv.ts); bundled samples arrive as text.
import { checkPriceFileSize, parsePriceBytes, parsePriceCsv } from '../src/io/csv.ts';
import { PriceFileError } from '../src/core/prices/types.ts';
import { cleanMessage } from '../src/core/prices/text.ts';
import { decodePriceBytes } from '../src/io/decode.ts';
import { FORECAST_COLUMN_NAME, headerNamesForecast, readForecastColumn } from '../src/core/forecast/column.ts';
import type { PriceSeries } from '../src/core/prices/types.ts';
import type { ParseApi, ParseFailed, ParseOk } from './parse-api.ts';

/**
 * The series with the file's forecast column (the page's `column` forecaster) when its header names one, or why
 * that column cannot be used; the prices stay loaded either way.
 */
export function withForecastColumn(series: PriceSeries, text: string, fileName: string): PriceSeries {
  if (!headerNamesForecast(text)) return series;
  try {
    const c = readForecastColumn(text, fileName, series);
    return c ? { ...series, forecastColumn: c } : series;
  } catch (e) {
    if (!(e instanceof PriceFileError)) throw e;
    const header = text.slice(0, Math.max(0, text.search(/\r\n|\n|\r/))).replace(/^\uFEFF/, '');
    const name = header
      .split(/[;,\t]/)
      .map((h) => h.trim().replace(/^"|"$/g, ''))
      .find((h) => FORECAST_COLUMN_NAME.test(h));
    return { ...series, forecastColumn: { name: name ?? 'forecast', error: e.message } };
  }
}

export const parser: ParseApi = {
  async parse(input, fileName, onProgress) {
    try {
      const progress = onProgress ? (s: number) => onProgress(0.05 + 0.9 * s) : undefined;
      let series;
      if (typeof input === 'string') {
        onProgress?.(0.05);
        series = withForecastColumn(parsePriceCsv(input, fileName, progress), input, fileName);
      } else {
        checkPriceFileSize(input.size, fileName);
        const bytes = new Uint8Array(await input.arrayBuffer());
        onProgress?.(0.05);
        series = parsePriceBytes(bytes, fileName, progress);
        // Decoded a second time only when the header names a forecast column.
        if (headerNamesForecast(new TextDecoder().decode(bytes.subarray(0, 4096))))
          series = withForecastColumn(series, decodePriceBytes(bytes, fileName).text, fileName);
      }
      onProgress?.(1);
      return { ok: true, series } satisfies ParseOk;
    } catch (e) {
      if (e instanceof PriceFileError)
        return { ok: false, message: e.message, file: e.file, row: e.row, column: e.column } satisfies ParseFailed;
      return {
        ok: false,
        message: cleanMessage(`${fileName}: ${(e as Error).message}`),
        file: fileName,
      } satisfies ParseFailed;
    }
  },
};
