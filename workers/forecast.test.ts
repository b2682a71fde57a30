import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadPriceFile } from '../src/io/load.ts';
import { forecastWorker } from './forecast.ts';
import type { CompareProgress } from './forecast-api.ts';

const series = await loadPriceFile('test-data/real/de-lu-2023-hourly.csv');
const market = {
  timesUtcMs: series.timesUtcMs,
  pricesEurPerMWh: series.pricesEurPerMWh,
  dtHours: 1,
  source: series.source,
};
const smard = {
  text: readFileSync('test-data/exogenous/de-lu-2023-generation-forecast-hourly.csv', 'utf8'),
  file: 'smard.csv',
};

describe('forecast worker', () => {
  it('checks an exogenous file against the prices: names, or the row and column of what is wrong', async () => {
    const ok = await forecastWorker.checkExogenous(market, smard);
    expect(ok).toMatchObject({
      ok: true,
      names: ['Gesamt', 'Photovoltaik und Wind', 'Wind Offshore', 'Wind Onshore', 'Photovoltaik', 'Sonstige'],
      steps: 8760,
    });
    const cut = { text: smard.text.split('\r\n').slice(0, 5000).join('\r\n'), file: 'cut.csv' };
    expect(await forecastWorker.checkExogenous(market, cut)).toMatchObject({
      ok: false,
      row: 5000,
      column: 'timestamp',
    });
    const text = { text: smard.text.replace('56.012,00', 'viel'), file: 'bad.csv' };
    expect(await forecastWorker.checkExogenous(market, text)).toEqual({
      ok: false,
      message: 'bad.csv: row 2, column Gesamt [MWh] Originalauflösungen: "viel" is not a number',
      row: 2,
      column: 'Gesamt [MWh] Originalauflösungen',
    });
  });

  it('scores perfect, known-24h and day-ahead rows on the test split, with progress after each, on DE-LU 2023 (lear ahead of naive-d1)', async () => {
    const progress: CompareProgress[] = [];
    const r = await forecastWorker.compare(
      {
        market,
        exogenous: smard,
        trainShare: 0.75,
        battery: {},
        models: ['naive-d1', 'lear'],
        noiseEurPerMWh: 10,
        seed: 1,
      },
      (p) => progress.push(p),
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.rows.map((x) => [x.information, x.forecast])).toEqual([
      ['perfect', null],
      ['known-24h', null],
      ['day-ahead', 'naive-d1'],
      ['day-ahead', 'lear'],
    ]);
    expect(progress.map((p) => p.done)).toEqual([0, 1, 2, 3, 4]);
    const plan = (i: number) => r.rows[i].strategies.find((s) => s.name === 'plan-on-forecast')!.shareOfOracle;
    expect(plan(0)).toBeCloseTo(1, 9);
    expect(plan(3)).toBeGreaterThan(plan(2) + 0.1);
    expect(r.rows[3].metrics!.rmae).toBeLessThan(0.7);
    expect(r.rows[3].forecastEurPerMWh!.length).toBe(r.spanTo - r.spanFrom);
  });

  it('reports a forecaster without enough history on its own row and leaves the others', async () => {
    const r = await forecastWorker.compare({
      market,
      exogenous: null,
      trainShare: 0.1,
      battery: {},
      models: ['ridge', 'naive-d1', 'lear'],
      noiseEurPerMWh: 10,
      seed: 1,
    });
    if (!r.ok) throw new Error(r.message);
    expect(r.rows.map((x) => x.forecast)).toEqual([null, null, 'ridge', 'naive-d1']);
    expect(r.rows[2].error).toMatch(/ridge needs 63 days of prices/);
    expect(r.rows[3].strategies.length).toBe(5);
  });

  it("a day-ahead row carries the SOC paths asked for (the planner's and the oracle's) over the test span", async () => {
    const days = 40 * 24;
    const cut = {
      ...market,
      timesUtcMs: market.timesUtcMs.slice(0, days),
      pricesEurPerMWh: market.pricesEurPerMWh.slice(0, days),
    };
    const req = {
      market: cut,
      exogenous: null,
      trainShare: 0.75,
      battery: {},
      models: ['naive-d1'],
      noiseEurPerMWh: 10,
      seed: 1,
    };
    const r = await forecastWorker.compare({ ...req, socOf: ['oracle', 'plan-on-forecast'] });
    if (!r.ok) throw new Error(r.message);
    const row = r.rows[2];
    expect(Object.keys(row.socAfterKWh!).sort()).toEqual(['oracle', 'plan-on-forecast']);
    for (const soc of Object.values(row.socAfterKWh!)) expect(soc.length).toBe(r.spanTo - r.spanFrom);
    expect(r.rows[0].socAfterKWh).toBeUndefined();
    const plain = await forecastWorker.compare(req);
    if (!plain.ok) throw new Error(plain.message);
    expect(plain.rows[2].socAfterKWh).toBeUndefined();
    expect(plain.rows[2].strategies).toEqual(row.strategies.map((s) => ({ ...s, ms: expect.any(Number) })));
  });
});
