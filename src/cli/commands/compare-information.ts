// `bess compare FILE --information perfect|known-24h|day-ahead [--forecast M] [--exogenous FILE] [--train-share S]
// [battery flags]`: every baseline under that information over the test span, settled at actual prices, as a share
// of the perfect-foresight optimum of the same span and battery.
import { MS_PER_HOUR } from '../../core/units.ts';
import { CliError } from '../args.ts';
import { type BatteryParams } from '../../core/battery/index.ts';
import { compareUnderInformation, type InformationMode } from '../../core/information/index.ts';
import { table } from '../format.ts';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelFileError, parseSavedModel } from '../../core/rl/model.ts';
import { createTrainer } from '../../../workers/trainer.ts';
import { type ForecastInputValues, asCliError, forecasterFor, loadForecastInputs } from './forecast-inputs.ts';

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
): Promise<{ json: unknown; text: string }> {
  const mode = values.information;
  const inputs = await loadForecastInputs(file, values);
  const model = values.forecast;
  if (model && mode !== 'day-ahead')
    throw new CliError(`--forecast applies to --information day-ahead only (got ${mode})`);
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
      nowMs: () => performance.now(),
    }),
  );
  const modelDir = values.model;
  if (modelDir) r.strategies.push(await agentScore(modelDir, mode, series, span, battery, r.strategies[0].profitEur));
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

/**
 * The trained agent (bess train --out DIR) greedily on the span. Today's agent observes the next 24 h of actual
 * prices, so it is scored under known-24h only; under another mode it would see more (perfect: no) or other inputs
 * (day-ahead: forecasts) than it was trained on, and the command says so instead of scoring it.
 */
async function agentScore(
  dir: string,
  mode: string,
  series: { timesUtcMs: Float64Array; pricesEurPerMWh: Float64Array; dtHours: number },
  span: { from: number; to: number },
  battery: BatteryParams,
  oracleEur: number,
) {
  if (mode !== 'known-24h')
    throw new CliError(
      `--model: the agent observes the next 24 h of actual prices, so it is compared under --information known-24h only (got ${mode})`,
    );
  let text: string;
  try {
    text = await readFile(join(dir, 'model.json'), 'utf8');
  } catch {
    throw new CliError(`${dir}: no model.json (train one with bess train --out ${dir})`);
  }
  let model;
  try {
    model = parseSavedModel(text, join(dir, 'model.json')).model;
  } catch (err) {
    if (err instanceof ModelFileError) throw new CliError(err.message);
    throw err;
  }
  const t0 = performance.now();
  const bt = await createTrainer().backtest(
    model,
    {
      timesUtcMs: series.timesUtcMs.subarray(span.from, span.to),
      pricesEurPerMWh: series.pricesEurPerMWh.subarray(span.from, span.to),
    },
    series.dtHours,
    { ...battery, terminalSocKWh: battery.terminalSocKWh ?? undefined },
  );
  return {
    name: 'agent',
    profitEur: bt.profitEur,
    shareOfOracle: oracleEur !== 0 ? bt.profitEur / oracleEur : 0,
    ms: performance.now() - t0,
  };
}
