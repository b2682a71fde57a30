// A training run in the trainer worker: live progress, the result and its backtest, earlier runs kept for
// comparison. The page stays responsive: all work is in the worker; progress arrives once per iteration.

import { fallbackBackend } from '../lib/backend-fallback.ts';
import * as Comlink from 'comlink';
import type { BackendName, TrainProgress, TrainRequest, TrainResult, TrainerApi } from '../../../workers/trainer-api.ts';
import type { BatterySpec } from '../../core/battery/index.ts';
import type { PriceSeries } from '../../core/prices/types.ts';
import { actionLevels } from '../../core/env/config.ts';
import { STOP_REASON_TEXT } from '../../core/rl/types.ts';
import { type TrainSettings, DEFAULT_SETTINGS, toRequestOptions, validateSettings } from '../lib/presets.ts';
import { type Split, sliceSeries } from '../lib/split.ts';
import { WorkerBox, WorkerCallAborted } from '../lib/worker-box.ts';
import { readStorage, writeStorage } from '../lib/storage.ts';

const KEY = 'powerbidder.train';

/** A finished (or live) run's curve, for the overlay. */
export interface RunCurve {
  id: number | string;
  label: string;
  points: TrainProgress[];
  shareOfOracle?: number;
}

/** Settings, the live run, its result and the curves of earlier runs. */
export class TrainingState {
  settings = $state<TrainSettings>(loadSettings());
  running = $state(false);
  stopping = $state(false);
  history = $state.raw<TrainProgress[]>([]);
  result = $state.raw<TrainResult | null>(null);
  backend = $state<BackendName | null>(null);
  error = $state<string | null>(null);
  message = $state<string | null>(null);
  /** Earlier runs this session, newest last. */
  previous = $state.raw<RunCurve[]>([]);
  /** Action levels (power fractions) of the result's policy, for the step table. */
  levels = $state.raw<number[]>(actionLevels(3));
  /** The series and split the current result was trained and tested on (the agent's SOC is drawn only on them). */
  resultSeries = $state.raw<PriceSeries | null>(null);
  resultSplit = $state.raw<Split | null>(null);
  settingsError: string | null = $derived(validateSettings(this.settings));
  latestShare: number | undefined = $derived([...this.history].reverse().find((p) => p.shareOfOracle !== undefined)?.shareOfOracle);

  #box = new WorkerBox<TrainerApi>(
    () => new Worker(new URL('../../../workers/trainer.worker.ts', import.meta.url), { type: 'module' }),
    (message) => {
      this.error = `Training: ${message}`;
      this.running = false;
    },
  );
  #runId = 0;

  /** Starts a run on the split's training window, backtested on the test window. Returns the result or null. */
  async start(series: PriceSeries, split: Split, battery: BatterySpec): Promise<TrainResult | null> {
    if (this.running || this.settingsError) return null;
    const s = $state.snapshot(this.settings) as TrainSettings;
    writeStorage(KEY, JSON.stringify(s));
    if (this.result) this.previous = [...this.previous, { id: this.#runId, label: runLabel(this.#runId, this.result), points: this.history, shareOfOracle: this.result.backtest.shareOfOracle }];
    const id = ++this.#runId;
    this.running = true;
    this.stopping = false;
    this.error = null;
    this.message = null;
    this.history = [];
    this.result = null;
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
    };
    const onProgress = Comlink.proxy((p: TrainProgress) => {
      if (id !== this.#runId) return;
      this.history = [...this.history, p];
      if (p.backend) this.backend = p.backend;
      if (p.message) this.message = p.message;
    });
    try {
      let result: TrainResult;
      try {
        result = await this.#box.call((w) => w.start(req, onProgress));
      } catch (e) {
        // A GPU failure (device lost, out of memory, a crashed worker) gets one retry on another backend.
        const crashed = e instanceof WorkerCallAborted && e.reason === 'crashed';
        const cancelled = e instanceof WorkerCallAborted && e.reason === 'cancelled';
        const next = cancelled || id !== this.#runId ? null : fallbackBackend(this.backend ?? req.backend ?? 'auto', (e as Error).message, crashed);
        if (!next) throw e;
        this.message = `The ${this.backend ?? req.backend} backend failed (${(e as Error).message}); training again on ${next}.`;
        this.error = null;
        this.history = [];
        this.backend = next;
        result = await this.#box.call((w) => w.start({ ...req, backend: next }, onProgress));
      }
      if (id !== this.#runId) return null;
      this.result = result;
      this.resultSeries = series;
      this.resultSplit = split;
      this.backend = result.backend;
      this.message = `Training ended: ${STOP_REASON_TEXT[result.stopReason]}; kept the ${result.kept.source === 'ppo' ? 'fine-tuned policy' : result.kept.source === 'clone' ? 'clone' : 'untrained policy'}.`;
      return result;
    } catch (e) {
      if (id === this.#runId && !(e instanceof WorkerCallAborted && e.reason === 'cancelled')) this.error = `Training failed: ${(e as Error).message}`;
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

  /** Abandons the run outright (the worker is restarted). */
  abort(): void {
    this.#runId++;
    this.#box.cancel();
    this.running = false;
    this.stopping = false;
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
