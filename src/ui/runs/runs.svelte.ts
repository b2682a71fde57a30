// The runs table's state: the stored runs, which are selected for comparison, and verbs to change them. What it
// shows is what the store holds: after a failed write (storage full) the list is re-read and the failure is said.
// Usage: const runs = new RunsState(); await runs.open(); const rec = runs.begin(meta); ...; await runs.finish(rec, result, meta);
import {
  openRunStore,
  exportRunJson,
  importRunFile,
  importRunRecord,
  partialRun,
  runFromResult,
  type DamagedRecord,
  type RunMeta,
  type RunRecord,
  type RunStore,
  type RunSummary,
  type Stage,
} from './store.ts';
import { RunRecorder } from './recorder.ts';
import type { SavedModel, TrainProgress, TrainResult } from '../../../workers/trainer-api.ts';
import type { MlflowExportOptions } from './mlflow-zip.ts';

export class RunsState {
  runs = $state.raw<RunSummary[]>([]);
  /** Stored records that fail the schema: skipped by the list, reported in a banner. */
  damaged = $state.raw<DamagedRecord[]>([]);
  /** Ids of runs overlaid in comparisons. */
  selected = $state<string[]>([]);
  error = $state<string | null>(null);
  /** A note on the last action that is not an error (an import made as a copy). */
  notice = $state<string | null>(null);
  /** The run this page is training now: listed as "training", not "interrupted". */
  liveId = $state<string | null>(null);
  /** Whether runs can be stored in this browser (IndexedDB opened). */
  available = $state(false);
  #store: RunStore | null = null;

  /** Opens the store and loads the list; a browser without IndexedDB gets a message, not a crash. */
  async open(dbName?: string): Promise<void> {
    try {
      this.#store = await openRunStore(dbName);
      this.available = true;
      await this.refresh();
    } catch (e) {
      this.error = `Runs cannot be saved in this browser (IndexedDB unavailable): ${(e as Error).message}`;
    }
  }

  async refresh(): Promise<void> {
    if (!this.#store) return;
    try {
      const { runs, damaged } = await this.#store.list();
      this.runs = runs;
      this.damaged = damaged;
    } catch (e) {
      this.error = `The stored runs could not be read: ${(e as Error).message}`;
    }
  }

  /** Starts the record of a run that begins training now; it is stored as interrupted until it finishes. */
  begin(meta: RunMeta): RunRecorder {
    const rec = new RunRecorder(async (run) => {
      if (!this.#store) return;
      await this.#store.put(run);
    });
    rec.onError = (e) => (this.error = e ? `The partial run could not be saved: ${e.message}` : null);
    this.liveId = meta.id;
    rec.update(partialRun(meta, { history: [] }));
    void rec.settled().then(() => this.refresh());
    return rec;
  }

  /** Records the progress of a live run (its curve, backend and best policy so far). */
  progress(
    rec: RunRecorder,
    meta: RunMeta,
    history: TrainProgress[],
    backend: string | null,
    model: SavedModel | null,
  ): void {
    rec.update(partialRun(meta, { history, backend: backend ?? undefined, model: model ?? undefined }));
  }

  /** Stores a finished training run in place of its partial record, and selects it. */
  async finish(rec: RunRecorder, result: TrainResult, meta: RunMeta): Promise<RunRecord | null> {
    const run = runFromResult(result, meta);
    try {
      await rec.finish(run);
      this.selected = [...this.selected, run.id];
      return run;
    } catch (e) {
      this.error = `The run could not be saved: ${(e as Error).message}`;
      return null;
    } finally {
      this.liveId = null;
      await this.refresh();
    }
  }

  /** Closes a run that ended without a result (failed, abandoned): its partial record stays, marked why. */
  async interrupt(
    rec: RunRecorder,
    meta: RunMeta,
    history: TrainProgress[],
    backend: string | null,
    model: SavedModel | null,
    reason: string,
  ): Promise<void> {
    try {
      await rec.finish(
        partialRun(meta, { history, backend: backend ?? undefined, model: model ?? undefined, stopReason: reason }),
      );
    } catch (e) {
      this.error = `The partial run could not be saved: ${(e as Error).message}`;
    } finally {
      this.liveId = null;
      await this.refresh();
    }
  }

  async get(id: string): Promise<RunRecord | undefined> {
    try {
      return await this.#store?.get(id);
    } catch (e) {
      this.error = (e as Error).message;
      return undefined;
    }
  }

  /** Runs a store change; on failure says so and re-reads the list, so the table shows what is really stored. */
  async #change(what: string, fn: (store: RunStore) => Promise<unknown>): Promise<boolean> {
    if (!this.#store) return false;
    try {
      await fn(this.#store);
      this.error = null;
      return true;
    } catch (e) {
      this.error = `${what} failed and was undone: ${(e as Error).message}`;
      return false;
    } finally {
      await this.refresh();
    }
  }

  async remove(id: string): Promise<boolean> {
    const ok = await this.#change('Deleting the run', (s) => s.delete(id));
    if (ok) this.selected = this.selected.filter((s) => s !== id);
    return ok;
  }

  /** Deletes the stored records that could not be read. */
  async removeDamaged(): Promise<boolean> {
    const keys = this.damaged.map((d) => d.key);
    return this.#change('Deleting the damaged records', async (s) => {
      for (const k of keys) await s.delete(k);
    });
  }

  rename(id: string, name: string): Promise<boolean> {
    return this.#change('Renaming the run', (s) => s.update(id, { name }));
  }

  tag(id: string, tags: string[]): Promise<boolean> {
    return this.#change('Tagging the run', (s) => s.update(id, { tags: tags.map((t) => t.trim()).filter(Boolean) }));
  }

  setStage(id: string, stage: Stage, modelName?: string): Promise<boolean> {
    return this.#change('Changing the stage', (s) =>
      s.update(id, modelName === undefined ? { stage } : { stage, modelName }),
    );
  }

  toggle(id: string): void {
    this.selected = this.selected.includes(id) ? this.selected.filter((s) => s !== id) : [...this.selected, id];
  }

  /** The run as a downloadable JSON file. */
  async exportRun(id: string): Promise<{ blob: Blob; fileName: string } | null> {
    try {
      const run = await this.#store?.get(id);
      if (!run) return null;
      return {
        blob: new Blob([exportRunJson(run)], { type: 'application/json' }),
        fileName: `${run.name || run.id}.powerbidder-run.json`,
      };
    } catch (e) {
      this.error = (e as Error).message;
      return null;
    }
  }

  /** Imports a run file; a bad file sets `error` and changes nothing; an id already stored is imported as a copy. */
  async importFile(file: File): Promise<void> {
    this.notice = null;
    if (!this.#store) {
      this.error = 'Runs cannot be imported: this browser cannot store them.';
      return;
    }
    try {
      const { run, copyOf } = await importRunFile(this.#store, await file.text(), file.name);
      this.error = null;
      this.notice = copyOf
        ? `A run with the id of ${file.name} is already stored: imported as a copy, "${run.name}".`
        : `Imported ${file.name} as "${run.name || run.id}".`;
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      await this.refresh();
    }
  }

  /** What the last MLflow import skipped (one line each), for the table to show. */
  mlflowNotes = $state.raw<string[]>([]);

  /** The runs with these ids (all when empty) as `mlruns.zip`, MLflow's file store. */
  async exportMlflowZip(
    ids: string[],
    charts?: MlflowExportOptions['charts'],
  ): Promise<{ blob: Blob; fileName: string } | null> {
    const all = ids.length ? ids : this.runs.map((r) => r.id);
    const records = (await Promise.all(all.map((id) => this.#store?.get(id)))).filter((r): r is RunRecord => !!r);
    if (!records.length) return null;
    // Loaded on first use: the YAML and zip libraries stay out of the page's first download.
    const { runsToMlrunsZip } = await import('./mlflow-zip.ts');
    const zip = runsToMlrunsZip(records, { nowMs: Date.now(), charts });
    return { blob: new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), fileName: 'mlruns.zip' };
  }

  /** Imports an `mlruns` zip: all its usable runs, or (a damaged or foreign zip) none, with `error` set. */
  async importMlflowZip(file: File): Promise<void> {
    try {
      const { mlrunsZipToRuns } = await import('./mlflow-zip.ts');
      const { runs, skipped } = mlrunsZipToRuns(new Uint8Array(await file.arrayBuffer()), file.name);
      const store = this.#store;
      if (!store) throw new Error('Runs cannot be imported: this browser cannot store them.');
      // Every run is checked before any is stored (mlrunsZipToRuns throws on the first wrong entry); a run whose id
      // is stored already comes in as a copy, as with run files.
      const copies: string[] = [];
      for (const run of runs) {
        const { run: stored, copyOf } = await importRunRecord(store, run);
        if (copyOf) copies.push(`${copyOf} is already stored: imported as a copy, "${stored.name}"`);
      }
      this.error = null;
      this.mlflowNotes = [
        `${file.name}: imported ${runs.length} run${runs.length === 1 ? '' : 's'}${skipped.length ? `, skipped ${skipped.length}:` : ''}`,
        ...skipped,
        ...copies,
      ];
    } catch (e) {
      this.mlflowNotes = [];
      this.error = (e as Error).message;
    } finally {
      await this.refresh();
    }
  }
}
