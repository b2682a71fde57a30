// What `bess forecast` and `bess compare --information` share: the price file, the exogenous file aligned to it,
// the test span after the train share, and a forecaster by name.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ParsedArgs } from '../args.ts';
import { CliError, numberFlag, stringFlag } from '../args.ts';
import { loadPriceFile } from '../../io/load.ts';
import { type PriceSeries, PriceFileError } from '../../core/prices/types.ts';
import { alignExogenous, parseExogenousCsv, type AlignedExogenous } from '../../core/exogenous/index.ts';
import { createForecaster, FORECAST_MODELS, ForecastError, type Forecaster } from '../../core/forecast/index.ts';
import { testSpan } from '../../core/information/index.ts';

/** Flags these commands read (besides battery flags for compare). */
export const FORECAST_FLAGS = ['model', 'forecast', 'exogenous', 'train-share', 'noise-eur-per-mwh', 'seed', 'out', 'information', 'json', 'help'];

/** Refuses a flag the command does not know (exit 2, naming it). */
export function rejectUnknownFlags(args: ParsedArgs, known: readonly string[]): void {
  for (const name of args.flags.keys()) if (!known.includes(name)) throw new CliError(`unknown flag --${name}`);
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PriceFileError(code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${(e as Error).message}`, basename(path));
  }
}

export interface ForecastInputs {
  series: PriceSeries;
  exogenous: AlignedExogenous | null;
  span: { from: number; to: number };
  trainShare: number;
}

export async function loadForecastInputs(args: ParsedArgs): Promise<ForecastInputs> {
  const file = args.positional[0];
  if (!file) throw new CliError('needs a price FILE');
  const trainShare = numberFlag(args, 'train-share') ?? 0.75;
  if (!(trainShare > 0 && trainShare < 1)) throw new CliError(`--train-share must be between 0 and 1, got ${trainShare}`);
  const series = await loadPriceFile(file);
  const exoPath = stringFlag(args, 'exogenous');
  const exogenous = exoPath ? alignExogenous(parseExogenousCsv(await readText(exoPath), basename(exoPath)), series) : null;
  const span = testSpan(series.timesUtcMs, series.dtHours, trainShare);
  if (span.to - span.from < 1) throw new CliError(`the test span after --train-share ${trainShare} holds no whole delivery day`);
  return { series, exogenous, span, trainShare };
}

/** The forecast column of a plain price file: the one column whose name says forecast (prognose, predicted). */
async function forecastColumn(path: string, series: PriceSeries): Promise<Float64Array> {
  const file = basename(path);
  let exo;
  try {
    exo = parseExogenousCsv(await readText(path), file);
  } catch (e) {
    if (!(e instanceof PriceFileError)) throw e;
    throw new PriceFileError(`forecast model column reads a plain "timestamp,price_eur_mwh,forecast_eur_mwh" file: ${e.message}`, e.file, e.row, e.column);
  }
  const j = exo.names.findIndex((n) => /forecast|prognos|predict/i.test(n));
  if (j < 0) throw new PriceFileError(`${file}: row 1: no forecast column (a column named like "forecast_eur_mwh") for --forecast column`, file, 1);
  return alignExogenous({ ...exo, names: [exo.names[j]], values: [exo.values[j]] }, series).values[0];
}

/** A forecaster by name, with the inputs it needs; a ForecastError becomes a CLI error. */
export async function forecasterFor(args: ParsedArgs, model: string, inputs: ForecastInputs): Promise<Forecaster> {
  if (!(FORECAST_MODELS as readonly string[]).includes(model)) throw new CliError(`unknown forecast model "${model}" (one of ${FORECAST_MODELS.join(', ')})`);
  if (model === 'lear' && !inputs.exogenous) throw new CliError('forecast model lear needs --exogenous FILE (day-ahead wind, solar, load forecasts)');
  const noise = numberFlag(args, 'noise-eur-per-mwh');
  if (noise !== undefined && !(noise >= 0)) throw new CliError(`--noise-eur-per-mwh must be ≥ 0, got ${noise}`);
  try {
    return createForecaster(model, {
      actualEurPerMWh: inputs.series.pricesEurPerMWh,
      noiseEurPerMWh: noise,
      seed: numberFlag(args, 'seed'),
      column: model === 'column' ? await forecastColumn(args.positional[0], inputs.series) : undefined,
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
