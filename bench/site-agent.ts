// The agent on the site (issue 14 §5): bess train's run (teacher cloning + PPO, the default budget) on the DE-LU
// 2023 PV site, trained on the first 75% of the year and backtested greedily on the rest, as a share of the site
// oracle of that test split, beside the site-aware planners on the same split (the 3-level action-set optimum,
// the 24 h rolling horizon, both planned on the site's cash) and hold (the site without the battery). Every
// number is money at actual prices through simulateSite. Seeds: BENCH_SITE_SEEDS (default 1).
import { selectNodeBackend } from '../src/cli/commands/rl-node.ts';
import { DEFAULT_BATTERY } from '../src/core/battery/index.ts';
import { rollingHorizon, solveActionDp } from '../src/core/oracle/action-dp.ts';
import { solveSiteOracle } from '../src/core/oracle/site-oracle.ts';
import { type SiteSpec, resolveSite } from '../src/core/site/index.ts';
import { siteWithoutBattery } from '../src/core/site/simulate.ts';
import type { PriceSeries } from '../src/core/prices/types.ts';
import { createTrainer } from '../workers/trainer.ts';
import { benchSplit } from './rl-measure.ts';

/** The site settings the agent is trained on (the README's compare settings). */
export const AGENT_SITES: { name: string; spec: SiteSpec }[] = [
  { name: 'export 50 kW, fees 30/5', spec: { exportLimitKW: 50, importFeeEurPerMWh: 30, exportFeeEurPerMWh: 5 } },
];

const pct = (x: number) => (100 * x).toFixed(1);

/** One row per site and seed: agent, planners and hold on the test split, as shares of the site oracle. */
export async function agentOnSite(s: PriceSeries, seeds: number[]) {
  const split = benchSplit(s);
  const cut = split.train.pricesEurPerMWh.length;
  const pv = Float64Array.from(s.pvKW!);
  const test = { pvKW: pv.slice(cut), loadKW: null };
  const rows: (string | number)[][] = [];
  const json: unknown[] = [];
  for (const site of AGENT_SITES) {
    const params = resolveSite(site.spec);
    const input = {
      pricesEurPerMWh: split.test.pricesEurPerMWh,
      dtHours: s.dtHours,
      battery: DEFAULT_BATTERY,
      site: params,
      series: test,
    };
    const oracle = solveSiteOracle(input).profitEur;
    const onSite = { site: { site: params, series: test } };
    const levels = [0, 1, -1];
    const actionSet = solveActionDp({ ...input, levels, ...onSite }).profitEur;
    const rolling = rollingHorizon({ ...input, levels, ...onSite }, Math.round(24 / s.dtHours)).profitEur;
    const hold = siteWithoutBattery(input).cashEur;
    for (const seed of seeds) {
      const t0 = performance.now();
      const res = await createTrainer({ selectBackend: selectNodeBackend }).start(
        {
          ...split,
          battery: {},
          seed,
          backend: 'auto',
          site: { site: site.spec, train: { pvKW: pv.slice(0, cut), loadKW: null }, test },
        },
        () => {},
      );
      const agent = res.backtest.profitEur;
      const batteryShare = (x: number) => (oracle !== hold ? (x - hold) / (oracle - hold) : 0);
      rows.push([
        site.name,
        seed,
        oracle.toFixed(2),
        `${agent.toFixed(2)} (${pct(agent / oracle)}%)`,
        `${actionSet.toFixed(2)} (${pct(actionSet / oracle)}%)`,
        `${rolling.toFixed(2)} (${pct(rolling / oracle)}%)`,
        `${hold.toFixed(2)} (${pct(hold / oracle)}%)`,
        `${pct(batteryShare(agent))}%`,
        `${pct(batteryShare(rolling))}%`,
        res.kept.source,
        ((performance.now() - t0) / 1000).toFixed(0),
      ]);
      json.push({
        site: site.name,
        spec: site.spec,
        seed,
        testSteps: split.test.pricesEurPerMWh.length,
        siteOracleEur: oracle,
        agentEur: agent,
        agentShare: res.backtest.shareOfOracle,
        actionSetEur: actionSet,
        rollingHorizonEur: rolling,
        holdEur: hold,
        agentBatteryShare: batteryShare(agent),
        rollingBatteryShare: batteryShare(rolling),
        kept: res.kept.source,
        stopReason: res.stopReason,
        backend: res.backend,
        seconds: (performance.now() - t0) / 1000,
      });
    }
  }
  return {
    title:
      'The agent on the site: DE-LU 2023 PV site, default battery and budget, trained on the first 75%, test split the rest; share of the site oracle',
    columns: [
      'site',
      'seed',
      'site oracle EUR',
      'agent',
      'action-set optimum (3 levels)',
      'rolling horizon 24 h',
      'hold',
      "agent: battery's share",
      "rolling: battery's share",
      'kept',
      's',
    ],
    rows,
    json,
  };
}
