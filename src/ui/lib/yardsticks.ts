// The oracle's two companions on the page: the optimum over the agent's own discrete actions (its ceiling) and the
// original system's sort-and-pair heuristic (a loose overestimate). Both come from src/core/oracle.
//
// They run on the main thread, so only where they are cheap: the oracle worker's protocol (workers/oracle-api.ts)
// has no method for them yet. Above the work limits the page says "not computed" rather than freeze.

import type { BatteryParams } from '../../core/battery/index.ts';
import { actionLevels } from '../../core/env/config.ts';
import { heuristicEstimate, reachableSocLevels, solveActionDp } from '../../core/oracle/index.ts';

/** Largest (SOC levels × steps) the action-set DP may do on the main thread: ~20 ms measured for 21 × 8,760. */
export const MAX_DP_WORK = 400_000;
/** Largest series the heuristic sorts on the main thread (one Float64Array sort). */
export const MAX_HEURISTIC_STEPS = 100_000;

/** Profits of the two yardsticks; null where not computed, with the reason. */
export interface Yardsticks {
  actionSetProfitEur: number | null;
  heuristicProfitEur: number | null;
  note: string | null;
}

/** Computes what fits the work limits. */
export function yardsticks(prices: Float64Array, dtHours: number, battery: BatteryParams, numActions = 3): Yardsticks {
  const levels = actionLevels(numActions);
  let note: string | null = null;
  let actionSetProfitEur: number | null = null;
  const socLevels = reachableSocLevels(
    battery,
    levels,
    dtHours,
    battery.initialSocKWh,
    Math.ceil(MAX_DP_WORK / Math.max(1, prices.length)) + 1,
  );
  if (socLevels.length * prices.length <= MAX_DP_WORK) {
    actionSetProfitEur = solveActionDp({ pricesEurPerMWh: prices, dtHours, battery, levels }).profitEur;
  } else {
    note = 'Action-set ceiling not computed here: too many reachable SOC levels for this battery and series.';
  }
  const heuristicProfitEur =
    prices.length <= MAX_HEURISTIC_STEPS
      ? heuristicEstimate({ pricesEurPerMWh: prices, dtHours, battery }).profitEur
      : null;
  return { actionSetProfitEur, heuristicProfitEur, note };
}
