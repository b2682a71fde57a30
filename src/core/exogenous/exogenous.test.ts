import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PriceFileError } from '../prices/types.ts';
import { alignExogenous, parseExogenousCsv, parseGermanNumber } from './index.ts';

const SMARD_FILE = 'test-data/exogenous/de-lu-2023-generation-forecast-hourly.csv';
const HEADER =
  '\uFEFFDatum von;Datum bis;Gesamt [MWh] Originalauflösungen;Photovoltaik [MWh] Berechnete Auflösungen\r\n';

function hourly(fromIso: string, n: number) {
  const t0 = Date.parse(fromIso);
  return {
    timesUtcMs: Float64Array.from({ length: n }, (_, i) => t0 + i * 3_600_000),
    dtHours: 1,
    source: 'prices.csv',
  };
}

function errorOf(f: () => unknown): PriceFileError {
  try {
    f();
  } catch (e) {
    if (e instanceof PriceFileError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

describe('parseGermanNumber', () => {
  it('reads thousands dots and decimal commas; "-" is no value; text is refused', () => {
    expect(parseGermanNumber('56.012,00')).toBe(56012);
    expect(parseGermanNumber('1.234.567,5')).toBe(1234567.5);
    expect(parseGermanNumber('-3,25')).toBe(-3.25);
    expect(parseGermanNumber('0')).toBe(0);
    expect(parseGermanNumber('-')).toBeNaN();
    expect(parseGermanNumber('n.v.')).toBeNull();
    expect(parseGermanNumber('12.34')).toBeNull();
  });
});

describe('parseExogenousCsv: SMARD as published', () => {
  const text = readFileSync(SMARD_FILE, 'utf8');
  const exo = parseExogenousCsv(text, 'smard.csv');

  it('reads the whole DE-LU 2023 file: 8,760 hourly UTC steps, six named columns, no gaps', () => {
    expect(exo.names).toEqual([
      'Gesamt',
      'Photovoltaik und Wind',
      'Wind Offshore',
      'Wind Onshore',
      'Photovoltaik',
      'Sonstige',
    ]);
    expect(exo.dtHours).toBe(1);
    expect(exo.timesUtcMs.length).toBe(8760);
    expect(new Date(exo.timesUtcMs[0]).toISOString()).toBe('2022-12-31T23:00:00.000Z');
    expect(new Date(exo.timesUtcMs[8759]).toISOString()).toBe('2023-12-31T22:00:00.000Z');
    expect(exo.warnings).toEqual([]);
    expect(exo.values[0][0]).toBe(56012);
    expect(exo.values[2][0]).toBe(3478.25);
  });

  it("reads the spring day by Datum von (ignoring SMARD's wrong Datum bis) and the doubled autumn hour as CEST then CET", () => {
    const at = (iso: string) => exo.timesUtcMs.indexOf(Date.parse(iso));
    // 26.03.2023 01:00 (line 2019, the wrong "Datum bis") is 00:00Z; the next row, 03:00 CEST, is 01:00Z.
    expect(exo.lines[at('2023-03-26T00:00:00Z')]).toBe(2019);
    expect(exo.lines[at('2023-03-26T01:00:00Z')]).toBe(2020);
    expect(exo.values[0][at('2023-03-26T00:00:00Z')]).toBe(50104);
    // 29.10.2023 02:00 twice: line 7227 is 00:00Z (CEST), line 7228 01:00Z (CET).
    expect(exo.lines[at('2023-10-29T00:00:00Z')]).toBe(7227);
    expect(exo.lines[at('2023-10-29T01:00:00Z')]).toBe(7228);
    expect(exo.values[0][at('2023-10-29T01:00:00Z')]).toBe(42620);
  });

  it('aligns to the DE-LU 2023 prices by UTC time', () => {
    const a = alignExogenous(exo, hourly('2022-12-31T23:00:00Z', 8760));
    expect(a.values.length).toBe(6);
    expect(a.values[4][12]).toBe(exo.values[4][12]);
    expect(a.warnings).toEqual([]);
  });

  it('fills "-" and missing rows with the previous value and reports their rows', () => {
    const t =
      HEADER +
      '01.01.2023 00:00;01.01.2023 01:00;10,5;0\r\n01.01.2023 01:00;01.01.2023 02:00;-;0\r\n01.01.2023 03:00;01.01.2023 04:00;1.000,00;2,5\r\n';
    const e = parseExogenousCsv(t, 'f.csv');
    expect(Array.from(e.values[0])).toEqual([10.5, 10.5, 10.5, 1000]);
    expect(e.warnings.map((w) => [w.kind, w.row, w.column ?? null])).toEqual([
      ['gap', 4, null],
      ['empty', 3, 'Gesamt'],
    ]);
  });
});

describe('parseExogenousCsv: other SMARD layouts', () => {
  it('reads quarter-hours with the autumn 02:00–02:45 quarter-hours twice (CEST, then CET)', () => {
    const times = ['01:45', '02:00', '02:15', '02:30', '02:45', '02:00', '02:15', '02:30', '02:45', '03:00'];
    const t = HEADER + times.map((hm, i) => `29.10.2023 ${hm};x;${i},00;0`).join('\r\n') + '\r\n';
    const e = parseExogenousCsv(t, 'q.csv');
    expect(e.dtHours).toBe(0.25);
    expect(e.timesUtcMs.length).toBe(10);
    expect(new Date(e.timesUtcMs[0]).toISOString()).toBe('2023-10-28T23:45:00.000Z');
    expect(new Date(e.timesUtcMs[5]).toISOString()).toBe('2023-10-29T01:00:00.000Z');
    expect(new Date(e.timesUtcMs[9]).toISOString()).toBe('2023-10-29T02:00:00.000Z');
    expect(Array.from(e.values[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reads the newer Datum;Anfang;Ende layout, spring day included', () => {
    const t =
      '\uFEFFDatum;Anfang;Ende;Wind Onshore [MWh] Originalauflösungen\r\n26.03.2023;00:00;01:00;1.000,5\r\n26.03.2023;01:00;03:00;2.000\r\n26.03.2023;03:00;04:00;-\r\n';
    const e = parseExogenousCsv(t, 'n.csv');
    expect(e.names).toEqual(['Wind Onshore']);
    expect(Array.from(e.timesUtcMs, (ms) => new Date(ms).toISOString())).toEqual([
      '2023-03-25T23:00:00.000Z',
      '2023-03-26T00:00:00.000Z',
      '2023-03-26T01:00:00.000Z',
    ]);
    expect(Array.from(e.values[0])).toEqual([1000.5, 2000, 2000]);
  });
});

describe('parseExogenousCsv: plain files and bad input', () => {
  it('reads timestamp,<name>,… with UTC or offset times', () => {
    const e = parseExogenousCsv(
      'timestamp,wind_mw,solar_mw\n2023-01-01T00:00:00+01:00,1.5,0\n2023-01-01T00:00:00Z,2,0.25\n',
      'p.csv',
    );
    expect(e.names).toEqual(['wind_mw', 'solar_mw']);
    expect(new Date(e.timesUtcMs[0]).toISOString()).toBe('2022-12-31T23:00:00.000Z');
    expect(Array.from(e.values[1])).toEqual([0, 0.25]);
    const named = parseExogenousCsv(
      'Datetime (UTC);load_mw\n2023-01-01T00:00:00Z;1,5\n2023-01-01T01:00:00Z;2\n',
      'l.csv',
    );
    expect([named.names, Array.from(named.values[0])]).toEqual([['load_mw'], [1.5, 2]]);
  });

  it('names file, row and column for text, for an unknown header and for a bad time', () => {
    let e = errorOf(() => parseExogenousCsv('timestamp,wind\n2023-01-01T00:00Z,1\n2023-01-01T01:00Z,high\n', 'w.csv'));
    expect(e.message).toBe('w.csv: row 3, column wind: "high" is not a number');
    expect([e.file, e.row, e.column]).toEqual(['w.csv', 3, 'wind']);
    e = errorOf(() => parseExogenousCsv('when,wind\n1,2\n3,4\n', 'w.csv'));
    expect(e.message).toMatch(/^w\.csv: row 1, column 1 \("when"\): not an exogenous header/);
    e = errorOf(() => parseExogenousCsv(HEADER + '32.01.2023 00:00;x;1;1\r\n01.02.2023 00:00;x;1;1\r\n', 's.csv'));
    expect(e.message).toMatch(/^s\.csv: row 2, column Datum von: "32\.01\.2023 00:00"/);
  });

  it('refuses a far-off timestamp before allocating, and a gap longer than a week, naming the rows', () => {
    const far = errorOf(() =>
      parseExogenousCsv('timestamp,a\n2023-01-01T00:00Z,1\n2023-01-01T01:00Z,1\n9023-01-01T00:00Z,1\n', 'f.csv'),
    );
    expect(far.message).toMatch(/^f\.csv: rows 2 to 4 span [\d,]+ steps; at most 1,000,000/);
    const gap = errorOf(() =>
      parseExogenousCsv('timestamp,a\n2023-01-01T00:00Z,1\n2023-01-01T01:00Z,1\n2023-02-01T01:00Z,1\n', 'g.csv'),
    );
    expect([gap.row, gap.message]).toEqual([4, expect.stringMatching(/rows 3 and 4 are 744 h apart/)]);
  });

  it("reads quoted cells and the price reader's missing markers, and refuses a binary file", () => {
    const e = parseExogenousCsv(
      'timestamp,"wind, onshore"\n"2023-01-01T00:00Z","1,5"\n2023-01-01T01:00Z,n/a\n2023-01-01T02:00Z,2\n',
      'q.csv',
    );
    expect(e.names).toEqual(['wind, onshore']);
    expect(Array.from(e.values[0])).toEqual([1.5, 1.5, 2]);
    expect(e.warnings.some((w) => w.row === 3 && w.kind === 'empty')).toBe(true);
    expect(errorOf(() => parseExogenousCsv('timestamp,a\n\u0000\u0001', 'b.csv')).message).toMatch(/not a text CSV/);
  });

  it("refuses steps off the file's grid and repeated times, with the row", () => {
    const off = errorOf(() =>
      parseExogenousCsv(
        'timestamp,a\n2023-01-01T00:00Z,1\n2023-01-01T01:00Z,1\n2023-01-01T01:30Z,1\n2023-01-01T03:00Z,1\n',
        'o.csv',
      ),
    );
    expect(off.row).toBe(4);
    expect(off.message).toMatch(/off the 60-minute grid/);
    const rep = errorOf(() => parseExogenousCsv('timestamp,a\n2023-01-01T00:00Z,1\n2023-01-01T00:00Z,1\n', 'r.csv'));
    expect(rep.message).toMatch(/row 3: its time repeats the time of row 2/);
  });
});

describe('alignExogenous', () => {
  const exo = parseExogenousCsv(
    'timestamp,a\n' +
      Array.from({ length: 48 }, (_, i) => `${new Date(Date.UTC(2023, 0, 1, i)).toISOString()},${i}`).join('\n') +
      '\n',
    'x.csv',
  );

  it('picks the values at the price steps and reports unused rows outside the span', () => {
    const a = alignExogenous(exo, hourly('2023-01-01T05:00:00Z', 10));
    expect(Array.from(a.values[0])).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(a.warnings.map((w) => w.message)).toEqual([
      'x.csv: rows 2–6 lie before the price span and are unused',
      'x.csv: rows 17–49 lie after the price span and are unused',
    ]);
  });

  it('refuses a file that does not cover the prices, or has another step length, naming the row', () => {
    let e = errorOf(() => alignExogenous(exo, hourly('2022-12-31T23:00:00Z', 10)));
    expect(e.message).toBe(
      'x.csv: row 2, column timestamp: starts at 2023-01-01T00:00:00Z, after the prices start (2022-12-31T23:00:00Z); the file must cover the price span',
    );
    e = errorOf(() => alignExogenous(exo, hourly('2023-01-02T20:00:00Z', 10)));
    expect(e.message).toMatch(/^x\.csv: row 49, column timestamp: ends at 2023-01-02T23:00:00Z, before the prices end/);
    e = errorOf(() =>
      alignExogenous(exo, {
        timesUtcMs: Float64Array.from({ length: 8 }, (_, i) => Date.UTC(2023, 0, 1, 1) + i * 900_000),
        dtHours: 0.25,
        source: 'q.csv',
      }),
    );
    expect(e.message).toBe('x.csv: row 3: 60-minute steps, the prices (q.csv) have 15-minute steps');
  });
});
