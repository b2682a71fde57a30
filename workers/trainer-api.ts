// Protocol of the trainer worker. The RL code owns the config types; the UI only relies on the fields named here.
import type { BatterySpec } from '../src/core/battery/index.ts';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface TrainRequest {
  /** Training split (episodes are random windows of it) and test split (greedy backtest), same dtHours. */
  train: { timesUtcMs: Float64Array; pricesEurPerMWh: Float64Array };
  test: { timesUtcMs: Float64Array; pricesEurPerMWh: Float64Array };
  dtHours: number;
  battery: BatterySpec;
  /** Env options (horizon, action levels, shaping coefficients ...); unset fields take defaults. */
  env?: Record<string, number | boolean>;
  /** PPO options (learningRate, gamma, entCoef ...); unset fields take defaults. */
  ppo?: Record<string, number | boolean>;
  /** Warm start by cloning the rolling-horizon teacher (default true). */
  clone?: boolean;
  /** Cloning options (epochs, batchSize, learningRate, maxSocLevels); unset fields take defaults. */
  cloneOptions?: Record<string, number>;
  /** Run options (validationFraction, cloneTimeFraction, backtestReserveS); unset fields take defaults. */
  run?: Record<string, number>;
  /** Wall-clock budget for the whole run, warm start included, seconds. */
  seconds: number;
  seed: number;
  /** 'auto' measures the available backends and picks the fastest. */
  backend?: BackendName | 'auto';
}

/** Sent once per iteration (and per cloning epoch). */
export interface TrainProgress {
  phase: 'backend' | 'clone' | 'ppo' | 'eval';
  iteration: number;
  elapsedS: number;
  /** CleanRL metric names: 'charts/episodic_return', 'losses/value_loss', 'losses/approx_kl', 'charts/SPS', ... */
  metrics: Record<string, number>;
  /**
   * Greedy agent profit / oracle profit, when measured this iteration: on the validation slice (the tail of the
   * training split, what keep-best selects by) during clone/ppo, on the test split in 'eval'. The test-split share
   * during training is in metrics['charts/test_share'] (display only).
   */
  shareOfOracle?: number;
  message?: string;
}

export interface BacktestTrace {
  timesUtcMs: Float64Array;
  pricesEurPerMWh: Float64Array;
  /** Index into the action levels taken at each step. */
  actions: Int32Array;
  socBeforeKWh: Float64Array;
  socAfterKWh: Float64Array;
  cashEur: Float64Array;
  /** The oracle's SOC after each step on the same split, for the chart. */
  oracleSocKWh: Float64Array;
}

export interface Backtest {
  profitEur: number;
  oracleProfitEur: number;
  shareOfOracle: number;
  equivalentCycles: number;
  trace: BacktestTrace;
}

/** Everything needed to store, reload and re-run a trained policy. */
export interface SavedModel {
  /** Weights as plain arrays with shapes, in layer order; JSON- and IndexedDB-friendly. */
  weights: { name: string; shape: number[]; values: Float32Array }[];
  /** Full resolved configs and the training split's normalisation statistics. */
  config: Record<string, unknown>;
}

export interface TrainResult {
  backend: BackendName;
  /** All parameters of the run as resolved (battery, env, ppo, clone, seed, backend, data fingerprint). */
  params: Record<string, unknown>;
  history: TrainProgress[];
  /** Why training ended: 'time', 'stopped', 'diverged', 'done'. */
  stopReason: string;
  model: SavedModel;
  backtest: Backtest;
}

export interface TrainerApi {
  /**
   * Trains, then backtests the best policy on the test split. Progress arrives through the callback; the policy
   * kept so far, each time it changes, through `onCheckpoint` (the page stores it with the run's partial record).
   */
  start(req: TrainRequest, onProgress: (p: TrainProgress) => void, onCheckpoint?: (model: SavedModel) => void): Promise<TrainResult>;
  /** Ends training early; start() still resolves, with the best model so far and its backtest. */
  stop(): Promise<void>;
  /** Greedy backtest of a saved model on a series. */
  backtest(model: SavedModel, series: { timesUtcMs: Float64Array; pricesEurPerMWh: Float64Array }, dtHours: number, battery: BatterySpec): Promise<Backtest>;
}
