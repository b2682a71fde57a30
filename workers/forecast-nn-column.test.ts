import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../src/core/rl/rng.ts';
import { forecastWorker, nnBudget } from './forecast.ts';
import { parser } from './parse.ts';
import type { CompareProgress, CompareRequest } from './forecast-api.ts';

const DAYS = 80;

/** A plain price file whose prices follow a daily shape and noise, with a forecast column = price + 3. */
function plainFile(header = 'timestamp,price_eur_mwh,forecast_eur_mwh', forecast = (p: number) => (p + 3).toFixed(2)) {
  const r = createRng(2);
  const t0 = Date.UTC(2023, 0, 1, -1); // 2023-01-01 00:00 CET
  const rows = [header];
  for (let i = 0; i < DAYS * 24; i++) {
    const p = 70 + 25 * Math.sin((2 * Math.PI * ((i % 24) - 8)) / 24) + 8 * r.normal();
    rows.push(`${new Date(t0 + i * 3_600_000).toISOString()},${p.toFixed(2)},${forecast(p)}`);
  }
  return rows.join('\n') + '\n';
}

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  await tf.ready();
});

async function parsed(text: string, name = 'prices.csv') {
  const r = await parser.parse(text, name);
  if (!r.ok) throw new Error(r.message);
  return r.series;
}

function request(series: Awaited<ReturnType<typeof parsed>>, models: string[]): CompareRequest {
  const c = series.forecastColumn;
  return {
    market: { ...series },
    exogenous: null,
    trainShare: 0.85,
    battery: {},
    models,
    noiseEurPerMWh: 10,
    seed: 1,
    nnEpochs: 4,
    column: c?.valuesEurPerMWh ? { name: c.name, valuesEurPerMWh: c.valuesEurPerMWh } : null,
  };
}

describe('the forecast column of a price file, on the page', () => {
  it('the parse worker keeps the column named like forecast beside the prices; none without one', async () => {
    const s = await parsed(plainFile());
    expect(s.forecastColumn?.name).toBe('forecast_eur_mwh');
    expect(s.forecastColumn!.valuesEurPerMWh![5]).toBeCloseTo(s.pricesEurPerMWh[5] + 3, 6);
    const none = await parsed(plainFile('timestamp,price_eur_mwh,volume_mwh'));
    expect(none.forecastColumn).toBeUndefined();
  });

  it('a forecast column that holds text is reported with its row and column; the prices stay', async () => {
    const text = plainFile().replace(/,[\d.-]+\n/, ',soon\n');
    const s = await parsed(text);
    expect(s.pricesEurPerMWh.length).toBe(DAYS * 24);
    expect(s.forecastColumn?.valuesEurPerMWh).toBeUndefined();
    expect(s.forecastColumn?.error).toBe('prices.csv: row 2, column forecast_eur_mwh: "soon" is not a number');
  });

  it('column scores the file’s forecast (MAE 3); chosen without a column, its row says why', async () => {
    const s = await parsed(plainFile());
    const r = await forecastWorker.compare(request(s, ['column']));
    if (!r.ok) throw new Error(r.message);
    expect(r.rows[2].forecast).toBe('column');
    expect(r.rows[2].metrics!.maeEurPerMWh).toBeCloseTo(3, 6);
    const none = await forecastWorker.compare({ ...request(s, ['column', 'naive-d1']), column: null });
    if (!none.ok) throw new Error(none.message);
    expect(none.rows[2].error).toMatch(/prices\.csv has no forecast column/);
    expect(none.rows[3].strategies.length).toBe(5);
  });
});

describe('nn in the forecast worker', { timeout: 600_000 }, () => {
  it('trains on a tiny budget with progress inside its row, and the same seed gives the same row', async () => {
    const s = await parsed(plainFile());
    const progress: CompareProgress[] = [];
    const a = await forecastWorker.compare(request(s, ['nn']), (p) => progress.push(p));
    if (!a.ok) throw new Error(a.message);
    expect(a.rows[2].forecast).toBe('nn');
    expect(a.rows[2].error).toBeUndefined();
    expect(a.rows[2].metrics!.rmae).toBeGreaterThan(0);
    const training = progress.filter((p) => p.label.startsWith('day-ahead, nn (cpu): training'));
    expect(training.length).toBeGreaterThan(0);
    expect(training.every((p) => p.done >= 2 && p.done < 3)).toBe(true);
    expect(training[0].label).toMatch(/epoch \d+\/4$/);
    const b = await forecastWorker.compare(request(s, ['nn']));
    if (!b.ok) throw new Error(b.message);
    expect(Array.from(b.rows[2].forecastEurPerMWh!)).toEqual(Array.from(a.rows[2].forecastEurPerMWh!));
  });

  it('nnBudget gives refits a sixth of the first fit’s epochs, at least one', () => {
    expect(nnBudget(undefined)).toEqual({});
    expect(nnBudget(60)).toEqual({ epochs: 60, refitEpochs: 10 });
    expect(nnBudget(2)).toEqual({ epochs: 2, refitEpochs: 1 });
  });
});
