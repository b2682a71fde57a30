// Value of information (issue 10 §6): on every market-year in test-data/real, the test span after the first 75%
// of the rows (from the next delivery day), default battery. Share of the perfect-foresight oracle of that span
// under known-24h, and under day-ahead with each forecaster (plan-on-forecast and rolling-horizon), with the
// forecast's accuracy on the same span and the time to issue a year of daily forecasts (measured over every
// issuable day of the file, scaled to 365 issues; CPU time of this process and wall time, which on a loaded
// machine is longer). lear only where an exogenous file exists (DE-LU 2023: SMARD). nn (a tfjs network, wasm
// backend) on NN_FILES only, with SMARD and price-only on DE-LU 2023: a year of its issues costs minutes here, so
// its time is that of the test span's run (fits included), scaled to 365 issues.
import { configureNodeBackends } from '../src/cli/commands/rl-node.ts';
import { selectNnBackend } from '../workers/forecast.ts';
import { readFileSync, readdirSync } from 'node:fs';
import { resolveBattery } from '../src/core/battery/index.ts';
import { loadPriceFile } from '../src/io/load.ts';
import { alignExogenous, parseExogenousCsv } from '../src/core/exogenous/index.ts';
import {
  createForecaster,
  forecastCalendar,
  forecastMetrics,
  issueAll,
  type Forecaster,
} from '../src/core/forecast/index.ts';
import { gridRows, stepsFromGrid } from '../src/core/forecast/grid.ts';
import {
  compareUnderInformation,
  testSpan,
  planOnForecast,
  rollingHorizonStrategy,
} from '../src/core/information/index.ts';

const DATA = new URL('../test-data/real/', import.meta.url).pathname;
const EXO_DATA = new URL('../test-data/exogenous/', import.meta.url).pathname;
const EXOGENOUS: Record<string, string> = { 'de-lu-2023-hourly.csv': 'de-lu-2023-generation-forecast-hourly.csv' };
const NOISE_EUR_PER_MWH = 10;
/** Market-years nn runs on: the one with an exogenous file and two price-only ones. */
const NN_FILES = new Set(['de-lu-2023-hourly.csv', 'be-2023-hourly.csv', 'fr-2022-hourly.csv']);

/** The DESIGN.md probe's "actuals with a daily commit": D's actual prices, D+1 set to D's profile (uses the truth). */
function actualDRepeated(actual: Float64Array): Forecaster {
  return {
    name: 'actual D, D+1 = D',
    minHistoryDays: 0,
    issue(input) {
      const row = gridRows(input.calendar, actual, input.day, input.day + 1);
      return stepsFromGrid(input, row, row);
    },
  };
}

export async function bench(opts: { quick: boolean }) {
  configureNodeBackends();
  const nnBackend = await selectNnBackend();
  const battery = resolveBattery({});
  const files = readdirSync(DATA)
    .filter((f) => f.endsWith('.csv'))
    .sort();
  const rows: (string | number)[][] = [];
  const json: unknown[] = [];
  for (const file of opts.quick ? files.slice(0, 2) : files) {
    const series = await loadPriceFile(DATA + file);
    const exoFile = EXOGENOUS[file];
    const exo = exoFile
      ? alignExogenous(parseExogenousCsv(readFileSync(EXO_DATA + exoFile, 'utf8'), exoFile), series).values
      : null;
    const span = testSpan(series.timesUtcMs, series.dtHours, 0.75);
    const calendar = forecastCalendar(series.timesUtcMs, series.dtHours);
    const fromDay = calendar.days.findIndex((d) => d.start === span.from);
    const market = file.replace(/\.csv$/, '');
    const base = {
      series,
      spanFrom: span.from,
      spanTo: span.to,
      battery,
      strategies: [planOnForecast, rollingHorizonStrategy()],
      nowMs: () => performance.now(),
    };
    const known = compareUnderInformation({ ...base, mode: 'known-24h' });
    const oracleEur = known.strategies[0].profitEur;
    const push = (
      information: string,
      forecast: string,
      shares: number[],
      m: { maeEurPerMWh: number; rmae: number } | null,
      year: { wallMs: number; cpuMs: number } | null,
    ) => {
      rows.push([
        market,
        information,
        forecast,
        `${(100 * shares[0]).toFixed(1)}%`,
        `${(100 * shares[1]).toFixed(1)}%`,
        m ? m.maeEurPerMWh.toFixed(1) : '—',
        m ? m.rmae.toFixed(3) : '—',
        year ? Math.round(year.cpuMs) : '—',
        year ? Math.round(year.wallMs) : '—',
      ]);
      json.push({
        market,
        information,
        forecast,
        planOnForecastShare: shares[0],
        rollingHorizonShare: shares[1],
        oracleEur,
        spanSteps: span.to - span.from,
        ...(m ?? {}),
        issueYearCpuMs: year?.cpuMs ?? null,
        issueYearWallMs: year?.wallMs ?? null,
      });
    };
    const perfect = compareUnderInformation({ ...base, mode: 'perfect' });
    push('perfect', '—', [perfect.strategies[1].shareOfOracle, perfect.strategies[2].shareOfOracle], null, null);
    push('known-24h', '—', [known.strategies[1].shareOfOracle, known.strategies[2].shareOfOracle], null, null);
    const models: [string, () => Forecaster, boolean][] = [
      ['naive-d1', () => createForecaster('naive-d1'), false],
      ['naive-d7', () => createForecaster('naive-d7'), false],
      ['ridge', () => createForecaster('ridge'), false],
      ...(exo ? [['lear', () => createForecaster('lear'), true] as [string, () => Forecaster, boolean]] : []),
      [
        `noisy-truth σ=${NOISE_EUR_PER_MWH}`,
        () =>
          createForecaster('noisy-truth', {
            actualEurPerMWh: series.pricesEurPerMWh,
            noiseEurPerMWh: NOISE_EUR_PER_MWH,
            seed: 1,
          }),
        false,
      ],
      ['actual D, D+1 = D', () => actualDRepeated(series.pricesEurPerMWh), false],
    ];
    const nnModels: [string, () => Forecaster, boolean][] = NN_FILES.has(file)
      ? [
          ...(exo ? [['nn (SMARD)', () => createForecaster('nn'), true] as [string, () => Forecaster, boolean]] : []),
          ['nn', () => createForecaster('nn'), false],
        ]
      : [];
    for (const [name, make, usesExo] of models) {
      const exogenous = usesExo && exo ? exo : [];
      const r = compareUnderInformation({ ...base, mode: 'day-ahead', forecaster: make(), exogenous });
      const m = forecastMetrics(r.forecastEurPerMWh!, calendar, series.pricesEurPerMWh, fromDay, calendar.days.length);
      // Time to issue: every issuable day of the file by a fresh forecaster, scaled to 365 daily issues.
      const f = make();
      const first = Math.max(f.minHistoryDays, 0);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      issueAll(f, calendar, series.pricesEurPerMWh, exogenous, first, calendar.days.length);
      const perYear = 365 / (calendar.days.length - first);
      const year = { wallMs: (performance.now() - t0) * perYear, cpuMs: (process.cpuUsage(c0).user / 1000) * perYear };
      push('day-ahead', name, [r.strategies[1].shareOfOracle, r.strategies[2].shareOfOracle], m, year);
    }
    for (const [name, make, usesExo] of nnModels) {
      const exogenous = usesExo && exo ? exo : [];
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = compareUnderInformation({ ...base, mode: 'day-ahead', forecaster: make(), exogenous });
      const perYear = 365 / (calendar.days.length - fromDay);
      const year = { wallMs: (performance.now() - t0) * perYear, cpuMs: (process.cpuUsage(c0).user / 1000) * perYear };
      const m = forecastMetrics(r.forecastEurPerMWh!, calendar, series.pricesEurPerMWh, fromDay, calendar.days.length);
      push('day-ahead', name, [r.strategies[1].shareOfOracle, r.strategies[2].shareOfOracle], m, year);
    }
  }
  return {
    title: `Value of information: share of the oracle on the test span (last 25%), default battery (nn on tfjs ${nnBackend})`,
    columns: [
      'market-year',
      'information',
      'forecast',
      'plan-on-forecast',
      'rolling-horizon (3 levels)',
      'MAE EUR/MWh',
      'rMAE',
      'issue CPU ms / year',
      'issue wall ms / year',
    ],
    rows,
    json,
  };
}
