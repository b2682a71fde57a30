// The sweep panel's state: the imported report (kept across reloads), the last error, and verbs to import a zip or a
// folder. A bad import leaves the report shown before it in place.
// Usage: const sweep = new SweepState(); await sweep.importZip(file);

import { readStorage, writeStorage } from '../lib/storage.ts';
import {
  decodeImport,
  encodeImport,
  SweepImportError,
  sweepFromEntries,
  sweepFromZip,
  type SweepImport,
} from './import.ts';
import { readPicked, type PickedFile } from './folder.ts';

const KEY = 'powerbidder.sweep-report';

export class SweepState {
  imported = $state.raw<SweepImport | null>(decodeImport(readStorage(KEY)));
  error = $state<string | null>(null);
  busy = $state(false);
  /** Set when the report shown could not be stored for the next visit. */
  notice = $state<string | null>(null);
  /** The sweep shown when the store holds several ('' for all). */
  sweep = $state('');
  readonly rows = $derived(
    (this.imported?.report.configurations ?? []).filter((r) => !this.sweep || r.sweep === this.sweep),
  );

  async importZip(file: File): Promise<void> {
    await this.#load(async () => sweepFromZip(new Uint8Array(await file.arrayBuffer()), file.name));
  }

  async importFolder(name: string, files: PickedFile[]): Promise<void> {
    await this.#load(async () => {
      if (!files.length) throw new SweepImportError(`${name}: the folder is empty (or the browser gave no files)`);
      return sweepFromEntries(await readPicked(files), name);
    });
  }

  /** Says why something dropped or picked is not a store. */
  refuse(message: string): void {
    this.error = message;
  }

  clear(): void {
    this.imported = null;
    this.error = null;
    this.notice = null;
    this.sweep = '';
    writeStorage(KEY, '');
  }

  async #load(read: () => Promise<SweepImport>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      const x = await read();
      this.imported = x;
      this.sweep = '';
      const text = encodeImport(x);
      writeStorage(KEY, text);
      this.notice =
        readStorage(KEY) === text
          ? null
          : 'This report is not kept across reloads (browser storage is full or blocked).';
    } catch (e) {
      this.error =
        e instanceof SweepImportError ? e.message : `The sweep could not be read: ${(e as Error).message ?? String(e)}`;
    } finally {
      this.busy = false;
    }
  }
}
