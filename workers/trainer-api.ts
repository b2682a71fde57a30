// Protocol of the trainer worker: the RL code's own types (src/core/rl), so renaming a config field breaks every
// caller at compile time. The UI relies only on what is named here.
import type { BatterySpec } from '../src/core/battery/index.ts';
import type { SavedModel } from '../src/core/rl/model.ts';
import type { PriceSlice, TrainRequest, TrainResult } from '../src/core/rl/run.ts';
import type { Backtest, TrainProgress } from '../src/core/rl/types.ts';
import type { DayAheadInputs } from '../src/core/rl/day-ahead.ts';
import type { SiteSeries, SiteSpec } from '../src/core/site/site.ts';

export type { CloneConfig, PpoConfig, RunOptions } from '../src/core/rl/config.ts';
export type { EnvConfig } from '../src/core/env/config.ts';
export type { ModelConfig, SavedModel } from '../src/core/rl/model.ts';
export type {
  KeptPolicy,
  PriceSlice,
  RunParams,
  RunWork,
  TrainInformation,
  TrainRequest,
  TrainSite,
  TrainResult,
} from '../src/core/rl/run.ts';
export type { DayAheadInputs } from '../src/core/rl/day-ahead.ts';
export type { Backtest, BacktestTrace, BackendName, StopReason, TrainProgress } from '../src/core/rl/types.ts';

/** The site of a backtest: the series' PV and load, step for step, and site fields that override the model's. */
export interface BacktestSite {
  series: SiteSeries;
  site?: SiteSpec;
}

export interface TrainerApi {
  /**
   * Trains, then backtests the best policy on the test split. Progress arrives through the callback; the policy
   * kept so far, each time it changes, through `onCheckpoint` (the page stores it with the run's partial record).
   */
  start(
    req: TrainRequest,
    onProgress: (p: TrainProgress) => void,
    onCheckpoint?: (model: SavedModel) => void,
  ): Promise<TrainResult>;
  /** Ends training early; start() still resolves, with the best model so far and its backtest. */
  stop(): Promise<void>;
  /**
   * Greedy backtest of a saved model on a series; a damaged model is an Error (ModelFileError) naming the fault.
   * `teacher` adds the teacher's action per step to the trace (a rolling-horizon solve per step: seconds on a long
   * 15-minute series, so off unless asked).
   */
  backtest(
    model: SavedModel,
    series: PriceSlice,
    dtHours: number,
    battery: BatterySpec,
    /** A day-ahead model's forecaster inputs (exogenous series, forecast column) and first step. */
    inputs?: DayAheadInputs,
    /** `site`: the series' PV and load for a model trained on a site (ModelConfig.site), and overrides of its fields. */
    options?: { teacher?: boolean; site?: BacktestSite },
  ): Promise<Backtest>;
}
