// The shape of a stored run, as a zod schema: the one check shared by the store's reader and writer and by run-file
// export and import, so a record that one of them accepts the others accept too. Trainer-produced parts (progress
// entries, the model's config, the backtest trace) are loose objects: fields added by a newer trainer are kept,
// while the fields the app reads are checked for type.
//
// Usage: const r = parseRun(value); if (!r.ok) show(r.message); else use(r.run);

import { z } from 'zod';
import type { Backtest, KeptPolicy, SavedModel, TrainProgress } from '../../../workers/trainer-api.ts';

export const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export const RUN_STATUSES = ['complete', 'interrupted'] as const;

const received = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
/** Any JS number, NaN and ±Infinity included (losses and ratios can be non-finite), or null (JSON's NaN). */
const anyNumber = z.custom<number>((v) => typeof v === 'number' || v === null, {
  error: (iss) => `expected number, received ${received(iss.input)}`,
});
const finite = z.number();
const count = z.number().int().nonnegative();

const progressSchema = z.looseObject({
  phase: z.string(),
  iteration: finite,
  elapsedS: finite,
  metrics: z.record(z.string(), anyNumber),
  shareOfOracle: anyNumber.optional(),
  message: z.string().optional(),
});

const weightSchema = z
  .looseObject({
    name: z.string(),
    shape: z.array(count),
    values: z.instanceof(Float32Array, { message: 'expected a Float32Array' }),
  })
  .refine((w) => w.values.length === w.shape.reduce((a, b) => a * b, 1), {
    message: 'the weight has as many values as its shape holds',
    path: ['values'],
  });

export const savedModelSchema = z.looseObject({
  weights: z.array(weightSchema).min(1),
  config: z.record(z.string(), z.unknown()),
});

const f64 = z.instanceof(Float64Array, { message: 'expected a Float64Array' });
const f32 = z.instanceof(Float32Array, { message: 'expected a Float32Array' });
const traceSchema = z
  .looseObject({
    timesUtcMs: f64,
    pricesEurPerMWh: f64,
    actions: z.instanceof(Int32Array, { message: 'expected an Int32Array' }),
    socBeforeKWh: f64,
    socAfterKWh: f64,
    cashEur: f64,
    oracleSocKWh: f64,
    // Why the agent acted (issue 12 §4): absent in runs stored before they were recorded.
    actionProbs: f32.optional(),
    teacherActions: z.instanceof(Int32Array, { message: 'expected an Int32Array' }).optional(),
    forecastAvgEurPerMWh: f32.optional(),
    oracleGridKWh: f64.optional(),
    oracleCashEur: f64.optional(),
  })
  .refine(
    (t) =>
      [
        t.pricesEurPerMWh,
        t.actions,
        t.socBeforeKWh,
        t.socAfterKWh,
        t.cashEur,
        t.oracleSocKWh,
        t.teacherActions,
        t.forecastAvgEurPerMWh,
        t.oracleGridKWh,
        t.oracleCashEur,
      ].every((a) => a === undefined || a.length === t.timesUtcMs.length),
    {
      message: 'every trace array has one value per step',
    },
  )
  .refine((t) => !t.actionProbs || t.actionProbs.length % Math.max(1, t.timesUtcMs.length) === 0, {
    message: 'the action probabilities hold one row per step',
    path: ['actionProbs'],
  });

const backtestSchema = z.looseObject({
  profitEur: anyNumber,
  oracleProfitEur: anyNumber,
  shareOfOracle: anyNumber,
  equivalentCycles: anyNumber,
  trace: traceSchema,
});

const evaluationSchema = z.object({
  profitEur: anyNumber,
  oracleProfitEur: anyNumber,
  shareOfOracle: anyNumber,
  equivalentCycles: anyNumber,
});

/** What a run was started with: the data, split, battery and settings as they were when Train was clicked. */
export const runInputsSchema = z.looseObject({
  dataFile: z.string(),
  dataFingerprint: z.string(),
  dtHours: finite.positive(),
  steps: count,
  split: z.object({ trainStart: count, trainEnd: count, n: count }),
  battery: z.record(z.string(), z.union([z.number(), z.boolean(), z.undefined()])),
  settings: z.record(z.string(), z.unknown()),
});

/** Which policy the run kept and the validation shares that decided it (null where that phase did not run). */
export const keptSchema = z.looseObject({
  source: z.enum(['clone', 'ppo', 'init']),
  validationShare: anyNumber,
  cloneValidationShare: anyNumber.nullable(),
  ppoValidationShare: anyNumber.nullable(),
  confirm: z
    .looseObject({
      ppoShare: anyNumber,
      cloneShare: anyNumber,
      days: anyNumber.optional(),
      meanGainEur: anyNumber.optional(),
      tStat: anyNumber.optional(),
    })
    .optional(),
});

const base = {
  id: z.string().min(1),
  /** Epoch ms. */
  createdAt: count,
  name: z.string(),
  tags: z.array(z.string()),
  modelName: z.string(),
  stage: z.enum(STAGES),
  dataFile: z.string(),
  dataFingerprint: z.string(),
  backend: z.string(),
  seconds: finite,
  stopReason: z.string(),
  params: z.record(z.string(), z.unknown()),
  history: z.array(progressSchema),
  inputs: runInputsSchema.optional(),
  kept: keptSchema.optional(),
};

// Loose at the top too: a field added by a later version (an MLflow run id, say) survives a write by this one.
/** A finished run: evaluated, with its model and backtest. */
const completeSchema = z.looseObject({
  ...base,
  status: z.literal('complete'),
  evaluation: evaluationSchema,
  model: savedModelSchema,
  backtest: backtestSchema,
});
/** A run that did not finish (a reload, a crash): its settings, curve so far and, when there was one, its best policy. */
const interruptedSchema = z.looseObject({
  ...base,
  status: z.literal('interrupted'),
  model: savedModelSchema.optional(),
});

export const runRecordSchema = z.discriminatedUnion('status', [completeSchema, interruptedSchema]);

export type Stage = (typeof STAGES)[number];
export type RunStatus = (typeof RUN_STATUSES)[number];

/** What a run was started with (see runInputsSchema). */
export interface RunInputs {
  dataFile: string;
  dataFingerprint: string;
  dtHours: number;
  /** Steps of the whole series the split indexes. */
  steps: number;
  split: { trainStart: number; trainEnd: number; n: number };
  /** The battery spec as entered (unset fields take the model's defaults). */
  battery: Record<string, number | boolean>;
  /** The training panel's settings. */
  settings: Record<string, unknown>;
}

export interface Evaluation {
  profitEur: number;
  oracleProfitEur: number;
  shareOfOracle: number;
  equivalentCycles: number;
}

/** The fields every run has, finished or not. */
export interface RunBase {
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
  /** Absent in runs stored before version 2. */
  inputs?: RunInputs;
  /** Which policy the run kept; absent in runs stored before it was recorded, and in interrupted runs. */
  kept?: KeptPolicy;
}

/** A finished run (the schema's `completeSchema`). */
export interface CompleteRun extends RunBase {
  status: 'complete';
  evaluation: Evaluation;
  model: SavedModel;
  backtest: Backtest;
}

/** A run that did not finish (the schema's `interruptedSchema`). */
export interface InterruptedRun extends RunBase {
  status: 'interrupted';
  model?: SavedModel;
  evaluation?: undefined;
  backtest?: undefined;
}

/** A stored training run. */
export type RunRecord = CompleteRun | InterruptedRun;

/** One line per problem, naming the field ("run.tags: expected array, received string"), at most `max` lines. */
export function describeIssues(error: z.ZodError, prefix: string, max = 3): string {
  // Shallow problems first: "run.model: expected object" says more than the nested ones it causes.
  const issues = [...error.issues].sort((a, b) => a.path.length - b.path.length);
  const lines = issues.slice(0, max).map((i) => {
    const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    return `${path || 'value'}: ${i.message.replace(/^Invalid input: /, '')}`;
  });
  const more = error.issues.length - max;
  return lines.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** Validates a stored or imported run; a record without `status` (version 1) is a complete run. */
export function parseRun(
  value: unknown,
  prefix = 'run',
): { ok: true; run: RunRecord } | { ok: false; message: string } {
  const v = value && typeof value === 'object' && !('status' in value) ? { ...value, status: 'complete' } : value;
  const r = runRecordSchema.safeParse(v);
  // The schema admits null where JSON wrote NaN; otherwise its output is a RunRecord.
  return r.success
    ? { ok: true, run: r.data as unknown as RunRecord }
    : { ok: false, message: describeIssues(r.error, prefix) };
}
