// Reads an MLflow file store given as {path, bytes} entries (a zip's files, a folder's files) back into experiments,
// runs and registered models, by the rules of MLflow's own FileStore readers. What MLflow keeps but we do not use
// (datasets, inputs, traces, logged models, .trash, deleted model versions) is skipped and listed; a file that is
// part of the layout but damaged (YAML that does not parse, a wrong type, a malformed metric line, ids that
// disagree) throws an MlflowStoreError naming that entry.
//
// Usage: const { store, skipped } = readStore(stripStoreRoot(entries));

import { parseDocument } from 'yaml';
import {
  MODEL_STAGES,
  RUN_STATUS,
  type FileEntry,
  type LifecycleStage,
  type MlflowExperiment,
  type MlflowMetricPoint,
  type MlflowModelVersion,
  type MlflowStore,
  type ModelStage,
  type RunStatusName,
} from './layout.ts';
import { utf8 } from './text.ts';

/** A damaged or foreign store; `entry` is the first path found wrong. */
export class MlflowStoreError extends Error {
  constructor(
    readonly entry: string,
    what: string,
  ) {
    super(`${entry}: ${what}`);
  }
}

/** Something present that was not read, and why. */
export interface Skipped {
  path: string;
  reason: string;
}

export interface ReadResult {
  store: MlflowStore;
  skipped: Skipped[];
}

/** Experiment sub-folders that are not runs (FileStore.RESERVED_EXPERIMENT_FOLDERS, plus MLflow 3's logged models). */
const EXPERIMENT_FOLDERS_SKIPPED: Record<string, string> = {
  datasets: 'datasets logged with runs are not used',
  traces: 'traces are not used',
  models: 'logged models (MLflow 3) are not used; run artifacts are',
};

/**
 * Drops the folder that wraps a store (a zip of `mlruns/`): while every entry shares a first segment that is not
 * itself an experiment, registry or trash folder, it is removed. Directory entries (ending in `/`) are dropped.
 */
export function stripStoreRoot(entries: FileEntry[]): { entries: FileEntry[]; root: string } {
  let files = entries
    .filter((e) => !e.path.endsWith('/'))
    .map((e) => ({ path: e.path.replace(/^\.?\/+/, ''), bytes: e.bytes }));
  let root = '';
  for (;;) {
    const firsts = new Set(files.map((e) => e.path.split('/')[0]));
    if (firsts.size !== 1 || files.some((e) => !e.path.includes('/'))) break;
    const [first] = firsts;
    if (first === 'models' || first === '.trash' || files.some((e) => e.path === `${first}/meta.yaml`)) break;
    root += first + '/';
    files = files.map((e) => ({ path: e.path.slice(first.length + 1), bytes: e.bytes }));
  }
  return { entries: files, root };
}

function text(e: FileEntry): string {
  try {
    return utf8.decode(e.bytes);
  } catch {
    throw new MlflowStoreError(e.path, 'is not UTF-8 text');
  }
}

/** read_yaml with a safe loader: a mapping, or a clear error. */
function yamlMap(e: FileEntry): Record<string, unknown> {
  const doc = parseDocument(text(e), { version: '1.1', prettyErrors: false });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw new MlflowStoreError(e.path, `is not valid YAML (${problem.message.split('\n')[0]})`);
  const v: unknown = doc.toJS();
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new MlflowStoreError(e.path, 'is not a YAML mapping');
  return v as Record<string, unknown>;
}

function str(
  e: FileEntry,
  m: Record<string, unknown>,
  key: string,
  opt: { optional?: boolean; nullable?: boolean } = {},
): string | null {
  const v = m[key];
  if (v === undefined && opt.optional) return null;
  if (v === null && (opt.nullable || opt.optional)) return null;
  if (typeof v === 'string') return v;
  throw new MlflowStoreError(e.path, `${key} must be a string, found ${JSON.stringify(v) ?? 'nothing'}`);
}

function int(e: FileEntry, m: Record<string, unknown>, key: string, opt: { optional?: boolean } = {}): number | null {
  const v = m[key];
  if ((v === undefined || v === null) && opt.optional) return null;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new MlflowStoreError(e.path, `${key} must be an integer, found ${JSON.stringify(v) ?? 'nothing'}`);
}

/** experiment_id was once an int; MLflow casts legacy ones to str. */
function experimentId(e: FileEntry, m: Record<string, unknown>): string {
  const v = m.experiment_id;
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  if (typeof v === 'string' && v.length) return v;
  throw new MlflowStoreError(e.path, `experiment_id must be a string, found ${JSON.stringify(v) ?? 'nothing'}`);
}

function lifecycle(e: FileEntry, m: Record<string, unknown>): LifecycleStage {
  const v = m.lifecycle_stage ?? 'active';
  if (v === 'active' || v === 'deleted') return v;
  throw new MlflowStoreError(e.path, `lifecycle_stage must be active or deleted, found ${JSON.stringify(v)}`);
}

const STATUS_BY_CODE = new Map(Object.entries(RUN_STATUS).map(([k, v]) => [v as number, k as RunStatusName]));

/** `ts value [step]` lines (FileStore._get_metric_from_line: two fields are an old file's, step 0). */
function metricPoints(e: FileEntry): MlflowMetricPoint[] {
  const lines = text(e).split('\n');
  const out: MlflowMetricPoint[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const parts = line.split(' ');
    const bad = (what: string) => new MlflowStoreError(`${e.path}`, `line ${i + 1} ${JSON.stringify(line)}: ${what}`);
    if (parts.length !== 2 && parts.length !== 3)
      throw bad(`expected "<timestamp_ms> <value> <step>", found ${parts.length} fields`);
    const ts = Number(parts[0]);
    const step = parts.length === 3 ? Number(parts[2]) : 0;
    if (!/^-?\d+$/.test(parts[0]) || !Number.isSafeInteger(ts)) throw bad('timestamp is not an integer');
    if (parts.length === 3 && (!/^-?\d+$/.test(parts[2]) || !Number.isSafeInteger(step)))
      throw bad('step is not an integer');
    out.push({ timestampMs: ts, value: pyFloat(parts[1], bad), step });
  });
  if (!out.length) throw new MlflowStoreError(e.path, 'metric file has no data');
  return out;
}

/** Python's float(): decimals, exponents, nan, inf, infinity (any case). */
function pyFloat(s: string, bad: (what: string) => Error): number {
  const l = s.toLowerCase();
  if (/^[+-]?nan$/.test(l)) return NaN;
  if (/^[+-]?inf(inity)?$/.test(l)) return l.startsWith('-') ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(l)) throw bad(`value ${JSON.stringify(s)} is not a number`);
  return Number(l);
}

interface RunDraft {
  metaEntry?: FileEntry;
  params: Record<string, string>;
  tags: Record<string, string>;
  metrics: Record<string, MlflowMetricPoint[]>;
  artifacts: FileEntry[];
  firstPath: string;
}

interface ModelDraft {
  metaEntry?: FileEntry;
  tags: Record<string, string>;
  aliases: Record<string, FileEntry>;
  versions: Map<string, { metaEntry?: FileEntry; tags: Record<string, string>; firstPath: string }>;
  firstPath: string;
}

/** Reads a store from its files (paths relative to the store root; see stripStoreRoot). */
export function readStore(input: FileEntry[]): ReadResult {
  const entries = [...input]
    .filter((e) => !e.path.endsWith('/'))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const skipped: Skipped[] = [];
  const skip = (path: string, reason: string) => skipped.push({ path, reason });
  const experiments = new Map<
    string,
    { metaEntry?: FileEntry; tags: Record<string, string>; runs: Map<string, RunDraft>; firstPath: string }
  >();
  const models = new Map<string, ModelDraft>();
  const skippedPrefixes = new Set<string>();
  const skipOnce = (prefix: string, reason: string) => {
    if (!skippedPrefixes.has(prefix)) {
      skippedPrefixes.add(prefix);
      skip(prefix, reason);
    }
  };

  // 1. Sort every file into its experiment, run or registered model.
  for (const e of entries) {
    const parts = e.path.split('/');
    if (parts.some((p) => p === '..' || p === ''))
      throw new MlflowStoreError(e.path, 'path is not a plain relative path');
    const [top, ...rest] = parts;
    if (rest.length === 0) {
      skip(e.path, 'a file at the store root is not part of the layout');
      continue;
    }
    if (top === '.trash') {
      skipOnce(`.trash/${rest[0]}${rest.length > 1 ? '/' : ''}`, 'deleted experiment (in .trash)');
      continue;
    }
    if (top === 'models') {
      const [name, ...mrest] = rest;
      if (mrest.length === 0) {
        skip(e.path, 'a file directly in models/ is not a registered model');
        continue;
      }
      let m = models.get(name);
      if (!m) models.set(name, (m = { tags: {}, aliases: {}, versions: new Map(), firstPath: e.path }));
      const [head, ...vrest] = mrest;
      if (head === 'meta.yaml' && vrest.length === 0) m.metaEntry = e;
      else if (head === 'tags' && vrest.length) m.tags[vrest.join('/')] = text(e);
      else if (head === 'aliases' && vrest.length) m.aliases[vrest.join('/')] = e;
      else if (head.startsWith('version-') && vrest.length) {
        let v = m.versions.get(head);
        if (!v) m.versions.set(head, (v = { tags: {}, firstPath: e.path }));
        if (vrest.length === 1 && vrest[0] === 'meta.yaml') v.metaEntry = e;
        else if (vrest[0] === 'tags' && vrest.length > 1) v.tags[vrest.slice(1).join('/')] = text(e);
        else skip(e.path, 'not part of a model version');
      } else skip(e.path, 'not part of a registered model');
      continue;
    }
    if (top.startsWith('.')) {
      skipOnce(`${top}/`, 'hidden folder (not an experiment)');
      continue;
    }
    let x = experiments.get(top);
    if (!x) experiments.set(top, (x = { tags: {}, runs: new Map(), firstPath: e.path }));
    const [head, ...rrest] = rest;
    if (rrest.length === 0) {
      if (head === 'meta.yaml') x.metaEntry = e;
      else skip(e.path, 'a file in an experiment folder that is not meta.yaml');
      continue;
    }
    if (head === 'tags') {
      x.tags[rrest.join('/')] = text(e);
      continue;
    }
    if (EXPERIMENT_FOLDERS_SKIPPED[head]) {
      skipOnce(`${top}/${head}/`, EXPERIMENT_FOLDERS_SKIPPED[head]);
      continue;
    }
    if (head.startsWith('.')) {
      skipOnce(`${top}/${head}/`, 'hidden folder (a run being written, or not a run)');
      continue;
    }
    let r = x.runs.get(head);
    if (!r) x.runs.set(head, (r = { params: {}, tags: {}, metrics: {}, artifacts: [], firstPath: e.path }));
    const [kind, ...krest] = rrest;
    const key = krest.join('/');
    if (kind === 'meta.yaml' && krest.length === 0) r.metaEntry = e;
    else if (kind === 'params' && key) r.params[key] = text(e);
    else if (kind === 'tags' && key) r.tags[key] = text(e);
    else if (kind === 'metrics' && key) r.metrics[key] = metricPoints(e);
    else if (kind === 'artifacts' && key) r.artifacts.push({ path: key, bytes: e.bytes });
    else if (kind === 'inputs') skipOnce(`${top}/${head}/inputs/`, 'dataset inputs are not used');
    else skip(e.path, 'not part of a run');
  }

  const dropSkippedUnder = (prefix: string) => {
    for (let i = skipped.length - 1; i >= 0; i--) if (skipped[i].path.startsWith(prefix)) skipped.splice(i, 1);
  };

  // 2. Experiments and their runs, from their meta.yaml files.
  const store: MlflowStore = { experiments: [], runs: [], models: [] };
  for (const [dir, x] of experiments) {
    if (!x.metaEntry) {
      // FileStore.search_experiments warns about a malformed experiment and goes on.
      dropSkippedUnder(`${dir}/`);
      skip(`${dir}/`, `not an MLflow experiment (no ${dir}/meta.yaml)`);
      continue;
    }
    const me = x.metaEntry;
    const m = yamlMap(me);
    const id = experimentId(me, m);
    if (id !== dir) throw new MlflowStoreError(me.path, `experiment_id '${id}' does not match its folder '${dir}'`);
    const exp: MlflowExperiment = {
      experimentId: id,
      name: str(me, m, 'name')!,
      artifactLocation: str(me, m, 'artifact_location')!,
      lifecycleStage: lifecycle(me, m),
      creationTimeMs: int(me, m, 'creation_time', { optional: true }),
      lastUpdateTimeMs: int(me, m, 'last_update_time', { optional: true }),
      tags: x.tags,
    };
    store.experiments.push(exp);
    for (const [runDir, r] of x.runs) {
      if (!r.metaEntry) {
        // _list_run_infos: a folder without meta.yaml is not a run (an artifact folder in the same store).
        dropSkippedUnder(`${dir}/${runDir}/`);
        skip(`${dir}/${runDir}/`, 'not a run (no meta.yaml)');
        continue;
      }
      const re = r.metaEntry;
      const rm = yamlMap(re);
      const runId = str(re, rm, 'run_id', { optional: true }) ?? str(re, rm, 'run_uuid');
      if (runId !== runDir)
        throw new MlflowStoreError(re.path, `run_id '${runId}' does not match its folder '${runDir}'`);
      const runExp = experimentId(re, rm);
      if (runExp !== dir)
        throw new MlflowStoreError(re.path, `experiment_id '${runExp}' does not match the experiment folder '${dir}'`);
      const code = rm.status ?? RUN_STATUS.RUNNING;
      const status = typeof code === 'number' ? STATUS_BY_CODE.get(code) : undefined;
      if (!status)
        throw new MlflowStoreError(re.path, `status must be a RunStatus code 1-5, found ${JSON.stringify(code)}`);
      const userId = str(re, rm, 'user_id', { optional: true }) ?? '';
      store.runs.push({
        runId: runId!,
        experimentId: dir,
        runName: str(re, rm, 'run_name', { optional: true }) ?? r.tags['mlflow.runName'] ?? '',
        userId,
        status,
        startTimeMs: int(re, rm, 'start_time')!,
        endTimeMs: int(re, rm, 'end_time', { optional: true }),
        lifecycleStage: lifecycle(re, rm),
        artifactUri: str(re, rm, 'artifact_uri', { optional: true }) ?? '',
        params: r.params,
        tags: r.tags,
        metrics: r.metrics,
        artifacts: r.artifacts,
      });
    }
  }

  // 3. The registry.
  for (const [dir, md] of models) {
    if (!md.metaEntry)
      throw new MlflowStoreError(md.firstPath, `registered model folder without models/${dir}/meta.yaml`);
    const me = md.metaEntry;
    const m = yamlMap(me);
    const name = str(me, m, 'name')!;
    if (name !== dir) throw new MlflowStoreError(me.path, `name '${name}' does not match its folder '${dir}'`);
    const versions: MlflowModelVersion[] = [];
    for (const [vdir, vd] of md.versions) {
      if (!vd.metaEntry)
        throw new MlflowStoreError(vd.firstPath, `model version folder without models/${dir}/${vdir}/meta.yaml`);
      const ve = vd.metaEntry;
      const v = yamlMap(ve);
      const num = typeof v.version === 'string' && /^\d+$/.test(v.version) ? Number(v.version) : int(ve, v, 'version')!;
      if (`version-${num}` !== vdir)
        throw new MlflowStoreError(ve.path, `version ${num} does not match its folder '${vdir}'`);
      const stage = str(ve, v, 'current_stage', { optional: true }) ?? 'None';
      if (stage === 'Deleted_Internal') {
        skip(`models/${dir}/${vdir}/`, 'deleted model version');
        continue;
      }
      const canonical = MODEL_STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
      if (!canonical)
        throw new MlflowStoreError(
          ve.path,
          `current_stage must be one of ${MODEL_STAGES.join(', ')}, found '${stage}'`,
        );
      const status = str(ve, v, 'status', { optional: true }) ?? 'READY';
      if (status !== 'READY' && status !== 'PENDING_REGISTRATION' && status !== 'FAILED_REGISTRATION')
        throw new MlflowStoreError(ve.path, `status '${status}' is not a model version status`);
      versions.push({
        name,
        version: num,
        creationTimestampMs: int(ve, v, 'creation_timestamp')!,
        lastUpdatedTimestampMs:
          int(ve, v, 'last_updated_timestamp', { optional: true }) ?? int(ve, v, 'creation_timestamp')!,
        currentStage: canonical as ModelStage,
        source: str(ve, v, 'storage_location', { optional: true }) ?? str(ve, v, 'source')!,
        runId: str(ve, v, 'run_id', { optional: true }),
        status,
        description: str(ve, v, 'description', { optional: true }),
        userId: str(ve, v, 'user_id', { optional: true }),
        runLink: str(ve, v, 'run_link', { optional: true }),
        tags: vd.tags,
      });
    }
    versions.sort((a, b) => a.version - b.version);
    const aliases: Record<string, number> = {};
    for (const [alias, e] of Object.entries(md.aliases)) {
      const t = text(e).trim();
      if (!/^\d+$/.test(t))
        throw new MlflowStoreError(e.path, `an alias holds a version number, found ${JSON.stringify(t)}`);
      aliases[alias] = Number(t);
    }
    store.models.push({
      name,
      creationTimestampMs: int(me, m, 'creation_timestamp')!,
      lastUpdatedTimestampMs:
        int(me, m, 'last_updated_timestamp', { optional: true }) ?? int(me, m, 'creation_timestamp')!,
      description: str(me, m, 'description', { optional: true }),
      tags: md.tags,
      aliases,
      versions,
    });
  }
  return { store, skipped };
}

/** The model version a `models:/` URI names: `models:/NAME/STAGE`, `models:/NAME/VERSION`, `models:/NAME@ALIAS`. */
export function resolveModelUri(store: MlflowStore, uri: string): MlflowModelVersion {
  const m = /^models:\/([^/@]+)(?:\/([^/]+)|@(.+))$/.exec(uri);
  if (!m) throw new Error(`${uri}: expected models:/NAME/STAGE, models:/NAME/VERSION or models:/NAME@ALIAS`);
  const [, name, which, alias] = m;
  const model = store.models.find((x) => x.name === name);
  if (!model)
    throw new Error(
      `${uri}: no registered model named '${name}'${store.models.length ? ` (registered: ${store.models.map((x) => x.name).join(', ')})` : ''}`,
    );
  let version: MlflowModelVersion | undefined;
  if (alias !== undefined) {
    const n = model.aliases[alias];
    if (n === undefined) throw new Error(`${uri}: model '${name}' has no alias '${alias}'`);
    version = model.versions.find((v) => v.version === n);
  } else if (/^\d+$/.test(which)) {
    version = model.versions.find((v) => v.version === Number(which));
  } else if (which.toLowerCase() === 'latest') {
    version = model.versions.at(-1);
  } else {
    const stage = MODEL_STAGES.find((s) => s.toLowerCase() === which.toLowerCase());
    if (!stage)
      throw new Error(`${uri}: '${which}' is not a stage (${MODEL_STAGES.join(', ')}), a version number or 'latest'`);
    // get_latest_versions: the highest version in that stage.
    version = model.versions.filter((v) => v.currentStage === stage).at(-1);
  }
  if (!version) throw new Error(`${uri}: no such version of '${name}'`);
  return version;
}
