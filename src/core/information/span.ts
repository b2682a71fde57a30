import { deliveryDays } from './calendar.ts';

/**
 * The test span after a train share: from the first delivery-day start at or after step round(share · n), so that
 * day-ahead decisions and every other mode cover the same whole days; to the series' end.
 */
export function testSpan(timesUtcMs: Float64Array, dtHours: number, trainShare: number): { from: number; to: number } {
  const n = timesUtcMs.length;
  const split = Math.min(n, Math.max(0, Math.round(trainShare * n)));
  const day = deliveryDays(timesUtcMs, dtHours).find((d) => d.start >= split);
  return { from: day ? day.start : n, to: n };
}
