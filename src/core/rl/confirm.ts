// The paired per-day comparison that confirms a fine-tuned policy against its clone on held-out days.

/** Two policies' per-day profit differences over the same days, and how far their mean is from zero. */
export interface PairedDayGain {
  /** Delivery days compared. */
  days: number;
  /** Mean over days of (a's profit − b's profit), EUR. */
  meanGainEur: number;
  /** The mean over its standard error (paired t statistic); 0 with fewer than 2 days, ±Infinity when all days agree. */
  tStat: number;
}

/**
 * Per-day profit of a minus per-day profit of b, each step's cash summed into the day that holds it.
 * dayStarts: each day's first step, ascending, the first at 0; the last day runs to the series' end.
 */
export function pairedDayGain(
  cashA: ArrayLike<number>,
  cashB: ArrayLike<number>,
  dayStarts: ArrayLike<number>,
): PairedDayGain {
  const n = cashA.length;
  if (cashB.length !== n) throw new RangeError(`pairedDayGain: ${n} steps against ${cashB.length}`);
  if (dayStarts.length > 0 && dayStarts[0] !== 0) throw new RangeError('pairedDayGain: the first day must start at 0');
  const diffs: number[] = [];
  for (let d = 0; d < dayStarts.length; d++) {
    const from = dayStarts[d];
    const to = d + 1 < dayStarts.length ? dayStarts[d + 1] : n;
    if (!(to > from && to <= n)) throw new RangeError(`pairedDayGain: day ${d} spans [${from}, ${to}) of ${n} steps`);
    let s = 0;
    for (let t = from; t < to; t++) s += cashA[t] - cashB[t];
    diffs.push(s);
  }
  const days = diffs.length;
  const mean = days > 0 ? diffs.reduce((a, b) => a + b, 0) / days : 0;
  if (days < 2) return { days, meanGainEur: mean, tStat: 0 };
  const variance = diffs.reduce((a, x) => a + (x - mean) ** 2, 0) / (days - 1);
  const se = Math.sqrt(variance / days);
  const tStat = se > 0 ? mean / se : mean === 0 ? 0 : Math.sign(mean) * Infinity;
  return { days, meanGainEur: mean, tStat };
}

/** The held-out check's numbers: both policies' shares of the oracle there, and the paired per-day comparison. */
export interface ConfirmCheck {
  ppoShare: number;
  cloneShare: number;
  days: number;
  meanGainEur: number;
  tStat: number;
}

/** Whether the held-out check keeps the fine-tuned policy: a share above the clone's by the margin, and t ≥ minT. */
export function confirmKeeps(c: ConfirmCheck, marginShare: number, minT: number): boolean {
  return c.ppoShare > c.cloneShare + marginShare && c.tStat >= minT;
}
