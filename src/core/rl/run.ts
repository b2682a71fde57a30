// A training run, start to end, as one pure function: splits → teacher dataset and cloning (optional) → PPO
// fine-tuning → keep-best → greedy backtest of the kept policy on the test split. The host (workers/trainer.ts,
// the CLI) chooses the tfjs backend and passes a clock, a progress callback and a stop flag.
//
// The work is a budget (CloneConfig.epochs, PpoConfig.totalTimesteps) and every learning-rate schedule runs by the
// share of that budget done, so the same seed and settings give the same weights and metrics on any machine load.
// The clock only measures (elapsedS, charts/SPS) and enforces the optional seconds cap; StopControl is the one
// place that decides why a run ended.

import { type BatteryParams, type BatterySpec, resolveBattery } from '../battery/index.ts';
import {
  type EnvConfig,
  type DayAheadForecast,
  type PriceTransform,
  computeNormStats,
  createDayAheadObsContext,
  createObsContext,
  issueDayAhead,
  issueDayAheadSpan,
  errorHistoryDays,
  resolveEnvConfig,
  VecEnv,
} from '../env/index.ts';
import { type EnvSeries, type ObsContext } from '../env/features.ts';
import { type SiteRecord, computeSiteNormStats, siteContext, siteIsActive, siteRecord } from '../env/site.ts';
import { solveSiteOracle } from '../oracle/site-oracle.ts';
import { type SiteSeries, type SiteSpec, assertSiteSeries, resolveSite } from '../site/site.ts';
import { UNCORRECTED_FORECASTS, createForecaster } from '../forecast/registry.ts';
import { deliveryDays } from '../information/calendar.ts';
import { type OracleInput, type OracleResult } from '../oracle/types.ts';
import { backtestWeights } from './backtest.ts';
import { type BudgetWork, budgetWork, estimateSeconds } from './budget.ts';
import {
  augmentVariants,
  buildCloneDataset,
  buildHindsightAdvantageDataset,
  concatDatasets,
  plannerTeacher,
  trainClone,
} from './clone.ts';
import {
  type CloneConfig,
  type PpoConfig,
  type RunOptions,
  DAY_AHEAD_DEFAULT_TEACHER,
  resolveCloneConfig,
  resolvePpoConfig,
  resolveRunOptions,
} from './config.ts';
import { type ConfirmCheck, confirmKeeps, pairedDayGain } from './confirm.ts';
import { greedyRollout } from './evaluate.ts';
import { type PolicyWeights, cloneWeights, initPolicyWeights } from './mlp.ts';
import { type SavedModel, toSavedModel } from './model.ts';
import { trainPpo } from './ppo.ts';
import { createRng, sampleSteps } from './rng.ts';
import { TfPolicy } from './tf-policy.ts';
import { type Backtest, type BackendName, type StopReason, type TrainProgress } from './types.ts';

/** A price series split as the run receives it (UTC ms, EUR/MWh). */
export interface PriceSlice {
  timesUtcMs: Float64Array;
  pricesEurPerMWh: Float64Array;
}

/**
 * What the agent observes (DESIGN.md "Information"). known-24h (the default): the next H actual prices. day-ahead:
 * for each delivery day the forecast issued at its gate closure for D and D+1, forecast-derived features, SOC and
 * calendar; the test split must then follow the training split directly and start a delivery day.
 */
export interface TrainInformation {
  mode: 'known-24h' | 'day-ahead';
  /** day-ahead: the forecaster (forecast/registry.ts FORECAST_MODELS). */
  forecast?: string;
  /** day-ahead: exogenous day-ahead series (lear) aligned to the training split followed by the test split. */
  exogenous?: Float64Array[];
  /** day-ahead with forecast 'column': the file's forecast column, aligned like `exogenous`. */
  column?: Float64Array;
}

/**
 * A site around the battery (DESIGN.md "Site"): the env settles every step on it (stepSite), the agent observes its
 * PV and load (SITE_FEATURES), the teacher plans on it, and shares are against the site's oracle. A site that adds
 * nothing (no PV, load, limit, fee or PV-only rule) leaves the run exactly as without one.
 */
export interface TrainSite {
  site: SiteSpec;
  /** PV and load of the training split and of the test split, step for step (null: the file has no such column). */
  train: SiteSeries;
  test: SiteSeries;
}

/** What a run is asked: data, battery, the configs (unset fields take their defaults), seed, cap, backend. */
export interface TrainRequest {
  /** Training split (episodes are random windows of it) and test split (greedy backtest), same dtHours. */
  train: PriceSlice;
  test: PriceSlice;
  dtHours: number;
  battery: BatterySpec;
  env?: Partial<EnvConfig>;
  /** PPO options; `totalTimesteps` is PPO's budget. */
  ppo?: Partial<PpoConfig>;
  /** Warm start by cloning the rolling-horizon teacher (default true). */
  clone?: boolean;
  /** Cloning options; `epochs` is cloning's budget. */
  cloneOptions?: Partial<CloneConfig>;
  run?: Partial<RunOptions>;
  /** Optional wall-clock cap, seconds: ends the run early (stop reason 'time-cap'); unset = no cap. */
  seconds?: number;
  seed: number;
  /** 'auto' measures the available backends and picks the fastest. */
  backend?: BackendName | 'auto';
  /** What the agent observes; unset = known-24h. */
  information?: TrainInformation;
  /** The site the battery sits on; unset = the battery alone. */
  site?: TrainSite;
}

/** Which policy a run kept, and the validation numbers that decided it. */
export interface KeptPolicy {
  /** 'clone': the clone's last epoch; 'ppo': a fine-tuned policy that beat it by keepBestMargin; 'init': untrained. */
  source: 'clone' | 'ppo' | 'init';
  /** Greedy share of the oracle on the validation slice of the kept policy. */
  validationShare: number;
  /** The clone's validation share (what fine-tuning had to beat by keepBestMargin), when cloned. */
  cloneValidationShare: number | null;
  /** The best fine-tuned validation share, when PPO ran. */
  ppoValidationShare: number | null;
  /**
   * Day-ahead, when the fine-tuned policy beat the clone on the validation slice's first half: both policies'
   * shares on its held-out second half and their paired per-day comparison; the fine-tuned one is kept only if it
   * wins there by keepBestMargin with t ≥ confirmMinT (confirmKeeps). Runs stored before the per-day check have
   * the two shares only.
   */
  confirm?: Pick<ConfirmCheck, 'ppoShare' | 'cloneShare'> & Partial<ConfirmCheck>;
}

/** The work a run did (equal to its budget unless it ended early). */
export interface RunWork {
  cloneEpochs: number;
  ppoIterations: number;
  ppoTimesteps: number;
}

/** Every parameter of the run as resolved: with the seed, enough to repeat it. (A type, not an interface, so it
 * stays assignable to the run store's Record<string, unknown>.) */
export type RunParams = {
  battery: BatteryParams;
  env: EnvConfig;
  ppo: PpoConfig;
  clone: boolean;
  cloneConfig: CloneConfig;
  run: RunOptions;
  /** The information mode and forecaster the agent observed under (forecast null under known-24h). */
  information: { mode: 'known-24h' | 'day-ahead'; forecast: string | null };
  /** The site the agent trained on (as the model records it); absent for the battery alone or a plain site. */
  site?: SiteRecord;
  seed: number;
  /** The seconds cap, or null for none. */
  seconds: number | null;
  backend: BackendName;
  /** What the budget amounts to on this data. */
  budget: BudgetWork;
  data: { dtHours: number; trainSteps: number; testSteps: number; trainStartUtcMs: number; testStartUtcMs: number };
};

export interface TrainResult {
  backend: BackendName;
  params: RunParams;
  history: TrainProgress[];
  stopReason: StopReason;
  work: RunWork;
  kept: KeptPolicy;
  model: SavedModel;
  backtest: Backtest;
}

/** What the run needs from its host. */
export interface RunDeps {
  /** The backend already active (the host chose it). */
  backend: BackendName;
  /** The perfect-foresight optimum, for the share of oracle. */
  oracle: (input: OracleInput) => OracleResult;
  /** The run's clock, ms: measures elapsed time and enforces the seconds cap, nothing else. */
  nowMs: () => number;
  onProgress: (p: TrainProgress) => void;
  /** True once the user asked to stop. */
  stopRequested: () => boolean;
  /** Lets a stop() message in between iterations (a macrotask in a worker). */
  yieldToEvents: () => Promise<void>;
  /** Receives the policy kept so far whenever it changes (each clone epoch, a PPO iteration that beats it), so a
   * host can keep a partial run that survives a reload. */
  onCheckpoint?: (model: SavedModel) => void;
}

/** The one place that decides why a run ends: the first of stop, time cap and divergence, else the budget. */
export class StopControl {
  #reason: StopReason | null = null;
  readonly #t0: number;

  constructor(
    private readonly nowMs: () => number,
    private readonly stopRequested: () => boolean,
    /** Seconds cap, or null. */
    private readonly capS: number | null,
  ) {
    this.#t0 = nowMs();
  }

  elapsedS(): number {
    return (this.nowMs() - this.#t0) / 1000;
  }

  /** A reason to end now, or null to go on; once a reason is found it stays. */
  check(): StopReason | null {
    if (this.#reason) return this.#reason;
    if (this.stopRequested()) this.#reason = 'stopped';
    else if (this.capS !== null && this.elapsedS() >= this.capS) this.#reason = 'time-cap';
    return this.#reason;
  }

  diverged(): void {
    this.#reason ??= 'diverged';
  }

  /** Why the run ended. */
  final(): StopReason {
    return this.#reason ?? 'budget';
  }
}

function slice(s: PriceSlice, from: number, to: number, dtHours: number): EnvSeries & PriceSlice {
  return {
    timesUtcMs: s.timesUtcMs.subarray(from, to),
    pricesEurPerMWh: s.pricesEurPerMWh.subarray(from, to),
    dtHours,
  };
}

/** PV or load of the training split followed by the test split (both null: no such column). */
function concatSite(a: ArrayLike<number> | null, b: ArrayLike<number> | null, column: string): Float64Array | null {
  if (a === null && b === null) return null;
  if (a === null || b === null) throw new RangeError(`site: ${column} is given for one split only`);
  return concat(Float64Array.from(a), Float64Array.from(b));
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A forecaster by name for day-ahead runs, with the inputs it reads. */
export function forecasterForRun(info: TrainInformation, full: PriceSlice) {
  if (!info.forecast) throw new RangeError('information day-ahead needs a forecast model');
  return createForecaster(info.forecast, { actualEurPerMWh: full.pricesEurPerMWh, column: info.column });
}

/** The observation contexts of a run: fit, validation, test, and a maker of augmented fit copies. */
interface RunContexts {
  fit: EnvSeries & PriceSlice;
  /** First step of the fit context in the training split followed by the test split. */
  fitFrom: number;
  fitCtx: ObsContext;
  valCtx: ObsContext;
  /**
   * Day-ahead: the validation slice's second half (from a delivery day's first step), held out from keep-best's
   * selection to confirm its choice; valCtx is then the first half.
   */
  confirm?: { from: number; ctx: ObsContext; dayStarts: number[] };
  testCtx: ObsContext;
  /** The fit context with prices (and forecasts) transformed, for cloning's augmented copies. */
  fitCopy: (t: PriceTransform) => ObsContext;
}

/** Trains, keeps the best policy by validation, and backtests it on the test split. */
export async function runTraining(req: TrainRequest, deps: RunDeps): Promise<TrainResult> {
  const battery = resolveBattery(req.battery);
  // The planner correction does not apply to a forecaster whose recent errors do not persist: recorded as 0.
  const uncorrected =
    req.information?.mode === 'day-ahead' && UNCORRECTED_FORECASTS.includes(req.information.forecast ?? '');
  const env = resolveEnvConfig(uncorrected ? { ...req.env, plannerBiasWeight: 0, plannerLastDayWeight: 0 } : req.env);
  const ppo = resolvePpoConfig(req.ppo);
  const cloneCfg = resolveCloneConfig(req.cloneOptions);
  const runOpts = resolveRunOptions(req.run);
  const clone = req.clone ?? true;
  if (req.seconds !== undefined && !(req.seconds > 0)) throw new RangeError('seconds (the time cap) must be > 0');
  if (!Number.isInteger(req.seed)) throw new RangeError('seed must be an integer');
  const capS = req.seconds ?? null;
  const dt = req.dtHours;
  const control = new StopControl(deps.nowMs, deps.stopRequested, capS);
  const nTrain = req.train.pricesEurPerMWh.length;
  const budget = budgetWork(nTrain, dt, battery, env, clone ? cloneCfg : null, ppo, runOpts);
  // Budget progress for the UI: each phase weighted by its estimated share of the run's time.
  const est = {
    clone: estimateSeconds({ ...budget, ppoTimesteps: 0 }),
    ppo: estimateSeconds({ ...budget, teacherRows: 0, cloneSamples: 0 }),
  };
  const cloneWeight = est.clone + est.ppo > 0 ? est.clone / (est.clone + est.ppo) : 0;
  const history: TrainProgress[] = [];
  const emit = (p: Omit<TrainProgress, 'elapsedS'>) => {
    const rec = { ...p, elapsedS: control.elapsedS() };
    history.push(rec);
    deps.onProgress(rec);
  };
  // Progress within a phase, for the progress bar: at fixed points of the work, not kept in the history.
  const live = (p: Omit<TrainProgress, 'elapsedS' | 'live' | 'metrics'>) =>
    deps.onProgress({ ...p, metrics: {}, live: true, elapsedS: control.elapsedS() });
  emit({
    phase: 'backend',
    iteration: 0,
    budgetDone: 0,
    metrics: {},
    backend: deps.backend,
    label: `backend ${deps.backend}`,
    message: `tfjs backend: ${deps.backend}`,
  });

  // Splits: the training split's tail validates (keep-best); statistics come from the whole training split.
  const nVal = Math.min(nTrain - 1, Math.max(1, Math.round(nTrain * runOpts.validationFraction)));
  const info = req.information ?? { mode: 'known-24h' };
  const dayAhead = info.mode === 'day-ahead';
  const val = slice(req.train, nTrain - nVal, nTrain, dt);
  const test = slice(req.test, 0, req.test.pricesEurPerMWh.length, dt);
  const stats = computeNormStats({ ...req.train, dtHours: dt }, battery, env);
  const contexts = (): RunContexts => {
    if (!dayAhead) {
      const fit = slice(req.train, 0, nTrain - nVal, dt);
      return {
        fit,
        fitFrom: 0,
        fitCtx: createObsContext(fit, battery, env, stats),
        valCtx: createObsContext(val, battery, env, stats),
        testCtx: createObsContext(test, battery, env, stats),
        fitCopy: (t) =>
          createObsContext(
            { ...fit, pricesEurPerMWh: fit.pricesEurPerMWh.map((p) => p * t.scale + t.shiftEurPerMWh) },
            battery,
            env,
            stats,
          ),
      };
    }
    if (info.mode !== 'day-ahead') throw new RangeError(`unknown information mode "${String(info.mode)}"`);
    const full: PriceSlice = {
      timesUtcMs: concat(req.train.timesUtcMs, req.test.timesUtcMs),
      pricesEurPerMWh: concat(req.train.pricesEurPerMWh, req.test.pricesEurPerMWh),
    };
    const gap = req.test.timesUtcMs[0] - req.train.timesUtcMs[nTrain - 1];
    if (Math.abs(gap - dt * 3_600_000) > 1)
      throw new RangeError('information day-ahead: the test split must follow the training split directly');
    const fullSeries = { ...full, dtHours: dt };
    const dayStarts = deliveryDays(full.timesUtcMs, dt).map((d) => d.start);
    if (!dayStarts.includes(nTrain))
      throw new RangeError("information day-ahead: the test split must start at a delivery day's first step");
    const exo = info.exogenous ?? [];
    // Training issues one forecaster through the training split; the test split a fresh one from its first day,
    // as `bess compare --information day-ahead` issues its baselines' forecasts over the same span (with the days
    // before it issued apart, for the features that look back at the forecast's errors).
    const fcTrain: DayAheadForecast = issueDayAhead(fullSeries, forecasterForRun(info, full), exo, 0, nTrain);
    const fcTest = issueDayAheadSpan(
      fullSeries,
      () => forecasterForRun(info, full),
      exo,
      nTrain,
      errorHistoryDays(env),
    );
    const fitFrom = fcTrain.firstStep;
    const fitTo = nTrain - nVal;
    const minFit = Math.ceil(48 / dt);
    if (fitTo - fitFrom < minFit)
      throw new RangeError(
        `information day-ahead: forecaster ${info.forecast} first issues at step ${fitFrom}, which leaves ${Math.max(0, fitTo - fitFrom)} training steps before the validation slice (needs ${minFit}); use more data or a forecaster that needs less history`,
      );
    if (fcTest.firstStep !== nTrain)
      throw new RangeError(
        `information day-ahead: forecaster ${info.forecast} cannot issue for the test split's first day`,
      );
    const fit = slice(full, fitFrom, fitTo, dt);
    // The delivery day nearest the validation slice's middle splits it into selection and confirmation halves.
    const mid = (fitTo + nTrain) / 2;
    const split = dayStarts
      .filter((t) => t > fitTo && t < nTrain)
      .reduce<number | null>((a, t) => (a === null || Math.abs(t - mid) < Math.abs(a - mid) ? t : a), null);
    const valTo = split ?? nTrain;
    return {
      fit,
      fitFrom,
      fitCtx: createDayAheadObsContext(fullSeries, fcTrain, fitFrom, fitTo, battery, env, stats),
      valCtx: createDayAheadObsContext(fullSeries, fcTrain, fitTo, valTo, battery, env, stats),
      ...(split === null
        ? {}
        : {
            confirm: {
              from: split,
              ctx: createDayAheadObsContext(fullSeries, fcTrain, split, nTrain, battery, env, stats),
              dayStarts: dayStarts.filter((t) => t >= split && t < nTrain).map((t) => t - split),
            },
          }),
      testCtx: createDayAheadObsContext(fullSeries, fcTest, nTrain, full.pricesEurPerMWh.length, battery, env, stats),
      fitCopy: (t) => createDayAheadObsContext(fullSeries, fcTrain, fitFrom, fitTo, battery, env, stats, t),
    };
  };
  const raw = contexts();
  // The site, over the training split followed by the test split; each context gets its own steps of it.
  const siteParams = req.site ? resolveSite(req.site.site) : null;
  const nTest = req.test.pricesEurPerMWh.length;
  const siteFull: { pvKW: Float64Array | null; loadKW: Float64Array | null } | null =
    req.site && siteParams
      ? {
          pvKW: concatSite(req.site.train.pvKW, req.site.test.pvKW, 'pv_kw'),
          loadKW: concatSite(req.site.train.loadKW, req.site.test.loadKW, 'load_kw'),
        }
      : null;
  if (siteParams && siteFull) assertSiteSeries(siteParams, siteFull, nTrain + nTest);
  const onSite = siteParams !== null && siteFull !== null && siteIsActive(siteParams, siteFull);
  const siteRange = (from: number, to: number): SiteSeries => ({
    pvKW: siteFull?.pvKW?.subarray(from, to) ?? null,
    loadKW: siteFull?.loadKW?.subarray(from, to) ?? null,
  });
  const siteStats = onSite ? computeSiteNormStats(siteParams, siteRange(0, nTrain)) : null;
  const at = (ctx: ObsContext, from: number): ObsContext =>
    onSite && siteStats ? siteContext(ctx, true, siteParams, siteRange(from, from + ctx.length), siteStats) : ctx;
  const fit = raw.fit;
  const fitCtx = at(raw.fitCtx, raw.fitFrom);
  const valCtx = at(raw.valCtx, nTrain - nVal);
  const confirm = raw.confirm ? { ...raw.confirm, ctx: at(raw.confirm.ctx, raw.confirm.from) } : null;
  const testCtx = at(raw.testCtx, nTrain);
  const fitCopy = (t: PriceTransform) => at(raw.fitCopy(t), raw.fitFrom);
  const modelSite = onSite && siteStats ? { site: siteRecord(siteParams, siteStats) } : {};
  /** The perfect-foresight optimum of steps [from, to) of the training split followed by the test split. */
  const optimum = (prices: ArrayLike<number>, from: number): OracleResult =>
    onSite
      ? solveSiteOracle({
          pricesEurPerMWh: prices,
          dtHours: dt,
          battery,
          site: siteParams,
          series: siteRange(from, from + prices.length),
        })
      : deps.oracle({ pricesEurPerMWh: prices, dtHours: dt, battery });
  const teacherName =
    cloneCfg.teacher === 'auto' ? (dayAhead ? DAY_AHEAD_DEFAULT_TEACHER : 'hindsight') : cloneCfg.teacher;
  if (teacherName === 'planner' && !dayAhead)
    throw new RangeError("clone.teacher 'planner' needs information day-ahead (under known-24h use 'hindsight')");
  const teacherFor = (ctx: ObsContext) => (teacherName === 'planner' ? plannerTeacher(ctx) : undefined);
  const dataset = (ctx: ObsContext, steps: ArrayLike<number> | null) =>
    teacherName === 'expected'
      ? buildHindsightAdvantageDataset(ctx, battery, env, cloneCfg.maxSocLevels, steps)
      : buildCloneDataset(ctx, battery, env, cloneCfg.maxSocLevels, steps, teacherFor(ctx));
  const information = { mode: info.mode, forecast: dayAhead ? (info.forecast ?? null) : null };
  const modelInformation = dayAhead
    ? { information: { mode: 'day-ahead' as const, forecast: info.forecast ?? '' } }
    : {};
  const valOracle = optimum(val.pricesEurPerMWh.subarray(0, valCtx.length), nTrain - nVal).profitEur;
  const evaluate = (w: PolicyWeights) => {
    const p = greedyRollout(w, valCtx, battery, env).profitEur;
    return valOracle > 0 ? p / valOracle : p;
  };
  // The confirmation half's share: looked at once, for the clone and for the fine-tuned policy selection chose.
  const confirmOracle = confirm
    ? optimum(val.pricesEurPerMWh.subarray(confirm.from - (nTrain - nVal)), confirm.from).profitEur
    : 0;
  const confirmRollout = (w: PolicyWeights) => {
    const cash = new Float64Array(confirm!.ctx.length);
    const p = greedyRollout(w, confirm!.ctx, battery, env, battery.initialSocKWh, undefined, cash).profitEur;
    return { share: confirmOracle > 0 ? p / confirmOracle : p, cash };
  };
  // Test-split share for the live curve only (selection never looks at the test split).
  const testOracle = optimum(test.pricesEurPerMWh, nTrain);
  const testShare = (w: PolicyWeights) => {
    const p = greedyRollout(w, testCtx, battery, env).profitEur;
    return testOracle.profitEur > 0 ? p / testOracle.profitEur : 0;
  };

  const rng = createRng(req.seed);
  let weights = initPolicyWeights(fitCtx.obsDim, env.numActions, ppo.hiddenSize, rng);
  const policy = new TfPolicy(weights);
  let best = cloneWeights(weights);
  let bestScore = evaluate(weights);
  const kept: KeptPolicy = {
    source: 'init',
    validationShare: bestScore,
    cloneValidationShare: null,
    ppoValidationShare: null,
  };
  const work: RunWork = { cloneEpochs: 0, ppoIterations: 0, ppoTimesteps: 0 };
  const checkpoint = (w: PolicyWeights, score: number) =>
    deps.onCheckpoint?.(
      toSavedModel(w, {
        env,
        stats,
        dtHours: dt,
        battery,
        hiddenSize: ppo.hiddenSize,
        validationShare: score,
        backend: deps.backend,
        ...modelInformation,
        ...modelSite,
      }),
    );
  try {
    // Warm start: clone the rolling-horizon teacher, for the budget's epochs.
    if (clone && cloneCfg.epochs > 0 && control.check() === null) {
      const variants = augmentVariants(cloneCfg, stats.priceStdEurPerMWh);
      const perCopy = Math.min(
        fit.pricesEurPerMWh.length,
        Math.round((cloneCfg.augmentSamples / Math.max(1, variants.length)) * fit.pricesEurPerMWh.length),
      );
      const nParts = 1 + (perCopy > 0 ? variants.length : 0);
      const building = (k: number) =>
        live({ phase: 'clone', iteration: 0, budgetDone: 0, label: `teacher dataset ${k}/${nParts}` });
      building(1);
      const parts = [dataset(fitCtx, null)];
      for (const variant of perCopy > 0 ? variants : []) {
        building(parts.length + 1);
        parts.push(dataset(fitCopy(variant), sampleSteps(fit.pricesEurPerMWh.length, perCopy, rng)));
      }
      const data = parts.length > 1 ? concatDatasets(parts) : parts[0];
      emit({
        phase: 'clone',
        iteration: 0,
        budgetDone: 0,
        metrics: { 'clone/samples': data.count, 'clone/soc_levels': data.socLevels.length },
        label: `teacher dataset: ${data.count} samples`,
        message: `teacher dataset: ${data.count} samples`,
      });
      await trainClone(
        policy,
        data,
        cloneCfg,
        env.numActions,
        rng,
        async (epoch, loss, accuracy) => {
          weights = await policy.read();
          const score = evaluate(weights);
          work.cloneEpochs = epoch;
          // The clone's latest epoch is the start of fine-tuning, whatever its validation score: imitation
          // improves with every epoch, while one greedy path over the validation slice moved ±1% between epochs
          // with no relation to the test split (FI 2020: picking by it lost up to 1.8 points).
          bestScore = score;
          best = cloneWeights(weights);
          Object.assign(kept, { source: 'clone', validationShare: score, cloneValidationShare: score });
          checkpoint(best, score);
          emit({
            phase: 'clone',
            iteration: epoch,
            budgetDone: cloneWeight * (epoch / cloneCfg.epochs),
            metrics: {
              'clone/loss': loss,
              'clone/accuracy': accuracy,
              'charts/validation_share': score,
              'charts/test_share': testShare(weights),
            },
            shareOfOracle: score,
            label: `cloning epoch ${epoch}/${cloneCfg.epochs}`,
          });
          await deps.yieldToEvents();
          return control.check() === null;
        },
        async () => {
          await deps.yieldToEvents();
          return control.check() === null;
        },
        (epoch, mb, perEpoch, done) =>
          live({
            phase: 'clone',
            iteration: epoch,
            budgetDone: cloneWeight * done,
            label: `cloning epoch ${epoch}/${cloneCfg.epochs} · minibatch ${mb}/${perEpoch}`,
          }),
      );
      policy.assign(best);
      weights = cloneWeights(best);
    }

    // PPO, from the clone or from scratch, for the budget's timesteps.
    const ppoClone = clone && work.cloneEpochs > 0;
    if (control.check() === null && budget.ppoIterations > 0) {
      const vec = new VecEnv(fitCtx, battery, env, ppo.numEnvs, rng);
      const iterations = budget.ppoIterations;
      const threshold = bestScore + runOpts.keepBestMargin;
      let ppoBest: number | null = null;
      // trainPpo keeps an iteration's weights when their score beats its best so far (starting at the threshold):
      // the same rule makes them the checkpoint.
      let checkpointScore = threshold;
      const out = await trainPpo({
        config: ppo,
        vec,
        policy,
        weights,
        rng,
        warmStarted: ppoClone,
        evaluate,
        initialScore: threshold,
        shouldStop: () => control.check(),
        onIteration: (iteration, metrics, score, w) => {
          if (score !== undefined) {
            metrics['charts/test_share'] = testShare(w);
            ppoBest = Math.max(ppoBest ?? -Infinity, score);
            if (score > checkpointScore) {
              checkpointScore = score;
              checkpoint(w, score);
            }
          }
          work.ppoIterations = iteration;
          work.ppoTimesteps = metrics['charts/global_step'];
          emit({
            phase: 'ppo',
            iteration,
            budgetDone: cloneWeight + (1 - cloneWeight) * (iteration / iterations),
            metrics,
            shareOfOracle: score,
            label: `PPO iteration ${iteration}/${iterations}`,
          });
        },
        yieldToEvents: deps.yieldToEvents,
        nowMs: deps.nowMs,
      });
      if (out.stopReason === 'diverged') control.diverged();
      if (out.message)
        emit({
          phase: 'ppo',
          iteration: out.iterations,
          budgetDone: cloneWeight + (1 - cloneWeight) * (out.iterations / iterations),
          metrics: {},
          message: out.message,
        });
      // trainPpo starts its best at the threshold: a best above it is a fine-tuned policy that won.
      if (out.bestScore > threshold) ppoBest = Math.max(ppoBest ?? -Infinity, out.bestScore);
      kept.ppoValidationShare = ppoBest;
      // Under day-ahead the fine-tuned policy must also beat the clone on the held-out half, by the margin and day
      // after day rather than on a few days' luck: the best of many noisy validation scores overstates the policy
      // it picks (without this check, fine-tuned policies kept on the hourly dev files lost test share to their
      // clone in 8 of 10 runs; with the share check alone, in 4 of 4, every one at t ≤ 1.06).
      let confirmed = true;
      if (out.bestScore > threshold && confirm && ppoClone) {
        const p = confirmRollout(out.best);
        const q = confirmRollout(best);
        const c = { ppoShare: p.share, cloneShare: q.share, ...pairedDayGain(p.cash, q.cash, confirm.dayStarts) };
        kept.confirm = c;
        confirmed = confirmKeeps(c, runOpts.keepBestMargin, runOpts.confirmMinT);
      }
      if (out.bestScore > threshold && confirmed) {
        bestScore = out.bestScore;
        best = out.best;
        Object.assign(kept, { source: 'ppo', validationShare: out.bestScore });
      }
    }
  } finally {
    policy.dispose();
  }
  const stopReason = control.final();

  // Greedy backtest of the kept policy on the test split.
  live({ phase: 'eval', iteration: 0, budgetDone: 1, label: 'evaluating the kept policy on the test split' });
  const backtest = backtestWeights(best, testCtx, test, battery, env, () => testOracle);
  emit({
    phase: 'eval',
    iteration: 0,
    budgetDone: 1,
    metrics: {
      'eval/profit_eur': backtest.profitEur,
      'eval/share_of_oracle': backtest.shareOfOracle,
      'eval/validation_share': bestScore,
    },
    shareOfOracle: backtest.shareOfOracle,
    label: 'evaluated',
    message: `kept the ${kept.source === 'ppo' ? 'fine-tuned policy' : kept.source === 'clone' ? 'clone' : 'untrained policy'}; ended: ${stopReason}`,
  });
  const params: RunParams = {
    battery,
    env,
    ppo,
    clone,
    cloneConfig: cloneCfg,
    run: runOpts,
    information,
    ...modelSite,
    seed: req.seed,
    seconds: capS,
    backend: deps.backend,
    budget,
    data: {
      dtHours: dt,
      trainSteps: nTrain,
      testSteps: test.pricesEurPerMWh.length,
      trainStartUtcMs: req.train.timesUtcMs[0],
      testStartUtcMs: req.test.timesUtcMs[0],
    },
  };
  const model = toSavedModel(best, {
    env,
    stats,
    dtHours: dt,
    battery,
    hiddenSize: ppo.hiddenSize,
    validationShare: bestScore,
    backend: deps.backend,
    ...modelInformation,
    ...modelSite,
  });
  return { backend: deps.backend, params, history, stopReason, work, kept, model, backtest };
}
