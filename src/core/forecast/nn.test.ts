import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MS_PER_HOUR } from '../units.ts';
import { createRng } from '../rl/rng.ts';
import { createForecaster, forecastCalendar, issueAll, naiveD1, nnForecaster, type NnConfig } from './index.ts';

// Small settings keep the fits quick; nothing here reads the clock.
const SMALL: Partial<NnConfig> = { minTrainDays: 21, epochs: 40, refitEpochs: 10, hiddenUnits: 8, batchSize: 16 };

beforeAll(async () => {
  // Node has no tfjs-node here: the wasm backend, single-threaded, loaded from node_modules (as the RL tests).
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(new URL('../../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
  await tf.ready();
});

/** Hourly UTC steps of whole CET days from 2023-01-02 (a Monday), before the spring DST switch. */
function calendarOf(days: number) {
  const t0 = Date.parse('2023-01-01T23:00:00Z');
  return forecastCalendar(
    Float64Array.from({ length: days * 24 }, (_, i) => t0 + i * MS_PER_HOUR),
    1,
  );
}

/** A day-ahead "wind" level per day (the exogenous series) and prices that fall with it, plus a daily shape. */
function windDriven(days: number, seed: number) {
  const r = createRng(seed);
  const level = Float64Array.from({ length: days }, () => 100 * r.next());
  const wind = Float64Array.from({ length: days * 24 }, (_, i) => level[Math.floor(i / 24)]);
  const prices = Float64Array.from(
    { length: days * 24 },
    (_, i) => 120 - wind[i] + 25 * Math.sin((2 * Math.PI * ((i % 24) - 8)) / 24) + 3 * r.normal(),
  );
  return { wind, prices };
}

function mae(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

describe('nn forecaster', { timeout: 600_000 }, () => {
  const DAYS = 45;
  const cal = calendarOf(DAYS);
  const { wind, prices } = windDriven(DAYS, 5);
  const first = 28;

  it('learns prices driven by an exogenous series: well under naive-d1, which cannot know the level', () => {
    const nn = issueAll(nnForecaster(SMALL), cal, prices, [wind], first, DAYS);
    const naive = issueAll(naiveD1(), cal, prices, [], first, DAYS);
    const actual = prices.subarray(first * 24);
    const nnMae = mae(nn, actual);
    const naiveMae = mae(naive, actual);
    // Day-to-day level changes of ~33 EUR/MWh make naive-d1 miss by about that; the level is in the input.
    expect(naiveMae).toBeGreaterThan(20);
    expect(nnMae).toBeLessThan(0.4 * naiveMae);
  });

  it('issues D from what gate closure knew: replacing D and later prices leaves every forecast up to D unchanged', () => {
    const D = 33;
    const changed = prices.slice();
    const r = createRng(9);
    for (let i = D * 24; i < changed.length; i++) changed[i] = 1000 * r.normal();
    const a = issueAll(nnForecaster(SMALL), cal, prices, [wind], first, D + 1);
    const b = issueAll(nnForecaster(SMALL), cal, changed, [wind], first, D + 1);
    expect(Array.from(b)).toEqual(Array.from(a));
    // ... and the changed prices do reach the forecasts that come after them.
    const later = issueAll(nnForecaster(SMALL), cal, changed, [wind], first, D + 2);
    const orig = issueAll(nnForecaster(SMALL), cal, prices, [wind], first, D + 2);
    expect(Array.from(later.subarray(-24))).not.toEqual(Array.from(orig.subarray(-24)));
  });

  it('the same seed gives the same forecast; another seed another one', () => {
    const run = (seed: number) =>
      issueAll(createForecaster('nn', { seed, nn: SMALL }), cal, prices, [], first, first + 9);
    const a = run(3);
    expect(Array.from(run(3))).toEqual(Array.from(a));
    expect(Array.from(run(4))).not.toEqual(Array.from(a));
  });

  it('refits every recalibrateEveryDays issues, reports progress, and leaves no tensor behind', () => {
    const seen: number[] = [];
    const before = tf.memory().numTensors;
    const f = nnForecaster({ ...SMALL, recalibrateEveryDays: 4 }, (p) => {
      if (p.epoch === p.epochs) seen.push(p.day);
    });
    issueAll(f, cal, prices, [], first, first + 9);
    expect(seen).toEqual([first, first + 4, first + 8]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('says how much history it needs', () => {
    expect(() => issueAll(nnForecaster(SMALL), cal, prices, [], 20, 21)).toThrow(
      /nn needs 28 days of prices before the first forecast day/,
    );
  });
});
