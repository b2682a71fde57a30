// Experiment tracking (what MLflow did for the original system): every training run is a record in IndexedDB with
// its parameters, per-iteration metrics, final evaluation, model weights and backtest trace. Typed arrays are stored
// natively (structured clone); export/import turns a run into a versioned JSON file and back.
//
// Usage: const store = await openRunStore(); await store.put(runFromResult(result, { id, createdAt, ... }));

import { openDB, type IDBPDatabase } from 'idb';
import type { Backtest, SavedModel, TrainProgress, TrainResult } from '../../../workers/trainer-api.ts';
import { ModelFileError, checkSavedModel } from '../../core/rl/model.ts';

export const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type Stage = (typeof STAGES)[number];

/** A stored training run. */
export interface RunRecord {
  id: string;
  /** Epoch ms, passed in by the caller. */
  createdAt: number;
  name: string;
  tags: string[];
  /** Registered model name (empty when not registered) and its stage. */
  modelName: string;
  stage: Stage;
  /** The price file the run trained on, and a fingerprint of its prices. */
  dataFile: string;
  dataFingerprint: string;
  backend: string;
  seconds: number;
  stopReason: string;
  params: Record<string, unknown>;
  history: TrainProgress[];
  evaluation: { profitEur: number; oracleProfitEur: number; shareOfOracle: number; equivalentCycles: number };
  model: SavedModel;
  backtest: Backtest;
}

/** What the runs table lists: the record without its heavy fields. */
export type RunSummary = Omit<RunRecord, 'model' | 'backtest' | 'history'> & { iterations: number };

/** Thrown for a run file that cannot be imported. */
export class RunFileError extends Error {}

const DB_NAME = 'powerbidder';
const STORE = 'runs';
export const RUN_FILE_FORMAT = 'powerbidder-run';
export const RUN_FILE_VERSION = 1;

/** FNV-1a over the bytes of the prices and the step length: the same data always gives the same fingerprint. */
export function dataFingerprint(pricesEurPerMWh: Float64Array, dtHours: number): string {
  const bytes = new Uint8Array(pricesEurPerMWh.buffer, pricesEurPerMWh.byteOffset, pricesEurPerMWh.byteLength);
  let h = 0x811c9dc5 ^ Math.round(dtHours * 3600);
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return `${(h >>> 0).toString(16).padStart(8, '0')}-${pricesEurPerMWh.length}`;
}

/** A run record from a trainer result. */
export function runFromResult(result: TrainResult, meta: { id: string; createdAt: number; name: string; dataFile: string; dataFingerprint: string; seconds: number }): RunRecord {
  const { profitEur, oracleProfitEur, shareOfOracle, equivalentCycles } = result.backtest;
  return {
    ...meta, tags: [], modelName: '', stage: 'None', backend: result.backend, stopReason: result.stopReason,
    params: result.params, history: result.history, evaluation: { profitEur, oracleProfitEur, shareOfOracle, equivalentCycles },
    model: result.model, backtest: result.backtest,
  };
}

function summary(r: RunRecord): RunSummary {
  const { model: _m, backtest: _b, history, ...rest } = r;
  return { ...rest, iterations: history.length };
}

export interface RunStore {
  put(run: RunRecord): Promise<void>;
  /** Summaries, newest first. */
  list(): Promise<RunSummary[]>;
  get(id: string): Promise<RunRecord | undefined>;
  delete(id: string): Promise<void>;
  update(id: string, patch: Partial<Pick<RunRecord, 'name' | 'tags' | 'modelName' | 'stage'>>): Promise<RunRecord>;
  close(): void;
}

/** Opens (creating if needed) the run store. */
export async function openRunStore(dbName = DB_NAME): Promise<RunStore> {
  const db: IDBPDatabase = await openDB(dbName, 1, {
    upgrade(d) {
      if (!d.objectStoreNames.contains(STORE)) d.createObjectStore(STORE, { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
    },
  });
  return {
    async put(run) {
      await db.put(STORE, run);
    },
    async list() {
      const all = (await db.getAll(STORE)) as RunRecord[];
      return all.sort((a, b) => b.createdAt - a.createdAt).map(summary);
    },
    async get(id) {
      return (await db.get(STORE, id)) as RunRecord | undefined;
    },
    async delete(id) {
      await db.delete(STORE, id);
    },
    async update(id, patch) {
      const tx = db.transaction(STORE, 'readwrite');
      const run = (await tx.store.get(id)) as RunRecord | undefined;
      if (!run) throw new Error(`no run ${id}`);
      if (patch.stage !== undefined && !STAGES.includes(patch.stage)) throw new Error(`stage must be one of ${STAGES.join(', ')}`);
      const next = { ...run, ...patch };
      await tx.store.put(next);
      await tx.done;
      return next;
    },
    close() {
      db.close();
    },
  };
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

/** A run as the text of a JSON file; typed arrays become `{ $typed, base64 }`. */
export function exportRunJson(run: RunRecord): string {
  return JSON.stringify({ format: RUN_FILE_FORMAT, version: RUN_FILE_VERSION, run }, (_k, v) => {
    if (v instanceof Float64Array || v instanceof Float32Array || v instanceof Int32Array) {
      return { $typed: v.constructor.name, base64: toBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
    }
    return v;
  });
}

/** Parses an exported run file; a clear RunFileError names what is wrong with it. */
export function importRunJson(text: string, fileName = 'run file'): RunRecord {
  let doc: unknown;
  try {
    doc = JSON.parse(text, (_k, v) => {
      if (v && typeof v === 'object' && typeof v.$typed === 'string' && typeof v.base64 === 'string') {
        const T = TYPED[v.$typed];
        if (!T) throw new RunFileError(`${fileName}: unknown array type ${v.$typed}`);
        return new T(fromBase64(v.base64));
      }
      return v;
    });
  } catch (e) {
    if (e instanceof RunFileError) throw e;
    throw new RunFileError(`${fileName} is not JSON: ${(e as Error).message}`);
  }
  const d = doc as { format?: unknown; version?: unknown; run?: Partial<RunRecord> };
  if (d?.format !== RUN_FILE_FORMAT) throw new RunFileError(`${fileName} is not a PowerBidder run (format "${String(d?.format)}")`);
  if (d.version !== RUN_FILE_VERSION) throw new RunFileError(`${fileName} has run-file version ${String(d.version)}; this app reads version ${RUN_FILE_VERSION}`);
  const r = d.run;
  const missing = (['id', 'createdAt', 'params', 'evaluation', 'model', 'backtest'] as const).filter((k) => r?.[k] === undefined);
  if (!r || missing.length) throw new RunFileError(`${fileName}: the run lacks ${missing.join(', ')}`);
  // The one model loader (core/rl/model.ts): a NaN weight, a short array, a zero price std ... is refused here.
  try {
    checkSavedModel(r.model, `${fileName}: model`);
  } catch (e) {
    if (e instanceof ModelFileError) throw new RunFileError(e.message);
    throw e;
  }
  return { name: '', tags: [], modelName: '', stage: 'None', dataFile: '', dataFingerprint: '', backend: '', seconds: 0, stopReason: '', history: [], ...r } as RunRecord;
}
