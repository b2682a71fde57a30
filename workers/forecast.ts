// The forecast worker's implementation as a plain object, importable in Node tests: parses and aligns the
// exogenous file, then scores every baseline under perfect, known-24h and day-ahead information (one row per
// forecaster) on the test span, reporting progress after each row.
import { BatteryParamError, resolveBattery } from '../src/core/battery/index.ts';
import { PriceFileError } from '../src/core/prices/types.ts';
import { alignExogenous, parseExogenousCsv } from '../src/core/exogenous/index.ts';
import { createForecaster, forecastCalendar, forecastMetrics, ForecastError } from '../src/core/forecast/index.ts';
import { compareUnderInformation, testSpan } from '../src/core/information/index.ts';
import type { CompareReply, CompareRow, ExogenousFile, ForecastApi, MarketInput } from './forecast-api.ts';

function align(market: MarketInput, file: ExogenousFile) {
  return alignExogenous(parseExogenousCsv(file.text, file.file), {
    timesUtcMs: market.timesUtcMs,
    dtHours: market.dtHours,
    source: market.source,
  });
}

function failure(e: unknown): { ok: false; message: string; row?: number; column?: string } {
  if (e instanceof PriceFileError)
    return {
      ok: false,
      message: e.message,
      ...(e.row !== undefined ? { row: e.row } : {}),
      ...(e.column !== undefined ? { column: e.column } : {}),
    };
  if (e instanceof BatteryParamError || e instanceof ForecastError) return { ok: false, message: e.message };
  throw e;
}

export const forecastWorker: ForecastApi = {
  async checkExogenous(market, file) {
    try {
      const a = align(market, file);
      return { ok: true, file: file.file, names: a.names, steps: market.timesUtcMs.length, warnings: a.warnings };
    } catch (e) {
      return failure(e);
    }
  },

  async compare(req, onProgress): Promise<CompareReply> {
    try {
      const battery = resolveBattery(req.battery);
      const m = req.market;
      const exo = req.exogenous ? align(m, req.exogenous).values : null;
      const span = testSpan(m.timesUtcMs, m.dtHours, req.trainShare);
      if (span.to <= span.from)
        return { ok: false, message: 'The test split holds no whole delivery day: move the training split earlier.' };
      const series = { timesUtcMs: m.timesUtcMs, pricesEurPerMWh: m.pricesEurPerMWh, dtHours: m.dtHours };
      const calendar = forecastCalendar(m.timesUtcMs, m.dtHours);
      const fromDay = calendar.days.findIndex((d) => d.start === span.from);
      const base = { series, spanFrom: span.from, spanTo: span.to, battery, nowMs: () => performance.now() };
      const models = req.models.filter((name) => name !== 'lear' || exo);
      const total = 2 + models.length;
      const rows: CompareRow[] = [];
      for (const mode of ['perfect', 'known-24h'] as const) {
        onProgress?.({ done: rows.length, total, label: mode });
        const r = compareUnderInformation({ ...base, mode });
        rows.push({
          information: mode,
          forecast: null,
          strategies: r.strategies,
          metrics: null,
          forecastEurPerMWh: null,
        });
      }
      for (const name of models) {
        onProgress?.({ done: rows.length, total, label: `day-ahead, ${name}` });
        try {
          const forecaster = createForecaster(name, {
            actualEurPerMWh: m.pricesEurPerMWh,
            noiseEurPerMWh: req.noiseEurPerMWh,
            seed: req.seed,
          });
          const r = compareUnderInformation({
            ...base,
            mode: 'day-ahead',
            forecaster,
            exogenous: name === 'lear' && exo ? exo : [],
          });
          const metrics = forecastMetrics(
            r.forecastEurPerMWh!,
            calendar,
            m.pricesEurPerMWh,
            fromDay,
            calendar.days.length,
          );
          rows.push({
            information: 'day-ahead',
            forecast: name,
            strategies: r.strategies,
            metrics,
            forecastEurPerMWh: r.forecastEurPerMWh,
          });
        } catch (e) {
          if (!(e instanceof ForecastError)) throw e;
          rows.push({
            information: 'day-ahead',
            forecast: name,
            strategies: [],
            metrics: null,
            forecastEurPerMWh: null,
            error: e.message,
          });
        }
      }
      onProgress?.({ done: total, total, label: 'done' });
      return { ok: true, rows, spanFrom: span.from, spanTo: span.to };
    } catch (e) {
      return failure(e);
    }
  },
};
