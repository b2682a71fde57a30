// A training run in the trainer worker: live progress, the result and its backtest, earlier runs kept for
// comparison. The page stays responsive: all work is in the worker; progress arrives once per iteration.

import { fallbackBackend } from '../lib/backend-fallback.ts';
import type {
  BackendName,
  SavedModel,
  TrainProgress,
  TrainRequest,
  TrainResult,
  TrainerApi,
} from '../../../workers/trainer-api.ts';
import type { BatterySpec } from '../../core/battery/index.ts';
import type { PriceSeries } from '../../core/prices/types.ts';
import type { SiteSpec } from '../../core/site/site.ts';
import { splitTrainSite } from '../../core/rl/site-split.ts';
import { actionLevels } from '../../core/env/config.ts';
import { STOP_REASON_TEXT } from '../../core/rl/types.ts';
import { type TrainSettings, DEFAULT_SETTINGS, toRequestOptions, validateSettings } from '../lib/presets.ts';
import { type Split, dayAheadSplit, sliceSeries } from '../lib/split.ts';
import { type Liveness, WorkerBox, WorkerCallAborted } from '../lib/worker-box.ts';
import { readStorage, writeStorage } from '../lib/storage.ts';

const KEY = 'powerbidder.train';
const INFO_KEY = 'powerbidder.train.information';

/** What the agent observes (DESIGN.md "Information"): known-24h, or day-ahead with a forecaster. */
export interface InformationChoice {
  mode: 'known-24h' | 'day-ahead';
  /** The forecaster under day-ahead (one the forecast panel offers). */
  forecast: string;
}

/** A day-ahead run's forecaster inputs, aligned to the whole series (start() cuts them to the run's span). */
export interface DayAheadRunInputs {
  forecast: string;
  exogenous?: Float64Array[];
  column?: Float64Array;
}

/**
 * The trainer answers pings between iterations and minibatches; its longest synchronous stretch (building the
 * teacher's dataset on a long file) stays well under the timeout, so only a dead or hung worker trips it.
 */
const TRAINER_LIVENESS: Liveness = { pingMs: 2000, timeoutMs: 90_000 };

/**
 * Test hook: when the page defines `globalThis.__powerbidderTest` before it loads (the e2e journeys do, with
 * addInitScript), the trainer's liveness timings come from it and it gets `killTrainer()`, which ends the worker
 * without any event, as a browser killing it would. Absent in normal use.
 */
interface TestHook {
  trainerLiveness?: Liveness;
  killTrainer?: () => void;
}
const testHook = (globalThis as { __powerbidderTest?: TestHook }).__powerbidderTest;

/** What the page learns of a run while it trains (for its partial record). */
export interface TrainHooks {
  onProgress?: (history: TrainProgress[], best: SavedModel | null, backend: BackendName | null) => void;
}

/** A finished (or live) run's curve, for the overlay. */
export interface RunCurve {
  id: number | string;
  label: string;
  points: TrainProgress[];
  shareOfOracle?: number;
  /** Its colour on the charts (the runs table shows the same); a palette colour by position when absent. */
  color?: string;
}

/** Settings, the live run, its result and the curves of earlier runs. */
export class TrainingState {
  settings = $state<TrainSettings>(loadSettings());
  /** The information mode and forecaster of the next run (kept across reloads). */
  information = $state<InformationChoice>(loadInformation());
  /** The information the current result was trained and tested under. */
  resultInformation = $state.raw<InformationChoice | null>(null);
  running = $state(false);
  stopping = $state(false);
  history = $state.raw<TrainProgress[]>([]);
  /** The latest progress of the live run, within-phase updates (every cloning minibatch) included: the progress bar. */
  latest = $state.raw<TrainProgress | null>(null);
  result = $state.raw<TrainResult | null>(null);
  backend = $state<BackendName | null>(null);
  error = $state<string | null>(null);
  message = $state<string | null>(null);
  /** A worker restart during this run and its outcome, shown until the next run. */
  restart = $state<string | null>(null);
  /** The best policy so far of the live run, when the trainer has sent one. */
  checkpoint = $state.raw<SavedModel | null>(null);
  /** Earlier runs this session, newest last. */
  previous = $state.raw<RunCurve[]>([]);
  /** Action levels (power fractions) of the result's policy, for the step table. */
  levels = $state.raw<number[]>(actionLevels(3));
  /** The series and split the current result was trained and tested on (the agent's SOC is drawn only on them). */
  resultSeries = $state.raw<PriceSeries | null>(null);
  resultSplit = $state.raw<Split | null>(null);
  settingsError: string | null = $derived(validateSettings(this.settings));
  latestShare: number | undefined = $derived(
    [...this.history].reverse().find((p) => p.shareOfOracle !== undefined)?.shareOfOracle,
  );

  #box = new WorkerBox<TrainerApi>(
    () => new Worker(new URL('../../../workers/trainer.worker.ts', import.meta.url), { type: 'module' }),
    (message) => {
      // During a run, start() handles the crash (retry or failure) and keeps `running` true until it is over:
      // turning it off here would let Train start a second run while the retry goes on.
      if (!this.running) this.message = `Training worker: ${message}`;
    },
    testHook?.trainerLiveness ?? TRAINER_LIVENESS,
  );
  #runId = 0;

  constructor() {
    if (testHook) testHook.killTrainer = () => this.#box.killSilently();
  }

  /**
   * Starts a run on the split's training window, backtested on the test window. Returns the result or null. `site`
   * (the Site panel's, site-form.ts trainingSite) puts the battery on that site around the series' PV and load.
   */
  async start(
    series: PriceSeries,
    split: Split,
    battery: BatterySpec,
    hooks: TrainHooks = {},
    dayAhead?: DayAheadRunInputs,
    site?: SiteSpec | null,
  ): Promise<TrainResult | null> {
    // One run at a time: a second click (or a retry still going) is refused.
    if (this.running || this.settingsError) return null;
    const s = $state.snapshot(this.settings) as TrainSettings;
    writeStorage(KEY, JSON.stringify(s));
    writeStorage(INFO_KEY, JSON.stringify($state.snapshot(this.information)));
    if (dayAhead) {
      const aligned = dayAheadSplit(series, split);
      if (!aligned) {
        this.error =
          'Training failed: under day-ahead the test split must hold a whole delivery day: move the training split earlier.';
        return null;
      }
      split = aligned;
    }
    if (this.result)
      this.previous = [
        ...this.previous,
        {
          id: this.#runId,
          label: runLabel(this.#runId, this.result),
          points: this.history,
          shareOfOracle: this.result.backtest.shareOfOracle,
        },
      ];
    const id = ++this.#runId;
    this.running = true;
    this.stopping = false;
    this.error = null;
    this.message = null;
    this.restart = null;
    this.checkpoint = null;
    this.history = [];
    this.latest = null;
    this.result = null;
    this.resultInformation = null;
    this.levels = actionLevels(s.numActions);
    const { env, ppo, cloneOptions, seconds } = toRequestOptions(s);
    const req: TrainRequest = {
      train: sliceSeries(series.timesUtcMs, series.pricesEurPerMWh, split.trainStart, split.trainEnd),
      test: sliceSeries(series.timesUtcMs, series.pricesEurPerMWh, split.trainEnd, split.n),
      dtHours: series.dtHours,
      battery: $state.snapshot(battery) as BatterySpec,
      env,
      ppo,
      clone: s.clone,
      cloneOptions,
      seconds,
      seed: s.seed,
      backend: s.backend,
      ...(dayAhead
        ? {
            information: {
              mode: 'day-ahead' as const,
              forecast: dayAhead.forecast,
              ...(dayAhead.exogenous
                ? { exogenous: dayAhead.exogenous.map((a) => a.slice(split.trainStart, split.n)) }
                : {}),
              ...(dayAhead.column ? { column: dayAhead.column.slice(split.trainStart, split.n) } : {}),
            },
          }
        : {}),
      ...(site
        ? {
            site: splitTrainSite(
              site,
              { pvKW: series.pvKW ?? null, loadKW: series.loadKW ?? null },
              split.trainStart,
              split.trainEnd,
              split.n,
            ),
          }
        : {}),
    };
    // Both callbacks go quiet once a call has settled (WorkerBox.call's quiet): a message overtaken by the reply
    // must not add a phase to a finished run's curve or replace its checkpoint.
    const onProgress = (p: TrainProgress) => {
      if (id !== this.#runId) return;
      this.latest = p;
      // Within-phase updates only move the progress bar: the curve and the stored run keep the phase records.
      if (p.live) return;
      this.history = [...this.history, p];
      if (p.backend) this.backend = p.backend;
      if (p.message) this.message = p.message;
      hooks.onProgress?.(this.history, this.checkpoint, this.backend);
    };
    const onCheckpoint = (model: SavedModel) => {
      if (id !== this.#runId) return;
      this.checkpoint = model;
      hooks.onProgress?.(this.history, this.checkpoint, this.backend);
    };
    try {
      let result: TrainResult;
      try {
        result = await this.#box.call((w, quiet) => w.start(req, quiet(onProgress), quiet(onCheckpoint)));
      } catch (e) {
        // A GPU failure (device lost, out of memory, a crashed worker) gets one retry on another backend.
        const crashed = e instanceof WorkerCallAborted && e.reason === 'crashed';
        const cancelled = e instanceof WorkerCallAborted && e.reason === 'cancelled';
        // A run being stopped is not retried: the user asked it to end.
        const next =
          cancelled || this.stopping || id !== this.#runId
            ? null
            : fallbackBackend(this.backend ?? req.backend ?? 'auto', (e as Error).message, crashed);
        if (!next) throw e;
        const failed = this.backend ?? req.backend;
        this.restart = `${crashed ? (e as Error).message : `The ${failed} backend failed (${(e as Error).message}).`} Training again from the start on ${next} (retry 1 of 1)…`;
        this.message = this.restart;
        this.error = null;
        this.history = [];
        this.latest = null;
        this.checkpoint = null;
        this.backend = next;
        try {
          result = await this.#box.call((w, quiet) =>
            w.start({ ...req, backend: next }, quiet(onProgress), quiet(onCheckpoint)),
          );
        } catch (e2) {
          if (id === this.#runId)
            this.restart = `${this.restart.replace(/…$/, '')}: the retry failed too (${(e2 as Error).message}).`;
          throw e2;
        }
        if (id === this.#runId)
          this.restart = `${this.restart.replace(/…$/, '')}: the retry on ${next} finished (${result.stopReason}).`;
      }
      if (id !== this.#runId) return null;
      this.result = result;
      this.resultSeries = series;
      this.resultSplit = split;
      this.resultInformation = dayAhead
        ? { mode: 'day-ahead', forecast: dayAhead.forecast }
        : { mode: 'known-24h', forecast: '' };
      this.backend = result.backend;
      this.message = `Training ended: ${STOP_REASON_TEXT[result.stopReason]}; kept the ${result.kept.source === 'ppo' ? 'fine-tuned policy' : result.kept.source === 'clone' ? 'clone' : 'untrained policy'}.`;
      return result;
    } catch (e) {
      if (id === this.#runId && !(e instanceof WorkerCallAborted && e.reason === 'cancelled'))
        this.error = `Training failed: ${(e as Error).message}`;
      return null;
    } finally {
      if (id === this.#runId) {
        this.running = false;
        this.stopping = false;
      }
    }
  }

  /** Ends training early; the run still resolves with the best policy so far and its backtest. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    await this.#box.call((w) => w.stop()).catch(() => undefined);
  }

  /** Abandons the run outright (the worker is ended; the next run starts a fresh one). start() resolves null. */
  abort(): void {
    this.#box.cancel();
    this.message = 'Training abandoned: the worker was ended. The run so far is kept as interrupted.';
  }

  applyPreset(settings: Partial<TrainSettings>): void {
    this.settings = { ...this.settings, ...settings };
  }
}

function runLabel(id: number, r: TrainResult): string {
  return `Run ${id} (${r.backend})`;
}

function loadSettings(): TrainSettings {
  try {
    const saved = JSON.parse(readStorage(KEY) ?? 'null') as Partial<TrainSettings> | null;
    return { ...DEFAULT_SETTINGS, ...(saved && typeof saved === 'object' ? saved : {}) };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

function loadInformation(): InformationChoice {
  try {
    const saved = JSON.parse(readStorage(INFO_KEY) ?? 'null') as Partial<InformationChoice> | null;
    return {
      mode: saved?.mode === 'day-ahead' ? 'day-ahead' : 'known-24h',
      forecast: typeof saved?.forecast === 'string' && saved.forecast ? saved.forecast : 'naive-d1',
    };
  } catch {
    return { mode: 'known-24h', forecast: 'naive-d1' };
  }
}
