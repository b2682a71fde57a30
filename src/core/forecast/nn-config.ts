// nn's settings, apart from nn.ts so that the page can read the defaults without loading tfjs.

/** Where a fit stands, for a progress bar: `epoch` of `epochs` of the fit for delivery day index `day`. */
export interface NnProgress {
  day: number;
  epoch: number;
  epochs: number;
}

export interface NnConfig {
  /** Days in the rolling calibration window (the most recent known days). */
  windowDays: number;
  /** Fewest calibration days (each needs its own 7 days of lags) before the first issue. */
  minTrainDays: number;
  /** Refit every this many issues, warm-started from the previous weights. */
  recalibrateEveryDays: number;
  /** Units of the tanh hidden layer. */
  hiddenUnits: number;
  /** Epochs of the first fit (from seeded initial weights). */
  epochs: number;
  /** Epochs of each warm-started refit. */
  refitEpochs: number;
  /** Days per Adam minibatch. */
  batchSize: number;
  learningRate: number;
  /** L2 penalty on the weights (not the biases), added to the mean absolute error. */
  l2: number;
  /** Seed of the initial weights and of the minibatch order. */
  seed: number;
}

export const DEFAULT_NN: Readonly<NnConfig> = Object.freeze({
  windowDays: 364,
  minTrainDays: 56,
  recalibrateEveryDays: 7,
  hiddenUnits: 32,
  epochs: 60,
  refitEpochs: 10,
  batchSize: 32,
  learningRate: 3e-3,
  l2: 1e-2,
  seed: 1,
});
