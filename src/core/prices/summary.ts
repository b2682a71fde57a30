import type { PriceSeries } from './types.ts';
import { stepMinutes } from '../units.ts';
import { MS_PER_HOUR } from '../units.ts';

/** What the dataset summary (page and `bess parse`) shows about a series. */
export interface PriceSummary {
  rows: number;
  /** Start of the first interval, ISO-8601 UTC. */
  start: string;
  /** End of the last interval (start + step), ISO-8601 UTC. */
  end: string;
  stepMinutes: number;
  minPrice: number;
  maxPrice: number;
  meanPrice: number;
  negativeCount: number;
  warnings: string[];
}

/** Summarises a series in one pass; warnings become "message — action" lines. */
export function summarisePrices(series: PriceSeries): PriceSummary {
  const p = series.pricesEurPerMWh;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let neg = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    if (v < 0) neg++;
  }
  const n = p.length;
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  return {
    rows: n,
    start: n ? iso(series.timesUtcMs[0]) : '',
    end: n ? iso(series.timesUtcMs[n - 1] + series.dtHours * MS_PER_HOUR) : '',
    stepMinutes: stepMinutes(series.dtHours),
    minPrice: n ? min : Number.NaN,
    maxPrice: n ? max : Number.NaN,
    meanPrice: n ? Math.round((sum / n) * 1e6) / 1e6 : Number.NaN,
    negativeCount: neg,
    warnings: series.warnings.map((w) => `${w.message} — ${w.action}`),
  };
}
