import type { DeliveryDay } from '../information/calendar.ts';

/** The calendar of a series: public knowledge at any time (times, days, wall-clock slots), never prices. */
export interface ForecastCalendar {
  timesUtcMs: Float64Array;
  dtHours: number;
  days: DeliveryDay[];
  /** Wall-clock slot of every step, per day (calendar.ts daySlots). */
  slots: Int32Array[];
  /** Slots in a day: 24 / dtHours. */
  perDay: number;
}

/** What a forecaster receives when it issues at the gate closure of delivery day `day` (DESIGN.md "Information"). */
export interface IssueInput {
  calendar: ForecastCalendar;
  /** Index of the delivery day D in calendar.days. */
  day: number;
  /** Actual prices known at D's gate closure: the series' steps [0, days[day].start), a copy. */
  knownPricesEurPerMWh: Float64Array;
  /** Exogenous day-ahead series known at D's gate closure: each covers the steps [0, days[day].end), copies. */
  exogenous: readonly Float64Array[];
}

/** A point forecaster issued once a day at gate closure. */
export interface Forecaster {
  readonly name: string;
  /** Whole days of price history before D that the first issue needs (its lags and calibration). */
  readonly minHistoryDays: number;
  /** Forecast prices, EUR/MWh, for the steps of D followed by those of D+1 (when the series has D+1). */
  issue(input: IssueInput): Float64Array;
}

/** A forecaster that cannot issue: too little history, a missing input. */
export class ForecastError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForecastError';
  }
}
