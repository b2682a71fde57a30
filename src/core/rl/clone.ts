// Behaviour cloning from the rolling-horizon teacher (DESIGN.md "RL", issue 5 §3): the exact optimum over the
// agent's own action levels, re-solved at every step on only the prices the agent sees (the current one and the
// next H), zero terminal value. The dataset holds, for every step of the training series and every SOC level
// reachable from the initial SOC, the teacher's first action; the actor is trained on it as a classifier. One
// backward DP per step serves all SOC levels (teacherActions), which keeps the build fast.

import * as tf from '@tensorflow/tfjs';
import { type BatteryParams } from '../battery/index.ts';
import { type EnvConfig, actionLevels } from '../env/config.ts';
import { type ObsContext, plannerActionAt, writeObservation } from '../env/features.ts';
import {
  type ActionDpInput,
  backwardDp,
  buildActionLattice,
  latticeIndex,
  reachableSocLevels,
  siteCash,
  teacherActionsOnLattice,
} from '../oracle/action-dp.ts';
import { siteOfCtx } from '../env/site.ts';
import { stepCashEur } from '../battery/index.ts';

/** What the teacher is asked, per dataset. */
export interface TeacherInput {
  pricesEurPerMWh: ArrayLike<number>;
  dtHours: number;
  battery: BatteryParams;
  levels: number[];
  /** The site the context settles on (env/site.ts siteOfCtx): the action-set DP then plans on the site's cash. */
  site?: ActionDpInput['site'];
}

/** The teacher (oracle/action-dp.ts by default; tests may pass a hand-checkable one). */
export interface Teacher {
  reachableSocLevels: (
    battery: BatteryParams,
    levels: number[],
    dtHours: number,
    startSocKWh: number,
    maxLevels?: number,
  ) => Float64Array;
  /** Prepares once for a series and SOC levels; returns the best first action per level at `start` over `horizon` steps. */
  prepare: (input: TeacherInput, socLevelsKWh: Float64Array) => (start: number, horizon: number) => Int32Array;
}

/** The rolling-horizon teacher of oracle/action-dp.ts: one SOC lattice per series, one backward DP per step. */
export const ACTION_DP_TEACHER: Teacher = {
  reachableSocLevels,
  prepare: (input, socs) => {
    const lattice = buildActionLattice(input.battery, input.levels, input.dtHours, [
      input.battery.initialSocKWh,
      ...socs,
    ]);
    const cash = siteCash(input);
    return (start, horizon) => teacherActionsOnLattice(lattice, input, start, horizon, socs, 0, cash);
  },
};

/**
 * The planner on the forecast as a teacher (day-ahead contexts only): the action the action-set DP on the forecast
 * issued at gate closure takes at each step and SOC level (the observation's plannerAction feature). Cloning it
 * starts the agent at the plan-on-forecast baseline.
 */
export function plannerTeacher(ctx: ObsContext): Teacher {
  const da = ctx.dayAhead;
  if (!da) throw new RangeError("the 'planner' teacher needs a day-ahead observation context");
  return {
    reachableSocLevels,
    prepare: (_input, socs) => (start) => Int32Array.from(socs, (s) => plannerActionAt(da, start, s)),
  };
}

import { REACHABLE_CAP } from './budget.ts';
import { type CloneConfig } from './config.ts';
import { type Rng, shuffleInPlace } from './rng.ts';
import { type TfPolicy, logitsOf } from './tf-policy.ts';

export { type CloneConfig, DEFAULT_CLONE_CONFIG } from './config.ts';

/** The price factors of the scaled copies (CloneConfig.augmentPriceScale, augmentScalesPerSide), ascending. */
export function augmentFactors(config: Pick<CloneConfig, 'augmentPriceScale' | 'augmentScalesPerSide'>): number[] {
  const top = config.augmentPriceScale;
  const n = Math.max(1, Math.round(config.augmentScalesPerSide));
  if (!(top > 0) || top === 1) return [];
  const up = Array.from({ length: n }, (_, i) => top ** ((i + 1) / n));
  return [...up.map((f) => 1 / f), ...up].sort((a, b) => a - b);
}

/** Every augmented copy, price' = price × scale + shift: the scaled ones, then the two shifted ones. */
export function augmentVariants(
  config: Pick<CloneConfig, 'augmentPriceScale' | 'augmentScalesPerSide' | 'augmentShiftStd'>,
  priceStdEurPerMWh: number,
): { scale: number; shiftEurPerMWh: number }[] {
  const scaled = augmentFactors(config).map((scale) => ({ scale, shiftEurPerMWh: 0 }));
  const shift = config.augmentShiftStd * priceStdEurPerMWh;
  return shift > 0 ? [...scaled, { scale: 1, shiftEurPerMWh: -shift }, { scale: 1, shiftEurPerMWh: shift }] : scaled;
}

/** At most `max` levels spread evenly over the sorted reachable set, so 15-minute data covers the whole SOC range. */
export function spreadLevels(reachable: Float64Array, max: number): Float64Array {
  const sorted = Float64Array.from(reachable).sort();
  if (sorted.length <= max) return sorted;
  const out = new Float64Array(max);
  for (let i = 0; i < max; i++) out[i] = sorted[Math.round((i * (sorted.length - 1)) / (max - 1))];
  return out;
}

/** Observations and the teacher's action for each. */
export interface CloneDataset {
  obs: Float32Array;
  actions: Int32Array;
  count: number;
  obsDim: number;
  socLevels: Float64Array;
  /**
   * With the 'expected' teacher: per sample and action, the hindsight advantage (Q(a) − max Q) / reward scale, where
   * Q is the action's cash now plus the optimum over the next H actual prices after it. The actor then maximises
   * the expected advantage of its action distribution instead of imitating one label, so over samples that look
   * alike it learns the action best in expectation given what it sees.
   */
  advantages?: Float32Array;
}

/**
 * The hindsight-advantage dataset (CloneDataset.advantages) over the steps of `ctx` (all, or those listed) and the
 * reachable SOC levels; actions holds the hindsight best action of each sample.
 */
export function buildHindsightAdvantageDataset(
  ctx: ObsContext,
  battery: BatteryParams,
  env: EnvConfig,
  maxSocLevels: number,
  stepIndices: ArrayLike<number> | null = null,
): CloneDataset {
  const steps = stepIndices ? stepIndices.length : ctx.length;
  const levels = actionLevels(env.numActions);
  const socLevels = spreadLevels(
    reachableSocLevels(battery, levels, ctx.dtHours, battery.initialSocKWh, REACHABLE_CAP),
    maxSocLevels,
  );
  const lattice = buildActionLattice(battery, levels, ctx.dtHours, [battery.initialSocKWh, ...socLevels]);
  const S = lattice.socKWh.length;
  const A = levels.length;
  const L = socLevels.length;
  const count = steps * L;
  const obs = new Float32Array(count * ctx.obsDim);
  const actions = new Int32Array(count);
  const advantages = new Float32Array(count * A);
  const value = new Float64Array(S);
  const scratch = new Float64Array(S);
  const prices = ctx.pricesEurPerMWh;
  const n = prices.length;
  const scale = ctx.stats.rewardScaleEur;
  const q = new Float64Array(A);
  // On a site, the site's step cash (an action the site would cut is −Infinity there).
  const cash = siteCash({ pricesEurPerMWh: prices, dtHours: ctx.dtHours, battery, levels, ...siteOfCtx(ctx) });
  for (let i = 0; i < steps; i++) {
    const t = stepIndices ? stepIndices[i] : i;
    // Value after step t over the next H actual prices (zero terminal value), as the hindsight teacher solves.
    value.fill(0);
    backwardDp(
      lattice,
      battery,
      prices,
      t + 1,
      Math.min(n, t + 1 + ctx.horizon),
      value,
      scratch,
      undefined,
      undefined,
      cash,
    );
    for (let l = 0; l < L; l++) {
      const s = latticeIndex(lattice, socLevels[l]);
      let best = -Infinity;
      let bestA = 0;
      for (let a = 0; a < A; a++) {
        const j = s * A + a;
        q[a] =
          (cash
            ? cash(t, lattice.chargedKWh[j], lattice.dischargedKWh[j])
            : stepCashEur(battery, prices[t], lattice.chargedKWh[j], lattice.dischargedKWh[j])) +
          value[lattice.next[j]];
        if (q[a] > best) {
          best = q[a];
          bestA = a;
        }
      }
      const k = i * L + l;
      writeObservation(ctx, t, socLevels[l], obs, k * ctx.obsDim);
      actions[k] = bestA;
      // An action the site would cut (−Infinity in the site's cash) is valued as hold (index 0), which is always
      // feasible: a finite advantage keeps the loss finite.
      for (let a = 0; a < A; a++) advantages[k * A + a] = ((q[a] === -Infinity ? q[0] : q[a]) - best) / scale;
    }
  }
  return { obs, actions, count, obsDim: ctx.obsDim, socLevels, advantages };
}

/** Builds the teacher dataset over the steps of `ctx` (all, or those listed) and every reachable SOC level. */
export function buildCloneDataset(
  ctx: ObsContext,
  battery: BatteryParams,
  env: EnvConfig,
  maxSocLevels: number,
  stepIndices: ArrayLike<number> | null = null,
  teacher: Teacher = ACTION_DP_TEACHER,
): CloneDataset {
  const steps = stepIndices ? stepIndices.length : ctx.length;
  const levels = actionLevels(env.numActions);
  const socLevels = spreadLevels(
    teacher.reachableSocLevels(battery, levels, ctx.dtHours, battery.initialSocKWh, REACHABLE_CAP),
    maxSocLevels,
  );
  const L = socLevels.length;
  const count = steps * L;
  const obs = new Float32Array(count * ctx.obsDim);
  const actions = new Int32Array(count);
  const input = { pricesEurPerMWh: ctx.pricesEurPerMWh, dtHours: ctx.dtHours, battery, levels, ...siteOfCtx(ctx) };
  // The agent sees the current price and the next H: the teacher solves over exactly that window.
  const window = ctx.horizon + 1;
  const ask = teacher.prepare(input, socLevels);
  for (let i = 0; i < steps; i++) {
    const t = stepIndices ? stepIndices[i] : i;
    const best = ask(t, window);
    for (let l = 0; l < L; l++) {
      const k = i * L + l;
      writeObservation(ctx, t, socLevels[l], obs, k * ctx.obsDim);
      actions[k] = best[l];
    }
  }
  return { obs, actions, count, obsDim: ctx.obsDim, socLevels };
}

/** Concatenates datasets of the same observation width. */
export function concatDatasets(parts: CloneDataset[]): CloneDataset {
  const count = parts.reduce((s, p) => s + p.count, 0);
  const obsDim = parts[0].obsDim;
  const obs = new Float32Array(count * obsDim);
  const actions = new Int32Array(count);
  const A = parts[0].advantages ? parts[0].advantages.length / Math.max(1, parts[0].count) : 0;
  const advantages = A > 0 ? new Float32Array(count * A) : undefined;
  let k = 0;
  for (const p of parts) {
    obs.set(p.obs.subarray(0, p.count * obsDim), k * obsDim);
    actions.set(p.actions.subarray(0, p.count), k);
    if (advantages && p.advantages) advantages.set(p.advantages.subarray(0, p.count * A), k * A);
    k += p.count;
  }
  return { obs, actions, count, obsDim, socLevels: parts[0].socLevels, ...(advantages ? { advantages } : {}) };
}

// How often, in minibatches, the stop button and the time cap are checked inside an epoch (every minibatch on GPU
// backends, whose minibatches are slow and only queued until something is read back).
const CHECK_EVERY_MINIBATCHES = 16;

/** Minibatches of one cloning epoch (the ragged last one is dropped). */
export function cloneMinibatchesPerEpoch(count: number, batchSize: number): number {
  const bs = Math.min(batchSize, count);
  return bs > 0 ? Math.floor(count / bs) : 0;
}

/**
 * Runs `config.epochs` cloning epochs on the actor (the budget); after each epoch `onEpoch` may return false to
 * stop. The learning rate anneals by the share of the budget's minibatches done (CloneConfig.annealLr), so the
 * same seed gives the same weights whatever the clock says.
 */
export async function trainClone(
  policy: TfPolicy,
  data: CloneDataset,
  config: Omit<CloneConfig, 'teacher'>,
  numActions: number,
  rng: Rng,
  onEpoch: (epoch: number, loss: number, accuracy: number) => Promise<boolean>,
  /** Called every few minibatches with the share of the budget done; false ends training mid-epoch (stop, time cap). */
  keepGoing: (budgetDone: number) => Promise<boolean> = async () => true,
  /** Called after every minibatch (1-based within its epoch), for progress only: it cannot change what is learnt. */
  onMinibatch?: (epoch: number, minibatch: number, minibatchesPerEpoch: number, budgetDone: number) => void,
): Promise<void> {
  const optimizer = tf.train.adam(config.learningRate);
  // tfjs reads `learningRate` at every applyGradients (the field is protected in the typings), as in ppo.ts.
  const lr = optimizer as unknown as { learningRate: number };
  const idx = new Int32Array(data.count);
  for (let i = 0; i < data.count; i++) idx[i] = i;
  const bs = Math.min(config.batchSize, data.count);
  const mbObs = new Float32Array(bs * data.obsDim);
  const mbAct = new Int32Array(bs);
  const adv = data.advantages;
  const mbAdv = adv ? new Float32Array(bs * numActions) : null;
  const vars = policy.actorVars();
  const queued = tf.getBackend() === 'webgpu' || tf.getBackend() === 'webgl';
  const checkEvery = queued ? 1 : CHECK_EVERY_MINIBATCHES;
  const perEpoch = cloneMinibatchesPerEpoch(data.count, config.batchSize);
  const totalMinibatches = Math.max(1, perEpoch * config.epochs);
  let done = 0;
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      shuffleInPlace(idx, rng);
      let sums: tf.Tensor | null = null;
      // Drop the ragged last minibatch: a fixed shape keeps the backends' kernels warm.
      let stopped = false;
      let seen = 0;
      for (let start = 0, mb = 0; start + bs <= data.count; start += bs, mb++) {
        if (mb > 0 && mb % checkEvery === 0) {
          // Wait for the queued minibatches, so that the clock behind keepGoing sees the work really done (on
          // WebGPU a 30 s budget ran 295 s: a whole epoch was queued before the first check).
          if (sums) await (sums as tf.Tensor).data();
          if (!(await keepGoing(done / totalMinibatches))) {
            stopped = true;
            break;
          }
        }
        if (config.annealLr) lr.learningRate = config.learningRate * Math.max(0.02, 1 - done / totalMinibatches);
        done++;
        seen += bs;
        for (let k = 0; k < bs; k++) {
          const i = idx[start + k];
          mbObs.set(data.obs.subarray(i * data.obsDim, (i + 1) * data.obsDim), k * data.obsDim);
          mbAct[k] = data.actions[i];
          if (mbAdv && adv) mbAdv.set(adv.subarray(i * numActions, (i + 1) * numActions), k * numActions);
        }
        const next = tf.tidy(() => {
          const x = tf.tensor2d(mbObs, [bs, data.obsDim]);
          const y = tf.oneHot(tf.tensor1d(mbAct, 'int32'), numActions).toFloat();
          const held: { correct?: tf.Tensor } = {};
          const { value, grads } = tf.variableGrads(() => {
            const logits = logitsOf(policy, x);
            held.correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1)), 'float32')));
            if (mbAdv) {
              // Maximise the expected hindsight advantage of the action distribution (a loss ≥ 0, 0 when perfect).
              const a = tf.tensor2d(mbAdv, [bs, numActions]);
              return tf.neg(tf.mean(tf.sum(tf.mul(tf.softmax(logits), a), 1))) as tf.Scalar;
            }
            return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
          }, vars);
          optimizer.applyGradients(grads as never);
          const s = tf.stack([tf.mul(value, bs), held.correct!]);
          held.correct!.dispose();
          return sums ? tf.add(sums, s) : s;
        });
        sums?.dispose();
        sums = next;
        onMinibatch?.(epoch, mb + 1, perEpoch, done / totalMinibatches);
      }
      const v = sums ? ((await sums.data()) as Float32Array) : new Float32Array(2);
      sums?.dispose();
      const more = await onEpoch(epoch, v[0] / Math.max(1, seen), v[1] / Math.max(1, seen));
      if (stopped || !more) break;
    }
  } finally {
    optimizer.dispose();
  }
}
