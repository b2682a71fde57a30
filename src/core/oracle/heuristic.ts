// The original system's "oracle": sort the prices and pair the cheapest steps with the dearest, as if every cheap
// hour could feed every dear one. It ignores time order and the capacity, so it is a LOOSE UPPER ESTIMATE, not an
// optimum; it is kept only to show how far it overstates against the exact oracle (oracle.ts).

import { cellGainKWh, dischargeForCellLossKWh, maxChargeKWh, stepCashEur } from '../battery/index.ts';
import type { OracleInput } from './types.ts';

/** Loose estimate: pairs the i-th cheapest step with the i-th dearest, buying a full-power step and selling what survives the round trip, while that pays. */
export function heuristicEstimate(input: OracleInput): { profitEur: number; pairs: number; estimate: true } {
  const { pricesEurPerMWh, dtHours, battery: b } = input;
  const sorted = Float64Array.from(pricesEurPerMWh).sort();
  const boughtKWh = maxChargeKWh(b, dtHours);
  // What a full-power charge stores, sold again: the round trip through the battery model's efficiencies.
  const soldKWh = dischargeForCellLossKWh(b, cellGainKWh(b, boughtKWh));
  let profitEur = 0;
  let pairs = 0;
  for (let i = 0, j = sorted.length - 1; i < j; i++, j--) {
    const gain = stepCashEur(b, sorted[i], boughtKWh, 0) + stepCashEur(b, sorted[j], 0, soldKWh);
    if (gain <= 0) break;
    profitEur += gain;
    pairs++;
  }
  return { profitEur, pairs, estimate: true };
}
