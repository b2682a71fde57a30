// Issuing a forecaster over a span of delivery days, as the market's timing allows it, and the EPF literature's
// accuracy metrics (Lago et al. 2021, epftoolbox.evaluation) on D's part of every issue.

import { naiveD1, naiveD7 } from './naive.ts';
import type { Forecaster, ForecastCalendar, IssueInput } from './types.ts';

/** The input of an issue at D's gate closure: copies of the prices before D and of the exogenous series up to D's end. */
export function issueInput(calendar: ForecastCalendar, pricesEurPerMWh: ArrayLike<number>, exogenous: readonly ArrayLike<number>[], day: number): IssueInput {
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
export function issueAll(f: Forecaster, calendar: ForecastCalendar, pricesEurPerMWh: ArrayLike<number>, exogenous: readonly ArrayLike<number>[], fromDay: number, toDay: number): Float64Array {
  const { days } = calendar;
  const out = new Float64Array(days[toDay - 1].end - days[fromDay].start);
  for (let k = fromDay; k < toDay; k++) {
    const fc = f.issue(issueInput(calendar, pricesEurPerMWh, exogenous, k));
    out.set(fc.subarray(0, days[k].end - days[k].start), days[k].start - days[fromDay].start);
  }
  return out;
}

export interface ForecastMetrics {
  steps: number;
  maeEurPerMWh: number;
  rmseEurPerMWh: number;
  /** Symmetric MAPE as epftoolbox computes it: mean of 2|y − ŷ|/(|y| + |ŷ|), a fraction (0–2), 0/0 counted as 0. */
  smape: number;
  /** MAE over the MAE of epftoolbox's standard naive (m=None): D−1 on Tuesday–Friday, D−7 on Saturday–Monday. */
  rmae: number;
}

/** Metrics of `forecast` against the actual prices of days [fromDay, toDay) (forecast[0] = the first day's first step). */
export function forecastMetrics(forecast: ArrayLike<number>, calendar: ForecastCalendar, pricesEurPerMWh: ArrayLike<number>, fromDay: number, toDay: number): ForecastMetrics {
  const { days } = calendar;
  const base = days[fromDay].start;
  const d1 = issueAll(naiveD1(), calendar, pricesEurPerMWh, [], fromDay, toDay);
  const d7 = issueAll(naiveD7(), calendar, pricesEurPerMWh, [], fromDay, toDay);
  let ae = 0;
  let se = 0;
  let sm = 0;
  let naiveAe = 0;
  const n = days[toDay - 1].end - base;
  for (let k = fromDay; k < toDay; k++) {
    const weekly = days[k].weekday === 0 || days[k].weekday >= 5;
    for (let i = days[k].start; i < days[k].end; i++) {
      const y = pricesEurPerMWh[i];
      const e = forecast[i - base] - y;
      ae += Math.abs(e);
      se += e * e;
      const den = Math.abs(y) + Math.abs(forecast[i - base]);
      sm += den > 0 ? (2 * Math.abs(e)) / den : 0;
      naiveAe += Math.abs((weekly ? d7 : d1)[i - base] - y);
    }
  }
  return { steps: n, maeEurPerMWh: ae / n, rmseEurPerMWh: Math.sqrt(se / n), smape: sm / n, rmae: naiveAe > 0 ? ae / naiveAe : Number.NaN };
}
