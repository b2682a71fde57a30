// Forecasters by name, as the CLI and the page choose them.

import { naiveD1, naiveD7 } from './naive.ts';
import { ridgeForecaster } from './ridge.ts';
import { columnForecaster, noisyTruthForecaster } from './given.ts';
import { type NnConfig, type NnProgress, nnForecaster } from './nn.ts';
import { type Forecaster, ForecastError } from './types.ts';

export const FORECAST_MODELS = ['naive-d1', 'naive-d7', 'ridge', 'lear', 'nn', 'noisy-truth', 'column'] as const;
export type ForecastModel = (typeof FORECAST_MODELS)[number];

/**
 * Forecasters whose recent error at an hour of day says nothing about the next day's, so the day-ahead planner is
 * not corrected by it (EnvConfig.plannerBiasWeight): a seasonal-naive forecast's error is the change since the day
 * (or week) it copies, which does not persist (the correction cost share on every dev file, with naive-d1 and
 * naive-d7 alike); noisy-truth's noise is unbiased by construction.
 */
export const UNCORRECTED_FORECASTS: readonly string[] = ['naive-d1', 'naive-d7', 'noisy-truth'];

export interface ForecasterOptions {
  /** Actual prices of the whole series: only noisy-truth reads them (by design). */
  actualEurPerMWh?: ArrayLike<number>;
  /** σ of noisy-truth's noise, EUR/MWh. */
  noiseEurPerMWh?: number;
  /** Seed of noisy-truth's noise and of nn's initial weights and minibatch order. */
  seed?: number;
  /** nn's settings (DEFAULT_NN otherwise; `seed` above wins over nn.seed). */
  nn?: Partial<NnConfig>;
  /** Hears how nn's fits progress. */
  onNnProgress?: (p: NnProgress) => void;
  /** The forecast column of the user's file, aligned to its steps. */
  column?: Float64Array;
}

/** A fresh forecaster (its calibration state belongs to one run). */
export function createForecaster(model: string, o: ForecasterOptions = {}): Forecaster {
  switch (model) {
    case 'naive-d1':
      return naiveD1();
    case 'naive-d7':
      return naiveD7();
    case 'ridge':
      return ridgeForecaster();
    case 'lear':
      return ridgeForecaster({ exogenous: true });
    case 'nn':
      return nnForecaster({ ...o.nn, ...(o.seed !== undefined ? { seed: o.seed } : {}) }, o.onNnProgress);
    case 'noisy-truth':
      if (!o.actualEurPerMWh) throw new ForecastError('noisy-truth needs the actual prices');
      return noisyTruthForecaster(o.actualEurPerMWh, o.noiseEurPerMWh ?? 10, o.seed ?? 1);
    case 'column':
      if (!o.column) throw new ForecastError('forecast model column needs a forecast column in the price file');
      return columnForecaster(o.column);
    default:
      throw new ForecastError(`unknown forecast model "${model}" (one of ${FORECAST_MODELS.join(', ')})`);
  }
}
