// The EPF literature's accuracy metrics (Lago et al. 2021, epftoolbox.evaluation) on D's part of every issue.

import { naiveD1, naiveD7 } from './naive.ts';
import { issueAll } from './issue.ts';
import type { ForecastCalendar } from './types.ts';

export interface ForecastMetrics {
  steps: number;
  maeEurPerMWh: number;
  rmseEurPerMWh: number;
  /** Symmetric MAPE as epftoolbox computes it: mean of 2|y − ŷ|/(|y| + |ŷ|), a fraction (0–2), 0/0 counted as 0. */
  smape: number;
  /**
   * MAE over the MAE of epftoolbox's standard naive (m=None): D−1 on Tuesday–Friday, D−7 on Saturday–Monday. NaN when
   * the span starts less than 7 days into the series.
   */
  rmae: number;
}

/** Metrics of `forecast` against the actual prices of days [fromDay, toDay) (forecast[0] = the first day's first step). */
export function forecastMetrics(
  forecast: ArrayLike<number>,
  calendar: ForecastCalendar,
  pricesEurPerMWh: ArrayLike<number>,
  fromDay: number,
  toDay: number,
): ForecastMetrics {
  const { days } = calendar;
  const base = days[fromDay].start;
  // The naive benchmark needs a week before the span; without it rMAE is NaN (not a number to report).
  const naive = fromDay >= 7;
  const d1 = naive ? issueAll(naiveD1(), calendar, pricesEurPerMWh, [], fromDay, toDay) : null;
  const d7 = naive ? issueAll(naiveD7(), calendar, pricesEurPerMWh, [], fromDay, toDay) : null;
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
      if (d1 && d7) naiveAe += Math.abs((weekly ? d7 : d1)[i - base] - y);
    }
  }
  return {
    steps: n,
    maeEurPerMWh: ae / n,
    rmseEurPerMWh: Math.sqrt(se / n),
    smape: sm / n,
    rmae: naiveAe > 0 ? ae / naiveAe : Number.NaN,
  };
}
