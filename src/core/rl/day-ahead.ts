// A day-ahead model's observation on a series it is backtested or compared on: the model records its forecaster
// (ModelConfig.information); this issues a fresh one at every gate closure from `fromStep` (and another over the days
// just before, for the features that look back at its errors) and builds the same day-ahead observation the model
// trained on, over the steps that have a forecast.

import { type BatteryParams } from '../battery/index.ts';
import { createDayAheadObsContext, errorHistoryDays, issueDayAheadSpan } from '../env/day-ahead.ts';
import { type EnvSeries, type ObsContext } from '../env/features.ts';
import { createForecaster } from '../forecast/registry.ts';
import { ForecastError } from '../forecast/types.ts';
import { type ModelConfig } from './model.ts';

/** What a day-ahead model's forecaster may need besides the prices. */
export interface DayAheadInputs {
  /** Exogenous day-ahead series aligned to the series' steps (lear). */
  exogenous?: Float64Array[];
  /** The file's forecast column (forecaster column). */
  column?: Float64Array;
  /** First step to decide (rounded up to a delivery day; default: the first the forecaster can issue for). */
  fromStep?: number;
}

/** The observation context of a day-ahead model on `series`, and the steps [from, to) it covers. */
export function dayAheadModelContext(
  config: ModelConfig,
  series: EnvSeries,
  battery: BatteryParams,
  inputs: DayAheadInputs = {},
): { ctx: ObsContext; from: number; to: number } {
  const forecast = config.information?.forecast;
  if (config.information?.mode !== 'day-ahead' || !forecast) throw new RangeError('not a day-ahead model');
  if (forecast === 'lear' && !inputs.exogenous?.length)
    throw new ForecastError(
      'this model was trained on day-ahead information with forecaster lear: it needs the exogenous day-ahead series it was trained with (--exogenous FILE)',
    );
  const f = () => createForecaster(forecast, { actualEurPerMWh: series.pricesEurPerMWh, column: inputs.column });
  const fc = issueDayAheadSpan(series, f, inputs.exogenous ?? [], inputs.fromStep ?? 0, errorHistoryDays(config.env));
  const to = series.pricesEurPerMWh.length;
  if (fc.firstStep >= to)
    throw new ForecastError(`forecaster ${forecast} could not issue for any day of the series (too little history)`);
  const ctx = createDayAheadObsContext(series, fc, fc.firstStep, to, battery, config.env, config.stats);
  return { ctx, from: fc.firstStep, to };
}
