// MLflow's file store as plain data: experiments, runs and the model registry turned into {path, bytes} entries laid
// out exactly as mlflow/store/tracking/file_store.py and mlflow/store/model_registry/file_store.py write them
// (MLflow 2.x, read by 3.x): `<experiment_id>/meta.yaml`, `<experiment_id>/<run_id>/{meta.yaml, params/, tags/,
// metrics/, artifacts/}`, `models/<name>/{meta.yaml, version-<N>/meta.yaml, aliases/, tags/}`. Paths are relative to
// the store root (the `mlruns` folder); a metric, param or tag key with `/` (`charts/SPS`) is a nested file, as there.
//
// Usage: const files = storeFiles({ experiments: [exp], runs: [run], models: [] });  // then write or zip them

import { stringify } from 'yaml';
import { utf8 } from './text.ts';

/** One file of the store: a path relative to the store root and its bytes. */
export interface FileEntry {
  path: string;
  bytes: Uint8Array;
}

/** mlflow/entities/run_status.py: the integer codes meta.yaml stores. */
export const RUN_STATUS = { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 } as const;
export type RunStatusName = keyof typeof RUN_STATUS;

/** mlflow/entities/source_type.py; _make_persisted_run_info_dict always writes LOCAL. */
export const SOURCE_TYPE_LOCAL = 4;

/** mlflow/entities/model_registry/model_version_stages.py. */
export const MODEL_STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];

export type LifecycleStage = 'active' | 'deleted';

export interface MlflowExperiment {
  /** A string of digits ('0' is the Default experiment); written quoted. */
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTimeMs: number | null;
  lastUpdateTimeMs: number | null;
  /** Experiment tags (`<id>/tags/<key>`). */
  tags: Record<string, string>;
}

export interface MlflowMetricPoint {
  timestampMs: number;
  value: number;
  step: number;
}

export interface MlflowRun {
  /** 32 lowercase hex digits (uuid4().hex). */
  runId: string;
  experimentId: string;
  runName: string;
  userId: string;
  status: RunStatusName;
  startTimeMs: number;
  endTimeMs: number | null;
  lifecycleStage: LifecycleStage;
  /** `<artifact_location>/<run_id>/artifacts`. */
  artifactUri: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  metrics: Record<string, MlflowMetricPoint[]>;
  /** Paths relative to the run's artifacts/ folder. */
  artifacts: FileEntry[];
}

export interface MlflowModelVersion {
  name: string;
  version: number;
  creationTimestampMs: number;
  lastUpdatedTimestampMs: number;
  currentStage: ModelStage;
  /** Where the model's artifacts are: `<artifact_uri>/model`. */
  source: string;
  runId: string | null;
  status: 'READY' | 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION';
  description: string | null;
  userId: string | null;
  runLink: string | null;
  tags: Record<string, string>;
}

export interface MlflowRegisteredModel {
  name: string;
  creationTimestampMs: number;
  lastUpdatedTimestampMs: number;
  description: string | null;
  tags: Record<string, string>;
  /** Alias → version (`aliases/<alias>` holds the version number). */
  aliases: Record<string, number>;
  versions: MlflowModelVersion[];
}

export interface MlflowStore {
  experiments: MlflowExperiment[];
  runs: MlflowRun[];
  models: MlflowRegisteredModel[];
}

/** A run id as MLflow makes them: 32 lowercase hex digits. */
export const RUN_ID_PATTERN = /^[0-9a-f]{32}$/;

/** mlflow/utils/validation.py: names of params, metrics and tags (letters, digits, _ - . space /; no `..`, not absolute). */
export function isValidKey(key: string): boolean {
  return (
    key.length > 0 &&
    key.length <= 250 &&
    /^[\w\-. /]+$/.test(key) &&
    !key.split('/').some((p) => p === '' || p === '.' || p === '..')
  );
}

/** Model names may not contain a path separator or `%` (model_registry/file_store.py). */
export function isValidModelName(name: string): boolean {
  return name.length > 0 && !/[/\\%]/.test(name) && name !== '.' && name !== '..';
}

/**
 * PyYAML's safe_dump as write_yaml calls it (sorted keys, block style) as near as the `yaml` library gets: YAML 1.1
 * quoting (so `'0'`, `'yes'`, `'1e5'` stay strings for MLflow's YAML 1.1 loader), single quotes, no line folding.
 */
export function dumpYaml(data: Record<string, unknown>): string {
  return stringify(data, { sortMapEntries: true, singleQuote: true, lineWidth: 0, version: '1.1', nullStr: 'null' });
}

/**
 * A float as Python's repr writes it (MLflow formats metric values with f"{value}"): shortest round-trip digits,
 * `.0` on integers, exponent form below 1e-4 and from 1e16 with a two-digit signed exponent, nan/inf.
 */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mant, expStr] = Math.abs(x).toExponential().split('e');
  const exp = Number(expStr);
  const digits = mant.replace('.', '');
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac || '0'}`;
}

/** `<timestamp_ms> <value> <step>\n` per point, as FileStore._log_run_metric appends them. */
export function metricLines(points: readonly MlflowMetricPoint[]): string {
  return points.map((p) => `${Math.round(p.timestampMs)} ${pythonFloat(p.value)} ${Math.round(p.step)}\n`).join('');
}

/** The experiment's meta.yaml fields (Experiment's properties less tags). */
export function experimentMeta(e: MlflowExperiment): Record<string, unknown> {
  return {
    artifact_location: e.artifactLocation,
    creation_time: e.creationTimeMs,
    experiment_id: e.experimentId,
    last_update_time: e.lastUpdateTimeMs,
    lifecycle_stage: e.lifecycleStage,
    name: e.name,
  };
}

/** The run's meta.yaml fields: RunInfo's properties plus what _make_persisted_run_info_dict adds, status as its code. */
export function runMeta(r: MlflowRun): Record<string, unknown> {
  return {
    artifact_uri: r.artifactUri,
    deleted_time: null,
    end_time: r.endTimeMs,
    entry_point_name: '',
    experiment_id: r.experimentId,
    lifecycle_stage: r.lifecycleStage,
    run_id: r.runId,
    run_name: r.runName,
    run_uuid: r.runId,
    source_name: '',
    source_type: SOURCE_TYPE_LOCAL,
    source_version: '',
    start_time: r.startTimeMs,
    status: RUN_STATUS[r.status],
    tags: [],
    user_id: r.userId,
  };
}

/** A registered model's meta.yaml (RegisteredModel's properties less tags and latest_versions). */
export function registeredModelMeta(m: MlflowRegisteredModel): Record<string, unknown> {
  return {
    aliases: Object.fromEntries(Object.entries(m.aliases).map(([k, v]) => [k, String(v)])),
    creation_timestamp: m.creationTimestampMs,
    description: m.description,
    last_updated_timestamp: m.lastUpdatedTimestampMs,
    name: m.name,
  };
}

/** A model version's meta.yaml (FileModelVersion's properties less tags). */
export function modelVersionMeta(v: MlflowModelVersion): Record<string, unknown> {
  return {
    aliases: [],
    creation_timestamp: v.creationTimestampMs,
    current_stage: v.currentStage,
    description: v.description,
    last_updated_timestamp: v.lastUpdatedTimestampMs,
    name: v.name,
    run_id: v.runId,
    run_link: v.runLink,
    source: v.source,
    status: v.status,
    status_message: null,
    storage_location: v.source,
    user_id: v.userId,
    version: v.version,
  };
}

function keyed(prefix: string, kind: string, values: Record<string, string>): FileEntry[] {
  return Object.entries(values).map(([k, v]) => {
    if (!isValidKey(k)) throw new Error(`${kind} key ${JSON.stringify(k)} is not a valid MLflow name`);
    // write_to: the value with no trailing newline.
    return { path: `${prefix}/${k}`, bytes: utf8.encode(v) };
  });
}

/** `<id>/meta.yaml` and `<id>/tags/<key>`. */
export function experimentFiles(e: MlflowExperiment): FileEntry[] {
  if (!/^[0-9A-Za-z][\w-]{0,63}$/.test(e.experimentId))
    throw new Error(`experiment id ${JSON.stringify(e.experimentId)} is not valid`);
  return [
    { path: `${e.experimentId}/meta.yaml`, bytes: utf8.encode(dumpYaml(experimentMeta(e))) },
    ...keyed(`${e.experimentId}/tags`, 'experiment tag', e.tags),
  ];
}

/** Everything of one run under `<experiment_id>/<run_id>/`. */
export function runFiles(r: MlflowRun): FileEntry[] {
  if (!RUN_ID_PATTERN.test(r.runId)) throw new Error(`run id ${JSON.stringify(r.runId)} is not 32 hex digits`);
  const dir = `${r.experimentId}/${r.runId}`;
  const out: FileEntry[] = [{ path: `${dir}/meta.yaml`, bytes: utf8.encode(dumpYaml(runMeta(r))) }];
  out.push(...keyed(`${dir}/params`, 'param', r.params));
  out.push(...keyed(`${dir}/tags`, 'tag', r.tags));
  for (const [k, points] of Object.entries(r.metrics)) {
    if (!isValidKey(k)) throw new Error(`metric key ${JSON.stringify(k)} is not a valid MLflow name`);
    if (points.length) out.push({ path: `${dir}/metrics/${k}`, bytes: utf8.encode(metricLines(points)) });
  }
  for (const a of r.artifacts) {
    if (!isValidKey(a.path)) throw new Error(`artifact path ${JSON.stringify(a.path)} is not valid`);
    out.push({ path: `${dir}/artifacts/${a.path}`, bytes: a.bytes });
  }
  return out;
}

/** `models/<name>/meta.yaml`, `version-<N>/meta.yaml` (+ tags), `aliases/<alias>`, `tags/<key>`. */
export function registeredModelFiles(m: MlflowRegisteredModel): FileEntry[] {
  if (!isValidModelName(m.name)) throw new Error(`model name ${JSON.stringify(m.name)} is not valid (no / \\ or %)`);
  const dir = `models/${m.name}`;
  const out: FileEntry[] = [{ path: `${dir}/meta.yaml`, bytes: utf8.encode(dumpYaml(registeredModelMeta(m))) }];
  out.push(...keyed(`${dir}/tags`, 'model tag', m.tags));
  for (const [alias, v] of Object.entries(m.aliases))
    out.push({ path: `${dir}/aliases/${alias}`, bytes: utf8.encode(String(v)) });
  for (const v of m.versions) {
    out.push({ path: `${dir}/version-${v.version}/meta.yaml`, bytes: utf8.encode(dumpYaml(modelVersionMeta(v))) });
    out.push(...keyed(`${dir}/version-${v.version}/tags`, 'model version tag', v.tags));
  }
  return out;
}

/** All files of a store. */
export function storeFiles(s: MlflowStore): FileEntry[] {
  return [
    ...s.experiments.flatMap(experimentFiles),
    ...s.runs.flatMap(runFiles),
    ...s.models.flatMap(registeredModelFiles),
  ];
}

/** FNV-1a 64-bit of a string, as 16 hex digits (used to derive stable ids). */
export function fnv1a64Hex(s: string): string {
  let h = 0xcbf29ce484222325n;
  const bytes = utf8.encode(s);
  for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h.toString(16).padStart(16, '0');
}

/**
 * An experiment id for a name, stable across machines and writers (so two trainings creating the same experiment at
 * once pick the same folder): 18 decimal digits without a leading zero, like _generate_unique_integer_id's.
 */
export function experimentIdForName(name: string): string {
  const n = BigInt('0x' + fnv1a64Hex('experiment:' + name)) % 900000000000000000n;
  return String(n + 100000000000000000n);
}

/** A 32-hex run id for an id that is not one already (a UUID loses its dashes; anything else is hashed). */
export function runIdFor(id: string): string {
  const bare = id.toLowerCase().replace(/-/g, '');
  if (RUN_ID_PATTERN.test(bare)) return bare;
  return fnv1a64Hex('run:' + id) + fnv1a64Hex('run2:' + id);
}
