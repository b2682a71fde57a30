// Seasonal naive forecasts (the EPF literature's benchmarks): the same wall-clock slot of the latest known day
// (naive-d1) or of the same weekday last week (naive-d7).

import { gridRows, requireHistory, stepsFromGrid } from './grid.ts';
import type { Forecaster } from './types.ts';

/** D and D+1 both from D−1 (the latest day known at gate closure). */
export function naiveD1(): Forecaster {
  return {
    name: 'naive-d1',
    minHistoryDays: 1,
    issue(input) {
      requireHistory('naive-d1', input, 1);
      const row = gridRows(input.calendar, input.knownPricesEurPerMWh, input.day - 1, input.day);
      return stepsFromGrid(input, row);
    },
  };
}

/** D from D−7, D+1 from D−6. */
export function naiveD7(): Forecaster {
  return {
    name: 'naive-d7',
    minHistoryDays: 7,
    issue(input) {
      requireHistory('naive-d7', input, 7);
      const P = input.calendar.perDay;
      const rows = gridRows(input.calendar, input.knownPricesEurPerMWh, input.day - 7, input.day - 5);
      return stepsFromGrid(input, rows.subarray(0, P), rows.subarray(P, 2 * P));
    },
  };
}
