// The last price file the user loaded, kept in IndexedDB so that a reload (or a dev-server restart) does not lose
// it. Its own database, apart from the runs store: either can be cleared or migrated without the other.
//
// What is kept is the parsed series (typed arrays are stored natively by structured clone), not the file's bytes:
// restoring is then instant and needs no parse worker.
//
// Usage: const kept = await openDatasetStore(); await kept.save(series); const last = await kept.load();

import { type IDBPDatabase, openDB } from 'idb';
import type { ParseWarning, PriceSeries } from '../../core/prices/types.ts';

const DB_NAME = 'powerbidder-dataset';
const STORE = 'dataset';
const KEY = 'last';
/** Bumped when the record's shape changes; an older record is ignored rather than misread. */
export const KEPT_DATASET_VERSION = 1;

/** The stored record. */
export interface KeptDataset {
  version: number;
  /** Epoch ms when it was kept, passed in by the caller. */
  savedAt: number;
  series: PriceSeries;
}

/** Thrown when the browser refuses to store the series (quota, private mode, blocked storage). */
export class DatasetKeepError extends Error {
  constructor(
    message: string,
    readonly quota: boolean,
  ) {
    super(message);
    this.name = 'DatasetKeepError';
  }
}

export interface DatasetStore {
  /** Keeps `series` as the last dataset; throws DatasetKeepError when the browser refuses. */
  save(series: PriceSeries, savedAt: number): Promise<void>;
  /** The kept series, or null when none is kept (or the record is of another version or damaged). */
  load(): Promise<KeptDataset | null>;
  /** Forgets the kept series (the user chose a bundled sample). */
  clear(): Promise<void>;
  close(): void;
}

/** Checks a stored value is a usable series; anything else is treated as "nothing kept". */
export function readKept(value: unknown): KeptDataset | null {
  if (!value || typeof value !== 'object') return null;
  const r = value as Partial<KeptDataset>;
  if (r.version !== KEPT_DATASET_VERSION || !r.series || typeof r.savedAt !== 'number') return null;
  const s = r.series as Partial<PriceSeries>;
  if (!(s.timesUtcMs instanceof Float64Array) || !(s.pricesEurPerMWh instanceof Float64Array)) return null;
  if (s.timesUtcMs.length !== s.pricesEurPerMWh.length || s.timesUtcMs.length < 2) return null;
  if (typeof s.dtHours !== 'number' || !(s.dtHours > 0) || typeof s.source !== 'string') return null;
  const warnings: ParseWarning[] = Array.isArray(s.warnings) ? s.warnings : [];
  const fc = s.forecastColumn;
  const column =
    fc && typeof fc.name === 'string' && (fc.valuesEurPerMWh instanceof Float64Array || typeof fc.error === 'string')
      ? fc.valuesEurPerMWh && fc.valuesEurPerMWh.length !== s.timesUtcMs.length
        ? null
        : fc
      : null;
  return {
    version: r.version,
    savedAt: r.savedAt,
    series: {
      timesUtcMs: s.timesUtcMs,
      pricesEurPerMWh: s.pricesEurPerMWh,
      dtHours: s.dtHours,
      source: s.source,
      warnings,
      ...(column ? { forecastColumn: column } : {}),
      // The site columns (pv_kw, load_kw) when the file had them and they still fit the series.
      ...(s.pvKW instanceof Float64Array && s.pvKW.length === s.timesUtcMs.length ? { pvKW: s.pvKW } : {}),
      ...(s.loadKW instanceof Float64Array && s.loadKW.length === s.timesUtcMs.length ? { loadKW: s.loadKW } : {}),
    },
  };
}

/** The user-facing reason for a failed write: a full quota (Chrome, Firefox and Safari name it differently) or else. */
export function keepErrorOf(e: unknown): DatasetKeepError {
  const name = (e as { name?: string } | null)?.name ?? '';
  const message = (e as Error | null)?.message ?? String(e);
  const quota = name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || /quota/i.test(message);
  return new DatasetKeepError(
    quota ? `the browser's storage for this site is full (${message})` : `the browser refused to store it (${message})`,
    quota,
  );
}

/** Opens (creating if needed) the kept-dataset database. */
export async function openDatasetStore(): Promise<DatasetStore> {
  const db: IDBPDatabase = await openDB(DB_NAME, 1, {
    upgrade(d) {
      if (!d.objectStoreNames.contains(STORE)) d.createObjectStore(STORE);
    },
  });
  return {
    async save(series, savedAt) {
      const record: KeptDataset = {
        version: KEPT_DATASET_VERSION,
        savedAt,
        series: {
          timesUtcMs: series.timesUtcMs,
          pricesEurPerMWh: series.pricesEurPerMWh,
          dtHours: series.dtHours,
          source: series.source,
          warnings: series.warnings.map((w) => ({ ...w })),
          ...(series.forecastColumn ? { forecastColumn: { ...series.forecastColumn } } : {}),
          ...(series.pvKW ? { pvKW: series.pvKW } : {}),
          ...(series.loadKW ? { loadKW: series.loadKW } : {}),
        },
      };
      try {
        await db.put(STORE, record, KEY);
      } catch (e) {
        throw keepErrorOf(e);
      }
    },
    async load() {
      return readKept(await db.get(STORE, KEY));
    },
    async clear() {
      await db.delete(STORE, KEY);
    },
    close() {
      db.close();
    },
  };
}
