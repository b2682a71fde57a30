// The runs table's state: the stored runs, which are selected for comparison, and verbs to change them.
// Usage: const runs = new RunsState(); await runs.open(); runs.add(result, meta); <RunsTable {runs} />
import { openRunStore, exportRunJson, importRunJson, runFromResult, type RunRecord, type RunStore, type RunSummary, type Stage } from './store.ts';
import type { TrainResult } from '../../../workers/trainer-api.ts';
import { mlrunsZipToRuns, runsToMlrunsZip, type MlflowExportOptions } from './mlflow-zip.ts';

export class RunsState {
  runs = $state.raw<RunSummary[]>([]);
  /** Ids of runs overlaid in comparisons. */
  selected = $state<string[]>([]);
  error = $state<string | null>(null);
  #store: RunStore | null = null;

  /** Opens the store and loads the list; a browser without IndexedDB gets a message, not a crash. */
  async open(dbName?: string): Promise<void> {
    try {
      this.#store = await openRunStore(dbName);
      await this.refresh();
    } catch (e) {
      this.error = `Runs cannot be saved in this browser (IndexedDB unavailable): ${(e as Error).message}`;
    }
  }

  async refresh(): Promise<void> {
    if (this.#store) this.runs = await this.#store.list();
  }

  /** Stores a finished training run and selects it. */
  async add(result: TrainResult, meta: Parameters<typeof runFromResult>[1]): Promise<RunRecord> {
    const run = runFromResult(result, meta);
    await this.#store?.put(run);
    await this.refresh();
    this.selected = [...this.selected, run.id];
    return run;
  }

  async get(id: string): Promise<RunRecord | undefined> {
    return this.#store?.get(id);
  }

  async remove(id: string): Promise<void> {
    await this.#store?.delete(id);
    this.selected = this.selected.filter((s) => s !== id);
    await this.refresh();
  }

  async rename(id: string, name: string): Promise<void> {
    await this.#store?.update(id, { name });
    await this.refresh();
  }

  async tag(id: string, tags: string[]): Promise<void> {
    await this.#store?.update(id, { tags: tags.map((t) => t.trim()).filter(Boolean) });
    await this.refresh();
  }

  async setStage(id: string, stage: Stage, modelName?: string): Promise<void> {
    await this.#store?.update(id, modelName === undefined ? { stage } : { stage, modelName });
    await this.refresh();
  }

  toggle(id: string): void {
    this.selected = this.selected.includes(id) ? this.selected.filter((s) => s !== id) : [...this.selected, id];
  }

  /** The run as a downloadable JSON file. */
  async exportRun(id: string): Promise<{ blob: Blob; fileName: string } | null> {
    const run = await this.#store?.get(id);
    if (!run) return null;
    return { blob: new Blob([exportRunJson(run)], { type: 'application/json' }), fileName: `${run.name || run.id}.powerbidder-run.json` };
  }

  /** What the last MLflow import skipped (one line each), for the table to show. */
  mlflowNotes = $state.raw<string[]>([]);

  /** The runs with these ids (all when empty) as `mlruns.zip`, MLflow's file store. */
  async exportMlflowZip(ids: string[], charts?: MlflowExportOptions['charts']): Promise<{ blob: Blob; fileName: string } | null> {
    const all = ids.length ? ids : this.runs.map((r) => r.id);
    const records = (await Promise.all(all.map((id) => this.#store?.get(id)))).filter((r): r is RunRecord => !!r);
    if (!records.length) return null;
    const zip = runsToMlrunsZip(records, { nowMs: Date.now(), charts });
    return { blob: new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), fileName: 'mlruns.zip' };
  }

  /** Imports an `mlruns` zip: all its usable runs, or (a damaged or foreign zip) none, with `error` set. */
  async importMlflowZip(file: File): Promise<void> {
    try {
      const { runs, skipped } = mlrunsZipToRuns(new Uint8Array(await file.arrayBuffer()), file.name);
      for (const run of runs) await this.#store?.put(run);
      this.error = null;
      this.mlflowNotes = [`${file.name}: imported ${runs.length} run${runs.length === 1 ? '' : 's'}${skipped.length ? `, skipped ${skipped.length}:` : ''}`, ...skipped];
      await this.refresh();
    } catch (e) {
      this.mlflowNotes = [];
      this.error = (e as Error).message;
    }
  }

  /** Imports a run file; a bad file sets `error` and changes nothing. */
  async importFile(file: File): Promise<void> {
    try {
      const run = importRunJson(await file.text(), file.name);
      await this.#store?.put(run);
      this.error = null;
      await this.refresh();
    } catch (e) {
      this.error = (e as Error).message;
    }
  }
}
