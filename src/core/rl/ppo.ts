// Proximal Policy Optimisation as CleanRL's ppo.py does it (Huang et al., "The 37 implementation details of PPO"),
// for the discrete battery env. Reads top to bottom in execution order: (1) anneal LR, (2) rollout with the
// plain-TypeScript forward pass across vectorised envs, (3) GAE, (4) flatten, (5) epochs × minibatches of clipped
// surrogate + clipped value loss − entropy bonus with global gradient clipping (in plain TypeScript, ppo-update.ts,
// or in tfjs: PpoConfig.updateEngine), (6) optional KL stop, (7) metrics (with time/*, where the time went),
// (8) greedy validation and keep-best. Differences from ppo.py, on purpose: truncation is not folded into `done`
// (γ·V(final state) is added to the truncated step's reward), and the best policy by a validation score is kept so
// a run never ends worse than it started.

import * as tf from '@tensorflow/tfjs';
import { type VecEnv } from '../env/env.ts';
import { computeGae } from './gae.ts';
import { type PolicyWeights, cloneWeights, forwardStack, sampleRow } from './mlp.ts';
import { type PpoConfig, ppoIterations } from './config.ts';
import { type Rng, shuffleInPlace } from './rng.ts';
import { type TfPolicy, clipByGlobalNorm, logitsOf, valuesOf } from './tf-policy.ts';
import { type StopReason } from './types.ts';
import { PpoLearner } from './ppo-update.ts';

export { type PpoConfig, DEFAULT_PPO_CONFIG, resolvePpoConfig } from './config.ts';

/** What the loop needs from its caller. */
export interface PpoRun {
  config: PpoConfig;
  vec: VecEnv;
  policy: TfPolicy;
  /** Plain copy of the policy's current weights (read after each update). */
  weights: PolicyWeights;
  rng: Rng;
  /** The policy was cloned: start with critic-only iterations. */
  warmStarted: boolean;
  /** Greedy validation score of a policy (higher is better); the best one is kept. */
  evaluate: (w: PolicyWeights) => number;
  /** Score of the starting policy, when already known. */
  initialScore?: number;
  /** Checked before every iteration: a reason to end before the budget ('stopped', 'time-cap') or null to go on. */
  shouldStop: () => StopReason | null;
  /** After each iteration (1 … iterations); `weights` are the current (not the best) policy's. */
  onIteration: (
    iteration: number,
    metrics: Record<string, number>,
    score: number | undefined,
    weights: PolicyWeights,
  ) => void;
  /** Lets messages (stop) through between iterations; in a worker a macrotask. */
  yieldToEvents: () => Promise<void>;
  /** The run's clock, for the SPS metric only (nothing the loop decides depends on it). */
  nowMs: () => number;
}

export interface PpoOutcome {
  best: PolicyWeights;
  bestScore: number;
  /** 'budget' when all ppoIterations(config) ran. */
  stopReason: StopReason;
  message?: string;
  iterations: number;
  globalStep: number;
}

function gatherRows(src: Float32Array, idx: Int32Array, from: number, count: number, width: number): Float32Array {
  const out = new Float32Array(count * width);
  for (let k = 0; k < count; k++)
    out.set(src.subarray(idx[from + k] * width, idx[from + k] * width + width), k * width);
  return out;
}

function gather(src: Float32Array | Int32Array, idx: Int32Array, from: number, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let k = 0; k < count; k++) out[k] = src[idx[from + k]];
  return out;
}

/** A minibatch's tensors for the tfjs loss (adv already normalised when normAdv). */
export interface TfMinibatch {
  obs: tf.Tensor2D;
  /** One-hot actions [batch][numActions], float. */
  act: tf.Tensor;
  oldLogp: tf.Tensor;
  ret: tf.Tensor;
  oldV: tf.Tensor;
  adv: tf.Tensor;
}

/** PPO's loss in tfjs ops and its statistics [pgLoss, vLoss, entropy, approxKl, clipFrac, loss]; inside a tidy. */
export function ppoLossTf(
  policy: TfPolicy,
  mb: TfMinibatch,
  c: PpoConfig,
  criticOnly: boolean,
): { loss: tf.Scalar; stats: tf.Tensor } {
  const { obs, act, oldLogp, ret, oldV, adv } = mb;
  const logp = tf.logSoftmax(logitsOf(policy, obs));
  const newLogp = tf.sum(tf.mul(logp, act), 1);
  const entropy = tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1)));
  const logRatio = tf.sub(newLogp, oldLogp);
  const ratio = tf.exp(logRatio);
  const pg1 = tf.mul(tf.neg(adv), ratio);
  const pg2 = tf.mul(tf.neg(adv), tf.clipByValue(ratio, 1 - c.clipCoef, 1 + c.clipCoef));
  const pgLoss = tf.mean(tf.maximum(pg1, pg2));
  const newV = valuesOf(policy, obs);
  const vUnclipped = tf.square(tf.sub(newV, ret));
  const vLoss = c.clipVloss
    ? tf.mul(
        0.5,
        tf.mean(
          tf.maximum(
            vUnclipped,
            tf.square(tf.sub(tf.add(oldV, tf.clipByValue(tf.sub(newV, oldV), -c.clipCoef, c.clipCoef)), ret)),
          ),
        ),
      )
    : tf.mul(0.5, tf.mean(vUnclipped));
  const loss = criticOnly
    ? tf.mul(c.vfCoef, vLoss)
    : tf.add(tf.sub(pgLoss, tf.mul(c.entCoef, entropy)), tf.mul(c.vfCoef, vLoss));
  const approxKl = tf.mean(tf.sub(tf.sub(ratio, 1), logRatio));
  const clipFrac = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), c.clipCoef), 'float32'));
  return { loss: loss as tf.Scalar, stats: tf.stack([pgLoss, vLoss, entropy, approxKl, clipFrac, loss]) };
}

/** Trains for the budget's iterations (ppoIterations(config)) or until `shouldStop`; returns the best policy by validation score. */
export async function trainPpo(run: PpoRun): Promise<PpoOutcome> {
  const { config: c, vec, policy, rng } = run;
  const N = c.numEnvs;
  const T = c.numSteps;
  const B = N * T;
  const mbSize = B / c.numMinibatches;
  const obsDim = vec.obsDim;
  const nA = vec.envs[0].levels.length;
  if (vec.numEnvs !== N) throw new Error(`VecEnv has ${vec.numEnvs} envs, config wants ${N}`);

  const optimizer = tf.train.adam(c.learningRate, 0.9, 0.999, c.adamEps);
  // tfjs Adam keeps its moments by the position of each gradient, so the critic-only warm-up needs its own.
  const criticOptimizer = tf.train.adam(c.learningRate, 0.9, 0.999, c.adamEps);
  // tfjs reads `learningRate` at every applyGradients, so annealing sets it (the field is protected in the typings).
  const lr = optimizer as unknown as { learningRate: number };
  let lrNow = c.learningRate;
  // The plain-TypeScript update (default), from the run's starting weights; tfjs's optimisers then stay unused.
  const learner = c.updateEngine === 'ts' ? new PpoLearner(run.weights, c) : null;
  const learnerStats = new Float64Array(7);
  const obsBuf = new Float32Array(B * obsDim);
  const actBuf = new Int32Array(B);
  const logpBuf = new Float32Array(B);
  const valBuf = new Float32Array(B);
  const rewBuf = new Float32Array(B);
  const doneBuf = new Uint8Array(B);
  const logits = new Float32Array(N * nA);
  const values = new Float32Array(N);
  const finalValues = new Float32Array(N);
  const stepLogp = new Float32Array(N);
  const actions = new Int32Array(N);
  const idx = new Int32Array(B);

  let weights = run.weights;
  let best = cloneWeights(weights);
  let bestScore = run.initialScore ?? run.evaluate(weights);
  let globalStep = 0;
  let iteration = 0;
  let stopReason: StopReason = 'budget';
  let message: string | undefined;
  const numIterations = ppoIterations(c);
  const t0 = run.nowMs();
  const now = run.nowMs;
  // Where the time goes, ms since the start (clock metrics: measured, never read by the loop's decisions).
  const spent = { env: 0, policy: 0, gae: 0, update: 0, read_back: 0, evaluate: 0, host: 0 };

  try {
    while (iteration < numIterations) {
      const reason = run.shouldStop();
      if (reason) {
        stopReason = reason;
        break;
      }
      iteration++;
      // 1. Anneal the learning rate by the share of the budget done, as CleanRL (never by time).
      if (c.annealLr)
        lrNow =
          lr.learningRate =
          (criticOptimizer as unknown as { learningRate: number }).learningRate =
            c.learningRate * (1 - (iteration - 1) / numIterations);
      const criticOnly = run.warmStarted && iteration <= c.criticWarmupIterations;

      // 2. Rollout: one batched forward pass per step for all envs.
      let tA = now();
      for (let step = 0; step < T; step++) {
        const base = step * N;
        obsBuf.set(vec.obs, base * obsDim);
        forwardStack(weights.actor, vec.obs, N, logits);
        forwardStack(weights.critic, vec.obs, N, values);
        for (let e = 0; e < N; e++) {
          actions[e] = sampleRow(logits, e, nA, rng, stepLogp);
          actBuf[base + e] = actions[e];
          logpBuf[base + e] = stepLogp[e];
          valBuf[base + e] = values[e];
        }
        const tB = now();
        spent.policy += tB - tA;
        const out = vec.step(actions);
        let anyTruncated = false;
        for (let e = 0; e < N; e++) {
          rewBuf[base + e] = out.rewards[e];
          doneBuf[base + e] = out.terminated[e] | out.truncated[e];
          if (out.truncated[e]) anyTruncated = true;
        }
        if (c.bootstrapTruncated && anyTruncated) {
          forwardStack(weights.critic, out.finalObs, N, finalValues);
          for (let e = 0; e < N; e++) if (out.truncated[e]) rewBuf[base + e] += c.gamma * finalValues[e];
        }
        tA = now();
        spent.env += tA - tB;
      }
      globalStep += B;

      // 3. GAE, bootstrapped from the value of the observation after the rollout.
      forwardStack(weights.critic, vec.obs, N, values);
      const { advantages, returns } = computeGae(rewBuf, valBuf, doneBuf, values, T, N, c.gamma, c.gaeLambda);
      let tC = now();
      spent.gae += tC - tA;

      // 4–5. Epochs × minibatches (the buffers are already flat: index = step × N + env).
      for (let i = 0; i < B; i++) idx[i] = i;
      const vars = criticOnly ? policy.criticVars() : [...policy.actorVars(), ...policy.criticVars()];
      let stats: ArrayLike<number> = new Float32Array(7);
      const rollout = {
        obs: obsBuf,
        obsDim,
        actions: actBuf,
        logp: logpBuf,
        values: valBuf,
        advantages,
        returns,
      };
      let klStopped = false;
      for (let epoch = 0; epoch < c.updateEpochs && !klStopped; epoch++) {
        shuffleInPlace(idx, rng);
        let kept: tf.Tensor | null = null;
        if (learner) {
          for (let start = 0; start < B; start += mbSize)
            learner.step(rollout, idx, start, mbSize, criticOnly, lrNow, start + mbSize >= B ? learnerStats : null);
          stats = learnerStats;
        }
        for (let start = 0; start < B && !learner; start += mbSize) {
          const mbObs = gatherRows(obsBuf, idx, start, mbSize, obsDim);
          const mbAct = gather(actBuf, idx, start, mbSize);
          const mbLogp = gather(logpBuf, idx, start, mbSize);
          const mbAdv = gather(advantages, idx, start, mbSize);
          const mbRet = gather(returns, idx, start, mbSize);
          const mbVal = gather(valBuf, idx, start, mbSize);
          const metrics = tf.tidy(() => {
            const obs = tf.tensor2d(mbObs, [mbSize, obsDim]);
            const act = tf.oneHot(tf.tensor1d(mbAct, 'int32'), nA).toFloat();
            const oldLogp = tf.tensor1d(mbLogp);
            const ret = tf.tensor1d(mbRet);
            const oldV = tf.tensor1d(mbVal);
            let adv: tf.Tensor = tf.tensor1d(mbAdv);
            if (c.normAdv) {
              const m = tf.moments(adv);
              adv = tf.div(tf.sub(adv, m.mean), tf.add(tf.sqrt(m.variance), 1e-8));
            }
            const held: { stats?: tf.Tensor } = {};
            const { grads } = tf.variableGrads(() => {
              const out = ppoLossTf(policy, { obs, act, oldLogp, ret, oldV, adv }, c, criticOnly);
              // Kept past variableGrads' own scope; disposed right after use below.
              held.stats = tf.keep(out.stats);
              return out.loss;
            }, vars);
            const clipped = clipByGlobalNorm(grads, c.maxGradNorm);
            (criticOnly ? criticOptimizer : optimizer).applyGradients(clipped.grads as tf.NamedTensorMap as never);
            const all = tf.concat([held.stats!, tf.reshape(clipped.norm, [1])]);
            held.stats!.dispose();
            return all;
          });
          kept?.dispose();
          kept = metrics;
        }
        // 6. Metrics of the epoch's last minibatch (as CleanRL logs), KL early stop, divergence check.
        if (!learner) {
          stats = (await kept!.data()) as Float32Array;
          kept!.dispose();
        }
        if (!Number.isFinite(stats[5]) || Math.abs(stats[5]) > c.divergenceLoss) {
          throw new DivergedError(
            `PPO diverged at iteration ${iteration}: loss ${stats[5]}; keeping the best policy so far`,
          );
        }
        if (c.targetKl > 0 && stats[3] > c.targetKl) klStopped = true;
      }
      let tD = now();
      spent.update += tD - tC;
      weights = learner ? learner.weights() : await policy.read();
      tC = now();
      spent.read_back += tC - tD;
      if (!weightsFinite(weights))
        throw new DivergedError(
          `PPO diverged at iteration ${iteration}: non-finite weights; keeping the best policy so far`,
        );

      // 7. Metrics, CleanRL names; episodic return is the shaped reward, episodic cash the money.
      let yPred = 0;
      let yVar = 0;
      let yMean = 0;
      for (let i = 0; i < B; i++) yMean += returns[i] / B;
      for (let i = 0; i < B; i++) {
        yVar += (returns[i] - yMean) ** 2;
        yPred += (returns[i] - valBuf[i]) ** 2;
      }
      const eps = vec.drainEpisodes();
      tD = now();
      const elapsedS = (tD - t0) / 1000;
      const metrics: Record<string, number> = {
        'charts/learning_rate': lrNow,
        'losses/policy_loss': stats[0],
        'losses/value_loss': stats[1],
        'losses/entropy': stats[2],
        'losses/approx_kl': stats[3],
        'losses/clipfrac': stats[4],
        'losses/grad_norm': stats[6],
        'losses/explained_variance': yVar > 0 ? 1 - yPred / yVar : 0,
        'charts/SPS': elapsedS > 0 ? globalStep / elapsedS : 0,
        'charts/global_step': globalStep,
      };
      if (eps.length > 0) {
        metrics['charts/episodic_return'] = eps.reduce((s, e) => s + e.reward, 0) / eps.length;
        metrics['charts/episodic_cash_eur'] = eps.reduce((s, e) => s + e.cashEur, 0) / eps.length;
        metrics['charts/episodic_length'] = eps.reduce((s, e) => s + e.length, 0) / eps.length;
      }

      // 8. Greedy validation; keep the best.
      let score: number | undefined;
      if (iteration % c.evalEveryIterations === 0 && !criticOnly) {
        tD = now();
        score = run.evaluate(weights);
        spent.evaluate += now() - tD;
        metrics['charts/validation_share'] = score;
        if (score > bestScore) {
          bestScore = score;
          best = cloneWeights(weights);
        }
      }
      for (const [k, ms] of Object.entries(spent)) metrics[`time/${k}_s`] = ms / 1000;
      tD = now();
      run.onIteration(iteration, metrics, score, weights);
      await run.yieldToEvents();
      spent.host += now() - tD;
    }
    if (iteration > 0 && !(run.warmStarted && iteration <= c.criticWarmupIterations)) {
      const score = run.evaluate(weights);
      if (score > bestScore) {
        bestScore = score;
        best = cloneWeights(weights);
      }
    }
  } catch (err) {
    if (!(err instanceof DivergedError)) throw err;
    stopReason = 'diverged';
    message = err.message;
  } finally {
    // The tfjs copy follows the plain-TypeScript update, for a caller that goes on with it.
    if (learner && iteration > 0) policy.assign(weights);
    optimizer.dispose();
    criticOptimizer.dispose();
  }
  return { best, bestScore, stopReason, message, iterations: iteration, globalStep };
}

/** Raised inside the loop when losses or weights blow up; the run ends with the best policy so far. */
class DivergedError extends Error {}

function weightsFinite(w: PolicyWeights): boolean {
  for (const l of [...w.actor, ...w.critic]) {
    for (const v of l.kernel) if (!Number.isFinite(v)) return false;
    for (const v of l.bias) if (!Number.isFinite(v)) return false;
  }
  return true;
}
