// Experiment tracking (what MLflow did for the original system): every training run is a record in IndexedDB with
// its parameters, per-iteration metrics, final evaluation, model weights and backtest trace. Typed arrays are stored
// natively (structured clone); export/import turns a run into a versioned JSON file and back. Every record is
// checked against one schema (schema.ts) when written, read, exported and imported: a damaged record is skipped
// and reported by the reader, never allowed to hide the others.
//
// Usage: const store = await openRunStore(); await store.put(runFromResult(result, { id, createdAt, ... }));

import { openDB, type IDBPDatabase } from 'idb';
import type { KeptPolicy, TrainResult } from '../../../workers/trainer-api.ts';
import {
  STAGES,
  parseRun,
  type RunBase,
  type CompleteRun,
  type Evaluation,
  type InterruptedRun,
  type RunInputs,
  type RunRecord,
  type RunStatus,
  type Stage,
} from './schema.ts';
import { ModelFileError, checkSavedModel } from '../../core/rl/model.ts';

export {
  STAGES,
  type CompleteRun,
  type Evaluation,
  type InterruptedRun,
  type RunInputs,
  type RunRecord,
  type RunStatus,
  type Stage,
};

/** What the runs table lists: the record without its heavy fields (history, model, backtest). */
export type RunSummary = Omit<RunBase, 'history'> & {
  status: RunStatus;
  /** Which policy the run kept (absent for older and interrupted runs). */
  kept?: KeptPolicy;
  /** Absent for an interrupted run. */
  evaluation?: Evaluation;
  iterations: number;
  hasModel: boolean;
};

/** A stored record that does not pass the schema: skipped by the list, kept in the store until deleted. */
export interface DamagedRecord {
  /** The record's key (its id when it had one). */
  key: string;
  reason: string;
}

/** The readable runs, newest first, and the records that could not be read. */
export interface RunListing {
  runs: RunSummary[];
  damaged: DamagedRecord[];
}

/** Thrown for a run file that cannot be imported. */
export class RunFileError extends Error {}

/** Thrown when the browser refuses to store (quota exceeded, storage blocked); the message says what was lost. */
export class RunStorageError extends Error {
  constructor(
    message: string,
    readonly quota: boolean,
  ) {
    super(message);
    this.name = 'RunStorageError';
  }
}

const DB_NAME = 'powerbidder';
const STORE = 'runs';
export const RUN_FILE_FORMAT = 'powerbidder-run';
/** Version 2 adds `status` (complete or interrupted) and `inputs`; version 1 files are read as complete runs. */
export const RUN_FILE_VERSION = 2;
const READABLE_VERSIONS = [1, 2];

/** The data fingerprint a run records (one definition, shared with the MLflow export). */
export { dataFingerprint } from '../../core/mlflow/training.ts';

/** Who and what a run record is about: set when the run starts, never from the page's state at its end. */
export interface RunMeta {
  id: string;
  createdAt: number;
  name: string;
  dataFile: string;
  dataFingerprint: string;
  seconds: number;
  inputs?: RunInputs;
}

/** A run record from a trainer result. */
export function runFromResult(result: TrainResult, meta: RunMeta): CompleteRun {
  const { profitEur, oracleProfitEur, shareOfOracle, equivalentCycles } = result.backtest;
  return {
    ...meta,
    tags: [],
    modelName: '',
    stage: 'None',
    backend: result.backend,
    stopReason: result.stopReason,
    status: 'complete',
    params: result.params,
    history: result.history,
    evaluation: { profitEur, oracleProfitEur, shareOfOracle, equivalentCycles },
    model: result.model,
    backtest: result.backtest,
    kept: result.kept,
  };
}

/** The record of a run still training (or cut short): its inputs, curve so far and best policy so far, if any. */
export function partialRun(
  meta: RunMeta,
  progress: {
    history: TrainRecordProgress[];
    backend?: string;
    model?: TrainResult['model'];
    stopReason?: string;
    params?: Record<string, unknown>;
  },
): InterruptedRun {
  return {
    ...meta,
    tags: [],
    modelName: '',
    stage: 'None',
    backend: progress.backend ?? '',
    stopReason: progress.stopReason ?? 'interrupted',
    status: 'interrupted',
    params: progress.params ?? {},
    history: progress.history,
    ...(progress.model ? { model: progress.model } : {}),
  };
}
type TrainRecordProgress = TrainResult['history'][number];

function summary(r: RunRecord): RunSummary {
  const { model, backtest: _b, history, ...rest } = r;
  return { ...rest, iterations: history.length, hasModel: !!model } as RunSummary;
}

/** Turns an IndexedDB failure into a RunStorageError saying what was not stored; other errors pass through. */
export function storageError(e: unknown, what: string): Error {
  const name = (e as { name?: string } | null)?.name ?? '';
  const inner = (e as { inner?: { name?: string } } | null)?.inner?.name ?? '';
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError' || /quota/i.test(String((e as Error)?.message))) {
    return new RunStorageError(
      `Browser storage is full: ${what} was not saved. Delete or export older runs to make room.`,
      true,
    );
  }
  if (name === 'InvalidStateError' || name === 'UnknownError' || name === 'AbortError') {
    return new RunStorageError(
      `The browser refused to store: ${what} was not saved (${(e as Error).message || name}).`,
      false,
    );
  }
  return e instanceof Error ? e : new Error(String(e));
}

/** A new id for a copy of `id` that is in none of `taken`. */
export function copyId(id: string, taken: ReadonlySet<string>): string {
  for (let k = 1; ; k++) {
    const next = `${id}-copy${k > 1 ? k : ''}`;
    if (!taken.has(next)) return next;
  }
}

/** The run as a copy beside an existing one with its id: a new id, its name marked "(copy)". */
export function asCopy(run: RunRecord, taken: ReadonlySet<string>): RunRecord {
  return { ...run, id: copyId(run.id, taken), name: `${run.name || run.id} (copy)` };
}

export interface RunStore {
  /** Validates and stores; refuses a damaged record (RunFileError) and reports a full disk (RunStorageError). */
  put(run: RunRecord): Promise<void>;
  /** Summaries, newest first, and the records that failed the schema (skipped, not fatal). */
  list(): Promise<RunListing>;
  /** The run, or undefined when there is none; a damaged record is an error naming its field. */
  get(id: string): Promise<RunRecord | undefined>;
  has(id: string): Promise<boolean>;
  delete(id: string): Promise<void>;
  update(id: string, patch: Partial<Pick<RunRecord, 'name' | 'tags' | 'modelName' | 'stage'>>): Promise<RunRecord>;
  close(): void;
}

/** Opens (creating if needed) the run store. */
export async function openRunStore(dbName = DB_NAME): Promise<RunStore> {
  const db: IDBPDatabase = await openDB(dbName, 1, {
    upgrade(d) {
      if (!d.objectStoreNames.contains(STORE))
        d.createObjectStore(STORE, { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
    },
  });
  const write = async (run: RunRecord, what: string) => {
    const checked = parseRun(run);
    if (!checked.ok) throw new RunFileError(`${what} was not saved: it is not a valid run (${checked.message})`);
    try {
      await db.put(STORE, checked.run);
    } catch (e) {
      throw storageError(e, what);
    }
  };
  const store: RunStore = {
    async put(run) {
      await write(run, `run "${run.name || run.id}"`);
    },
    async list() {
      const runs: RunSummary[] = [];
      const damaged: DamagedRecord[] = [];
      // A cursor, not getAll(): one record that cannot be read must not take the others with it.
      let cursor = await db.transaction(STORE).store.openCursor();
      while (cursor) {
        const key = String(cursor.key);
        try {
          const r = parseRun(cursor.value);
          if (r.ok) runs.push(summary(r.run));
          else damaged.push({ key, reason: r.message });
        } catch (e) {
          damaged.push({ key, reason: (e as Error).message });
        }
        cursor = await cursor.continue();
      }
      return { runs: runs.sort((a, b) => b.createdAt - a.createdAt), damaged };
    },
    async get(id) {
      const value: unknown = await db.get(STORE, id);
      if (value === undefined) return undefined;
      const r = parseRun(value);
      if (!r.ok) throw new RunFileError(`stored run ${id} is damaged: ${r.message}`);
      return r.run;
    },
    async has(id) {
      return (await db.getKey(STORE, id)) !== undefined;
    },
    async delete(id) {
      try {
        await db.delete(STORE, id);
      } catch (e) {
        throw storageError(e, `deleting run ${id}`);
      }
    },
    async update(id, patch) {
      const current = await store.get(id);
      if (!current) throw new Error(`no run ${id}`);
      if (patch.stage !== undefined && !STAGES.includes(patch.stage))
        throw new Error(`stage must be one of ${STAGES.join(', ')}`);
      const next = { ...current, ...patch } as RunRecord;
      await write(next, `the change to run "${current.name || id}"`);
      return next;
    },
    close() {
      db.close();
    },
  };
  return store;
}

// ---- export / import -------------------------------------------------------------------------------------------

type Typed = Float64Array | Float32Array | Int32Array;
const TYPED: Record<string, new (b: ArrayBuffer) => Typed> = { Float64Array, Float32Array, Int32Array };

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): ArrayBuffer {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out.buffer;
}

/** A run as the text of a JSON file; typed arrays become `{ $typed, base64 }`, NaN and ±Infinity `{ $number }`. */
export function exportRunJson(run: RunRecord): string {
  const checked = parseRun(run);
  if (!checked.ok) throw new RunFileError(`run ${run.id} cannot be exported: ${checked.message}`);
  return JSON.stringify({ format: RUN_FILE_FORMAT, version: RUN_FILE_VERSION, run: checked.run }, (_k, v) => {
    if (v instanceof Float64Array || v instanceof Float32Array || v instanceof Int32Array) {
      return { $typed: v.constructor.name, base64: toBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) };
    return v;
  });
}

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Parses an exported run file; a clear RunFileError names the file and the field that is wrong. */
export function importRunJson(text: string, fileName = 'run file'): RunRecord {
  let doc: unknown;
  try {
    doc = JSON.parse(text, (_k, v) => {
      if (v && typeof v === 'object' && typeof v.$typed === 'string' && typeof v.base64 === 'string') {
        const T = TYPED[v.$typed];
        if (!T) throw new RunFileError(`${fileName}: unknown array type ${v.$typed}`);
        let bytes: ArrayBuffer;
        try {
          bytes = fromBase64(v.base64);
        } catch {
          throw new RunFileError(`${fileName}: a ${v.$typed} is not valid base64`);
        }
        const size = (T as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
        if (bytes.byteLength % size !== 0)
          throw new RunFileError(
            `${fileName}: a ${v.$typed} holds ${bytes.byteLength} bytes, not a whole number of values`,
          );
        return new T(bytes);
      }
      if (v && typeof v === 'object' && typeof v.$number === 'string' && v.$number in NON_FINITE)
        return NON_FINITE[v.$number];
      return v;
    });
  } catch (e) {
    if (e instanceof RunFileError) throw e;
    throw new RunFileError(`${fileName} is not JSON: ${(e as Error).message}`);
  }
  const d = doc as { format?: unknown; version?: unknown; run?: unknown } | null;
  if (!d || typeof d !== 'object' || d.format !== RUN_FILE_FORMAT)
    throw new RunFileError(`${fileName} is not a PowerBidder run (format "${String(d?.format)}")`);
  if (!READABLE_VERSIONS.includes(d.version as number))
    throw new RunFileError(
      `${fileName} has run-file version ${String(d.version)}; this app reads versions ${READABLE_VERSIONS.join(' and ')}`,
    );
  if (!d.run || typeof d.run !== 'object') throw new RunFileError(`${fileName}: the file holds no run`);
  // Version 1 files could omit the bookkeeping fields; defaults fill them before the schema checks the rest.
  const defaults =
    d.version === 1
      ? {
          name: '',
          tags: [],
          modelName: '',
          stage: 'None',
          dataFile: '',
          dataFingerprint: '',
          backend: '',
          seconds: 0,
          stopReason: '',
          history: [],
        }
      : {};
  const r = parseRun({ ...defaults, ...(d.run as object) });
  if (!r.ok) throw new RunFileError(`${fileName} is not a valid run: ${r.message}`);
  // The one model loader (core/rl/model.ts): a NaN weight, a short array, a zero price std ... is refused here.
  if (r.run.model) {
    try {
      checkSavedModel(r.run.model, `${fileName}: model`);
    } catch (e) {
      if (e instanceof ModelFileError) throw new RunFileError(e.message);
      throw e;
    }
  }
  return r.run;
}

/**
 * Imports a run file into the store. A run whose id is already stored is imported as a copy (new id, name
 * "… (copy)"): an import never overwrites. Returns the stored run and, for a copy, the id it copies.
 */
export async function importRunFile(
  store: RunStore,
  text: string,
  fileName: string,
): Promise<{ run: RunRecord; copyOf?: string }> {
  return importRunRecord(store, importRunJson(text, fileName));
}

/** Stores an imported run, as a copy when its id is already stored (an import never overwrites). */
export async function importRunRecord(store: RunStore, run: RunRecord): Promise<{ run: RunRecord; copyOf?: string }> {
  if (!(await store.has(run.id))) {
    await store.put(run);
    return { run };
  }
  const { runs, damaged } = await store.list();
  const taken = new Set([...runs.map((r) => r.id), ...damaged.map((d) => d.key)]);
  let copy = asCopy(run, taken);
  while (await store.has(copy.id)) copy = asCopy(run, new Set([...taken, copy.id]));
  await store.put(copy);
  return { run: copy, copyOf: run.id };
}
