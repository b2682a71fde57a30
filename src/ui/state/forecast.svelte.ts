// Forecasts and the market's timing for the loaded prices: the exogenous file (second drop zone), the forecasters
// chosen, and the value-of-information table computed in the forecast worker with progress and cancel.

import type {
  CompareProgress,
  CompareReply,
  CompareRow,
  ExogenousReply,
  ForecastApi,
  MarketInput,
} from '../../../workers/forecast-api.ts';
import type { BatterySpec } from '../../core/battery/index.ts';
import type { PriceSeries } from '../../core/prices/types.ts';
import { DEFAULT_NN } from '../../core/forecast/nn-config.ts';
import { alignExogenous, parseExogenousCsv } from '../../core/exogenous/index.ts';
import { WorkerBox, WorkerCallAborted } from '../lib/worker-box.ts';

/** Forecasters the page offers (lear only with an exogenous file, column only when the price file has one). */
export const PAGE_MODELS = ['naive-d1', 'naive-d7', 'ridge', 'lear', 'nn', 'noisy-truth', 'column'] as const;

export class ForecastState {
  /** The exogenous file as read, and what the worker made of it against the current prices. */
  exogenous = $state.raw<{ text: string; file: string } | null>(null);
  exogenousInfo = $state.raw<Extract<ExogenousReply, { ok: true }> | null>(null);
  exogenousError = $state<string | null>(null);
  /** True while an exogenous file is being read and checked (a run waits for it, so lear is not silently dropped). */
  checking = $state(false);
  models = $state<string[]>(['naive-d1', 'naive-d7', 'ridge', 'lear']);
  noiseEurPerMWh = $state(10);
  /** nn's training budget: epochs of its first fit (each weekly refit gets a sixth). */
  nnEpochs = $state(DEFAULT_NN.epochs);
  rows = $state.raw<CompareRow[] | null>(null);
  /** The series and span the rows are for (the chart's actual prices). */
  rowsSeries = $state.raw<PriceSeries | null>(null);
  span = $state.raw<{ from: number; to: number } | null>(null);
  progress = $state.raw<CompareProgress | null>(null);
  error = $state<string | null>(null);

  /** Id of the run in progress; progress from an older (cancelled) run is ignored. */
  #run = 0;
  #box = new WorkerBox<ForecastApi>(
    () => new Worker(new URL('../../../workers/forecast.worker.ts', import.meta.url), { type: 'module' }),
    (message) => (this.error = `Forecasts: ${message}`),
  );

  /** Reads an exogenous file and checks it against the prices; a bad file is reported and the prices stay. */
  async loadExogenous(file: File, series: PriceSeries | null): Promise<void> {
    this.checking = true;
    try {
      const text = await file.text();
      this.exogenous = { text, file: file.name };
      await this.check(series);
    } finally {
      this.checking = false;
    }
  }

  /** Re-checks the exogenous file against (new) prices. */
  async check(series: PriceSeries | null): Promise<void> {
    const exo = this.exogenous;
    if (!exo || !series) {
      this.exogenousInfo = null;
      this.exogenousError = null;
      return;
    }
    try {
      const r = await this.#box.call<ExogenousReply>((w) => w.checkExogenous(market(series), exo));
      if (this.exogenous !== exo) return;
      this.exogenousInfo = r.ok ? r : null;
      this.exogenousError = r.ok ? null : r.message;
    } catch (e) {
      if (!(e instanceof WorkerCallAborted)) this.exogenousError = (e as Error).message;
    }
  }

  clearExogenous(): void {
    this.exogenous = null;
    this.exogenousInfo = null;
    this.exogenousError = null;
  }

  /** Runs the table on the test split after `trainShare`; resolves when done, cancelled or failed. */
  async run(series: PriceSeries, trainShare: number, battery: BatterySpec): Promise<void> {
    const id = ++this.#run;
    this.error = null;
    this.progress = { done: 0, total: 1, label: 'starting' };
    const useExo = this.exogenousInfo ? this.exogenous : null;
    const models = this.models.filter((m) => m !== 'lear' || useExo);
    // A progress message already on its way when the run was cancelled, or one overtaken by the reply, must not
    // bring the bar back: WorkerBox.call's quiet silences it.
    const onProgress = (p: CompareProgress) => {
      if (id === this.#run) this.progress = p;
    };
    try {
      const reply = await this.#box.call<CompareReply>((w, quiet) =>
        w.compare(
          {
            market: market(series),
            exogenous: useExo,
            trainShare,
            battery: $state.snapshot(battery) as BatterySpec,
            models,
            noiseEurPerMWh: this.noiseEurPerMWh,
            seed: 1,
            nnEpochs: this.nnEpochs,
            column: columnOf(series),
          },
          quiet(onProgress),
        ),
      );
      if (id !== this.#run) return;
      if (reply.ok) {
        this.rows = reply.rows;
        this.rowsSeries = series;
        this.span = { from: reply.spanFrom, to: reply.spanTo };
      } else {
        this.error = reply.message;
      }
    } catch (e) {
      if (id === this.#run && !(e instanceof WorkerCallAborted && e.reason === 'cancelled'))
        this.error = `Forecasts: ${(e as Error).message}`;
    } finally {
      if (id === this.#run) this.progress = null;
    }
  }

  /** The checked exogenous file's series aligned to the prices' steps (for a day-ahead training run), or null. */
  alignedExogenous(series: PriceSeries): Float64Array[] | null {
    const exo = this.exogenous;
    if (!exo || !this.exogenousInfo) return null;
    return alignExogenous(parseExogenousCsv(exo.text, exo.file), {
      timesUtcMs: series.timesUtcMs,
      dtHours: series.dtHours,
      source: series.source,
    }).values;
  }

  /**
   * One forecaster's day-ahead baselines (plan-on-forecast, rolling-horizon, threshold, and the oracle with its and
   * the planner's SOC paths) on a day-ahead training
   * run's test split, by the same worker call as the table: the series is cut to the run's span [trainStart, n) so
   * the forecaster sees the history the agent's did. The panel's own table is left as it is.
   */
  async baselines(
    series: PriceSeries,
    split: { trainStart: number; trainEnd: number; n: number },
    battery: BatterySpec,
    model: string,
  ): Promise<CompareReply> {
    const cut = (a: Float64Array) => a.slice(split.trainStart, split.n);
    const useExo = model === 'lear' || model === 'nn' ? (this.exogenousInfo ? this.exogenous : null) : null;
    const col = columnOf(series);
    return this.#box.call<CompareReply>((w) =>
      w.compare({
        market: {
          timesUtcMs: cut(series.timesUtcMs),
          pricesEurPerMWh: cut(series.pricesEurPerMWh),
          dtHours: series.dtHours,
          source: series.source,
        },
        exogenous: useExo,
        trainShare: (split.trainEnd - split.trainStart) / (split.n - split.trainStart),
        battery: $state.snapshot(battery) as BatterySpec,
        models: [model],
        // The trainer's forecaster settings (forecasterForRun: noisy-truth σ 10, seed 1; nn's default budget).
        noiseEurPerMWh: 10,
        seed: 1,
        column: col ? { name: col.name, valuesEurPerMWh: cut(col.valuesEurPerMWh) } : null,
        // The results draw the planner's and the oracle's SOC beside the agent's, from these very runs.
        socOf: ['oracle', 'plan-on-forecast'],
      }),
    );
  }

  /** Stops the run in progress (the worker is restarted); the previous table stays. */
  cancel(): void {
    this.#run++;
    this.#box.cancel();
    this.progress = null;
  }
}

/** The price file's forecast column for the worker, when it has a usable one. */
function columnOf(s: PriceSeries): { name: string; valuesEurPerMWh: Float64Array } | null {
  const c = s.forecastColumn;
  return c?.valuesEurPerMWh ? { name: c.name, valuesEurPerMWh: c.valuesEurPerMWh.slice() } : null;
}

function market(s: PriceSeries): MarketInput {
  return {
    timesUtcMs: s.timesUtcMs.slice(),
    pricesEurPerMWh: s.pricesEurPerMWh.slice(),
    dtHours: s.dtHours,
    source: s.source,
  };
}
