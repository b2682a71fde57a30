// What `bess forecast` and `bess compare --information` share: the price file, the exogenous file aligned to it,
// the test span after the train share, and a forecaster by name.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { CliError } from '../args.ts';
import type { OptionSpecs } from '../command.ts';
import { loadPriceFile } from '../../io/load.ts';
import { type PriceSeries, PriceFileError } from '../../core/prices/types.ts';
import { alignExogenous, parseExogenousCsv, type AlignedExogenous } from '../../core/exogenous/index.ts';
import { FORECAST_COLUMN_NAME, readForecastColumn } from '../../core/forecast/column.ts';
import { configureNodeBackends } from './rl-node.ts';
import { selectNnBackend } from '../../../workers/forecast.ts';
import { createForecaster, FORECAST_MODELS, ForecastError, type Forecaster } from '../../core/forecast/index.ts';
import { testSpan } from '../../core/information/index.ts';

/** The options `bess forecast` and `bess compare --information` share, declared once for the strict parser. */
export const FORECAST_INPUT_OPTIONS = {
  exogenous: {
    type: 'string',
    arg: 'FILE',
    help: 'day-ahead exogenous forecasts (SMARD export or timestamp,<name>,… CSV)',
  },
  'train-share': { type: 'number', arg: 'S', default: 0.75, help: 'share of the file before the test span (0.75)' },
  'noise-eur-per-mwh': { type: 'number', arg: 'S', help: 'σ of the noisy-truth forecaster, EUR/MWh' },
  seed: { type: 'number', integer: true, arg: 'N', help: 'seed of the noisy-truth forecaster' },
} as const satisfies OptionSpecs;

/** What the shared helpers read of a command's parsed values. */
export interface ForecastInputValues {
  'train-share': number;
  exogenous?: string;
  'noise-eur-per-mwh'?: number;
  seed?: number;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PriceFileError(
      code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${(e as Error).message}`,
      basename(path),
    );
  }
}

export interface ForecastInputs {
  series: PriceSeries;
  exogenous: AlignedExogenous | null;
  span: { from: number; to: number };
  trainShare: number;
}

export async function loadForecastInputs(file: string, values: ForecastInputValues): Promise<ForecastInputs> {
  const trainShare = values['train-share'];
  if (!(trainShare > 0 && trainShare < 1))
    throw new CliError(`--train-share must be between 0 and 1, got ${trainShare}`);
  const series = await loadPriceFile(file);
  const exoPath = values.exogenous;
  const exogenous = exoPath
    ? alignExogenous(parseExogenousCsv(await readText(exoPath), basename(exoPath)), series)
    : null;
  const span = testSpan(series.timesUtcMs, series.dtHours, trainShare);
  if (span.to - span.from < 1)
    throw new CliError(`the test span after --train-share ${trainShare} holds no whole delivery day`);
  return { series, exogenous, span, trainShare };
}

/** The forecast column of a plain price file: the one column whose name says forecast (core/forecast/column.ts). */
export async function forecastColumn(
  path: string,
  series: Pick<PriceSeries, 'timesUtcMs' | 'dtHours'>,
): Promise<Float64Array> {
  const file = basename(path);
  const text = await readText(path);
  let exo;
  try {
    exo = parseExogenousCsv(text, file);
  } catch (e) {
    if (!(e instanceof PriceFileError)) throw e;
    throw new PriceFileError(
      `forecast model column reads a plain "timestamp,price_eur_mwh,forecast_eur_mwh" file: ${e.message}`,
      e.file,
      e.row,
      e.column,
    );
  }
  const column = exo.names.some((n) => FORECAST_COLUMN_NAME.test(n)) ? readForecastColumn(text, file, series) : null;
  if (!column)
    throw new PriceFileError(
      `${file}: row 1: no forecast column (a column named like "forecast_eur_mwh") for --forecast column`,
      file,
      1,
    );
  return column.valuesEurPerMWh;
}

/** A forecaster by name, with the inputs it needs; a ForecastError becomes a CLI error. */
export async function forecasterFor(
  file: string,
  values: ForecastInputValues,
  model: string,
  inputs: ForecastInputs,
): Promise<Forecaster> {
  if (!(FORECAST_MODELS as readonly string[]).includes(model))
    throw new CliError(`unknown forecast model "${model}" (one of ${FORECAST_MODELS.join(', ')})`);
  if (model === 'lear' && !inputs.exogenous)
    throw new CliError('forecast model lear needs --exogenous FILE (day-ahead wind, solar, load forecasts)');
  const noise = values['noise-eur-per-mwh'];
  if (noise !== undefined && !(noise >= 0)) throw new CliError(`--noise-eur-per-mwh must be ≥ 0, got ${noise}`);
  if (model === 'nn') {
    // wasm with its binaries from node_modules, else cpu: the backends where a seed fixes nn's forecast.
    configureNodeBackends();
    await selectNnBackend();
  }
  try {
    return createForecaster(model, {
      actualEurPerMWh: inputs.series.pricesEurPerMWh,
      noiseEurPerMWh: noise,
      seed: values.seed,
      column: model === 'column' ? await forecastColumn(file, inputs.series) : undefined,
    });
  } catch (e) {
    if (e instanceof ForecastError) throw new CliError(e.message);
    throw e;
  }
}

/** Runs `f`, turning a forecaster's refusal (too little history…) into a one-line CLI error. */
export function asCliError<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ForecastError) throw new CliError(e.message);
    throw e;
  }
}

/**
 * What a day-ahead agent's forecaster reads besides the prices, for consecutive parts of the data (train, then test;
 * or one file): the exogenous file aligned to each part's steps and concatenated, and the forecast column for
 * `--forecast column`. lear without --exogenous is a CLI error naming the flag.
 */
export async function dayAheadInputsFor(
  parts: { path: string; times: Float64Array }[],
  dtHours: number,
  forecast: string,
  exogenousPath: string | undefined,
): Promise<{ exogenous?: Float64Array[]; column?: Float64Array }> {
  if (forecast === 'lear' && !exogenousPath)
    throw new CliError('forecast model lear needs --exogenous FILE (day-ahead wind, solar, load forecasts)');
  const join = (arrays: Float64Array[]) => {
    const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
    let k = 0;
    for (const a of arrays) {
      out.set(a, k);
      k += a.length;
    }
    return out;
  };
  const out: { exogenous?: Float64Array[]; column?: Float64Array } = {};
  if (exogenousPath) {
    const exo = parseExogenousCsv(await readText(exogenousPath), basename(exogenousPath));
    const aligned = parts.map((p) => alignExogenous(exo, { timesUtcMs: p.times, dtHours }).values);
    out.exogenous = aligned[0].map((_, j) => join(aligned.map((a) => a[j])));
  }
  if (forecast === 'column') {
    const cols = [];
    for (const p of parts) cols.push(await forecastColumn(p.path, { timesUtcMs: p.times, dtHours }));
    out.column = join(cols);
  }
  return out;
}
