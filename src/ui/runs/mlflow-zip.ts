// The runs table's MLflow side: stored runs as an `mlruns` zip (MLflow's file store, src/core/mlflow, zipped with
// fflate) that `mlflow ui --backend-store-uri ./mlruns` opens where it is unzipped, and such a zip (ours, or a store
// MLflow wrote) back into run records. Registered runs (a stage other than None, or a model name) become versions
// of their model in `mlruns/models/`. A damaged or foreign zip throws a RunFileError naming the first wrong entry.
//
// Usage: const zip = runsToMlrunsZip(records, { nowMs }); const { runs, skipped } = mlrunsZipToRuns(bytes, name);

import { unzipSync, zipSync, type Zippable } from 'fflate';
import {
  type FileEntry,
  type MlflowExperiment,
  type MlflowModelVersion,
  type MlflowRegisteredModel,
  type MlflowRun,
  experimentIdForName,
  runIdFor,
  storeFiles,
} from '../../core/mlflow/layout.ts';
import { MlflowStoreError, readStore, stripStoreRoot } from '../../core/mlflow/read.ts';
import { KEPT_TAG, trainingFromMlflowRun, trainingToMlflowRun } from '../../core/mlflow/training.ts';
import { parseSavedModel, serializeSavedModel } from '../../core/rl/model.ts';
import { RunFileError, STAGES, type CompleteRun, type RunRecord, type Stage } from './store.ts';
import { keptSchema, runInputsSchema } from './schema.ts';

/** The experiment the page's runs go into. */
export const BROWSER_EXPERIMENT = 'PowerBidder';
/** The registered model a staged run goes into when it has no model name (the original system's). */
export const DEFAULT_MODEL_NAME = 'BatteryPPOModel';
/** The tag holding the record's inputs as JSON (MLflow tag values may be up to 5,000 characters; KEPT_TAG too). */
const INPUTS_TAG = 'powerbidder.inputs';

/** A JSON tag read back with its schema; a tag that does not parse is left out, with a note saying so. */
function jsonTag<T>(
  tags: Record<string, string>,
  key: string,
  schema: { safeParse(v: unknown): { success: boolean; data?: unknown } },
  note: (message: string) => void,
): T | undefined {
  const text = tags[key];
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    note(`tag ${key} is not JSON; imported without it`);
    return undefined;
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    note(`tag ${key} does not describe what it should; imported without it`);
    return undefined;
  }
  return r.data as T;
}

/** The folder inside the zip, and the store's root: artifact locations are relative to where it is unzipped. */
const ROOT = 'mlruns';

export interface MlflowExportOptions {
  nowMs: number;
  /** PNG charts of a run, when the page has them (the run on screen). */
  charts?: Map<string, { name: string; png: Uint8Array }[]>;
}

/** The runs as an MLflow file store: Default and PowerBidder experiments, the runs, the registry. */
export function runsToMlflowFiles(all: RunRecord[], opts: MlflowExportOptions): FileEntry[] {
  // An interrupted run has no evaluation (and maybe no model): MLflow gets finished runs; a run file keeps the rest.
  const records = all.filter((r): r is CompleteRun => r.status === 'complete');
  const experiment: MlflowExperiment = {
    experimentId: experimentIdForName(BROWSER_EXPERIMENT),
    name: BROWSER_EXPERIMENT,
    artifactLocation: '',
    lifecycleStage: 'active',
    creationTimeMs: Math.min(opts.nowMs, ...records.map((r) => r.createdAt)),
    lastUpdateTimeMs: opts.nowMs,
    tags: {},
  };
  experiment.artifactLocation = `./${ROOT}/${experiment.experimentId}`;
  const defaultExperiment: MlflowExperiment = {
    ...experiment,
    experimentId: '0',
    name: 'Default',
    artifactLocation: `./${ROOT}/0`,
  };
  const runs: MlflowRun[] = records.map((r) => {
    const elapsedMs = Math.round(1000 * (r.history.at(-1)?.elapsedS ?? 0));
    return trainingToMlflowRun({
      runId: runIdFor(r.id),
      experimentId: experiment.experimentId,
      artifactLocation: experiment.artifactLocation,
      runName: r.name || r.id,
      sourceName: 'PowerBidder (browser)',
      startTimeMs: r.createdAt - elapsedMs,
      endTimeMs: r.createdAt,
      status: r.stopReason === 'diverged' ? 'FAILED' : 'FINISHED',
      params: {
        backend: r.backend,
        seconds: r.seconds,
        ...r.params,
        data: {
          ...((r.params.data as Record<string, unknown>) ?? {}),
          file: r.dataFile,
          fingerprint: r.dataFingerprint,
        },
      },
      history: r.history,
      evaluation: r.evaluation,
      labels: r.tags,
      tags: {
        'powerbidder.runId': r.id,
        ...(r.stopReason ? { 'powerbidder.stopReason': r.stopReason } : {}),
        // What the page needs to reopen the run: the policy it kept and why, and the inputs it was trained on.
        ...(r.kept ? { [KEPT_TAG]: JSON.stringify(r.kept) } : {}),
        ...(r.inputs ? { [INPUTS_TAG]: JSON.stringify(r.inputs) } : {}),
      },
      modelJson: serializeSavedModel(r.model),
      trace: r.backtest.trace,
      charts: opts.charts?.get(r.id),
    });
  });
  // Registered runs, oldest first, are versions 1, 2, … of their model; an alias follows the newest active stage.
  const models = new Map<string, MlflowRegisteredModel>();
  const registered = records
    .map((r, i) => ({ r, run: runs[i] }))
    .filter(({ r }) => r.stage !== 'None' || r.modelName)
    .sort((a, b) => a.r.createdAt - b.r.createdAt);
  for (const { r, run } of registered) {
    const name = r.modelName || DEFAULT_MODEL_NAME;
    let m = models.get(name);
    if (!m)
      models.set(
        name,
        (m = {
          name,
          creationTimestampMs: r.createdAt,
          lastUpdatedTimestampMs: r.createdAt,
          description: null,
          tags: {},
          aliases: {},
          versions: [],
        }),
      );
    const v: MlflowModelVersion = {
      name,
      version: m.versions.length + 1,
      creationTimestampMs: r.createdAt,
      lastUpdatedTimestampMs: opts.nowMs,
      currentStage: r.stage,
      source: `${run.artifactUri}/model`,
      runId: run.runId,
      status: 'READY',
      description: null,
      userId: null,
      runLink: null,
      tags: {},
    };
    m.versions.push(v);
    m.lastUpdatedTimestampMs = opts.nowMs;
    if (r.stage === 'Staging' || r.stage === 'Production') m.aliases[r.stage.toLowerCase()] = v.version;
  }
  return storeFiles({ experiments: [defaultExperiment, experiment], runs, models: [...models.values()] });
}

/** The runs as the bytes of `mlruns.zip`. */
export function runsToMlrunsZip(records: RunRecord[], opts: MlflowExportOptions): Uint8Array {
  const tree: Zippable = {};
  // PNGs are stored as they are (deflating them gains nothing); everything else is deflated.
  for (const f of runsToMlflowFiles(records, opts))
    tree[`${ROOT}/${f.path}`] = f.path.endsWith('.png') ? [f.bytes, { level: 0 }] : f.bytes;
  return zipSync(tree, { level: 6, mtime: new Date(opts.nowMs) });
}

export interface MlflowImport {
  runs: RunRecord[];
  /** What was not imported, one line each, with the reason. */
  skipped: string[];
}

/** Reads an `mlruns` zip into run records; throws a RunFileError naming the first wrong entry. */
export function mlrunsZipToRuns(bytes: Uint8Array, fileName = 'zip file'): MlflowImport {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new RunFileError(`${fileName} is not a readable zip file (${(e as Error).message})`);
  }
  const all = Object.entries(files).map(([path, b]) => ({ path, bytes: b }));
  const { entries, root } = stripStoreRoot(all);
  let read;
  try {
    read = readStore(entries);
  } catch (e) {
    if (e instanceof MlflowStoreError) throw new RunFileError(`${fileName}: ${root}${e.message}`);
    throw e;
  }
  const { store, skipped } = read;
  if (!store.experiments.length) {
    const first = all.find((e) => !e.path.endsWith('/'))?.path;
    throw new RunFileError(
      `${fileName} is not an MLflow store: no experiment (<id>/meta.yaml)${first ? `; first entry ${first}` : ' (the zip is empty)'}`,
    );
  }
  const notes = skipped.map((s) => `${root}${s.path}: ${s.reason}`);
  // The newest registered version of each run gives its model name and stage.
  const registry = new Map<string, { modelName: string; stage: Stage; version: number }>();
  for (const m of store.models) {
    for (const v of m.versions) {
      if (!v.runId) continue;
      const had = registry.get(v.runId);
      if (!had || v.version > had.version)
        registry.set(v.runId, {
          modelName: m.name,
          stage: STAGES.includes(v.currentStage) ? v.currentStage : 'None',
          version: v.version,
        });
    }
  }
  const runs: RunRecord[] = [];
  for (const run of store.runs) {
    const where = `${root}${run.experimentId}/${run.runId}/`;
    const t = trainingFromMlflowRun(run);
    if (!t.ok) {
      notes.push(`${where} (${run.runName || 'unnamed'}): ${t.reason}`);
      continue;
    }
    let model;
    try {
      model = parseSavedModel(t.modelJson, `${fileName}: ${where}artifacts/model/model.json`).model;
    } catch (e) {
      throw new RunFileError((e as Error).message);
    }
    const data = (t.params.data as Record<string, unknown> | undefined) ?? {};
    const reg = registry.get(run.runId);
    const tagNote = (m: string) => notes.push(`${where} (${run.runName}): ${m}`);
    const kept = jsonTag<CompleteRun['kept']>(run.tags, KEPT_TAG, keptSchema, tagNote);
    const inputs = jsonTag<CompleteRun['inputs']>(run.tags, INPUTS_TAG, runInputsSchema, tagNote);
    const empty = new Float64Array(0);
    runs.push({
      status: 'complete',
      id: run.tags['powerbidder.runId'] || run.runId,
      createdAt: run.endTimeMs ?? run.startTimeMs,
      name: run.runName,
      tags: t.labels,
      modelName: reg?.modelName ?? '',
      stage: reg?.stage ?? 'None',
      dataFile: typeof data.file === 'string' ? data.file : '',
      dataFingerprint: typeof data.fingerprint === 'string' ? data.fingerprint : '',
      backend: typeof t.params.backend === 'string' ? t.params.backend : '',
      seconds: typeof t.params.seconds === 'number' ? t.params.seconds : 0,
      stopReason: run.tags['powerbidder.stopReason'] ?? '',
      params: t.params,
      history: t.history,
      evaluation: t.evaluation,
      ...(kept ? { kept } : {}),
      ...(inputs ? { inputs } : {}),
      model,
      backtest: {
        ...t.evaluation,
        trace: t.trace ?? {
          timesUtcMs: empty,
          pricesEurPerMWh: empty,
          actions: new Int32Array(0),
          socBeforeKWh: empty,
          socAfterKWh: empty,
          cashEur: empty,
          oracleSocKWh: empty,
        },
      },
    });
    if (!t.trace)
      notes.push(`${where} (${run.runName}): no backtest trace (artifacts/backtest/trace.csv); imported without one`);
  }
  return { runs, skipped: notes };
}
