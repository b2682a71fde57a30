// A sweep's `mlruns` brought into the page (a zip of the folder, or the folder's files) and turned into the report
// of `bess sweep-report`: the same readers (core/mlflow/read.ts) and the same aggregation (core/sweep). Run artifacts
// (models, traces) are not read: the report needs params, tags and metrics only, and a 1,000-run store's models
// would not fit a tab. A damaged or foreign store throws a SweepImportError naming the first wrong entry.
//
// Usage: const imported = sweepFromZip(bytes, 'mlruns.zip'); imported.report.configurations …

import { unzipSync } from 'fflate';
import type { FileEntry } from '../../core/mlflow/layout.ts';
import { MlflowStoreError, readStore, stripStoreRoot } from '../../core/mlflow/read.ts';
import { sweepNames, sweepReport, type SweepReport } from '../../core/sweep/mlflow.ts';

export class SweepImportError extends Error {
  override name = 'SweepImportError';
}

export interface SweepImport {
  /** The zip's or folder's name. */
  source: string;
  report: SweepReport;
  sweeps: string[];
  /** What was not read, one line each with the reason (as the runs table's MLflow import lists them). */
  notes: string[];
}

const RUN_PARTS = new Set(['artifacts', 'params', 'metrics', 'tags', 'inputs', 'meta.yaml']);

/** A file under `<experiment>/<run>/artifacts/` (maybe below a wrapping folder): not read for the report. */
export function isRunArtifact(path: string): boolean {
  const parts = path.replace(/^\.?\/+/, '').split('/');
  // The first run part after `<experiment>/<run>/` says what the file is (a metric may be named `artifacts/x`).
  const i = parts.findIndex((p, k) => k >= 2 && RUN_PARTS.has(p));
  return i >= 0 && parts[i] === 'artifacts' && i < parts.length - 1;
}

/** The report of a store given as its files (paths as in the folder, maybe under one wrapping folder). */
export function sweepFromEntries(files: FileEntry[], source: string): SweepImport {
  const all = files.filter((f) => !f.path.endsWith('/'));
  if (!all.length) throw new SweepImportError(`${source} is empty: expected an MLflow store (mlruns)`);
  const { entries, root } = stripStoreRoot(all.filter((f) => !isRunArtifact(f.path)));
  let read;
  try {
    read = readStore(entries);
  } catch (e) {
    if (e instanceof MlflowStoreError) throw new SweepImportError(`${source}: ${root}${e.message}`);
    throw e;
  }
  const { store, skipped } = read;
  if (!store.experiments.length)
    throw new SweepImportError(
      `${source} is not an MLflow store: no experiment (<id>/meta.yaml); first entry ${all[0].path}`,
    );
  const report = sweepReport(store);
  if (!report.runs)
    throw new SweepImportError(
      `${source}: no sweep runs (runs tagged powerbidder.sweep.name, which bess sweep writes) among its ` +
        `${store.runs.length} run${store.runs.length === 1 ? '' : 's'} in ${store.experiments.length} experiment` +
        `${store.experiments.length === 1 ? '' : 's'}`,
    );
  return {
    source,
    report,
    sweeps: sweepNames(store),
    notes: skipped.map((s) => `${root}${s.path}: ${s.reason}`),
  };
}

/** The report of a zipped store. */
export function sweepFromZip(bytes: Uint8Array, fileName: string): SweepImport {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => !isRunArtifact(f.name) });
  } catch (e) {
    throw new SweepImportError(`${fileName} is not a readable zip file (${(e as Error).message})`);
  }
  return sweepFromEntries(
    Object.entries(files).map(([path, b]) => ({ path, bytes: b })),
    fileName,
  );
}

// The report kept across reloads as JSON: NaN (a configuration with no finished seed) is not JSON, so non-finite
// numbers are written as {"$number": "NaN"} and read back as numbers.
const NUMBER_KEY = '$number';

/** The import as JSON text that keeps NaN and ±Infinity. */
export function encodeImport(x: SweepImport): string {
  return JSON.stringify(x, (_, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? { [NUMBER_KEY]: String(v) } : v,
  );
}

/** encodeImport's text back; null when it is not one (another version's, or damaged). */
export function decodeImport(text: string | null): SweepImport | null {
  if (!text) return null;
  try {
    const x = JSON.parse(text, (_, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && NUMBER_KEY in v
        ? Number((v as Record<string, string>)[NUMBER_KEY])
        : v,
    ) as SweepImport;
    return typeof x?.source === 'string' && Array.isArray(x.report?.configurations) && Array.isArray(x.sweeps)
      ? x
      : null;
  } catch {
    return null;
  }
}
