// `bess compare`: every strategy's profit on one price file and battery, as a share of the exact oracle.
import { defineCommand, type OptionValues } from '../command.ts';
import { BATTERY_OPTIONS, CliError, SITE_OPTIONS, batterySpec, siteSpec } from '../args.ts';
import { type SiteInputs, modelSiteInputs, siteInputs } from '../site.ts';
import { solveSiteOracle } from '../../core/oracle/site-oracle.ts';
import { siteWithoutBattery, simulateSite } from '../../core/site/simulate.ts';
import type { Schedule } from '../../core/sim/simulate.ts';
import { loadPriceFile } from '../../io/load.ts';
import { resolveBattery, type BatteryParams } from '../../core/battery/index.ts';
import type { PriceSeries } from '../../core/prices/types.ts';
import { solveOracle } from '../../core/oracle/oracle.ts';
import { rollingHorizon, solveActionDp } from '../../core/oracle/action-dp.ts';
import { heuristicEstimate } from '../../core/oracle/heuristic.ts';
import { table } from '../format.ts';
import { compareWithInformation, loadModel } from './compare-information.ts';
import { FORECAST_INPUT_OPTIONS } from './forecast-inputs.ts';
import { INFORMATION_MODES } from '../../core/information/index.ts';
import { FORECAST_MODELS } from '../../core/forecast/index.ts';

/** The flags of `bess compare`; a strategy that needs a flag of its own declares it here. */
const OPTIONS = {
  information: {
    type: 'string',
    choices: INFORMATION_MODES,
    arg: 'MODE',
    help: 'score every baseline under perfect, known-24h or day-ahead information, over the test span',
  },
  forecast: {
    type: 'string',
    choices: FORECAST_MODELS,
    arg: 'M',
    help: 'the day-ahead forecaster (default: lear with --exogenous, else ridge)',
  },
  model: {
    type: 'string',
    arg: 'DIR',
    help: 'add the trained agent (bess train --out DIR), under the information it was trained on',
  },
  ...FORECAST_INPUT_OPTIONS,
  ...BATTERY_OPTIONS,
  ...SITE_OPTIONS,
} as const;

/** What a strategy gets: the series, the resolved battery and the command's flags (for its own). */
export interface StrategyContext {
  series: PriceSeries;
  battery: BatteryParams;
  values: OptionValues<typeof OPTIONS>;
  /** The site around the battery; absent or plain: the battery alone. */
  site?: SiteInputs;
}

/** One row of `bess compare`. `applies` false skips it (e.g. a strategy that needs a flag that was not given). */
export interface Strategy {
  name: string;
  /** Shown beside the name: e.g. that a number is an estimate, not a replayed schedule. */
  note?: string;
  applies?: (ctx: StrategyContext) => boolean;
  profitEur: (ctx: StrategyContext) => Promise<number> | number;
}

const LEVELS3 = [0, 1, -1];
const input = (c: StrategyContext) => ({
  pricesEurPerMWh: c.series.pricesEurPerMWh,
  dtHours: c.series.dtHours,
  battery: c.battery,
});

const isPlain = (c: StrategyContext): boolean => !c.site || c.site.plain;
/** The site for the site-aware planners (the action-set DP, the rolling horizon); undefined for the battery alone. */
const siteOf = (c: StrategyContext) => (isPlain(c) ? undefined : { site: c.site!.site, series: c.site!.series });
const siteInput = (c: StrategyContext) => ({ ...input(c), site: c.site!.site, series: c.site!.series });

/** A battery-only plan's profit: as the battery model settles it, or on the site (PV, load, limits, fees) when there is one. */
const settled = (c: StrategyContext, plan: { profitEur: number; schedule: Schedule }): number =>
  isPlain(c) ? plan.profitEur : simulateSite(siteInput(c), plan.schedule).profitEur;

const SITE_BLIND = 'planned on prices alone, settled on the site';

/** The strategies compared, in order; the first is the oracle every share is measured against. Add one by pushing an entry. */
export const STRATEGIES: Strategy[] = [
  {
    name: 'oracle (exact LP)',
    profitEur: (c) => (isPlain(c) ? solveOracle(input(c)).profitEur : solveSiteOracle(siteInput(c)).profitEur),
  },
  {
    name: 'battery oracle, site-blind',
    note: SITE_BLIND,
    applies: (c) => !isPlain(c),
    profitEur: (c) => settled(c, solveOracle(input(c))),
  },
  {
    name: 'action-set optimum (3 levels)',
    profitEur: (c) => solveActionDp({ ...input(c), levels: LEVELS3, site: siteOf(c) }).profitEur,
  },
  {
    name: 'rolling horizon 24 h (3 levels)',
    profitEur: (c) =>
      rollingHorizon({ ...input(c), levels: LEVELS3, site: siteOf(c) }, Math.round(24 / c.series.dtHours)).profitEur,
  },
  {
    name: 'original heuristic',
    note: 'loose estimate: ignores time order and capacity',
    applies: (c) => isPlain(c),
    profitEur: (c) => heuristicEstimate(input(c)).profitEur,
  },
  {
    name: 'hold',
    profitEur: (c) => (isPlain(c) ? 0 : siteWithoutBattery(siteInput(c)).cashEur),
  },
];

export const command = defineCommand({
  summary: 'Profit of every strategy on a price file, and its share of the exact oracle.',
  positionals: [{ name: 'FILE', help: 'price CSV' }],
  options: OPTIONS,
  async run({ values, positionals: [file] }, io) {
    const battery = resolveBattery(batterySpec(values));
    const { information } = values;
    if (information) {
      const series = await loadPriceFile(file);
      // An agent trained on a site brings it: every strategy is scored on the model's site, site flags on top.
      const agent = values.model ? await loadModel(values.model) : null;
      const site = agent ? modelSiteInputs(agent, values.model!, values, series) : siteInputs(values, series);
      if (agent && !site && !siteInputs(values, series).plain)
        throw new CliError(
          `--model: ${values.model} was trained on the battery alone, and ${series.source} is a site (pv_kw/load_kw); train the agent on the site (bess train --train ${series.source}), or compare it on the battery alone with --pv-scale 0 on a file without load_kw`,
        );
      return compareWithInformation(
        file,
        { ...values, information },
        battery,
        site && !site.plain ? site : undefined,
        agent && site ? { series: site.series, site: siteSpec(values) } : undefined,
      );
    }
    for (const flag of ['forecast', 'model', 'exogenous', 'noise-eur-per-mwh', 'seed'] as const)
      if (values[flag] !== undefined) throw new CliError(`--${flag} needs --information MODE`);
    const series = await loadPriceFile(file);
    const ctx: StrategyContext = { series, battery, values, site: siteInputs(values, series) };
    const strategies: { name: string; profitEur: number; shareOfOracle: number; ms: number; note?: string }[] = [];
    let oracleEur = Number.NaN;
    for (const s of STRATEGIES) {
      if (s.applies && !s.applies(ctx)) continue;
      const t0 = io.nowMs();
      const profitEur = await s.profitEur(ctx);
      const ms = io.nowMs() - t0;
      const note = s.note;
      if (strategies.length === 0) oracleEur = profitEur;
      strategies.push({
        name: s.name,
        profitEur,
        shareOfOracle: oracleEur !== 0 ? profitEur / oracleEur : profitEur === 0 ? 1 : 0,
        ms,
        ...(note ? { note } : {}),
      });
    }
    const text = table(
      ['strategy', 'profit EUR', 'share of oracle', 'ms'],
      strategies.map((s) => [
        s.name + (s.note ? ` (${s.note})` : ''),
        s.profitEur,
        `${(100 * s.shareOfOracle).toFixed(1)}%`,
        s.ms,
      ]),
    );
    return { json: { strategies }, text };
  },
});
