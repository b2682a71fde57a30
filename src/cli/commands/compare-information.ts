// `bess compare FILE --information perfect|known-24h|day-ahead [--forecast M] [--exogenous FILE] [--train-share S]
// [battery flags]`: every baseline under that information over the test span, settled at actual prices, as a share
// of the perfect-foresight optimum of the same span and battery.
import { MS_PER_HOUR } from '../../core/units.ts';
import { CliError } from '../args.ts';
import { type BatteryParams } from '../../core/battery/index.ts';
import { compareUnderInformation, type InformationMode, type SiteRun } from '../../core/information/index.ts';
import { table } from '../format.ts';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelFileError, type SavedModel, parseSavedModel } from '../../core/rl/model.ts';
import { ForecastError } from '../../core/forecast/index.ts';
import { createTrainer } from '../../../workers/trainer.ts';
import type { BacktestSite } from '../../../workers/trainer-api.ts';
import {
  type ForecastInputValues,
  asCliError,
  forecastColumn,
  forecasterFor,
  loadForecastInputs,
} from './forecast-inputs.ts';

/** What `bess compare --information` reads of its parsed flags. */
export interface InformationCompareValues extends ForecastInputValues {
  information: InformationMode;
  forecast?: string;
  model?: string;
}

export async function compareWithInformation(
  file: string,
  values: InformationCompareValues,
  battery: BatteryParams,
  /** A site that adds something to the battery (PV, load, limits, fees): every baseline plans and settles on it. */
  site?: SiteRun,
  /** The agent's site (a model trained on one): the file's PV and load and the site flags over the model's site. */
  agentSite?: BacktestSite,
): Promise<{ json: unknown; text: string }> {
  const mode = values.information;
  const inputs = await loadForecastInputs(file, values);
  let model = values.forecast;
  if (model && mode !== 'day-ahead')
    throw new CliError(`--forecast applies to --information day-ahead only (got ${mode})`);
  // A day-ahead agent brings its forecaster: the baselines are scored with the same one on the same span.
  const agent = values.model ? await loadModel(values.model) : null;
  if (agent && !agent.config.site && site)
    throw new CliError(`--model: ${values.model} was trained on the battery alone, not on this site`);
  const agentForecast = agent?.config.information?.forecast;
  if (agent && mode === 'day-ahead') {
    if (!agentForecast)
      throw new CliError(
        `--model: ${values.model} observes the next 24 h of actual prices, so it is compared under --information known-24h only (got day-ahead)`,
      );
    if (model && model !== agentForecast)
      throw new CliError(
        `--forecast ${model}: the model in ${values.model} was trained on forecaster ${agentForecast}; compare it with --forecast ${agentForecast}`,
      );
    model = agentForecast;
  }
  const forecaster =
    mode === 'day-ahead'
      ? await forecasterFor(file, values, model ?? (inputs.exogenous ? 'lear' : 'ridge'), inputs)
      : undefined;
  const { series, span } = inputs;
  const r = asCliError(() =>
    compareUnderInformation({
      series,
      spanFrom: span.from,
      spanTo: span.to,
      battery,
      mode,
      forecaster,
      exogenous: inputs.exogenous?.values,
      ...(site ? { site: { site: site.site, series: site.series } } : {}),
      nowMs: () => performance.now(),
    }),
  );
  if (agent && values.model) {
    const extra =
      mode === 'day-ahead'
        ? {
            exogenous: inputs.exogenous?.values,
            column: model === 'column' ? await forecastColumn(file, series) : undefined,
          }
        : null;
    r.strategies.push(
      await agentScore(values.model, agent, mode, series, span, battery, r.strategies[0].profitEur, extra, agentSite),
    );
  }
  const start = new Date(series.timesUtcMs[span.from]).toISOString();
  const end = new Date(series.timesUtcMs[span.to - 1] + series.dtHours * MS_PER_HOUR).toISOString();
  const json = {
    information: r.information,
    forecast: r.forecast,
    start,
    end,
    strategies: r.strategies,
    forecastMs: r.forecastMs,
  };
  const text =
    `information: ${mode}${r.forecast ? `, forecast: ${r.forecast}` : ''}; test span ${start} – ${end} (UTC)\n` +
    table(
      ['strategy', 'profit EUR', 'share of oracle', 'ms'],
      r.strategies.map((s) => [s.name, s.profitEur, `${(100 * s.shareOfOracle).toFixed(1)}%`, s.ms]),
    );
  return { json, text };
}

/** The model in a run folder (bess train --out DIR); a missing or damaged model.json is a CliError naming it. */
export async function loadModel(dir: string): Promise<SavedModel> {
  let text: string;
  try {
    text = await readFile(join(dir, 'model.json'), 'utf8');
  } catch {
    throw new CliError(`${dir}: no model.json (train one with bess train --out ${dir})`);
  }
  try {
    return parseSavedModel(text, join(dir, 'model.json')).model;
  } catch (err) {
    if (err instanceof ModelFileError) throw new CliError(err.message);
    throw err;
  }
}

/**
 * The trained agent (bess train --out DIR) greedily on the span, under the information it was trained on: a
 * known-24h agent observes the next 24 h of actual prices, so it is scored under known-24h only; a day-ahead agent
 * observes its forecaster's issues (the same forecaster and span as the baselines), under day-ahead only.
 */
async function agentScore(
  dir: string,
  model: SavedModel,
  mode: string,
  series: { timesUtcMs: Float64Array; pricesEurPerMWh: Float64Array; dtHours: number },
  span: { from: number; to: number },
  battery: BatteryParams,
  oracleEur: number,
  dayAheadInputs: { exogenous?: Float64Array[]; column?: Float64Array } | null,
  agentSite?: BacktestSite,
) {
  const trained = model.config.information?.mode ?? 'known-24h';
  if (mode !== trained)
    throw new CliError(
      trained === 'day-ahead'
        ? `--model: ${dir} was trained under day-ahead information (forecaster ${model.config.information?.forecast}); compare it under --information day-ahead`
        : `--model: the agent observes the next 24 h of actual prices, so it is compared under --information known-24h only (got ${mode})`,
    );
  const t0 = performance.now();
  const spec = { ...battery, terminalSocKWh: battery.terminalSocKWh ?? undefined };
  // The agent's site over the steps it is backtested on (the span, or for day-ahead everything up to its end).
  const siteOver = (from: number, to: number) =>
    agentSite
      ? {
          site: {
            site: agentSite.site,
            series: {
              pvKW: agentSite.series.pvKW === null ? null : Float64Array.from(agentSite.series.pvKW).slice(from, to),
              loadKW:
                agentSite.series.loadKW === null ? null : Float64Array.from(agentSite.series.loadKW).slice(from, to),
            },
          },
        }
      : {};
  const bt = dayAheadInputs
    ? // The whole series up to the span's end: the forecaster issues from the span's first day on what came before.
      await asCliErrorAsync(() =>
        createTrainer().backtest(
          model,
          {
            timesUtcMs: series.timesUtcMs.subarray(0, span.to),
            pricesEurPerMWh: series.pricesEurPerMWh.subarray(0, span.to),
          },
          series.dtHours,
          spec,
          { ...dayAheadInputs, fromStep: span.from },
          siteOver(0, span.to),
        ),
      )
    : await createTrainer().backtest(
        model,
        {
          timesUtcMs: series.timesUtcMs.subarray(span.from, span.to),
          pricesEurPerMWh: series.pricesEurPerMWh.subarray(span.from, span.to),
        },
        series.dtHours,
        spec,
        undefined,
        siteOver(span.from, span.to),
      );
  if (bt.trace.actions.length !== span.to - span.from)
    throw new CliError(`--model: the agent's forecaster could not issue for the whole test span`);
  return {
    name: 'agent',
    profitEur: bt.profitEur,
    shareOfOracle: oracleEur !== 0 ? bt.profitEur / oracleEur : 0,
    ms: performance.now() - t0,
  };
}

async function asCliErrorAsync<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof ForecastError) throw new CliError(e.message);
    throw e;
  }
}
