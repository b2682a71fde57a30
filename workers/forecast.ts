// The forecast worker's implementation as a plain object, importable in Node tests: parses and aligns the
// exogenous file, then scores every baseline under perfect, known-24h and day-ahead information (one row per
// forecaster) on the test span, reporting progress after each row (and, for nn, within its row after every few
// training epochs). Cancel is the host's: WorkerBox terminates the worker, whatever it is computing.
import * as tf from '@tensorflow/tfjs';
import { BatteryParamError, resolveBattery } from '../src/core/battery/index.ts';
import { PriceFileError } from '../src/core/prices/types.ts';
import { alignExogenous, parseExogenousCsv } from '../src/core/exogenous/index.ts';
import {
  createForecaster,
  DEFAULT_NN,
  forecastCalendar,
  forecastMetrics,
  ForecastError,
  type NnConfig,
} from '../src/core/forecast/index.ts';
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

/**
 * nn trains on tfjs's cpu or wasm backend, where a seed fixes the forecast: keeps one of them when already active
 * (Node tests set it), else wasm (the worker set its binaries' URLs), else cpu.
 */
export async function selectNnBackend(): Promise<string> {
  const active = tf.engine().backendName;
  if (active === 'cpu' || active === 'wasm') return active;
  const ok = tf.findBackendFactory('wasm') ? await tf.setBackend('wasm').catch(() => false) : false;
  if (!ok) await tf.setBackend('cpu');
  await tf.ready();
  return tf.getBackend();
}

/** nn's settings for a training budget of `epochs` first-fit epochs (refits a sixth of it, at least one). */
export function nnBudget(epochs: number | undefined): Partial<NnConfig> {
  if (epochs === undefined) return {};
  const e = Math.max(1, Math.round(epochs));
  return { epochs: e, refitEpochs: Math.max(1, Math.round((e * DEFAULT_NN.refitEpochs) / DEFAULT_NN.epochs)) };
}

/** Forecasters that read the exogenous series when there are some. */
const USES_EXOGENOUS = new Set(['lear', 'nn']);

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
      const nnBackend = models.includes('nn') ? await selectNnBackend() : null;
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
        const label = name === 'nn' ? `day-ahead, nn (${nnBackend})` : `day-ahead, ${name}`;
        const done = rows.length;
        onProgress?.({ done, total, label });
        try {
          if (name === 'column' && !req.column?.valuesEurPerMWh)
            throw new ForecastError(
              `${m.source} has no forecast column: the column forecaster needs a plain "timestamp,price_eur_mwh,forecast_eur_mwh" file (a column named like forecast_eur_mwh)`,
            );
          const testDays = calendar.days.length - fromDay;
          const forecaster = createForecaster(name, {
            actualEurPerMWh: m.pricesEurPerMWh,
            noiseEurPerMWh: req.noiseEurPerMWh,
            seed: req.seed,
            column: name === 'column' ? req.column?.valuesEurPerMWh : undefined,
            nn: nnBudget(req.nnEpochs),
            // Within nn's row: the share of the test span's days issued, and where the fit in progress stands.
            onNnProgress: (p) =>
              onProgress?.({
                done: done + Math.min(0.99, Math.max(0, (p.day - fromDay + p.epoch / p.epochs) / testDays)),
                total,
                label: `${label}: training for ${calendar.days[p.day].date}, epoch ${p.epoch}/${p.epochs}`,
              }),
          });
          const r = compareUnderInformation({
            ...base,
            mode: 'day-ahead',
            forecaster,
            exogenous: USES_EXOGENOUS.has(name) && exo ? exo : [],
            socOf: req.socOf,
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
            ...(req.socOf?.length ? { socAfterKWh: r.socAfterKWh } : {}),
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
