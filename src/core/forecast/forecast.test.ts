import { describe, expect, it } from 'vitest';
import { MS_PER_HOUR } from '../units.ts';
import { createRng } from '../rl/rng.ts';
import {
  createForecaster,
  forecastCalendar,
  forecastMetrics,
  issueAll,
  issueInput,
  naiveD1,
  naiveD7,
  noisyTruthForecaster,
  ridgeForecaster,
  ForecastError,
  columnForecaster,
} from './index.ts';

/** Hourly UTC steps of whole CET days from 2023-01-02 (a Monday), `days` long (no DST switch before late March). */
function calendarOf(days: number, dtHours = 1, fromIso = '2023-01-01T23:00:00Z') {
  const n = Math.round((days * 24) / dtHours);
  const t0 = Date.parse(fromIso);
  return forecastCalendar(
    Float64Array.from({ length: n }, (_, i) => t0 + i * dtHours * MS_PER_HOUR),
    dtHours,
  );
}

describe('naive forecasters', () => {
  it('naive-d7 is exact on a pure weekly pattern, naive-d1 on a pure daily one', () => {
    const cal = calendarOf(28);
    const r = createRng(3);
    const week = Float64Array.from({ length: 168 }, () => Math.round(r.next() * 200 - 50));
    const weekly = Float64Array.from({ length: cal.timesUtcMs.length }, (_, i) => week[i % 168]);
    const got = issueAll(naiveD7(), cal, weekly, [], 7, 28);
    expect(Array.from(got)).toEqual(Array.from(weekly.subarray(7 * 24)));
    const daily = Float64Array.from({ length: cal.timesUtcMs.length }, (_, i) => week[i % 24]);
    expect(Array.from(issueAll(naiveD1(), cal, daily, [], 1, 28))).toEqual(Array.from(daily.subarray(24)));
  });

  it('issue D and D+1: naive-d1 repeats D−1 twice, naive-d7 gives D−7 then D−6', () => {
    const cal = calendarOf(10);
    const prices = Float64Array.from({ length: 240 }, (_, i) => Math.floor(i / 24) * 100 + (i % 24));
    const d1 = naiveD1().issue(issueInput(cal, prices, [], 8));
    expect(d1.length).toBe(48);
    expect([d1[0], d1[23], d1[24], d1[47]]).toEqual([700, 723, 700, 723]);
    const d7 = naiveD7().issue(issueInput(cal, prices, [], 8));
    expect([d7[0], d7[23], d7[24], d7[47]]).toEqual([100, 123, 200, 223]);
  });

  it('forecast a 23-hour and a 25-hour day on their own steps', () => {
    const t0 = Date.parse('2023-03-18T23:00:00Z'); // Sunday 19 March 00:00 CET; the 26th is the spring day
    const n = 24 * 7 + 23 + 24;
    const cal = forecastCalendar(
      Float64Array.from({ length: n }, (_, i) => t0 + i * MS_PER_HOUR),
      1,
    );
    const prices = Float64Array.from({ length: n }, (_, i) => i);
    const f = naiveD7().issue(issueInput(cal, prices, [], 7));
    expect(f.length).toBe(23 + 24);
    // Hour 02:00 does not exist on the 26th: 03:00 (step 2) takes the 19th's 03:00.
    expect([f[0], f[1], f[2], f[22]]).toEqual([0, 1, 3, 23]);
  });

  it('say how much history they need', () => {
    const cal = calendarOf(20);
    const prices = new Float64Array(480);
    expect(() => naiveD7().issue(issueInput(cal, prices, [], 3))).toThrow(
      /naive-d7 needs 7 days of prices before the first forecast day; 2023-01-05 has 3/,
    );
    expect(() => ridgeForecaster().issue(issueInput(cal, prices, [], 19))).toThrow(ForecastError);
    expect(ridgeForecaster().minHistoryDays).toBe(63);
  });
});

describe('ridge and lear', () => {
  it('ridge reproduces a pure weekly pattern (its D−7 lag explains it)', () => {
    const cal = calendarOf(70);
    const r = createRng(5);
    const week = Float64Array.from({ length: 168 }, () => 20 + r.next() * 150);
    const prices = Float64Array.from({ length: cal.timesUtcMs.length }, (_, i) => week[i % 168]);
    const f = ridgeForecaster({ minTrainDays: 28, lambda: 1e-9 });
    const got = issueAll(f, cal, prices, [], 40, 70);
    const want = prices.subarray(40 * 24);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    expect(worst).toBeLessThan(1e-4);
  });

  it('lear recovers prices that equal an exogenous series, which ridge without it cannot', () => {
    const cal = calendarOf(80);
    const r = createRng(9);
    const exo = Float64Array.from({ length: cal.timesUtcMs.length }, () => 10 + r.next() * 90);
    const prices = exo.slice();
    const lear = issueAll(
      ridgeForecaster({ exogenous: true, minTrainDays: 40, lambda: 1e-9 }),
      cal,
      prices,
      [exo],
      60,
      80,
    );
    const ridge = issueAll(ridgeForecaster({ minTrainDays: 40, lambda: 1e-9 }), cal, prices, [exo], 60, 80);
    const mLear = forecastMetrics(lear, cal, prices, 60, 80);
    const mRidge = forecastMetrics(ridge, cal, prices, 60, 80);
    expect(mLear.maeEurPerMWh).toBeLessThan(1e-4);
    expect(mRidge.maeEurPerMWh).toBeGreaterThan(10);
  });

  it('lear without exogenous series says what it needs', () => {
    const cal = calendarOf(80);
    expect(() => ridgeForecaster({ exogenous: true }).issue(issueInput(cal, new Float64Array(1920), [], 70))).toThrow(
      /exogenous/,
    );
  });

  it('slides its window by adding and removing days exactly as a fit rebuilt from scratch', () => {
    // A series that repeats every 28 days: every 28-day window holds the same prices, so the asinh transform
    // fitted at a fresh start equals the one the run fitted at its epoch's start, and only the sums can differ.
    const cal = calendarOf(100);
    const r = createRng(2);
    const month = Float64Array.from(
      { length: 28 * 24 },
      (_, i) => 50 + 30 * Math.sin((i / 24) * 2 * Math.PI) + 10 * r.normal(),
    );
    const prices = Float64Array.from({ length: cal.timesUtcMs.length }, (_, i) => month[i % month.length]);
    const cfg = { windowDays: 28, minTrainDays: 28 };
    const run = issueAll(ridgeForecaster(cfg), cal, prices, [], 40, 66);
    for (const day of [41, 52, 65]) {
      const alone = ridgeForecaster(cfg)
        .issue(issueInput(cal, prices, [], day))
        .subarray(0, 24);
      const inRun = run.subarray((day - 40) * 24, (day - 39) * 24);
      for (let i = 0; i < 24; i++) expect(inRun[i]).toBeCloseTo(alone[i], 6);
    }
    const m = forecastMetrics(run, cal, prices, 40, 66);
    expect(m.maeEurPerMWh).toBeGreaterThan(1); // the noise is not explained by the lags: a real fit, not a copy
  });
});

describe('given forecasts', () => {
  it('noisy-truth with σ = 0 is the truth; with σ > 0 its error has about that spread, the same for a seed', () => {
    const cal = calendarOf(30);
    const prices = Float64Array.from({ length: 720 }, (_, i) => i % 97);
    expect(Array.from(issueAll(noisyTruthForecaster(prices, 0), cal, prices, [], 0, 30))).toEqual(Array.from(prices));
    const a = issueAll(noisyTruthForecaster(prices, 10, 4), cal, prices, [], 0, 30);
    const b = issueAll(noisyTruthForecaster(prices, 10, 4), cal, prices, [], 0, 30);
    expect(Array.from(a)).toEqual(Array.from(b));
    const m = forecastMetrics(a.subarray(7 * 24), cal, prices, 7, 30);
    expect(m.rmseEurPerMWh).toBeGreaterThan(9);
    expect(m.rmseEurPerMWh).toBeLessThan(11);
  });

  it('column issues the file column for D and D+1 and names a column too short', () => {
    const cal = calendarOf(3);
    const col = Float64Array.from({ length: 72 }, (_, i) => -i);
    expect(Array.from(columnForecaster(col).issue(issueInput(cal, new Float64Array(72), [], 1)))).toEqual(
      Array.from(col.subarray(24, 72)),
    );
    expect(() => columnForecaster(col.subarray(0, 50)).issue(issueInput(cal, new Float64Array(72), [], 1))).toThrow(
      /has 50 steps/,
    );
  });

  it('createForecaster knows every model name and rejects others', () => {
    expect(createForecaster('naive-d1').name).toBe('naive-d1');
    expect(createForecaster('lear').name).toBe('lear');
    expect(createForecaster('nn').name).toBe('nn');
    expect(() => createForecaster('lstm')).toThrow(/unknown forecast model "lstm"/);
    expect(() => createForecaster('column')).toThrow(/column/);
  });
});

describe('forecastMetrics', () => {
  it('computes MAE, RMSE, sMAPE and rMAE against the standard naive on a hand-checkable case', () => {
    const cal = calendarOf(15); // 2023-01-02 is a Monday: days 7–14 are Mon … Mon
    const prices = Float64Array.from({ length: 360 }, (_, i) => 10 + Math.floor(i / 24));
    const forecast = Float64Array.from({ length: 8 * 24 }, (_, i) => prices[7 * 24 + i] + (i % 2 ? 2 : -2));
    const m = forecastMetrics(forecast, cal, prices, 7, 15);
    expect(m.steps).toBe(192);
    expect(m.maeEurPerMWh).toBeCloseTo(2, 12);
    expect(m.rmseEurPerMWh).toBeCloseTo(2, 12);
    // Naive error: D−1 (1 EUR/MWh) on Tue–Fri (4 days), D−7 (7) on Sat, Sun, Mon ×2 (4 days): mean 4.
    expect(m.rmae).toBeCloseTo(2 / 4, 12);
    let sm = 0;
    for (let i = 0; i < 192; i++) sm += 4 / (prices[168 + i] + forecast[i]);
    expect(m.smape).toBeCloseTo(sm / 192, 12);
    expect(forecastMetrics(prices.subarray(0, 72), cal, prices, 0, 3)).toEqual({
      steps: 72,
      maeEurPerMWh: 0,
      rmseEurPerMWh: 0,
      smape: 0,
      rmae: Number.NaN,
    });
  });
});
