import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parsePriceCsv } from '../../io/csv.ts';
import { PriceFileError } from './types.ts';

const head = 'timestamp,price_eur_mwh,pv_kw,load_kw\n';

describe('parsePriceCsv reads the site columns pv_kw and load_kw', () => {
  it('carries them on the series, aligned to its steps', () => {
    const s = parsePriceCsv(
      head + '2025-06-01T10:00:00Z,50,12.5,3\n2025-06-01T11:00:00Z,-5,20,0\n2025-06-01T12:00:00Z,40,0,4.25\n',
      'site.csv',
    );
    expect(Array.from(s.pvKW!)).toEqual([12.5, 20, 0]);
    expect(Array.from(s.loadKW!)).toEqual([3, 0, 4.25]);
  });

  it('leaves them undefined in a price-only file', () => {
    const s = parsePriceCsv('timestamp,price_eur_mwh\n2025-06-01T10:00:00Z,50\n2025-06-01T11:00:00Z,51\n', 'p.csv');
    expect(s.pvKW).toBeUndefined();
    expect(s.loadKW).toBeUndefined();
  });

  it('keeps the first row of a duplicate time and repeats the previous value over a gap, like the prices', () => {
    const s = parsePriceCsv(
      'timestamp,price_eur_mwh,pv_kw\n2025-06-01T10:00:00Z,50,1\n2025-06-01T10:00:00Z,50,9\n2025-06-01T11:00:00Z,50,2\n' +
        Array.from({ length: 10 }, (_, h) => `2025-06-01T${13 + h}:00:00Z,50,${4 + h}\n`).join(''),
      'site.csv',
    );
    expect(Array.from(s.pvKW!).slice(0, 4)).toEqual([1, 2, 2, 4]);
    expect(s.warnings.some((w) => w.kind === 'gap')).toBe(true);
  });

  it.each([
    ['a negative PV value', '2025-06-01T11:00:00Z,50,-1,0', /row 3, column "pv_kw": "-1" kW is negative/, 'pv_kw'],
    [
      'a missing load value',
      '2025-06-01T11:00:00Z,50,1,',
      /row 3, column "load_kw": missing value \(empty\)/,
      'load_kw',
    ],
    [
      'an unreadable PV value',
      '2025-06-01T11:00:00Z,50,abc,1',
      /row 3, column "pv_kw": "abc" is not a number/,
      'pv_kw',
    ],
  ])('refuses %s naming the file, row and column', (_, row, message, column) => {
    const text = head + '2025-06-01T10:00:00Z,50,1,1\n' + row + '\n2025-06-01T12:00:00Z,50,1,1\n';
    try {
      parsePriceCsv(text, 'site.csv');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PriceFileError);
      expect((e as Error).message).toMatch(/^site\.csv, /);
      expect((e as Error).message).toMatch(message);
      expect((e as PriceFileError).row).toBe(3);
      expect((e as PriceFileError).column).toBe(column);
    }
  });

  it('reads the DE-LU 2023 PV site: 8,760 hours, 134,750 kWh of PV', () => {
    const path = new URL('../../../test-data/site/de-lu-2023-pv100-iso.csv', import.meta.url);
    const s = parsePriceCsv(readFileSync(path, 'utf8'), 'de-lu-2023-pv100-iso.csv');
    expect(s.pvKW!.length).toBe(8760);
    expect(Math.max(...s.pvKW!)).toBe(100);
    expect(Math.round(s.pvKW!.reduce((a, b) => a + b, 0))).toBe(134750);
  });
});
