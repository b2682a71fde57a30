// Price files from bytes or text to a PriceSeries: the one path that the page (parse worker) and the CLI share.
// Decoding is here (TextDecoder); splitting and reading are in src/core/prices.
import { fileTooLarge, parsePriceText } from '../core/prices/parse.ts';
import { MAX_FILE_BYTES, MAX_ROWS, MAX_STEPS } from '../core/prices/limits.ts';
import { type PriceSeries, PriceFileError } from '../core/prices/types.ts';
import { decodePriceBytes } from './decode.ts';

/** Parses CSV text (either separator, quoted or not) into a PriceSeries. */
export function parsePriceCsv(text: string, fileName: string, onProgress?: (share: number) => void): PriceSeries {
  return withMemoryMessage(fileName, () => parsePriceText(fileName, text, onProgress));
}

/** Out of memory despite the limits (a small device): say what was too big instead of "allocation failed". */
function withMemoryMessage<T>(fileName: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new PriceFileError(
      `${fileName}: too large to hold in memory here (${e.message}); the limits are ${MAX_FILE_BYTES / 1024 / 1024} MB, ${MAX_ROWS} rows and ${MAX_STEPS} steps, and this device may allow less`,
      fileName,
    );
  }
}

/** Throws the "file too large" PriceFileError for a file over MAX_FILE_BYTES, before anything is read. */
export function checkPriceFileSize(bytes: number, fileName: string): void {
  if (bytes > MAX_FILE_BYTES) throw fileTooLarge(fileName, bytes);
}

/** Decodes a file's bytes (BOM, UTF-16, UTF-8, else Windows-1252) and parses them into a PriceSeries. */
export function parsePriceBytes(
  bytes: Uint8Array,
  fileName: string,
  onProgress?: (share: number) => void,
): PriceSeries {
  checkPriceFileSize(bytes.length, fileName);
  return withMemoryMessage(fileName, () => {
    const { text, note } = decodePriceBytes(bytes, fileName);
    return parsePriceText(fileName, text, onProgress, note ? [note] : []);
  });
}
