// Node-side file loading for the CLI, tests and benchmarks.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { checkPriceFileSize, parsePriceBytes } from './csv.ts';
import { type PriceSeries, PriceFileError } from '../core/prices/types.ts';

/** Reads and parses a price CSV from disk; a missing, unreadable or oversized file becomes a PriceFileError naming it. */
export async function loadPriceFile(path: string): Promise<PriceSeries> {
  const name = basename(path);
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new PriceFileError(`${path} is a folder, not a price file`, name);
    checkPriceFileSize(info.size, name);
    bytes = await readFile(path);
  } catch (e) {
    if (e instanceof PriceFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new PriceFileError(code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${(e as Error).message}`, name);
  }
  return parsePriceBytes(bytes, name);
}
