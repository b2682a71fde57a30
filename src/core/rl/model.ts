// A trained policy as data: weights plus what is needed to build the same observations again (env options and the
// training split's normalisation statistics). JSON-friendly for model.json and IndexedDB.

import { type EnvConfig, resolveEnvConfig } from '../env/config.ts';
import { type NormStats } from '../env/features.ts';
import { type PolicyWeights, flattenWeights, unflattenWeights } from './mlp.ts';

/** What travels with the weights. */
export interface ModelConfig {
  env: EnvConfig;
  stats: NormStats;
  /** Step length of the training data, hours; observations of another step length mean another horizon. */
  dtHours: number;
  [extra: string]: unknown;
}

/** Same shape as workers/trainer-api.ts SavedModel. */
export interface SavedPolicy {
  weights: { name: string; shape: number[]; values: Float32Array }[];
  config: Record<string, unknown>;
}

/** Packs weights and config. */
export function toSavedPolicy(weights: PolicyWeights, config: ModelConfig): SavedPolicy {
  return { weights: flattenWeights(weights).map((w) => ({ ...w, values: w.values.slice() })), config: { ...config } };
}

/** Unpacks and validates a saved policy; throws an Error saying what is missing. */
export function fromSavedPolicy(saved: { weights: { name: string; shape: number[]; values: ArrayLike<number> }[]; config: Record<string, unknown> }): {
  weights: PolicyWeights;
  config: ModelConfig;
} {
  const c = saved.config ?? {};
  const stats = c.stats as NormStats | undefined;
  if (!stats || typeof stats.priceMeanEurPerMWh !== 'number' || typeof stats.priceStdEurPerMWh !== 'number' || typeof stats.rewardScaleEur !== 'number') {
    throw new Error('model: config.stats (normalisation statistics) missing or malformed');
  }
  if (typeof c.dtHours !== 'number') throw new Error('model: config.dtHours missing');
  const env = resolveEnvConfig((c.env ?? {}) as Record<string, number | boolean>);
  const weights = unflattenWeights(saved.weights);
  if (weights.actor[weights.actor.length - 1].outDim !== env.numActions) throw new Error('model: actor output does not match env.numActions');
  return { weights, config: { ...c, env, stats, dtHours: c.dtHours } };
}

/** JSON text of a saved policy (typed arrays as plain arrays). */
export function serializeSavedPolicy(saved: SavedPolicy): string {
  return JSON.stringify({ format: 'powerbidder-policy/1', config: saved.config, weights: saved.weights.map((w) => ({ name: w.name, shape: w.shape, values: Array.from(w.values) })) });
}

/** Inverse of serializeSavedPolicy. */
export function parseSavedPolicy(text: string): SavedPolicy {
  const o = JSON.parse(text) as { config?: Record<string, unknown>; weights?: { name: string; shape: number[]; values: number[] }[] };
  if (!o || !Array.isArray(o.weights) || typeof o.config !== 'object') throw new Error('model: not a saved policy (weights/config missing)');
  return { config: o.config, weights: o.weights.map((w) => ({ name: w.name, shape: w.shape, values: Float32Array.from(w.values) })) };
}
