// The parse worker's implementation as a plain object, importable in Node tests.
import { parsePriceCsv } from '../src/io/csv.ts';
import { PriceFileError } from '../src/core/prices/types.ts';
import type { ParseApi, ParseFailed, ParseOk } from './parse-api.ts';

export const parser: ParseApi = {
  async parse(input, fileName, onProgress) {
    try {
      const text = typeof input === 'string' ? input : await input.text();
      onProgress?.(0.05);
      const series = parsePriceCsv(text, fileName, onProgress ? (s) => onProgress(0.05 + 0.9 * s) : undefined);
      onProgress?.(1);
      return { ok: true, series } satisfies ParseOk;
    } catch (e) {
      if (e instanceof PriceFileError) return { ok: false, message: e.message, file: e.file, row: e.row, column: e.column } satisfies ParseFailed;
      return { ok: false, message: `${fileName}: ${(e as Error).message}`, file: fileName } satisfies ParseFailed;
    }
  },
};
