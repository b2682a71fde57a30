// What a PowerBidder training run logs to MLflow, and how such a run is read back. Parameters: every resolved
// setting, flattened with dots (`battery.capacityKWh`, `ppo.learningRate`, `env.sellBonusCoef`, `data.fingerprint`).
// Metrics: each progress record's metrics under the trainer's CleanRL names (`charts/SPS`, `losses/approx_kl`,
// `clone/loss` …) at step = the record's position in the run (cloning epochs, then PPO iterations, one axis; the
// PPO environment step is itself logged as `charts/global_step`), timestamped start + elapsed; the final evaluation
// as `eval/share_of_oracle`, `eval/profit_eur`, `eval/oracle_profit_eur`, `eval/equivalent_cycles`. Tags: MLflow's
// system tags and ours (`powerbidder.*`). Artifacts: `model/model.json`, `backtest/trace.csv`, `charts/*.png`.

import type { BacktestTrace } from '../rl/types.ts';
import { type FileEntry, type MlflowMetricPoint, type MlflowRun, type RunStatusName } from './layout.ts';
import { utf8 } from './text.ts';

/** A progress record (structurally workers/trainer-api.ts TrainProgress). */
export interface ProgressRecord {
  phase: 'backend' | 'clone' | 'ppo' | 'eval';
  iteration: number;
  elapsedS: number;
  metrics: Record<string, number>;
  shareOfOracle?: number;
  message?: string;
}

/** A backtest trace, as the training run returns it. */
export type TraceArrays = BacktestTrace;

export interface Evaluation {
  profitEur: number;
  oracleProfitEur: number;
  shareOfOracle: number;
  equivalentCycles: number;
}

export interface TrainingRun {
  runId: string;
  experimentId: string;
  /** The experiment's artifact_location; the run's artifacts go to `<it>/<run_id>/artifacts`. */
  artifactLocation: string;
  runName: string;
  /** mlflow.user and meta user_id; unknown in the browser. */
  userId?: string;
  /** mlflow.source.name: the program that trained (e.g. `bess train`, `PowerBidder (browser)`). */
  sourceName: string;
  startTimeMs: number;
  endTimeMs: number;
  status: RunStatusName;
  /** The trainer's resolved parameters (nested objects are flattened with dots). */
  params: Record<string, unknown>;
  history: ProgressRecord[];
  evaluation: Evaluation;
  /** Labels the user gave the run. */
  labels: string[];
  /** More tags (`powerbidder.runId`, `powerbidder.stopReason` …). */
  tags: Record<string, string>;
  /** model.json text (core/rl/model.ts serializeSavedModel). */
  modelJson: string;
  trace?: TraceArrays;
  /** PNG charts, by file name. */
  charts?: { name: string; png: Uint8Array }[];
}

/**
 * The tag holding the policy a run kept, as JSON of its KeptPolicy (`{"source":"clone",…}`): the page's export and
 * `bess sweep-task` write it, the page's import and `bess sweep-report` read it.
 */
export const KEPT_TAG = 'powerbidder.kept';
export const MODEL_ARTIFACT = 'model/model.json';
export const TRACE_ARTIFACT = 'backtest/trace.csv';
/** MLflow caps a param value at 6000 characters (MAX_PARAM_VAL_LENGTH). */
const MAX_PARAM_LENGTH = 6000;

/** Nested settings as dotted MLflow params; arrays as JSON, undefined dropped, null as 'None' (Python's str). */
export function flattenParams(params: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    const key = prefix + k.replace(/[^\w\-. /]/g, '_');
    if (v === undefined) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v))
      Object.assign(out, flattenParams(v as Record<string, unknown>, key + '.'));
    else {
      const s =
        v === null
          ? 'None'
          : typeof v === 'string'
            ? v
            : typeof v === 'number' || typeof v === 'boolean'
              ? String(v)
              : JSON.stringify(Array.isArray(v) ? v : Array.from(v as ArrayLike<number>));
      out[key] = s.length > MAX_PARAM_LENGTH ? s.slice(0, MAX_PARAM_LENGTH) : s;
    }
  }
  return out;
}

/** Params whose values are text even when they look like numbers. */
const TEXT_PARAMS = new Set([
  'backend',
  'data.file',
  'data.fingerprint',
  'data.trainFile',
  'data.testFile',
  'information',
  'forecast',
]);

/** Inverse of flattenParams, reading numbers, booleans and JSON arrays back. */
export function unflattenParams(flat: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(flat)) {
    let v: unknown = s;
    if (!TEXT_PARAMS.has(key)) {
      if (s === 'true' || s === 'True') v = true;
      else if (s === 'false' || s === 'False') v = false;
      else if (s === 'None') v = null;
      else if (s.trim() !== '' && Number.isFinite(Number(s))) v = Number(s);
      else if (s.startsWith('[')) {
        try {
          v = JSON.parse(s);
        } catch {
          v = s;
        }
      }
    }
    const path = key.split('.');
    let o = out;
    for (const p of path.slice(0, -1)) {
      if (typeof o[p] !== 'object' || o[p] === null) o[p] = {};
      o = o[p] as Record<string, unknown>;
    }
    o[path[path.length - 1]] = v;
  }
  return out;
}

const TRACE_HEADER = 'time_utc,price_eur_mwh,action_index,soc_before_kwh,soc_after_kwh,cash_eur,oracle_soc_kwh';

/**
 * The why-the-agent-acted columns (BacktestTrace's optional fields), appended after TRACE_HEADER when the trace has
 * them, so an exported run reopens with its tooltip, its teacher and its oracle cash (a site run's yardstick).
 * Then `p_action_0 … p_action_{k-1}`: the policy's action probabilities.
 */
const WHY_COLUMNS = [
  { name: 'teacher_action_index', key: 'teacherActions', make: (n: number) => new Int32Array(n) },
  { name: 'forecast_avg_eur_mwh', key: 'forecastAvgEurPerMWh', make: (n: number) => new Float32Array(n) },
  { name: 'oracle_grid_kwh', key: 'oracleGridKWh', make: (n: number) => new Float64Array(n) },
  { name: 'oracle_cash_eur', key: 'oracleCashEur', make: (n: number) => new Float64Array(n) },
] as const;
const PROB_PREFIX = 'p_action_';

/** The backtest trace as CSV: ISO UTC interval starts, numbers at full precision (it reads back exactly). */
export function traceToCsv(t: TraceArrays): string {
  const n = t.actions.length;
  const why = WHY_COLUMNS.filter((c) => t[c.key]);
  const k = t.actionProbs && n > 0 ? t.actionProbs.length / n : 0;
  const header = [TRACE_HEADER, ...why.map((c) => c.name), ...Array.from({ length: k }, (_, a) => PROB_PREFIX + a)];
  const lines = [header.join(',')];
  for (let i = 0; i < n; i++) {
    const row = [
      `${new Date(t.timesUtcMs[i]).toISOString()},${t.pricesEurPerMWh[i]},${t.actions[i]},${t.socBeforeKWh[i]},${t.socAfterKWh[i]},${t.cashEur[i]},${t.oracleSocKWh[i] ?? ''}`,
    ];
    for (const c of why) row.push(cell(t[c.key]![i]));
    for (let a = 0; a < k; a++) row.push(cell(t.actionProbs![i * k + a]));
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

/** A why cell: the number at full precision, empty where it is not a number. */
const cell = (x: number): string => (Number.isFinite(x) ? String(x) : '');

/** Inverse of traceToCsv (a file without the why columns reads as before); throws naming the line or column. */
export function traceFromCsv(csv: string, name = TRACE_ARTIFACT): TraceArrays {
  const lines = csv.split('\n').filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').trim().split(',');
  const base = TRACE_HEADER.split(',');
  if (header.slice(0, base.length).join(',') !== TRACE_HEADER)
    throw new Error(`${name}: header must start with ${TRACE_HEADER}`);
  const n = lines.length - 1;
  const t: TraceArrays = {
    timesUtcMs: new Float64Array(n),
    pricesEurPerMWh: new Float64Array(n),
    actions: new Int32Array(n),
    socBeforeKWh: new Float64Array(n),
    socAfterKWh: new Float64Array(n),
    cashEur: new Float64Array(n),
    oracleSocKWh: new Float64Array(n),
  };
  // The extra columns: each why column at most once, then the action probabilities numbered from 0. A column this
  // version does not know (written by a later one) is skipped.
  const extra: { col: number; set: (i: number, x: number) => void }[] = [];
  let k = 0;
  const probCols: number[] = [];
  header.slice(base.length).forEach((h, j) => {
    const col = base.length + j;
    const why = WHY_COLUMNS.find((c) => c.name === h);
    if (why) {
      if (t[why.key]) throw new Error(`${name}: column ${h} appears twice`);
      const arr = why.make(n);
      (t as unknown as Record<string, ArrayLike<number>>)[why.key] = arr;
      extra.push({ col, set: (i, x) => (arr[i] = x) });
    } else if (h.startsWith(PROB_PREFIX)) {
      if (h !== PROB_PREFIX + k) throw new Error(`${name}: column ${h} is out of order (expected ${PROB_PREFIX}${k})`);
      probCols.push(col);
      k++;
    }
  });
  if (k > 0) {
    const probs = new Float32Array(n * k);
    t.actionProbs = probs;
    probCols.forEach((col, a) => extra.push({ col, set: (i, x) => (probs[i * k + a] = x) }));
  }
  for (let i = 0; i < n; i++) {
    const f = lines[i + 1].split(',');
    const time = Date.parse(f[0]);
    const nums = f.slice(1, base.length).map((x) => (x === '' ? NaN : Number(x)));
    if (f.length !== header.length || !Number.isFinite(time) || nums.slice(0, 5).some((x) => !Number.isFinite(x)))
      throw new Error(`${name}: line ${i + 2} is not a trace row`);
    t.timesUtcMs[i] = time;
    [t.pricesEurPerMWh[i], t.actions[i], t.socBeforeKWh[i], t.socAfterKWh[i], t.cashEur[i], t.oracleSocKWh[i]] = nums;
    for (const e of extra) {
      // An empty cell is a value the run did not have (NaN), as traceToCsv writes it.
      const x = f[e.col] === '' ? NaN : Number(f[e.col]);
      if (f[e.col] !== '' && !Number.isFinite(x))
        throw new Error(`${name}: line ${i + 2}, column ${header[e.col]} is not a number`);
      e.set(i, x);
    }
  }
  return t;
}

/** The MLflow run of a training. */
export function trainingToMlflowRun(tr: TrainingRun): MlflowRun {
  const metrics: Record<string, MlflowMetricPoint[]> = {};
  const add = (key: string, value: number, step: number, timestampMs: number) => {
    if (typeof value !== 'number') return;
    (metrics[key] ??= []).push({ timestampMs, value, step });
  };
  const evalKeys: Record<string, number> = {
    'eval/share_of_oracle': tr.evaluation.shareOfOracle,
    'eval/profit_eur': tr.evaluation.profitEur,
    'eval/oracle_profit_eur': tr.evaluation.oracleProfitEur,
    'eval/equivalent_cycles': tr.evaluation.equivalentCycles,
  };
  tr.history.forEach((p, step) => {
    const ts = tr.startTimeMs + Math.round(p.elapsedS * 1000);
    for (const [k, v] of Object.entries(p.metrics)) if (!(k in evalKeys)) add(k, v, step, ts);
  });
  // The evaluation goes on the trainer's eval record, or one step after the last record when there is none.
  const last = tr.history.length - 1;
  const evalStep = last >= 0 && tr.history[last].phase === 'eval' ? last : tr.history.length;
  for (const [k, v] of Object.entries(evalKeys)) add(k, v, evalStep, tr.endTimeMs);

  const tags: Record<string, string> = {
    'mlflow.runName': tr.runName,
    'mlflow.source.name': tr.sourceName,
    'mlflow.source.type': 'LOCAL',
    ...(tr.userId ? { 'mlflow.user': tr.userId } : {}),
    ...(tr.labels.length ? { 'powerbidder.tags': tr.labels.join(', ') } : {}),
    ...tr.tags,
  };
  const artifacts: FileEntry[] = [{ path: MODEL_ARTIFACT, bytes: utf8.encode(tr.modelJson) }];
  if (tr.trace) artifacts.push({ path: TRACE_ARTIFACT, bytes: utf8.encode(traceToCsv(tr.trace)) });
  for (const c of tr.charts ?? []) artifacts.push({ path: `charts/${c.name.replace(/[^\w\-.]/g, '_')}`, bytes: c.png });
  return {
    runId: tr.runId,
    experimentId: tr.experimentId,
    runName: tr.runName,
    userId: tr.userId ?? 'unknown',
    status: tr.status,
    startTimeMs: tr.startTimeMs,
    endTimeMs: tr.endTimeMs,
    lifecycleStage: 'active',
    artifactUri: `${tr.artifactLocation.replace(/\/+$/, '')}/${tr.runId}/artifacts`,
    params: flattenParams(tr.params),
    tags,
    metrics,
    artifacts,
  };
}

/** What a stored MLflow run gives back: enough to list, compare and re-use it, or why it cannot be used. */
export type TrainingFromMlflow =
  | {
      ok: true;
      params: Record<string, unknown>;
      history: ProgressRecord[];
      evaluation: Evaluation;
      labels: string[];
      modelJson: string;
      trace: TraceArrays | null;
    }
  | { ok: false; reason: string };

const lastValue = (points: MlflowMetricPoint[] | undefined): number => {
  if (!points?.length) return NaN;
  return points.reduce((a, b) => (b.step > a.step || (b.step === a.step && b.timestampMs >= a.timestampMs) ? b : a))
    .value;
};

/** Reads a training back from an MLflow run; a run without our model artifact (any other MLflow run) is not one. */
export function trainingFromMlflowRun(run: MlflowRun): TrainingFromMlflow {
  if (run.lifecycleStage === 'deleted') return { ok: false, reason: 'the run is deleted' };
  const model = run.artifacts.find((a) => a.path === MODEL_ARTIFACT);
  if (!model) return { ok: false, reason: `no PowerBidder model (artifacts/${MODEL_ARTIFACT})` };
  let modelJson: string;
  try {
    modelJson = utf8.decode(model.bytes);
  } catch {
    return { ok: false, reason: `artifacts/${MODEL_ARTIFACT} is not UTF-8 text` };
  }
  const traceEntry = run.artifacts.find((a) => a.path === TRACE_ARTIFACT);
  let trace: TraceArrays | null = null;
  if (traceEntry) {
    try {
      trace = traceFromCsv(utf8.decode(traceEntry.bytes), `artifacts/${TRACE_ARTIFACT}`);
    } catch (e) {
      return { ok: false, reason: (e as Error).message };
    }
  }
  // Progress records again, one per logged step, phase from the metric families.
  const bySteps = new Map<number, { ts: number; metrics: Record<string, number> }>();
  for (const [key, points] of Object.entries(run.metrics)) {
    for (const p of points) {
      let rec = bySteps.get(p.step);
      if (!rec) bySteps.set(p.step, (rec = { ts: p.timestampMs, metrics: {} }));
      rec.metrics[key] = p.value;
      rec.ts = Math.max(rec.ts, p.timestampMs);
    }
  }
  const counts = { clone: 0, ppo: 1, eval: 0, backend: 0 };
  const history: ProgressRecord[] = [...bySteps.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, { ts, metrics }]) => {
      const keys = Object.keys(metrics);
      const phase: ProgressRecord['phase'] = keys.some((k) => k.startsWith('eval/'))
        ? 'eval'
        : keys.some((k) => k.startsWith('clone/'))
          ? 'clone'
          : 'ppo';
      const share = phase === 'eval' ? metrics['eval/share_of_oracle'] : metrics['charts/validation_share'];
      return {
        phase,
        iteration: counts[phase]++,
        elapsedS: (ts - run.startTimeMs) / 1000,
        metrics,
        ...(share !== undefined ? { shareOfOracle: share } : {}),
      };
    });
  const evaluation: Evaluation = {
    shareOfOracle: lastValue(run.metrics['eval/share_of_oracle']),
    profitEur: lastValue(run.metrics['eval/profit_eur']),
    oracleProfitEur: lastValue(run.metrics['eval/oracle_profit_eur']),
    equivalentCycles: lastValue(run.metrics['eval/equivalent_cycles']),
  };
  const labels = (run.tags['powerbidder.tags'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return { ok: true, params: unflattenParams(run.params), history, evaluation, labels, modelJson, trace };
}

/**
 * FNV-1a over the bytes of the prices and the step length, as the page's run store computes it
 * (src/ui/runs/store.ts dataFingerprint): the same data always gives the same fingerprint, in the CLI too.
 */
export function dataFingerprint(pricesEurPerMWh: Float64Array, dtHours: number): string {
  const bytes = new Uint8Array(pricesEurPerMWh.buffer, pricesEurPerMWh.byteOffset, pricesEurPerMWh.byteLength);
  let h = 0x811c9dc5 ^ Math.round(dtHours * 3600);
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return `${(h >>> 0).toString(16).padStart(8, '0')}-${pricesEurPerMWh.length}`;
}
