// The original system's "oracle": sort the prices and pair the cheapest steps with the dearest, as if every cheap
// hour could feed every dear one. It ignores time order and the capacity, so it is a LOOSE UPPER ESTIMATE, not an
// optimum; it is kept only to show how far it overstates against the exact oracle (oracle.ts).

import { maxChargeKWh } from '../battery/index.ts';
import { eurForEnergy } from '../units.ts';
import type { OracleInput } from './types.ts';

/** Loose estimate: pairs the i-th cheapest step with the i-th dearest, buying a full-power step and selling what survives the round trip, while that pays. */
export function heuristicEstimate(input: OracleInput): { profitEur: number; pairs: number; estimate: true } {
  const { pricesEurPerMWh, dtHours, battery: b } = input;
  const sorted = Float64Array.from(pricesEurPerMWh).sort();
  const boughtKWh = maxChargeKWh(b, dtHours);
  const soldKWh = boughtKWh * b.chargeEfficiency * b.dischargeEfficiency;
  let profitEur = 0;
  let pairs = 0;
  for (let i = 0, j = sorted.length - 1; i < j; i++, j--) {
    const gain = eurForEnergy(sorted[j], soldKWh) - eurForEnergy(sorted[i], boughtKWh) - b.degradationEurPerKWh * (boughtKWh + soldKWh);
    if (gain <= 0) break;
    profitEur += gain;
    pairs++;
  }
  return { profitEur, pairs, estimate: true };
}
