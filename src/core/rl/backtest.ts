// The greedy backtest of a policy: its actions on a whole series through the env, replayed through the one battery
// model's simulator for money, SOC and cycles, beside the oracle on the same series and battery. The trace also says
// why the agent acted (issue 12 §4): its action probabilities, the teacher's action from the agent's own SOC on the
// prices the agent saw, the forecast average it saw, and the oracle's energy and cash at each step.

import { type BatteryParams, requestForPowerFraction, stepCashEur } from '../battery/index.ts';
import { type EnvConfig, actionLevels } from '../env/config.ts';
import { type ObsContext } from '../env/features.ts';
import { siteOfCtx } from '../env/site.ts';
import { buildActionLattice, siteCash, teacherActionsOnLattice } from '../oracle/action-dp.ts';
import { solveSiteOracle } from '../oracle/site-oracle.ts';
import { type OracleInput, type OracleResult } from '../oracle/types.ts';
import { simulateSite } from '../site/simulate.ts';
import { simulate } from '../sim/simulate.ts';
import { greedyRollout } from './evaluate.ts';
import { type PolicyWeights } from './mlp.ts';
import { type Backtest } from './types.ts';

/** The teacher's best action at step t from an SOC (an index into the action levels). */
export type TeacherAt = (t: number, socKWh: number) => number;

/**
 * The rolling-horizon teacher the clone learns from (clone.ts ACTION_DP_TEACHER): the exact optimum over the
 * agent's action levels on the prices of `ctx` (the current one and the next H: what the agent sees), zero terminal
 * value, its first action. The lattice is seeded with the initial SOC and every SOC the caller will ask about.
 */
export function actionDpTeacherAt(
  ctx: ObsContext,
  battery: BatteryParams,
  env: EnvConfig,
  socsKWh: ArrayLike<number>,
): TeacherAt {
  const levels = actionLevels(env.numActions);
  const lattice = buildActionLattice(battery, levels, ctx.dtHours, [battery.initialSocKWh, ...Array.from(socsKWh)]);
  const input = { pricesEurPerMWh: ctx.pricesEurPerMWh, dtHours: ctx.dtHours, battery, levels, ...siteOfCtx(ctx) };
  const window = ctx.horizon + 1;
  const soc = new Float64Array(1);
  const cash = siteCash(input);
  return (t, socKWh) => {
    soc[0] = socKWh;
    return teacherActionsOnLattice(lattice, input, t, window, soc, 0, cash)[0];
  };
}

/**
 * Greedy backtest of weights on a series, with the oracle's profit and SOC on the same series and battery. On a
 * site (ctx.site) the actions are replayed through simulateSite and the oracle is the site's (solveSiteOracle).
 */
export function backtestWeights(
  weights: PolicyWeights,
  ctx: ObsContext,
  series: { timesUtcMs: Float64Array; pricesEurPerMWh: Float64Array },
  battery: BatteryParams,
  env: EnvConfig,
  oracle: (input: OracleInput) => OracleResult,
  /** The teacher (or planner) whose action the trace records; default the action-set DP teacher, null for none. */
  teacher?: TeacherAt | null,
): Backtest {
  const levels = actionLevels(env.numActions);
  const n = ctx.length;
  const actionProbs = new Float32Array(n * levels.length);
  const { actions } = greedyRollout(weights, ctx, battery, env, battery.initialSocKWh, actionProbs);
  const chargeKWh = new Float64Array(n);
  const dischargeKWh = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const r = requestForPowerFraction(battery, levels[actions[t]], ctx.dtHours);
    chargeKWh[t] = r.chargeKWh;
    dischargeKWh[t] = r.dischargeKWh;
  }
  const site = ctx.site;
  const oracleInput = { pricesEurPerMWh: series.pricesEurPerMWh, dtHours: ctx.dtHours, battery };
  const sim = site
    ? simulateSite({ ...oracleInput, site: site.site, series: site.series }, { chargeKWh, dischargeKWh })
    : simulate(battery, series.pricesEurPerMWh, ctx.dtHours, { chargeKWh, dischargeKWh });
  const siteOracle = site ? solveSiteOracle({ ...oracleInput, site: site.site, series: site.series }) : null;
  const o = siteOracle ?? oracle(oracleInput);
  const oracleGridKWh = new Float64Array(n);
  const oracleCashEur = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const c = o.schedule.chargeKWh[t];
    const d = o.schedule.dischargeKWh[t];
    // On a site: the grid's energy (import − export) and the site's cash of the oracle's replay.
    oracleGridKWh[t] = siteOracle ? siteOracle.trace.importStepKWh[t] - siteOracle.trace.exportStepKWh[t] : c - d;
    oracleCashEur[t] = siteOracle ? siteOracle.trace.cashEur[t] : stepCashEur(battery, series.pricesEurPerMWh[t], c, d);
  }
  const ask = teacher === undefined ? actionDpTeacherAt(ctx, battery, env, uniqueValues(sim.socBeforeKWh)) : teacher;
  let teacherActions: Int32Array | undefined;
  if (ask) {
    teacherActions = new Int32Array(n);
    for (let t = 0; t < n; t++) teacherActions[t] = ask(t, sim.socBeforeKWh[t]);
  }
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
      actionProbs,
      ...(teacherActions ? { teacherActions } : {}),
      forecastAvgEurPerMWh: Float32Array.from(ctx.forecastAvgEurPerMWh),
      oracleGridKWh,
      oracleCashEur,
    },
  };
}

function uniqueValues(x: Float64Array): Float64Array {
  return Float64Array.from(new Set(x));
}
