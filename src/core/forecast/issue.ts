// Issuing a forecaster at gate closure, as the market's timing allows it: the input holds copies of what is known.

import type { Forecaster, ForecastCalendar, IssueInput } from './types.ts';

/** The input of an issue at D's gate closure: copies of the prices before D and of the exogenous series up to D's end. */
export function issueInput(
  calendar: ForecastCalendar,
  pricesEurPerMWh: ArrayLike<number>,
  exogenous: readonly ArrayLike<number>[],
  day: number,
): IssueInput {
  const d = calendar.days[day];
  return {
    calendar,
    day,
    knownPricesEurPerMWh: new Float64Array(sliceOf(pricesEurPerMWh, 0, d.start)),
    exogenous: exogenous.map((e) => new Float64Array(sliceOf(e, 0, d.end))),
  };
}

function sliceOf(a: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  return a instanceof Float64Array ? a.subarray(from, to) : Array.prototype.slice.call(a, from, to);
}

/** The forecast for D issued at D's gate closure, for every day in [fromDay, toDay), concatenated over their steps. */
export function issueAll(
  f: Forecaster,
  calendar: ForecastCalendar,
  pricesEurPerMWh: ArrayLike<number>,
  exogenous: readonly ArrayLike<number>[],
  fromDay: number,
  toDay: number,
): Float64Array {
  const { days } = calendar;
  const out = new Float64Array(days[toDay - 1].end - days[fromDay].start);
  for (let k = fromDay; k < toDay; k++) {
    const fc = f.issue(issueInput(calendar, pricesEurPerMWh, exogenous, k));
    out.set(fc.subarray(0, days[k].end - days[k].start), days[k].start - days[fromDay].start);
  }
  return out;
}
