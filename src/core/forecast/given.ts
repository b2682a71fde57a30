// Forecasts that are given rather than computed: a column the user's file carries, and the actual prices plus
// seeded Gaussian noise (a controlled experiment: how much does a forecast error of σ EUR/MWh cost?).
// noisy-truth reads D's actual prices by construction: it is the one forecaster exempt from the no-leak rule, and
// says so in its name.

import { createRng } from '../rl/rng.ts';
import { issueLength } from './grid.ts';
import { type Forecaster, ForecastError } from './types.ts';

/** A forecast series aligned to the prices' steps, issued as its values for D and D+1. */
export function columnForecaster(forecastEurPerMWh: Float64Array, name = 'column'): Forecaster {
  return {
    name,
    minHistoryDays: 0,
    issue(input) {
      const start = input.calendar.days[input.day].start;
      const n = issueLength(input);
      if (forecastEurPerMWh.length < start + n)
        throw new ForecastError(
          `forecast column ${name} has ${forecastEurPerMWh.length} steps; day ${input.calendar.days[input.day].date} needs ${start + n}`,
        );
      return forecastEurPerMWh.slice(start, start + n);
    },
  };
}

/** Actual prices + N(0, σ²) noise drawn once per step from `seed`, so a step's forecast does not depend on issue order. */
export function noisyTruthForecaster(actualEurPerMWh: ArrayLike<number>, sigmaEurPerMWh: number, seed = 1): Forecaster {
  if (!(sigmaEurPerMWh >= 0)) throw new ForecastError(`noise σ must be ≥ 0 EUR/MWh, got ${sigmaEurPerMWh}`);
  const rng = createRng(seed);
  const noisy = new Float64Array(actualEurPerMWh.length);
  for (let i = 0; i < noisy.length; i++) noisy[i] = actualEurPerMWh[i] + sigmaEurPerMWh * rng.normal();
  return { ...columnForecaster(noisy, 'noisy-truth') };
}
