// The greedy backtest of a policy: its actions on a whole series through the env, replayed through the one battery
// model's simulator for money, SOC and cycles, beside the oracle on the same series and battery.

import { type BatteryParams, requestForPowerFraction } from '../battery/index.ts';
import { type EnvConfig, actionLevels } from '../env/config.ts';
import { type ObsContext } from '../env/features.ts';
import { type OracleInput, type OracleResult } from '../oracle/types.ts';
import { simulate } from '../sim/simulate.ts';
import { greedyRollout } from './evaluate.ts';
import { type PolicyWeights } from './mlp.ts';
import { type Backtest } from './types.ts';

/** Greedy backtest of weights on a series, with the oracle's profit and SOC on the same series and battery. */
export function backtestWeights(
  weights: PolicyWeights,
  ctx: ObsContext,
  series: { timesUtcMs: Float64Array; pricesEurPerMWh: Float64Array },
  battery: BatteryParams,
  env: EnvConfig,
  oracle: (input: OracleInput) => OracleResult,
): Backtest {
  const { actions } = greedyRollout(weights, ctx, battery, env);
  const levels = actionLevels(env.numActions);
  const n = actions.length;
  const chargeKWh = new Float64Array(n);
  const dischargeKWh = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const r = requestForPowerFraction(battery, levels[actions[t]], ctx.dtHours);
    chargeKWh[t] = r.chargeKWh;
    dischargeKWh[t] = r.dischargeKWh;
  }
  const sim = simulate(battery, series.pricesEurPerMWh, ctx.dtHours, { chargeKWh, dischargeKWh });
  const o = oracle({ pricesEurPerMWh: series.pricesEurPerMWh, dtHours: ctx.dtHours, battery });
  return {
    profitEur: sim.profitEur,
    oracleProfitEur: o.profitEur,
    shareOfOracle: o.profitEur > 0 ? sim.profitEur / o.profitEur : 0,
    equivalentCycles: sim.equivalentCycles,
    trace: {
      timesUtcMs: series.timesUtcMs.slice(),
      pricesEurPerMWh: series.pricesEurPerMWh.slice(),
      actions,
      socBeforeKWh: sim.socBeforeKWh,
      socAfterKWh: sim.socAfterKWh,
      cashEur: sim.cashEur,
      oracleSocKWh: o.schedule.socKWh,
    },
  };
}
