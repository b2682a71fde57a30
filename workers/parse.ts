// The parse worker's implementation as a plain object, importable in Node tests. Files arrive as a Blob and go
// through the same bytes → text → rows path as `bess` (src/io/csv.ts); bundled samples arrive as text.
import { checkPriceFileSize, parsePriceBytes, parsePriceCsv } from '../src/io/csv.ts';
import { PriceFileError } from '../src/core/prices/types.ts';
import { cleanMessage } from '../src/core/prices/text.ts';
import type { ParseApi, ParseFailed, ParseOk } from './parse-api.ts';

export const parser: ParseApi = {
  async parse(input, fileName, onProgress) {
    try {
      const progress = onProgress ? (s: number) => onProgress(0.05 + 0.9 * s) : undefined;
      let series;
      if (typeof input === 'string') {
        onProgress?.(0.05);
        series = parsePriceCsv(input, fileName, progress);
      } else {
        checkPriceFileSize(input.size, fileName);
        const bytes = new Uint8Array(await input.arrayBuffer());
        onProgress?.(0.05);
        series = parsePriceBytes(bytes, fileName, progress);
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
