// A `bess size` worker thread: holds the prices and base battery from workerData and solves the chunks of cells
// the main thread sends, with the same core code as the page's sizing worker.
import { parentPort, workerData } from 'node:worker_threads';
import { type SizingCell, type SizingSite, solveCells } from '../core/sizing/grid.ts';
import type { BatterySpec } from '../core/battery/index.ts';

export interface SizeThreadData {
  pricesEurPerMWh: Float64Array;
  dtHours: number;
  battery: BatterySpec;
  site?: SizingSite;
}
export type SizeThreadRequest = { id: number; cells: SizingCell[] };
export type SizeThreadReply =
  { id: number; ok: true; solves: ReturnType<typeof solveCells> } | { id: number; ok: false; message: string };

const { pricesEurPerMWh, dtHours, battery, site } = workerData as SizeThreadData;
parentPort!.on('message', ({ id, cells }: SizeThreadRequest) => {
  let reply: SizeThreadReply;
  try {
    reply = { id, ok: true, solves: solveCells(pricesEurPerMWh, dtHours, battery, cells, site) };
  } catch (e) {
    reply = { id, ok: false, message: (e as Error).message };
  }
  parentPort!.postMessage(reply);
});
// Loaded (module compiled): the main thread times solving from here.
parentPort!.postMessage({ id: -1, ok: true, solves: [] } satisfies SizeThreadReply);
