// Hands a list of cells out to parallel runners (worker threads in Node, Web Workers in the page) in small chunks,
// each runner taking the next chunk when it finishes one, so slow cells (long durations) do not leave a runner idle.

import type { SizingCell } from './grid.ts';

/** Chunks of at most `size` consecutive cells. */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A chunk size that gives each of `runners` about 16 chunks (progress updates often, the queue balances load). */
export function chunkSize(cells: number, runners: number): number {
  return Math.max(1, Math.min(64, Math.ceil(cells / (Math.max(1, runners) * 16))));
}

/**
 * Runs every chunk on the first free runner; `onChunk` sees each chunk's results as they come. Resolves when all are
 * done, rejects with the first runner's error (the other runners finish their current chunk and stop).
 */
export async function runChunks<R>(
  chunks: SizingCell[][],
  runners: ((cells: SizingCell[]) => Promise<R[]>)[],
  onChunk: (results: R[]) => void,
): Promise<void> {
  let next = 0;
  let failed = false;
  const loop = async (run: (cells: SizingCell[]) => Promise<R[]>) => {
    while (!failed && next < chunks.length) {
      const mine = chunks[next++];
      try {
        onChunk(await run(mine));
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(runners.map(loop));
}
