// The trainer as a plain object (Node tests and the CLI import it; trainer.worker.ts only picks tfjs backends and
// exposes it through Comlink). A run: choose the backend → build the teacher dataset and clone it (optional) →
// PPO fine-tuning until the time budget or stop() → greedy backtest of the best policy on the test split.

import * as tf from '@tensorflow/tfjs';
import { type BatteryParams, type BatterySpec, requestForPowerFraction, resolveBattery } from '../src/core/battery/index.ts';
import { type EnvConfig, actionLevels, computeNormStats, createObsContext, resolveEnvConfig, VecEnv } from '../src/core/env/index.ts';
import { type ObsContext, type EnvSeries } from '../src/core/env/features.ts';
import { type OracleInput, type OracleResult } from '../src/core/oracle/types.ts';
import { simulate } from '../src/core/sim/simulate.ts';
import { DEFAULT_CLONE_CONFIG, augmentVariants, buildCloneDataset, concatDatasets, trainClone } from '../src/core/rl/clone.ts';
import { greedyRollout } from '../src/core/rl/evaluate.ts';
import { type PolicyWeights, cloneWeights, initPolicyWeights } from '../src/core/rl/mlp.ts';
import { fromSavedPolicy, toSavedPolicy } from '../src/core/rl/model.ts';
import { resolvePpoConfig, trainPpo } from '../src/core/rl/ppo.ts';
import { createRng, sampleSteps } from '../src/core/rl/rng.ts';
import { TfPolicy } from '../src/core/rl/tf-policy.ts';
import { solveOracle } from '../src/core/oracle/oracle.ts';
import type { Backtest, BackendName, SavedModel, TrainProgress, TrainRequest, TrainResult, TrainerApi } from './trainer-api.ts';

/** What the trainer needs from its host; every field has a default that works in Node and in a worker. */
export interface TrainerDeps {
  /** Activates a backend ('auto': measure and pick the fastest) and returns the one really in use. */
  selectBackend: (want: BackendName | 'auto') => Promise<BackendName>;
  /** The perfect-foresight optimum, for the share of oracle. */
  oracle: (input: OracleInput) => OracleResult;
  nowMs: () => number;
  /** Lets a stop() message in between iterations (a macrotask in a worker). */
  yieldToEvents: () => Promise<void>;
}

const KNOWN_BACKENDS: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/**
 * Milliseconds of one cloning-sized Adam step (2×64 MLP, minibatch 512) with its read-back, median of 5 after 2
 * warm-ups: the median keeps a busy machine's hiccups from crowning a slower backend (seen: cpu over wasm under load).
 */
async function timeOneUpdate(): Promise<number> {
  const obsDim = 36;
  const w1 = tf.variable(tf.randomNormal([obsDim, 64], 0, 0.1, 'float32', 1));
  const w2 = tf.variable(tf.randomNormal([64, 64], 0, 0.1, 'float32', 2));
  const w3 = tf.variable(tf.randomNormal([64, 3], 0, 0.1, 'float32', 3));
  const x = tf.randomNormal([512, obsDim], 0, 1, 'float32', 4);
  const opt = tf.train.adam(1e-3);
  const once = async () => {
    const loss = tf.tidy(() => {
      const f = () => tf.mean(tf.square(tf.matMul(tf.tanh(tf.matMul(tf.tanh(tf.matMul(x, w1)), w2)), w3))) as tf.Scalar;
      const { value, grads } = tf.variableGrads(f, [w1, w2, w3]);
      opt.applyGradients(grads as never);
      return value;
    });
    await loss.data();
    loss.dispose();
  };
  try {
    await once();
    await once();
    const ms: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await once();
      ms.push(performance.now() - t0);
    }
    return ms.sort((a, b) => a - b)[2];
  } finally {
    opt.dispose();
    for (const t of [w1, w2, w3, x]) t.dispose();
  }
}

/** Measures every registered backend among `candidates` and activates the fastest; returns the measurements too. */
export async function pickFastestBackend(candidates: BackendName[] = KNOWN_BACKENDS): Promise<{ backend: BackendName; msPerUpdate: Partial<Record<BackendName, number>> }> {
  const msPerUpdate: Partial<Record<BackendName, number>> = {};
  for (const name of candidates) {
    if (!tf.findBackendFactory(name)) continue;
    try {
      if (!(await tf.setBackend(name))) continue;
      await tf.ready();
      // setBackend('webgpu') can fall back silently: believe only getBackend().
      if (tf.getBackend() !== name) continue;
      msPerUpdate[name] = await timeOneUpdate();
    } catch {
      // A backend that throws while measuring is simply not a candidate.
    }
  }
  const ranked = (Object.entries(msPerUpdate) as [BackendName, number][]).sort((a, b) => a[1] - b[1]);
  if (ranked.length === 0) throw new Error('no tfjs backend could run');
  await tf.setBackend(ranked[0][0]);
  await tf.ready();
  return { backend: ranked[0][0], msPerUpdate };
}

/** Default backend selection: a named backend if it really activates, else the fastest measured of `candidates`. */
export async function selectBackend(want: BackendName | 'auto', candidates: BackendName[] = KNOWN_BACKENDS): Promise<BackendName> {
  if (want !== 'auto') {
    const ok = tf.findBackendFactory(want) ? await tf.setBackend(want) : false;
    await tf.ready();
    if (ok && tf.getBackend() === want) return want;
  }
  return (await pickFastestBackend(candidates)).backend;
}

const defaultDeps: TrainerDeps = {
  selectBackend: (want) => selectBackend(want),
  oracle: (input) => solveOracle(input, () => performance.now()),
  nowMs: () => performance.now(),
  yieldToEvents: () => new Promise((r) => setTimeout(r, 0)),
};

/** Options of a run beyond env, PPO and cloning (TrainRequest.run). */
export interface RunOptions {
  /** Last share of the training split held out for greedy validation (keep-best). */
  validationFraction: number;
  /** Cloning may use at most this share of the time budget; PPO gets the rest. */
  cloneTimeFraction: number;
  /** Seconds reserved at the end for the test-split backtest. */
  backtestReserveS: number;
  /**
   * A fine-tuned policy replaces its start only if its validation share is higher by this much (share of the
   * oracle): one greedy path over the validation slice differs by about a point between near-equal policies
   * (measured on FI 2020: ±1% with no relation to the test split), and picking by such noise lost test share.
   */
  keepBestMargin: number;
}

export const DEFAULT_RUN_OPTIONS: Readonly<RunOptions> = Object.freeze({ validationFraction: 0.15, cloneTimeFraction: 0.7, backtestReserveS: 1, keepBestMargin: 0.01 });

/** Defaults filled in from a partial record of numbers; unknown names and non-numbers are errors. */
function resolveOptions<T extends object>(what: string, defaults: Readonly<T>, partial: Record<string, number> | undefined): T {
  for (const [k, v] of Object.entries(partial ?? {})) {
    if (!(k in defaults)) throw new RangeError(`unknown ${what} option "${k}"`);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${what}.${k} must be a finite number`);
  }
  return { ...defaults, ...(partial ?? {}) } as T;
}

function slice(s: { timesUtcMs: Float64Array; pricesEurPerMWh: Float64Array }, from: number, to: number, dtHours: number): EnvSeries & { timesUtcMs: Float64Array; pricesEurPerMWh: Float64Array } {
  return { timesUtcMs: s.timesUtcMs.subarray(from, to), pricesEurPerMWh: s.pricesEurPerMWh.subarray(from, to), dtHours };
}

/** Greedy backtest of weights on a series, with the oracle's profit and SOC on the same series and battery. */
export function backtestWeights(
  weights: PolicyWeights,
  ctx: ObsContext,
  series: { timesUtcMs: Float64Array; pricesEurPerMWh: Float64Array },
  battery: BatteryParams,
  env: EnvConfig,
  oracle: (input: OracleInput) => OracleResult,
): Backtest {
  const { actions } = greedyRollout(weights, ctx, battery, env);
  const levels = actionLevels(env.numActions);
  const n = actions.length;
  const chargeKWh = new Float64Array(n);
  const dischargeKWh = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const r = requestForPowerFraction(battery, levels[actions[t]], ctx.dtHours);
    chargeKWh[t] = r.chargeKWh;
    dischargeKWh[t] = r.dischargeKWh;
  }
  const sim = simulate(battery, series.pricesEurPerMWh, ctx.dtHours, { chargeKWh, dischargeKWh });
  const o = oracle({ pricesEurPerMWh: series.pricesEurPerMWh, dtHours: ctx.dtHours, battery });
  return {
    profitEur: sim.profitEur,
    oracleProfitEur: o.profitEur,
    shareOfOracle: o.profitEur > 0 ? sim.profitEur / o.profitEur : 0,
    equivalentCycles: sim.equivalentCycles,
    trace: {
      timesUtcMs: series.timesUtcMs.slice(),
      pricesEurPerMWh: series.pricesEurPerMWh.slice(),
      actions,
      socBeforeKWh: sim.socBeforeKWh,
      socAfterKWh: sim.socAfterKWh,
      cashEur: sim.cashEur,
      oracleSocKWh: o.schedule.socKWh,
    },
  };
}

/** Creates a trainer; `deps` overrides host functions (tests inject a clock or an oracle). */
export function createTrainer(overrides: Partial<TrainerDeps> = {}): TrainerApi {
  const deps: TrainerDeps = { ...defaultDeps, ...overrides };
  let stopRequested = false;

  return {
    async start(req: TrainRequest, onProgress: (p: TrainProgress) => void, onCheckpoint?: (model: SavedModel) => void): Promise<TrainResult> {
      stopRequested = false;
      const t0 = deps.nowMs();
      const elapsedS = () => (deps.nowMs() - t0) / 1000;
      const history: TrainProgress[] = [];
      const emit = (p: TrainProgress) => {
        history.push(p);
        onProgress(p);
      };
      const battery = resolveBattery(req.battery);
      const { validationFraction, cloneTimeFraction, backtestReserveS, keepBestMargin } = resolveOptions('run', DEFAULT_RUN_OPTIONS, req.run);
      const env = resolveEnvConfig(req.env);
      const cloneCfg = resolveOptions('cloneOptions', DEFAULT_CLONE_CONFIG, req.cloneOptions);
      const ppo = resolvePpoConfig(req.ppo);
      const clone = req.clone ?? true;
      const dt = req.dtHours;
      const budgetS = req.seconds;
      const deadlineS = Math.max(0, budgetS - backtestReserveS);

      // Backend.
      const backend = await deps.selectBackend(req.backend ?? 'auto');
      emit({ phase: 'backend', iteration: 0, elapsedS: elapsedS(), metrics: {}, message: `tfjs backend: ${backend}` });

      // Splits: the training split's tail validates (keep-best); statistics come from the whole training split.
      const nTrain = req.train.pricesEurPerMWh.length;
      const nVal = Math.min(nTrain - 1, Math.max(1, Math.round(nTrain * validationFraction)));
      const fit = slice(req.train, 0, nTrain - nVal, dt);
      const val = slice(req.train, nTrain - nVal, nTrain, dt);
      const test = slice(req.test, 0, req.test.pricesEurPerMWh.length, dt);
      const stats = computeNormStats({ ...req.train, dtHours: dt }, battery, env);
      const fitCtx = createObsContext(fit, battery, env, stats);
      const valCtx = createObsContext(val, battery, env, stats);
      const testCtx = createObsContext(test, battery, env, stats);
      const valOracle = deps.oracle({ pricesEurPerMWh: val.pricesEurPerMWh, dtHours: dt, battery }).profitEur;
      const evaluate = (w: PolicyWeights) => {
        const p = greedyRollout(w, valCtx, battery, env).profitEur;
        return valOracle > 0 ? p / valOracle : p;
      };
      // Test-split share for the live curve only (selection never looks at the test split).
      const testOracle = deps.oracle({ pricesEurPerMWh: test.pricesEurPerMWh, dtHours: dt, battery });
      const testShare = (w: PolicyWeights) => {
        const p = greedyRollout(w, testCtx, battery, env).profitEur;
        return testOracle.profitEur > 0 ? p / testOracle.profitEur : 0;
      };

      const rng = createRng(req.seed);
      let weights = initPolicyWeights(fitCtx.obsDim, env.numActions, ppo.hiddenSize, rng);
      const policy = new TfPolicy(weights);
      let best = cloneWeights(weights);
      let bestScore = evaluate(weights);
      let stopReason = 'done';
      const checkpoint = (w: PolicyWeights, score: number) => onCheckpoint?.(toSavedPolicy(w, { env, stats, dtHours: dt, battery, hiddenSize: ppo.hiddenSize, validationShare: score, backend }));
      try {
        // Warm start: clone the rolling-horizon teacher.
        if (clone && !stopRequested) {
          const parts = [buildCloneDataset(fitCtx, battery, env, cloneCfg.maxSocLevels)];
          const variants = augmentVariants(cloneCfg, stats.priceStdEurPerMWh);
          const perCopy = Math.min(fit.pricesEurPerMWh.length, Math.round((cloneCfg.augmentSamples / Math.max(1, variants.length)) * fit.pricesEurPerMWh.length));
          for (const { scale, shiftEurPerMWh } of perCopy > 0 ? variants : []) {
            const moved = { ...fit, pricesEurPerMWh: fit.pricesEurPerMWh.map((p) => p * scale + shiftEurPerMWh) };
            parts.push(buildCloneDataset(createObsContext(moved, battery, env, stats), battery, env, cloneCfg.maxSocLevels, sampleSteps(fit.pricesEurPerMWh.length, perCopy, rng)));
          }
          const data = parts.length > 1 ? concatDatasets(parts) : parts[0];
          emit({ phase: 'clone', iteration: 0, elapsedS: elapsedS(), metrics: { 'clone/samples': data.count, 'clone/soc_levels': data.socLevels.length }, message: `teacher dataset: ${data.count} samples` });
          const cloneDeadlineS = Math.min(deadlineS, budgetS * cloneTimeFraction);
          const cloneStartS = elapsedS();
          await trainClone(policy, data, cloneCfg, env.numActions, rng, async (epoch, loss, accuracy) => {
            weights = await policy.read();
            const score = evaluate(weights);
            // The clone's latest epoch is the start of fine-tuning, whatever its validation score: imitation
            // improves with every epoch, while one greedy path over the validation slice moved ±1% between epochs
            // with no relation to the test split (FI 2020: picking by it lost up to 1.8 points).
            bestScore = score;
            best = cloneWeights(weights);
            checkpoint(best, score);
            emit({ phase: 'clone', iteration: epoch, elapsedS: elapsedS(), metrics: { 'clone/loss': loss, 'clone/accuracy': accuracy, 'charts/validation_share': score, 'charts/test_share': testShare(weights) }, shareOfOracle: score });
            await deps.yieldToEvents();
            if (stopRequested) stopReason = 'stopped';
            else if (elapsedS() >= cloneDeadlineS) stopReason = elapsedS() >= deadlineS ? 'time' : 'done';
            return !stopRequested && elapsedS() < cloneDeadlineS;
          }, async () => {
            await deps.yieldToEvents();
            return !stopRequested && elapsedS() < cloneDeadlineS;
          }, () => Math.min(1, (elapsedS() - cloneStartS) / Math.max(1e-9, cloneDeadlineS - cloneStartS)));
          policy.assign(best);
          weights = cloneWeights(best);
        }

        // PPO, from the clone or from scratch, until the budget or stop().
        if (!stopRequested && elapsedS() < deadlineS) {
          const ppoStartS = elapsedS();
          const vec = new VecEnv(fitCtx, battery, env, ppo.numEnvs, rng);
          // trainPpo keeps an iteration's weights when their score beats this (its own rule), so they are the checkpoint.
          let checkpointScore = bestScore + keepBestMargin;
          const out = await trainPpo({
            config: ppo,
            vec,
            policy,
            weights,
            rng,
            warmStarted: clone,
            evaluate,
            initialScore: bestScore + keepBestMargin,
            progress: () => Math.min(1, (elapsedS() - ppoStartS) / Math.max(1e-9, deadlineS - ppoStartS)),
            shouldStop: () => (stopRequested ? 'stopped' : elapsedS() >= deadlineS ? 'time' : null),
            onIteration: (iteration, metrics, score, w) => {
              if (score !== undefined) metrics['charts/test_share'] = testShare(w);
              if (score !== undefined && score > checkpointScore) {
                checkpointScore = score;
                checkpoint(w, score);
              }
              emit({ phase: 'ppo', iteration, elapsedS: elapsedS(), metrics, shareOfOracle: score });
            },
            yieldToEvents: deps.yieldToEvents,
            nowMs: deps.nowMs,
          });
          stopReason = out.stopReason;
          if (out.message) emit({ phase: 'ppo', iteration: out.iterations, elapsedS: elapsedS(), metrics: {}, message: out.message });
          if (out.bestScore > bestScore + keepBestMargin) {
            bestScore = out.bestScore;
            best = out.best;
          }
        } else if (stopRequested) stopReason = 'stopped';
        else if (stopReason === 'done') stopReason = 'time';
      } finally {
        policy.dispose();
      }

      // Greedy backtest of the best policy on the test split.
      const backtest = backtestWeights(best, testCtx, test, battery, env, () => testOracle);
      emit({ phase: 'eval', iteration: 0, elapsedS: elapsedS(), metrics: { 'eval/profit_eur': backtest.profitEur, 'eval/share_of_oracle': backtest.shareOfOracle, 'eval/validation_share': bestScore }, shareOfOracle: backtest.shareOfOracle });
      const params = {
        battery,
        env,
        ppo,
        clone,
        cloneConfig: cloneCfg,
        run: { validationFraction, cloneTimeFraction, backtestReserveS, keepBestMargin },
        seed: req.seed,
        seconds: req.seconds,
        backend,
        data: { dtHours: dt, trainSteps: nTrain, testSteps: test.pricesEurPerMWh.length, trainStartUtcMs: req.train.timesUtcMs[0], testStartUtcMs: req.test.timesUtcMs[0] },
      };
      const model: SavedModel = toSavedPolicy(best, { env, stats, dtHours: dt, battery, hiddenSize: ppo.hiddenSize, validationShare: bestScore, backend });
      return { backend, params, history, stopReason, model, backtest };
    },

    async stop(): Promise<void> {
      stopRequested = true;
    },

    async backtest(model: SavedModel, series, dtHours, batterySpec: BatterySpec): Promise<Backtest> {
      const { weights, config } = fromSavedPolicy(model);
      if (Math.abs(config.dtHours - dtHours) > 1e-9) throw new Error(`model was trained on ${config.dtHours} h steps, the series has ${dtHours} h steps`);
      const battery = resolveBattery(batterySpec);
      const s = slice(series, 0, series.pricesEurPerMWh.length, dtHours);
      const ctx = createObsContext(s, battery, config.env, config.stats);
      if (ctx.obsDim !== weights.actor[0].inDim) throw new Error(`model expects ${weights.actor[0].inDim} inputs, the env makes ${ctx.obsDim}`);
      return backtestWeights(weights, ctx, s, battery, config.env, deps.oracle);
    },
  };
}

/** The default trainer instance (what the worker exposes). */
export const trainer: TrainerApi = createTrainer();
