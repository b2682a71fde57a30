// `bess forecast FILE [--model M] [--exogenous FILE] [--train-share 0.75] [--noise-eur-per-mwh S] [--out CSV]`:
// issues the forecaster at every gate closure of the test span and scores D's part against the actual prices.
import { MS_PER_HOUR } from '../../core/units.ts';
import { writeFile } from 'node:fs/promises';
import { defineCommand } from '../command.ts';
import { FORECAST_MODELS } from '../../core/forecast/index.ts';
import { forecastCalendar, forecastMetrics, issueAll } from '../../core/forecast/index.ts';
import { keyValueTable } from '../format.ts';
import { FORECAST_INPUT_OPTIONS, asCliError, forecasterFor, loadForecastInputs } from './forecast-inputs.ts';

export const command = defineCommand({
  summary: 'Day-ahead price forecasts issued at every gate closure of the test span, with MAE, RMSE, sMAPE and rMAE.',
  positionals: [{ name: 'FILE', help: 'price CSV' }],
  options: {
    model: {
      type: 'string',
      choices: FORECAST_MODELS,
      arg: 'M',
      help: 'forecaster (default: lear with --exogenous, else ridge)',
    },
    ...FORECAST_INPUT_OPTIONS,
    out: { type: 'string', arg: 'CSV', help: 'write timestamp,price_eur_mwh,forecast_eur_mwh for the test span' },
  },
  async run({ values, positionals: [file] }) {
    const inputs = await loadForecastInputs(file, values);
    const model = values.model ?? (inputs.exogenous ? 'lear' : 'ridge');
    const f = await forecasterFor(file, values, model, inputs);
    const { series, span } = inputs;
    const calendar = forecastCalendar(series.timesUtcMs, series.dtHours);
    const fromDay = calendar.days.findIndex((d) => d.start === span.from);
    const t0 = performance.now();
    const forecast = asCliError(() =>
      issueAll(f, calendar, series.pricesEurPerMWh, inputs.exogenous?.values ?? [], fromDay, calendar.days.length),
    );
    const issueMs = performance.now() - t0;
    const m = asCliError(() =>
      forecastMetrics(forecast, calendar, series.pricesEurPerMWh, fromDay, calendar.days.length),
    );
    const out = values.out;
    if (out) {
      const lines = ['timestamp,price_eur_mwh,forecast_eur_mwh'];
      for (let i = 0; i < forecast.length; i++)
        lines.push(
          `${new Date(series.timesUtcMs[span.from + i]).toISOString()},${series.pricesEurPerMWh[span.from + i]},${forecast[i].toFixed(4)}`,
        );
      await writeFile(out, lines.join('\n') + '\n');
    }
    const json = {
      model: f.name,
      steps: m.steps,
      maeEurPerMWh: m.maeEurPerMWh,
      rmseEurPerMWh: m.rmseEurPerMWh,
      smape: m.smape,
      rmae: m.rmae,
      start: new Date(series.timesUtcMs[span.from]).toISOString(),
      end: new Date(series.timesUtcMs[span.to - 1] + series.dtHours * MS_PER_HOUR).toISOString(),
      issueMs,
    };
    const text = keyValueTable([
      ['model', f.name],
      ['test span (UTC)', `${json.start} – ${json.end}`],
      ['steps', m.steps],
      ['MAE', `${m.maeEurPerMWh.toFixed(2)} EUR/MWh`],
      ['RMSE', `${m.rmseEurPerMWh.toFixed(2)} EUR/MWh`],
      ['sMAPE', m.smape.toFixed(4)],
      ['rMAE (vs naive D−1 Tue–Fri, D−7 Sat–Mon)', m.rmae.toFixed(3)],
      ['issuing took', `${issueMs.toFixed(0)} ms`],
      ...(inputs.exogenous?.warnings.length
        ? [['exogenous warnings', inputs.exogenous.warnings.map((w) => w.message).join('; ')] as [string, string]]
        : []),
    ]);
    return { json, text };
  },
});
