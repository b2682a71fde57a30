// Node-side file loading for the CLI, tests and benchmarks.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parsePriceCsv } from './csv.ts';
import { type PriceSeries, PriceFileError } from '../core/prices/types.ts';

/** Reads and parses a price CSV from disk; a missing file becomes a PriceFileError naming it. */
export async function loadPriceFile(path: string): Promise<PriceSeries> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PriceFileError(code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${(e as Error).message}`, basename(path));
  }
  return parsePriceCsv(text, basename(path));
}
