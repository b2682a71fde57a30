// Can a simple correction of the forecast beat planning on it (issue 11)? Under day-ahead the whole of D is
// committed at gate closure, so a schedule's money is linear in D's prices: planning on a forecast that is D's
// conditional mean is already the best schedule in expectation, and an agent can only win by correcting the
// forecast's errors where they are predictable from what it sees. This bench measures the simplest such
// corrections, each using only what is known at gate closure (the issue itself and the forecaster's errors on
// earlier days; "fitted bias" weighs the per-hour and overall recent bias by least squares on the forecaster's
// errors before the span): plan-on-forecast's share of the oracle on a validation span (the rows from 50% to 75%)
// and on the test span (from 75%, as `bess compare`), default battery, a fresh forecaster per run. Per file the
// correction best on validation is picked, as keep-best picks a policy, and its test margin over the raw forecast
// reported. The last three columns are the planner the agent sees and clones (the 3-level action-set DP of its
// plannerAction feature, followed at every step): on the raw forecast; corrected by its recent error per hour
// (EnvConfig.plannerBiasWeight, ¼ of the mean error per hour of day over the 14 days before D, the days before the
// span issued apart, as training's test split and `bess compare` issue them); and that with a tenth of D−1's
// actual prices blended in (plannerLastDayWeight): the agent's default.
// Opt-in: `npm run bench -- plan-corrections` (one to two minutes of CPU per file).
import { readFileSync } from 'node:fs';
import { resolveBattery } from '../src/core/battery/index.ts';
import { loadPriceFile } from '../src/io/load.ts';
import { alignExogenous, parseExogenousCsv } from '../src/core/exogenous/index.ts';
import { createForecaster, forecastCalendar, type Forecaster } from '../src/core/forecast/index.ts';
import type { IssueInput } from '../src/core/forecast/types.ts';
import { compareUnderInformation, planOnForecast, testSpan } from '../src/core/information/index.ts';
import {
  BatteryEnv,
  computeNormStats,
  createDayAheadObsContext,
  errorHistoryDays,
  issueDayAheadSpan,
  plannerActionAt,
  resolveEnvConfig,
} from '../src/core/env/index.ts';
import { FILES as UNCERTAIN_FILES } from './uncertain.bench.ts';

const DATA = new URL('../test-data/real/', import.meta.url).pathname;
const EXO = new URL('../test-data/exogenous/', import.meta.url).pathname;
/** The hourly dev market-years of bench uncertain, with its forecaster per file (lear where SMARD exists). */
const FILES = UNCERTAIN_FILES.filter((f) => f.file.includes('-hourly'));
/** The correction whose weights on the per-hour and overall recent bias are fitted on the days before the span. */
const FITTED = 'fitted bias';
/** Days of past errors the bias corrections average. */
const ERROR_DAYS = 7;

/** How a correction maps an issue: its steps, and each step's mean recent error (overall and at its slot). */
type Correct = (issue: Float64Array, overallBias: number, slotBias: Float64Array) => Float64Array;
/** What the forecaster's D issues looked like against D's actual prices: per step its features and its error. */
interface ErrorLog {
  slotBias: number[];
  overallBias: number[];
  errorEurPerMWh: number[];
}

const CORRECTIONS: { name: string; correct: Correct }[] = [
  { name: 'none', correct: (f) => f },
  { name: 'spread ×0.9', correct: (f) => spread(f, 0.9) },
  { name: 'spread ×1.25', correct: (f) => spread(f, 1.25) },
  { name: '+ recent bias', correct: (f, b) => f.map((x) => x + b) },
  { name: '+ ½ recent bias per hour', correct: (f, _b, s) => f.map((x, j) => x + 0.5 * s[j]) },
];

function spread(f: Float64Array, k: number): Float64Array {
  let m = 0;
  for (const x of f) m += x;
  m /= f.length;
  return f.map((x) => m + k * (x - m));
}

/**
 * `inner` with `correct` applied. The errors are the raw issues' on the days before D (issued by this wrapper,
 * in day order, as every run issues them), against the actual prices known at D's gate closure.
 */
function corrected(
  inner: Forecaster,
  correct: Correct,
  log?: { actualEurPerMWh: Float64Array; out: ErrorLog },
): Forecaster {
  const past = new Map<number, Float64Array>();
  return {
    name: inner.name,
    minHistoryDays: inner.minHistoryDays,
    issue(input: IssueInput) {
      const raw = inner.issue(input);
      past.set(input.day, raw);
      const { days, slots, perDay } = input.calendar;
      const sum = new Float64Array(perDay);
      const count = new Float64Array(perDay);
      let all = 0;
      let n = 0;
      for (let k = Math.max(0, input.day - ERROR_DAYS); k < input.day; k++) {
        const f = past.get(k);
        if (!f) continue;
        for (let t = days[k].start; t < days[k].end; t++) {
          const e = input.knownPricesEurPerMWh[t] - f[t - days[k].start];
          sum[slots[k][t - days[k].start]] += e;
          count[slots[k][t - days[k].start]]++;
          all += e;
          n++;
        }
      }
      const overall = n ? all / n : 0;
      const lenD = days[input.day].end - days[input.day].start;
      const slotBias = Float64Array.from(raw, (_, j) => {
        const day = j < lenD ? input.day : input.day + 1;
        const slot = slots[day]?.[j < lenD ? j : j - lenD];
        return slot !== undefined && count[slot] ? sum[slot] / count[slot] : overall;
      });
      if (log)
        for (let j = 0; j < lenD; j++) {
          log.out.slotBias.push(slotBias[j]);
          log.out.overallBias.push(overall);
          log.out.errorEurPerMWh.push(log.actualEurPerMWh[days[input.day].start + j] - raw[j]);
        }
      return correct(raw, overall, slotBias);
    },
  };
}

/** Least squares of the error on [slot bias, overall bias] (no intercept): the weights of the fitted correction. */
function fitBiasWeights(log: ErrorLog): [number, number] {
  let a = 0;
  let b = 0;
  let c = 0;
  let ya = 0;
  let yb = 0;
  for (let i = 0; i < log.errorEurPerMWh.length; i++) {
    const x1 = log.slotBias[i];
    const x2 = log.overallBias[i];
    const y = log.errorEurPerMWh[i];
    a += x1 * x1;
    b += x1 * x2;
    c += x2 * x2;
    ya += x1 * y;
    yb += x2 * y;
  }
  const det = a * c - b * b;
  return det > 0 ? [(ya * c - yb * b) / det, (yb * a - ya * b) / det] : [0, 0];
}

/**
 * Share of the oracle on `span` of following the agent's plannerAction feature from the battery's initial SOC, with
 * the planner's correction and last-day blend `planner` (both 0: the raw forecast): the policy the planner teacher
 * clones.
 */
function plannerShare(
  series: Awaited<ReturnType<typeof loadPriceFile>>,
  forecast: string,
  exogenous: Float64Array[],
  span: { from: number; to: number },
  planner: { plannerBiasWeight: number; plannerLastDayWeight: number },
): number {
  const battery = resolveBattery({});
  const env = resolveEnvConfig(planner);
  const fc = issueDayAheadSpan(series, () => createForecaster(forecast), exogenous, span.from, errorHistoryDays(env));
  const ctx = createDayAheadObsContext(
    series,
    fc,
    span.from,
    span.to,
    battery,
    env,
    computeNormStats(series, battery, env),
  );
  const e = new BatteryEnv(ctx, battery, env);
  e.reset(0, battery.initialSocKWh, ctx.length);
  let profit = 0;
  for (let t = 0; t < ctx.length; t++) profit += e.step(plannerActionAt(ctx.dayAhead!, t, e.socKWh)).cashEur;
  const oracle = compareUnderInformation({
    series,
    spanFrom: span.from,
    spanTo: span.to,
    battery,
    mode: 'day-ahead',
    forecaster: createForecaster(forecast),
    exogenous,
    strategies: [],
  }).strategies[0].profitEur;
  return profit / oracle;
}

export async function bench(opts: { quick: boolean }) {
  const battery = resolveBattery({});
  const rows: (string | number)[][] = [];
  const json: unknown[] = [];
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  for (const f of opts.quick ? FILES.slice(0, 1) : FILES) {
    const series = await loadPriceFile(DATA + f.file);
    const exogenous = f.exogenous
      ? alignExogenous(parseExogenousCsv(readFileSync(EXO + f.exogenous, 'utf8'), f.exogenous), series).values
      : [];
    const test = testSpan(series.timesUtcMs, series.dtHours, 0.75);
    const validation = { from: testSpan(series.timesUtcMs, series.dtHours, 0.5).from, to: test.from };
    const share = (c: Correct, span: { from: number; to: number }) =>
      compareUnderInformation({
        series,
        spanFrom: span.from,
        spanTo: span.to,
        battery,
        mode: 'day-ahead',
        forecaster: corrected(createForecaster(f.forecast), c),
        exogenous,
        strategies: [planOnForecast],
      }).strategies[1].shareOfOracle;
    // The fitted correction: its two weights by least squares on the forecaster's errors on every day before the
    // span (issued by a fresh forecaster from the first day it can issue), then applied over the span.
    const first = forecastCalendar(series.timesUtcMs, series.dtHours).days[createForecaster(f.forecast).minHistoryDays];
    const fitted = (span: { from: number; to: number }) => {
      const out: ErrorLog = { slotBias: [], overallBias: [], errorEurPerMWh: [] };
      compareUnderInformation({
        series,
        spanFrom: first.start,
        spanTo: span.from,
        battery,
        mode: 'day-ahead',
        forecaster: corrected(createForecaster(f.forecast), (x) => x, { actualEurPerMWh: series.pricesEurPerMWh, out }),
        exogenous,
        strategies: [planOnForecast],
      });
      const [w1, w2] = fitBiasWeights(out);
      return { weights: [w1, w2], share: share((x, b, sb) => x.map((v, j) => v + w1 * sb[j] + w2 * b), span) };
    };
    const fv = fitted(validation);
    const ft = fitted(test);
    const scores = [
      ...CORRECTIONS.map((c) => ({
        name: c.name,
        validation: share(c.correct, validation),
        test: share(c.correct, test),
      })),
      { name: FITTED, validation: fv.share, test: ft.share, weights: ft.weights },
    ];
    const picked = scores.reduce((a, b) => (b.validation > a.validation ? b : a));
    const defaults = resolveEnvConfig({});
    const planners = [
      { plannerBiasWeight: 0, plannerLastDayWeight: 0 },
      { plannerBiasWeight: defaults.plannerBiasWeight, plannerLastDayWeight: 0 },
      { plannerBiasWeight: defaults.plannerBiasWeight, plannerLastDayWeight: defaults.plannerLastDayWeight },
    ].map((p) => ({
      ...p,
      validation: plannerShare(series, f.forecast, exogenous, validation, p),
      test: plannerShare(series, f.forecast, exogenous, test, p),
    }));
    const margin = 100 * (picked.test - scores[0].test);
    console.log(`  ${f.file}: picked ${picked.name}, test ${margin >= 0 ? '+' : ''}${margin.toFixed(2)} points`);
    rows.push([
      f.file,
      f.forecast,
      ...scores.map((s) => `${pct(s.validation)} / ${pct(s.test)}`),
      picked.name,
      Number(margin.toFixed(2)),
      ...planners.map((p) => `${pct(p.validation)} / ${pct(p.test)}`),
    ]);
    json.push({ file: f.file, forecast: f.forecast, validation, test, scores, picked: picked.name, margin, planners });
  }
  return {
    title:
      'Plan-on-forecast with simple forecast corrections: share of the oracle, validation span (50–75% of rows) / test span (from 75%)',
    columns: [
      'market file',
      'forecast',
      ...[...CORRECTIONS.map((c) => c.name), FITTED].map((n) => `${n} (val / test)`),
      'picked on validation',
      'test − raw pts',
      "agent's 3-level planner, raw (val / test)",
      "agent's 3-level planner, bias-corrected (val / test)",
      "agent's 3-level planner, bias-corrected + last-day blend: the default (val / test)",
    ],
    rows,
    json,
  };
}
