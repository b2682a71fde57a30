// Aligns exogenous series to a price series by UTC interval start.

import { type ParseWarning, PriceFileError } from '../prices/types.ts';
import { MS_PER_HOUR, stepMinutes } from '../units.ts';
import type { ExogenousSeries } from './types.ts';

export interface AlignedExogenous {
  names: string[];
  /** One array per name, one value per price step. */
  values: Float64Array[];
  warnings: ParseWarning[];
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * The exogenous values at each price step. The file must have the prices' step length and cover their span;
 * rows outside the span are unused (reported), gaps were filled and reported by the parser.
 */
export function alignExogenous(
  exo: ExogenousSeries,
  prices: { timesUtcMs: Float64Array; dtHours: number; source?: string },
): AlignedExogenous {
  const file = exo.source;
  const n = prices.timesUtcMs.length;
  const firstLine = exo.lines[0];
  const lastLine = exo.lines[exo.lines.length - 1];
  if (Math.abs(exo.dtHours - prices.dtHours) > 1e-9) {
    throw new PriceFileError(
      `${file}: row ${exo.lines[1] || firstLine}: ${stepMinutes(exo.dtHours)}-minute steps, the prices (${prices.source ?? 'price file'}) have ${stepMinutes(prices.dtHours)}-minute steps`,
      file,
      exo.lines[1] || firstLine,
    );
  }
  const stepMs = exo.dtHours * MS_PER_HOUR;
  const t0 = exo.timesUtcMs[0];
  const tEnd = exo.timesUtcMs[exo.timesUtcMs.length - 1];
  const p0 = prices.timesUtcMs[0];
  const pEnd = prices.timesUtcMs[n - 1];
  if (t0 > p0)
    throw new PriceFileError(
      `${file}: row ${firstLine}, column timestamp: starts at ${iso(t0)}, after the prices start (${iso(p0)}); the file must cover the price span`,
      file,
      firstLine,
      'timestamp',
    );
  if (tEnd < pEnd)
    throw new PriceFileError(
      `${file}: row ${lastLine}, column timestamp: ends at ${iso(tEnd)}, before the prices end (${iso(pEnd)}); the file must cover the price span`,
      file,
      lastLine,
      'timestamp',
    );
  const offset = (p0 - t0) / stepMs;
  if (!Number.isInteger(Math.round(offset * 1e6) / 1e6))
    throw new PriceFileError(
      `${file}: its steps start at ${iso(t0)}, off the prices' ${stepMinutes(prices.dtHours)}-minute grid`,
      file,
      firstLine,
      'timestamp',
    );
  const warnings: ParseWarning[] = [];
  const values = exo.values.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const k = Math.round((prices.timesUtcMs[i] - t0) / stepMs);
    for (let j = 0; j < values.length; j++) values[j][i] = exo.values[j][k];
  }
  const firstUsed = Math.round(offset);
  const lastUsed = Math.round((pEnd - t0) / stepMs);
  if (firstUsed > 0)
    warnings.push({
      kind: 'other',
      row: firstLine,
      message: `${file}: rows ${firstLine}–${exo.lines[firstUsed - 1] || firstLine} lie before the price span and are unused`,
      action: 'ignored',
    });
  if (lastUsed < exo.lines.length - 1)
    warnings.push({
      kind: 'other',
      row: exo.lines[lastUsed + 1],
      message: `${file}: rows ${exo.lines[lastUsed + 1]}–${lastLine} lie after the price span and are unused`,
      action: 'ignored',
    });
  return { names: exo.names, values, warnings: [...exo.warnings, ...warnings] };
}
