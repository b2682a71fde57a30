// The loaded price series: from a dropped/picked file or a bundled sample, parsed in the parse worker. A file that
// cannot be used leaves the previous series in place and sets `error`. The last good file is kept in IndexedDB
// (lib/dataset-store.ts) and comes back on reload before any sample; choosing a sample forgets it.

import type { ParseApi, ParseFailed, ParseOk } from '../../../workers/parse-api.ts';
import type { PriceSeries } from '../../core/prices/types.ts';
import { type PriceSummary, summarisePrices } from '../../core/prices/summary.ts';
import { type SampleInfo, defaultSample, readSamplesJson } from '../lib/samples.ts';
import { type Split, clampSplit, defaultSplit } from '../lib/split.ts';
import { WorkerBox, WorkerCallAborted } from '../lib/worker-box.ts';
import { readStorage, writeStorage } from '../lib/storage.ts';
import { type DatasetStore, openDatasetStore } from '../lib/dataset-store.ts';

const SAMPLE_KEY = 'powerbidder.sample';

/** Dataset, its summary, the train/test split and parsing progress. */
export class DatasetState {
  series = $state.raw<PriceSeries | null>(null);
  /** Bundled sample currently shown, when it came from one. */
  sampleId = $state<string | null>(null);
  samples = $state.raw<SampleInfo[]>([]);
  /** Share of the file read while parsing (0..1), null when idle. */
  progress = $state<number | null>(null);
  parsingName = $state<string | null>(null);
  error = $state<string | null>(null);
  /** When the series shown is the user's file kept from an earlier visit: when it was kept (epoch ms). */
  restoredAt = $state<number | null>(null);
  split = $state.raw<Split>({ trainStart: 0, trainEnd: 0, n: 0 });
  summary: PriceSummary | null = $derived(this.series ? summarisePrices(this.series) : null);
  sample: SampleInfo | undefined = $derived(this.samples.find((s) => s.id === this.sampleId));

  #box = new WorkerBox<ParseApi>(
    () => new Worker(new URL('../../../workers/parse.worker.ts', import.meta.url), { type: 'module' }),
    (message) => (this.error = `Parsing: ${message}`),
  );
  #generation = 0;
  #kept: Promise<DatasetStore | null> | null = null;

  /** The kept-dataset store, opened once; null where IndexedDB is unavailable (the file is then not kept). */
  #store(): Promise<DatasetStore | null> {
    this.#kept ??= openDatasetStore().catch(() => null);
    return this.#kept;
  }

  /** Shows the user's file kept from the last visit if there is one; then lists the samples and, without a kept
   * file, shows the remembered sample or the default one. */
  async init(): Promise<void> {
    const gen = this.#generation;
    const kept = await (await this.#store())?.load().catch(() => null);
    // A file dropped while the store was opening wins over the kept one.
    if (kept && gen === this.#generation && !this.series) {
      this.series = kept.series;
      this.split = defaultSplit(kept.series.pricesEurPerMWh.length);
      this.sampleId = null;
      this.restoredAt = kept.savedAt;
    }
    try {
      const res = await fetch('./samples/samples.json');
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.samples = readSamplesJson(await res.json());
    } catch (e) {
      this.error = `The bundled samples could not be listed (${(e as Error).message}). You can still drop a CSV file.`;
      return;
    }
    const remembered = readStorage(SAMPLE_KEY);
    const pick = this.samples.find((s) => s.id === remembered) ?? defaultSample(this.samples);
    if (pick && !this.series) await this.loadSample(pick.id);
  }

  /** Fetches and parses a bundled sample (relative URL: the site may live under a sub-path). */
  async loadSample(id: string): Promise<void> {
    const s = this.samples.find((x) => x.id === id);
    if (!s) return;
    const gen = ++this.#generation;
    this.parsingName = s.file;
    this.progress = 0;
    try {
      const res = await fetch(`./samples/${s.file}`);
      if (!res.ok) throw new Error(`could not fetch sample ${s.file}: HTTP ${res.status}`);
      const text = await res.text();
      if (gen !== this.#generation) return;
      if (await this.#parse(text, s.file, gen)) {
        this.sampleId = s.id;
        writeStorage(SAMPLE_KEY, s.id);
        // The user chose a sample over their file: a reload shows the sample.
        await (await this.#store())?.clear().catch(() => undefined);
      }
    } catch (e) {
      if (gen === this.#generation) this.#fail(e);
    }
  }

  /** Parses a dropped or picked file; the previous series stays if it cannot be used. */
  async loadFile(file: File): Promise<void> {
    const gen = ++this.#generation;
    this.parsingName = file.name;
    this.progress = 0;
    try {
      if (await this.#parse(file, file.name, gen)) {
        this.sampleId = null;
        await this.#keep(this.series!, file.name);
      }
    } catch (e) {
      if (gen === this.#generation) this.#fail(e);
    }
  }

  /** Stops a parse in progress; the previous series stays. */
  cancel(): void {
    this.#generation++;
    this.#box.cancel();
    this.progress = null;
    this.parsingName = null;
  }

  /** Sets the training window; the test split is what follows it. */
  setSplit(s: Split): void {
    if (this.series) this.split = clampSplit({ ...s, n: this.series.pricesEurPerMWh.length });
  }

  dismissError(): void {
    this.error = null;
  }

  async #parse(input: Blob | string, name: string, gen: number): Promise<boolean> {
    // The last progress message can arrive after the reply: WorkerBox.call's quiet keeps it from bringing the bar
    // back.
    const onProgress = (share: number) => {
      if (gen === this.#generation) this.progress = share;
    };
    const reply = await this.#box.call<ParseOk | ParseFailed>((w, quiet) => w.parse(input, name, quiet(onProgress)));
    if (gen !== this.#generation) return false;
    this.progress = null;
    this.parsingName = null;
    if (!reply.ok) {
      this.error = reply.message;
      return false;
    }
    if (reply.series.pricesEurPerMWh.length < 2) {
      this.error = `${name}: too few rows to work with (${reply.series.pricesEurPerMWh.length}).`;
      return false;
    }
    this.error = null;
    this.restoredAt = null;
    this.series = reply.series;
    this.split = defaultSplit(reply.series.pricesEurPerMWh.length);
    return true;
  }

  /** Keeps a good file's series for the next visit; a refusal (quota) is reported, the series stays loaded. */
  async #keep(series: PriceSeries, name: string): Promise<void> {
    const store = await this.#store();
    if (!store) {
      this.error = `${name} is loaded, but this browser gives the page no IndexedDB storage: a reload will not bring it back.`;
      return;
    }
    try {
      await store.save(series, Date.now());
    } catch (e) {
      this.error = `${name} is loaded, but could not be kept for your next visit: ${(e as Error).message}. A reload will not bring it back.`;
    }
  }

  #fail(e: unknown): void {
    this.progress = null;
    this.parsingName = null;
    if (e instanceof WorkerCallAborted && e.reason === 'cancelled') return;
    this.error = e instanceof Error ? e.message : String(e);
  }
}
