// Node-side file loading for the CLI, tests and benchmarks.
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { checkPriceFileSize, parsePriceBytes } from './csv.ts';
import { type PriceSeries, PriceFileError } from '../core/prices/types.ts';
import { MAX_FILE_BYTES } from '../core/prices/limits.ts';

/** Reads and parses a price CSV from disk; a missing, unreadable or oversized file becomes a PriceFileError naming it. */
export async function loadPriceFile(path: string): Promise<PriceSeries> {
  const name = basename(path);
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new PriceFileError(`${path} is a folder, not a price file`, name);
    checkPriceFileSize(info.size, name);
    // A device or pipe reports size 0 and may never end (/dev/zero): read it only up to the limit.
    bytes = info.isFile() ? await readFile(path) : await readAtMost(path, MAX_FILE_BYTES + 1);
    if (bytes.length > MAX_FILE_BYTES) {
      throw new PriceFileError(
        `${path} is not a regular file and gives more than the largest price file read (${MAX_FILE_BYTES} bytes)`,
        name,
      );
    }
  } catch (e) {
    if (e instanceof PriceFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new PriceFileError(
      code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${(e as Error).message}`,
      name,
    );
  }
  return parsePriceBytes(bytes, name);
}

/** The first `limit` bytes of a file (or all, if shorter), without asking its size. */
async function readAtMost(path: string, limit: number): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    while (total < limit) {
      const { bytesRead, buffer } = await file.read(
        new Uint8Array(Math.min(1 << 20, limit - total)),
        0,
        Math.min(1 << 20, limit - total),
        null,
      );
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
    }
    return Buffer.concat(chunks, total);
  } finally {
    await file.close();
  }
}
