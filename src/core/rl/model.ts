// A trained policy as data: weights plus what is needed to build the same observations again (env options, the
// training split's normalisation statistics, the observation layout). JSON-friendly for model.json and IndexedDB.
// One loader (checkSavedModel) validates every model that comes from outside the run that made it, a model.json
// or a stored or imported run, against a zod schema and the network's own arithmetic: a damaged model is a
// ModelFileError naming the field, never a result.

import { z } from 'zod';
import { type BatteryParams, BatteryParamError, resolveBattery } from '../battery/index.ts';
import { type EnvConfig, DEFAULT_ENV_CONFIG, NO_PLANNER_BIAS, horizonSteps, resolveEnvConfig } from '../env/config.ts';
import { type NormStats, type ObsSlot, obsLayout } from '../env/features.ts';
import { type SiteRecord } from '../env/site.ts';
import { SiteParamError, resolveSite } from '../site/site.ts';
import { type PolicyWeights, flattenWeights, unflattenWeights } from './mlp.ts';
import { type BackendName, BACKEND_NAMES } from './types.ts';

/** The format of model.json and of a SavedModel object; version 1 (no layout recorded) is still read. */
export const MODEL_FORMAT = 'powerbidder-policy/2';
const MODEL_FORMAT_V1 = 'powerbidder-policy/1';

/** What travels with the weights. */
export interface ModelConfig {
  env: EnvConfig;
  stats: NormStats;
  /** Step length of the training data, hours; observations of another step length mean another horizon. */
  dtHours: number;
  /** The battery it was trained with (`bess backtest` uses it when given no battery flags). */
  battery: BatteryParams;
  hiddenSize: number;
  /** Greedy share of the oracle on the validation slice of the kept policy. */
  validationShare: number;
  backend: BackendName;
  /** The observation layout the weights were trained on (features.ts obsLayout). */
  layout: ObsSlot[];
  /**
   * What the agent observed, when not known-24h (absent in older models = known-24h): day-ahead with the forecaster
   * it was trained on; backtest and compare issue that forecaster at every gate closure and build the same
   * observation.
   */
  information?: ModelInformation;
  /**
   * The site it was trained on (absent in older models and for the battery alone): the observation then ends with
   * the PV/load features (SITE_FEATURES) at these scales, and backtest and compare settle on this site.
   */
  site?: SiteRecord;
}

/** The information a day-ahead model observed under. */
export interface ModelInformation {
  mode: 'day-ahead';
  /** The forecaster (forecast/registry.ts FORECAST_MODELS). */
  forecast: string;
}

/** One named weight array, in layer order (mlp.ts flattenWeights). */
export interface SavedWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** A trained policy: the one model type of the trainer, the worker protocol, the run store and model.json. */
export interface SavedModel {
  format: typeof MODEL_FORMAT;
  weights: SavedWeight[];
  config: ModelConfig;
}

/** A model that cannot be used: the message says which field is wrong and how. */
export class ModelFileError extends Error {}

/** Packs weights and config. */
export function toSavedModel(weights: PolicyWeights, config: Omit<ModelConfig, 'layout'>): SavedModel {
  const mode = config.information?.mode ?? 'known-24h';
  const layout = obsLayout(horizonSteps(config.env, config.dtHours), mode, config.site !== undefined).slots.map(
    (s) => ({ ...s }),
  );
  return {
    format: MODEL_FORMAT,
    weights: flattenWeights(weights).map((w) => ({ name: w.name, shape: [...w.shape], values: w.values.slice() })),
    config: {
      ...config,
      env: { ...config.env },
      stats: { ...config.stats },
      battery: { ...config.battery },
      layout,
      ...(config.information ? { information: { ...config.information } } : {}),
      ...(config.site ? { site: { ...config.site } } : {}),
    },
  };
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const positive = finite.refine((v) => v > 0, 'must be > 0');
const posInt = z.number().int('must be a whole number').positive('must be ≥ 1');

const envShape = Object.fromEntries(
  Object.entries(DEFAULT_ENV_CONFIG).map(([k, v]) => [
    k,
    k in NO_PLANNER_BIAS
      ? finite.optional() // added later: a model saved without it planned on the raw forecast (NO_PLANNER_BIAS)
      : typeof v === 'boolean'
        ? z.boolean()
        : typeof v === 'string'
          ? z.string()
          : finite,
  ]),
) as unknown as Record<keyof EnvConfig, z.ZodType>;

const weightSchema = z
  .object({
    name: z.string().regex(/^(actor|critic)\/\d+\/(kernel|bias)$/, 'must be actor|critic/<layer>/kernel|bias'),
    shape: z.array(posInt).min(1).max(2),
    values: z.union([z.instanceof(Float32Array), z.instanceof(Float64Array), z.array(z.number())]),
  })
  .superRefine((w, ctx) => {
    const n = w.shape.reduce((a, b) => a * b, 1);
    if (w.values.length !== n)
      ctx.addIssue({
        code: 'custom',
        path: ['values'],
        message: `has ${w.values.length} numbers, shape [${w.shape.join(', ')}] needs ${n}`,
      });
    for (let i = 0; i < w.values.length; i++) {
      if (typeof w.values[i] !== 'number' || !Number.isFinite(w.values[i])) {
        ctx.addIssue({
          code: 'custom',
          path: ['values', i],
          message: `is ${String(w.values[i])}, not a finite number`,
        });
        break;
      }
    }
  });

/** The schema of a saved model, in memory (Float32Array values) or parsed from JSON (number arrays). */
export const savedModelSchema = z.object({
  format: z.union([z.literal(MODEL_FORMAT), z.literal(MODEL_FORMAT_V1)], {
    error: (i) => `unknown format ${JSON.stringify(i.input)} (this app reads ${MODEL_FORMAT} and ${MODEL_FORMAT_V1})`,
  }),
  weights: z.array(weightSchema).min(2),
  config: z.object({
    env: z.object(envShape).strict(),
    stats: z.object({ priceMeanEurPerMWh: finite, priceStdEurPerMWh: positive, rewardScaleEur: positive }),
    dtHours: positive,
    battery: z.record(z.string(), z.union([finite, z.boolean(), z.null()])),
    hiddenSize: posInt,
    validationShare: finite,
    backend: z.enum(BACKEND_NAMES as [BackendName, ...BackendName[]]),
    layout: z
      .array(
        z.object({ name: z.string(), offset: z.number().int().nonnegative(), width: z.number().int().nonnegative() }),
      )
      .optional(),
    information: z.object({ mode: z.literal('day-ahead'), forecast: z.string().min(1) }).optional(),
    site: z
      .object({
        pvScale: finite,
        importLimitKW: z.union([finite, z.null()]),
        exportLimitKW: z.union([finite, z.null()]),
        importFeeEurPerMWh: finite,
        exportFeeEurPerMWh: finite,
        chargeFromPvOnly: z.boolean(),
        pvStdKW: positive,
        loadStdKW: positive,
      })
      .strict()
      .optional(),
  }),
});

function issueText(issue: z.core.$ZodIssue): string {
  const path = issue.path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
  return path ? `${path} ${issue.message}` : issue.message;
}

/**
 * Validates a saved model from outside (parsed model.json, a stored or imported run) and returns it typed, with its
 * weights unpacked; throws a ModelFileError naming `source` and the first fault: a missing or wrong-typed field,
 * a NaN or infinite weight, a weights array shorter than its shape, a zero or negative price std, an unknown format,
 * an observation layout other than this code's, or layers that do not chain.
 */
export function checkSavedModel(raw: unknown, source = 'model'): { model: SavedModel; weights: PolicyWeights } {
  const parsed = savedModelSchema.safeParse(raw);
  if (!parsed.success) throw new ModelFileError(`${source}: ${issueText(parsed.error.issues[0])}`);
  const m = parsed.data;
  const fail = (what: string): never => {
    throw new ModelFileError(`${source}: ${what}`);
  };
  let env: EnvConfig;
  try {
    env = resolveEnvConfig({ ...NO_PLANNER_BIAS, ...(m.config.env as Partial<EnvConfig>) });
  } catch (e) {
    return fail(`config.${(e as Error).message}`);
  }
  let battery: BatteryParams;
  try {
    const b = m.config.battery as Record<string, number | boolean | null>;
    battery = resolveBattery({ ...b, terminalSocKWh: b.terminalSocKWh ?? undefined } as Parameters<
      typeof resolveBattery
    >[0]);
  } catch (e) {
    return fail(`config.battery: ${e instanceof BatteryParamError ? e.message : String(e)}`);
  }
  if (m.config.site) {
    try {
      resolveSite(m.config.site);
    } catch (e) {
      if (e instanceof SiteParamError) fail(`config.site.${e.field}: ${e.message}`);
      throw e;
    }
  }
  const layout = obsLayout(
    horizonSteps(env, m.config.dtHours),
    m.config.information?.mode ?? 'known-24h',
    m.config.site !== undefined,
  );
  const saved = m.config.layout;
  if (saved === undefined && m.format !== MODEL_FORMAT_V1) fail('config.layout is missing');
  if (saved !== undefined) {
    const same =
      saved.length === layout.slots.length &&
      saved.every(
        (s, i) =>
          s.name === layout.slots[i].name && s.offset === layout.slots[i].offset && s.width === layout.slots[i].width,
      );
    if (!same)
      fail(
        `config.layout (${saved.map((s) => `${s.name}×${s.width}`).join(', ')}) is not this version's observation layout (${layout.slots.map((s) => `${s.name}×${s.width}`).join(', ')})`,
      );
  }
  let weights: PolicyWeights;
  try {
    weights = unflattenWeights(m.weights);
  } catch (e) {
    return fail((e as Error).message.replace(/^model /, ''));
  }
  const names = new Set(m.weights.map((w) => w.name));
  if (names.size !== m.weights.length) fail('weights has a name twice');
  for (const part of ['actor', 'critic'] as const) {
    const stack = weights[part];
    if (stack[0].inDim !== layout.dim)
      fail(`weights ${part}/0/kernel takes ${stack[0].inDim} inputs, the observation layout has ${layout.dim}`);
    stack.forEach((l, i) => {
      if (l.bias.length !== l.outDim)
        fail(`weights ${part}/${i}/bias has ${l.bias.length} numbers, the kernel has ${l.outDim} outputs`);
      if (i > 0 && l.inDim !== stack[i - 1].outDim)
        fail(`weights ${part}/${i}/kernel takes ${l.inDim} inputs, ${part}/${i - 1} gives ${stack[i - 1].outDim}`);
    });
    for (const n of names)
      if (n.startsWith(`${part}/`) && Number(n.split('/')[1]) >= stack.length)
        fail(`weights ${n} is not part of a complete layer stack`);
  }
  if (weights.actor.at(-1)!.outDim !== env.numActions)
    fail(`weights: the actor has ${weights.actor.at(-1)!.outDim} outputs, config.env.numActions is ${env.numActions}`);
  if (weights.critic.at(-1)!.outDim !== 1)
    fail(`weights: the critic has ${weights.critic.at(-1)!.outDim} outputs, not 1`);
  const model: SavedModel = {
    format: MODEL_FORMAT,
    weights: m.weights.map((w) => ({ name: w.name, shape: [...w.shape], values: Float32Array.from(w.values) })),
    config: {
      ...m.config,
      env,
      battery,
      stats: m.config.stats,
      backend: m.config.backend,
      layout: layout.slots.map((s) => ({ ...s })),
    },
  };
  return { model, weights };
}

/** JSON text of a saved model (typed arrays as plain arrays). */
export function serializeSavedModel(saved: SavedModel): string {
  return JSON.stringify({
    format: saved.format,
    config: saved.config,
    weights: saved.weights.map((w) => ({ name: w.name, shape: w.shape, values: Array.from(w.values) })),
  });
}

/** Parses and validates model.json text; a ModelFileError names `source` and what is wrong. */
export function parseSavedModel(text: string, source = 'model.json'): { model: SavedModel; weights: PolicyWeights } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ModelFileError(`${source} is not JSON: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new ModelFileError(`${source} is not a saved model (expected a JSON object)`);
  return checkSavedModel(raw, source);
}
