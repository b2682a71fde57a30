// The baselines every information mode is scored with. Each plans only on its view's prices (actual or forecast,
// per mode), from the view's SOC, and commits the steps [from, to). On a site (view.site) the optimisers plan on the
// site (its PV and load over the plan window, limits and fees); the threshold rule stays a price rule whose requests
// the site cuts; everything is settled on the site by the runner.

import { type BatteryParams, requestForPowerFraction } from '../battery/index.ts';
import { solveOracle } from '../oracle/oracle.ts';
import { backwardDp, buildActionLattice, latticeIndex, siteCash } from '../oracle/action-dp.ts';
import { solveSiteOracle } from '../oracle/site-oracle.ts';
import type { Strategy } from './run.ts';
import type { Decision, InformationView } from './view.ts';

const HOLD_CHARGE_DISCHARGE = [0, 1, -1];

function empty(n: number): Decision {
  return { chargeKWh: new Float64Array(n), dischargeKWh: new Float64Array(n) };
}

/** The exact oracle on the plan prices from the current SOC; commits the decided steps (the rolling day-ahead planner). */
export const planOnForecast: Strategy = {
  name: 'plan-on-forecast',
  start: (battery, dtHours) => (view) => {
    const b: BatteryParams = {
      ...battery,
      initialSocKWh: view.socKWh,
      terminalSocKWh: view.reachesSpanEnd ? battery.terminalSocKWh : null,
    };
    const plan = { pricesEurPerMWh: view.planPricesEurPerMWh, dtHours, battery: b };
    const { schedule } = view.site ? solveSiteOracle({ ...plan, ...view.site }) : solveOracle(plan);
    const n = view.to - view.from;
    return { chargeKWh: schedule.chargeKWh.slice(0, n), dischargeKWh: schedule.dischargeKWh.slice(0, n) };
  },
};

/** The action-set DP (hold / full charge / full discharge) on the plan prices; commits its policy for the decided steps. */
export function rollingHorizonStrategy(levels: readonly number[] = HOLD_CHARGE_DISCHARGE): Strategy {
  return {
    name: 'rolling-horizon',
    start: (battery, dtHours) => {
      // Discrete actions from the initial SOC keep the SOC on this lattice for the whole run.
      const lattice = buildActionLattice(battery, levels, dtHours, [battery.initialSocKWh]);
      const S = lattice.socKWh.length;
      const scratch = new Float64Array(S);
      return (view) => {
        const T = view.planPricesEurPerMWh.length;
        const policy = new Int32Array(T * S);
        const value = new Float64Array(S);
        // On a site each step's cash is the site's and an action the site would cut is not offered (action-dp.ts).
        const cash = view.site
          ? siteCash({ pricesEurPerMWh: view.planPricesEurPerMWh, dtHours, battery, levels, site: view.site })
          : null;
        backwardDp(lattice, battery, view.planPricesEurPerMWh, 0, T, value, scratch, policy, undefined, cash);
        const n = view.to - view.from;
        const out = empty(n);
        let s = latticeIndex(lattice, view.socKWh);
        for (let t = 0; t < n; t++) {
          const a = policy[t * S + s];
          const r = requestForPowerFraction(battery, levels[a], dtHours);
          out.chargeKWh[t] = r.chargeKWh;
          out.dischargeKWh[t] = r.dischargeKWh;
          s = lattice.next[s * lattice.actions + a];
        }
        return out;
      };
    },
  };
}

/** q-quantile of a copy of xs (linear interpolation). */
function quantile(xs: Float64Array, q: number): number {
  const s = xs.slice().sort();
  const pos = q * (s.length - 1);
  const i = Math.floor(pos);
  return i + 1 < s.length ? s[i] + (pos - i) * (s[i + 1] - s[i]) : s[i];
}

/** Charge at full power at or below the q-quantile of the plan window, discharge at or above the (1−q)-quantile. */
export function thresholdStrategy(q = 0.25): Strategy {
  return {
    name: 'threshold',
    start: (battery, dtHours) => (view) => {
      const n = view.to - view.from;
      const out = empty(n);
      const plan = view.planPricesEurPerMWh;
      const lo = quantile(plan, q);
      const hi = quantile(plan, 1 - q);
      if (!(hi > lo)) return out;
      for (let t = 0; t < n; t++) {
        const fraction = plan[t] <= lo ? 1 : plan[t] >= hi ? -1 : 0;
        const r = requestForPowerFraction(battery, fraction, dtHours);
        out.chargeKWh[t] = r.chargeKWh;
        out.dischargeKWh[t] = r.dischargeKWh;
      }
      return out;
    },
  };
}

/** Never trades. */
export const holdStrategy: Strategy = {
  name: 'hold',
  start: () => (view: InformationView) => empty(view.to - view.from),
};

/** The baselines in the order `bess compare` lists them. */
export function baselineStrategies(): Strategy[] {
  return [planOnForecast, rollingHorizonStrategy(), thresholdStrategy(), holdStrategy];
}
