// `bess compare FILE --information perfect|known-24h|day-ahead [--forecast M] [--exogenous FILE] [--train-share S]
// [battery flags]`: every baseline under that information over the test span, settled at actual prices, as a share
// of the perfect-foresight optimum of the same span and battery.
import type { ParsedArgs } from '../args.ts';
import { BATTERY_FLAG_NAMES } from './battery-flag-names.ts';
import { CliError, batteryFlags, stringFlag } from '../args.ts';
import { resolveBattery } from '../../core/battery/index.ts';
import { compareUnderInformation, informationMode, INFORMATION_MODES } from '../../core/information/index.ts';
import { table } from '../format.ts';
import { FORECAST_FLAGS, asCliError, forecasterFor, loadForecastInputs, rejectUnknownFlags } from './forecast-inputs.ts';

export async function compareWithInformation(args: ParsedArgs): Promise<{ json: unknown; text: string }> {
  rejectUnknownFlags(args, [...FORECAST_FLAGS.filter((f) => f !== 'out' && f !== 'model'), ...BATTERY_FLAG_NAMES]);
  const name = stringFlag(args, 'information') ?? '';
  const mode = informationMode(name);
  if (!mode) throw new CliError(`--information must be one of ${INFORMATION_MODES.join(', ')}, got "${name}"`);
  const battery = resolveBattery(batteryFlags(args));
  const inputs = await loadForecastInputs(args);
  const model = stringFlag(args, 'forecast');
  if (model && mode !== 'day-ahead') throw new CliError(`--forecast applies to --information day-ahead only (got ${mode})`);
  const forecaster = mode === 'day-ahead' ? await forecasterFor(args, model ?? (inputs.exogenous ? 'lear' : 'ridge'), inputs) : undefined;
  const { series, span } = inputs;
  const r = asCliError(() => compareUnderInformation({
    series, spanFrom: span.from, spanTo: span.to, battery, mode, forecaster, exogenous: inputs.exogenous?.values, nowMs: () => performance.now(),
  }));
  const start = new Date(series.timesUtcMs[span.from]).toISOString();
  const end = new Date(series.timesUtcMs[span.to - 1] + series.dtHours * 3_600_000).toISOString();
  const json = { information: r.information, forecast: r.forecast, start, end, strategies: r.strategies, forecastMs: r.forecastMs };
  const text = `information: ${mode}${r.forecast ? `, forecast: ${r.forecast}` : ''}; test span ${start} – ${end} (UTC)\n` +
    table(['strategy', 'profit EUR', 'share of oracle', 'ms'], r.strategies.map((s) => [s.name, s.profitEur, `${(100 * s.shareOfOracle).toFixed(1)}%`, s.ms]));
  return { json, text };
}
