export * from './types.ts';
export { forecastCalendar, gridRows } from './grid.ts';
export { naiveD1, naiveD7 } from './naive.ts';
export { ridgeForecaster, DEFAULT_RIDGE, type RidgeConfig } from './ridge.ts';
export { nnForecaster, DEFAULT_NN, type NnConfig, type NnProgress } from './nn.ts';
export { columnForecaster, noisyTruthForecaster } from './given.ts';
export { forecastMetrics, type ForecastMetrics } from './metrics.ts';
export { issueAll, issueInput } from './issue.ts';
export {
  createForecaster,
  FORECAST_MODELS,
  UNCORRECTED_FORECASTS,
  type ForecastModel,
  type ForecasterOptions,
} from './registry.ts';
