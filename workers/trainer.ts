// The trainer as a plain object (Node tests and the CLI import it; trainer.worker.ts only registers tfjs backends and
// exposes it through Comlink). This file chooses the tfjs backend and wires the host (clock, stop flag, yielding);
// the run itself is src/core/rl/run.ts runTraining.

import * as tf from '@tensorflow/tfjs';
import { type BatterySpec, resolveBattery } from '../src/core/battery/index.ts';
import { createObsContext, siteFromRecord, siteIsActive, withSite } from '../src/core/env/index.ts';
import { type ObsContext } from '../src/core/env/features.ts';
import { assertSiteSeries, resolveSite } from '../src/core/site/site.ts';
import { type OracleInput, type OracleResult } from '../src/core/oracle/types.ts';
import { solveOracle } from '../src/core/oracle/oracle.ts';
import { backtestWeights } from '../src/core/rl/backtest.ts';
import { type DayAheadInputs, dayAheadModelContext } from '../src/core/rl/day-ahead.ts';
import { checkSavedModel } from '../src/core/rl/model.ts';
import { runTraining } from '../src/core/rl/run.ts';
import { BACKEND_NAMES } from '../src/core/rl/types.ts';
import type {
  Backtest,
  BackendName,
  PriceSlice,
  SavedModel,
  TrainProgress,
  TrainRequest,
  TrainResult,
  TrainerApi,
  BacktestSite,
} from './trainer-api.ts';

/** What the trainer needs from its host; every field has a default that works in Node and in a worker. */
export interface TrainerDeps {
  /** Activates a backend ('auto': measure and pick the fastest) and returns the one really in use. */
  selectBackend: (want: BackendName | 'auto') => Promise<BackendName>;
  /** The perfect-foresight optimum, for the share of oracle. */
  oracle: (input: OracleInput) => OracleResult;
  /** The run's clock (measures, and enforces the seconds cap; the budget never reads it). */
  nowMs: () => number;
  /** Lets a stop() message in between iterations (a macrotask in a worker). */
  yieldToEvents: () => Promise<void>;
}

const KNOWN_BACKENDS: BackendName[] = [...BACKEND_NAMES];

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
export async function pickFastestBackend(
  candidates: BackendName[] = KNOWN_BACKENDS,
): Promise<{ backend: BackendName; msPerUpdate: Partial<Record<BackendName, number>> }> {
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
export async function selectBackend(
  want: BackendName | 'auto',
  candidates: BackendName[] = KNOWN_BACKENDS,
): Promise<BackendName> {
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

/** Creates a trainer; `overrides` replace host functions (tests inject a clock or an oracle). */
export function createTrainer(overrides: Partial<TrainerDeps> = {}): TrainerApi {
  const deps: TrainerDeps = { ...defaultDeps, ...overrides };
  let stopRequested = false;

  return {
    async start(
      req: TrainRequest,
      onProgress: (p: TrainProgress) => void,
      onCheckpoint?: (model: SavedModel) => void,
    ): Promise<TrainResult> {
      stopRequested = false;
      const backend = await deps.selectBackend(req.backend ?? 'auto');
      return runTraining(req, {
        backend,
        oracle: deps.oracle,
        nowMs: deps.nowMs,
        onProgress,
        stopRequested: () => stopRequested,
        yieldToEvents: deps.yieldToEvents,
        onCheckpoint,
      });
    },

    async stop(): Promise<void> {
      stopRequested = true;
    },

    async backtest(
      saved: SavedModel,
      series: PriceSlice,
      dtHours: number,
      batterySpec: BatterySpec,
      inputs?: DayAheadInputs,
      options: { teacher?: boolean; site?: BacktestSite } = {},
    ): Promise<Backtest> {
      const { model, weights } = checkSavedModel(saved);
      const { config } = model;
      if (Math.abs(config.dtHours - dtHours) > 1e-9)
        throw new Error(`model was trained on ${config.dtHours} h steps, the series has ${dtHours} h steps`);
      const battery = resolveBattery(batterySpec);
      const s = { timesUtcMs: series.timesUtcMs, pricesEurPerMWh: series.pricesEurPerMWh, dtHours };
      const onSite = siteFor(config.site, options.site, series.pricesEurPerMWh.length);
      if (config.information?.mode === 'day-ahead') {
        // Decisions start at the first delivery day the model's forecaster issues for; the oracle covers the same span.
        const { ctx: plain, from, to } = dayAheadModelContext(config, s, battery, inputs);
        const ctx = onSite(plain, from, to);
        const span = {
          timesUtcMs: series.timesUtcMs.subarray(from, to),
          pricesEurPerMWh: series.pricesEurPerMWh.subarray(from, to),
        };
        return backtestWeights(
          weights,
          ctx,
          span,
          battery,
          config.env,
          deps.oracle,
          options.teacher ? undefined : null,
        );
      }
      const ctx = onSite(createObsContext(s, battery, config.env, config.stats), 0, series.pricesEurPerMWh.length);
      return backtestWeights(weights, ctx, s, battery, config.env, deps.oracle, options.teacher ? undefined : null);
    },
  };
}

/**
 * How a backtest puts a context on the model's site: the model's site parameters with `given.site`'s fields on top,
 * the given PV and load (steps [from, to) for a context of those steps). A model without a site on an active site,
 * or a site model without the series' PV and load, is an Error naming the problem.
 */
function siteFor(
  record: SavedModel['config']['site'],
  given: BacktestSite | undefined,
  steps: number,
): (ctx: ObsContext, from: number, to: number) => ObsContext {
  if (!record) {
    if (given && siteIsActive(resolveSite(given.site ?? {}), given.series))
      throw new Error(
        'model was trained on the battery alone (no site): it does not observe PV or load; train it on the site (bess train with the site flags)',
      );
    return (ctx) => ctx;
  }
  if (!given)
    throw new Error(
      'model was trained on a site (config.site): the backtest needs the series PV and load (pv_kw, load_kw)',
    );
  const site = siteFromRecord(record, given.site ?? {});
  assertSiteSeries(site, given.series, steps);
  const cut = (xs: ArrayLike<number> | null, from: number, to: number) =>
    xs === null ? null : Float64Array.from({ length: to - from }, (_, i) => xs[from + i]);
  return (ctx, from, to) =>
    withSite(ctx, site, { pvKW: cut(given.series.pvKW, from, to), loadKW: cut(given.series.loadKW, from, to) }, record);
}

/** The default trainer instance (what the worker exposes). */
export const trainer: TrainerApi = createTrainer();
