// Data that leaves a training run: progress records, the backtest, the stop reason. Plain data (typed arrays
// included), so it crosses the worker boundary by structured clone and lands in IndexedDB as is.

/** The tfjs backends a run can use. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/**
 * Why a run ended, decided in one place (run.ts `StopControl`): 'budget' — the whole budget (cloning epochs and
 * PPO timesteps) was done; 'time-cap' — the seconds cap ended it first (the work done then depends on the
 * machine); 'stopped' — stop() was called; 'diverged' — PPO's loss or weights went non-finite or past the limit.
 * Every reason ends with the best policy so far and its backtest.
 */
export type StopReason = 'budget' | 'time-cap' | 'stopped' | 'diverged';

export const STOP_REASONS: readonly StopReason[] = ['budget', 'time-cap', 'stopped', 'diverged'];

/** One line for users, per stop reason. */
export const STOP_REASON_TEXT: Readonly<Record<StopReason, string>> = {
  budget: 'ran its whole budget',
  'time-cap': 'ended early by the time cap (less work than the budget; not reproducible on another machine)',
  stopped: 'stopped by the user',
  diverged: 'PPO diverged; the best policy so far was kept',
};

/**
 * Sent once per cloning epoch and PPO iteration, plus once per phase change; and, marked `live`, within a phase
 * (every cloning minibatch, each part of the teacher dataset, the final evaluation) for the progress bar only.
 */
export interface TrainProgress {
  phase: 'backend' | 'clone' | 'ppo' | 'eval';
  iteration: number;
  /** The phase named for users: "teacher dataset 2/7", "cloning epoch 3/12 · minibatch 40/96", "PPO iteration 5/40". */
  label?: string;
  /**
   * A progress-bar update within a phase: not kept in the run's history (the curve, the stored run) and sent at
   * fixed points of the work (never by the clock), so reporting it cannot change a result.
   */
  live?: boolean;
  /** Seconds since the run started, by the run's clock (a measurement: not part of what the seed determines). */
  elapsedS: number;
  /** Share of the run's budget done, in [0, 1] (cloning epochs and PPO timesteps, weighted by estimated time). */
  budgetDone?: number;
  /** CleanRL metric names: 'charts/episodic_return', 'losses/value_loss', 'losses/approx_kl', 'charts/SPS', ... */
  metrics: Record<string, number>;
  /**
   * Greedy agent profit / oracle profit, when measured this iteration: on the validation slice (the tail of the
   * training split, what keep-best selects by) during clone/ppo, on the test split in 'eval'. The test-split share
   * during training is in metrics['charts/test_share'] (display only).
   */
  shareOfOracle?: number;
  /** The tfjs backend in use (phase 'backend'). */
  backend?: BackendName;
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
  // Why the agent acted (issue 12 §4). Optional: runs stored before these were recorded lack them.
  /** The policy's action probabilities at each step (softmax of its logits), steps × action levels, row-major. */
  actionProbs?: Float32Array;
  /**
   * The teacher's action at each step (index into the action levels): the action-set DP the clone learns from
   * (oracle/action-dp.ts), asked from the agent's SOC before the step, over exactly the prices the agent saw.
   */
  teacherActions?: Int32Array;
  /** The forecast average the agent saw at each step (mean of its next H prices), EUR/MWh. */
  forecastAvgEurPerMWh?: Float32Array;
  /** The oracle's grid energy at each step, bought minus sold, kWh. */
  oracleGridKWh?: Float64Array;
  /** The oracle's cash at each step at actual prices, EUR (the battery model's cash formula). */
  oracleCashEur?: Float64Array;
}

export interface Backtest {
  profitEur: number;
  oracleProfitEur: number;
  shareOfOracle: number;
  equivalentCycles: number;
  trace: BacktestTrace;
}

/** Metrics that measure the clock, not the learning: they differ between identical runs by design. */
export const CLOCK_METRICS: readonly string[] = [
  'charts/SPS',
  // PPO's time split (cumulative seconds since PPO started): rollout env stepping, rollout forward pass and
  // sampling, GAE, tfjs updates, weight read-back, greedy validation, the host's callback and yield.
  ...['env', 'policy', 'gae', 'update', 'read_back', 'evaluate', 'host'].map((k) => `time/${k}_s`),
];
