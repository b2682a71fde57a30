import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parser } from './parse.ts';

describe('parser (the parse worker without the worker)', () => {
  it('parse(text) returns the series and reports progress up to 1', async () => {
    const progress: number[] = [];
    const r = await parser.parse(readFileSync('test-data/real/be-2023-hourly.csv', 'utf8'), 'be-2023-hourly.csv', (p) =>
      progress.push(p),
    );
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.series.pricesEurPerMWh.length).toBe(8760);
    expect(progress.at(-1)).toBe(1);
  });
  it('parse(Blob) of a bad file returns one message with file, row and column instead of throwing', async () => {
    const r = await parser.parse(new Blob(['Date;Hour;Price (EUR)\n01/01/2023;1;12,5\n01/01/2023;2;abc\n']), 'bad.csv');
    expect(r).toEqual({
      ok: false,
      message: expect.stringMatching(/^bad\.csv, row 3, column "Price \(EUR\)"/),
      file: 'bad.csv',
      row: 3,
      column: 'Price (EUR)',
    });
  });
});
