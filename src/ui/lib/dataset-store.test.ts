import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openDB } from 'idb';
import type { PriceSeries } from '../../core/prices/types.ts';
import { KEPT_DATASET_VERSION, keepErrorOf, openDatasetStore, readKept } from './dataset-store.ts';

const series = (n = 3, source = 'my-prices.csv'): PriceSeries => ({
  timesUtcMs: Float64Array.from({ length: n }, (_, i) => Date.UTC(2023, 0, 1) + i * 3_600_000),
  pricesEurPerMWh: Float64Array.from({ length: n }, (_, i) => 10 * i - 5),
  dtHours: 1,
  source,
  warnings: [{ kind: 'gap', row: 3, message: 'one hour missing', action: 'filled by repeating the previous price' }],
});

describe('openDatasetStore', () => {
  it('save then load gives the same series back, typed arrays included', async () => {
    const store = await openDatasetStore();
    await store.save(series(), 1234);
    const kept = await store.load();
    expect(kept?.savedAt).toBe(1234);
    expect(kept?.series.source).toBe('my-prices.csv');
    expect(kept?.series.pricesEurPerMWh).toBeInstanceOf(Float64Array);
    expect(Array.from(kept!.series.pricesEurPerMWh)).toEqual([-5, 5, 15]);
    expect(kept?.series.warnings).toEqual(series().warnings);
    store.close();
  });
  it('keeps a forecast column (the column forecaster) with the series; one of another length is dropped', async () => {
    const store = await openDatasetStore();
    const forecastColumn = { name: 'forecast_eur_mwh', valuesEurPerMWh: Float64Array.from([1, 2, 3]) };
    await store.save({ ...series(), forecastColumn }, 1);
    expect((await store.load())?.series.forecastColumn).toEqual(forecastColumn);
    const bad = { ...series(), forecastColumn: { name: 'f', valuesEurPerMWh: Float64Array.from([1]) } };
    expect(readKept({ version: KEPT_DATASET_VERSION, savedAt: 1, series: bad })?.series.forecastColumn).toBeUndefined();
    store.close();
  });
  it('a second save replaces the first; clear forgets it', async () => {
    const store = await openDatasetStore();
    await store.save(series(3, 'a.csv'), 1);
    await store.save(series(4, 'b.csv'), 2);
    expect((await store.load())?.series.source).toBe('b.csv');
    await store.clear();
    expect(await store.load()).toBeNull();
    store.close();
  });
  it('a record of another version in the database reads as nothing kept', async () => {
    const store = await openDatasetStore();
    const db = await openDB('powerbidder-dataset', 1);
    await db.put('dataset', { version: KEPT_DATASET_VERSION + 1, savedAt: 1, series: series() }, 'last');
    db.close();
    expect(await store.load()).toBeNull();
    store.close();
  });
});

describe('readKept', () => {
  it('rejects damaged records: plain arrays, mismatched lengths, one row, a bad step', () => {
    const ok = { version: KEPT_DATASET_VERSION, savedAt: 1, series: series() };
    expect(readKept(ok)?.series.source).toBe('my-prices.csv');
    expect(readKept(null)).toBeNull();
    expect(readKept({ ...ok, series: { ...series(), pricesEurPerMWh: [1, 2, 3] } })).toBeNull();
    expect(readKept({ ...ok, series: { ...series(), timesUtcMs: new Float64Array(2) } })).toBeNull();
    expect(readKept({ ...ok, series: series(1) })).toBeNull();
    expect(readKept({ ...ok, series: { ...series(), dtHours: 0 } })).toBeNull();
  });
  it('keeps the series when its warnings are missing', () => {
    const { warnings: _w, ...rest } = series();
    expect(readKept({ version: KEPT_DATASET_VERSION, savedAt: 1, series: rest })?.series.warnings).toEqual([]);
  });
});

describe('keepErrorOf', () => {
  it('names a full quota as such, whatever the browser calls it', () => {
    const chrome = Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
    expect(keepErrorOf(chrome)).toMatchObject({ quota: true });
    expect(keepErrorOf(chrome).message).toMatch(/storage for this site is full/);
    expect(keepErrorOf(Object.assign(new Error('x'), { name: 'NS_ERROR_DOM_QUOTA_REACHED' })).quota).toBe(true);
    expect(keepErrorOf(Object.assign(new Error('blocked'), { name: 'InvalidStateError' }))).toMatchObject({
      quota: false,
    });
  });
});
