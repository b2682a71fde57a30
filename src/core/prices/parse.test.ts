import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parsePriceCsv } from '../../io/csv.ts';
import { summarisePrices } from './summary.ts';
import { PriceFileError } from './types.ts';
import { parseDecimal } from './parse.ts';
import { cetMidnightUtcMs } from './time.ts';

const real = (f: string) => parsePriceCsv(readFileSync(`test-data/real/${f}`, 'utf8'), f);
const H = 3_600_000;

/** Expected facts from test-data/real/README.md (the data's own documentation). */
const FILES: Record<string, { rows: number; start: string; end: string; step: number; min: number; mean: number; max: number; negative: number; dst: [string, number][] }> = {
  'be-2022-hourly-iso.csv': { rows: 8760, start: '2021-12-31T23:00:00Z', end: '2022-12-31T23:00:00Z', step: 60, min: -100, mean: 244.53, max: 871, negative: 112, dst: [['2022-03-27', 23], ['2022-10-30', 25]] },
  'be-2023-hourly.csv': { rows: 8760, start: '2022-12-31T23:00:00Z', end: '2023-12-31T23:00:00Z', step: 60, min: -120, mean: 97.27, max: 330.36, negative: 222, dst: [['2023-03-26', 23], ['2023-10-29', 25]] },
  'de-lu-2023-hourly.csv': { rows: 8760, start: '2022-12-31T23:00:00Z', end: '2023-12-31T23:00:00Z', step: 60, min: -500, mean: 95.18, max: 524.27, negative: 301, dst: [['2023-03-26', 23], ['2023-10-29', 25]] },
  'dk1-2023-hourly.csv': { rows: 8760, start: '2022-12-31T23:00:00Z', end: '2023-12-31T23:00:00Z', step: 60, min: -440.1, mean: 86.83, max: 524.27, negative: 281, dst: [['2023-03-26', 23], ['2023-10-29', 25]] },
  'fr-2022-hourly.csv': { rows: 8760, start: '2021-12-31T23:00:00Z', end: '2022-12-31T23:00:00Z', step: 60, min: -1.44, mean: 275.88, max: 2987.78, negative: 4, dst: [['2022-03-27', 23], ['2022-10-30', 25]] },
  'fi-2020-hourly.csv': { rows: 8784, start: '2019-12-31T23:00:00Z', end: '2020-12-31T23:00:00Z', step: 60, min: -1.73, mean: 28.02, max: 254.44, negative: 9, dst: [['2020-03-29', 23], ['2020-10-25', 25]] },
  'pt-2023-hourly.csv': { rows: 8760, start: '2022-12-31T23:00:00Z', end: '2023-12-31T23:00:00Z', step: 60, min: 0, mean: 88.27, max: 220, negative: 0, dst: [['2023-03-26', 23], ['2023-10-29', 25]] },
  'dk1-2025q4-15min-iso.csv': { rows: 8836, start: '2025-09-30T22:00:00Z', end: '2025-12-31T23:00:00Z', step: 15, min: -5.01, mean: 84.42, max: 508.38, negative: 120, dst: [['2025-10-26', 100]] },
  'pt-2026jan-apr-15min-iso.csv': { rows: 11612, start: '2025-12-31T23:00:00Z', end: '2026-05-01T22:00:00Z', step: 15, min: -10, mean: 42.16, max: 200, negative: 1312, dst: [['2026-03-29', 92]] },
};

describe('parsePriceCsv on every real market file', () => {
  it('covers every file in test-data/real', () => {
    expect(readdirSync('test-data/real').filter((f) => f.endsWith('.csv')).sort()).toEqual(Object.keys(FILES).sort());
  });
  it.each(Object.entries(FILES))('%s: rows, UTC period, step, price range and negative steps', (file, e) => {
    const series = real(file);
    const s = summarisePrices(series);
    expect(s).toMatchObject({ rows: e.rows, start: e.start, end: e.end, stepMinutes: e.step, minPrice: e.min, maxPrice: e.max, negativeCount: e.negative });
    expect(s.meanPrice).toBeCloseTo(e.mean, 2);
    expect(series.warnings).toEqual([]);
    // Continuous in UTC: every step exactly dtHours after the previous one.
    for (let i = 1; i < series.timesUtcMs.length; i++) expect(series.timesUtcMs[i] - series.timesUtcMs[i - 1]).toBe(series.dtHours * H);
    // DST days hold 23/25 hours (92/100 quarters) between their CET/CEST midnights.
    for (const [day, steps] of e.dst) {
      const [y, m, d] = day.split('-').map(Number);
      const from = cetMidnightUtcMs(y, m, d);
      const to = cetMidnightUtcMs(y, m, d + 1);
      let count = 0;
      for (const t of series.timesUtcMs) if (t >= from && t < to) count++;
      expect(count).toBe(steps);
    }
  });
  it('reads DE-LU −500.00 on 02/07/2023 Hour 15 (14:00–15:00 CEST = 12:00 UTC)', () => {
    const s = real('de-lu-2023-hourly.csv');
    expect(s.pricesEurPerMWh[s.timesUtcMs.indexOf(Date.UTC(2023, 6, 2, 12))]).toBe(-500);
  });
});

const parse = (text: string, name = 'fixture.csv') => parsePriceCsv(text, name);
function failure(text: string, name = 'fixture.csv'): PriceFileError {
  try {
    parse(text, name);
  } catch (e) {
    if (e instanceof PriceFileError) return e;
    throw e;
  }
  throw new Error('expected a PriceFileError');
}

describe('parsePriceCsv formats', () => {
  it('original format: dd/mm/yyyy, Hour 1–24 hour-ending CET, decimal comma', () => {
    const s = parse('Date;Hour;Price (EUR)\n01/02/2023;1;12,5\n01/02/2023;2;-3,25\n01/02/2023;3;1.234,5\n');
    expect(Array.from(s.timesUtcMs)).toEqual([Date.UTC(2023, 0, 31, 23), Date.UTC(2023, 1, 1, 0), Date.UTC(2023, 1, 1, 1)]);
    expect(Array.from(s.pricesEurPerMWh)).toEqual([12.5, -3.25, 1234.5]);
    expect(s.dtHours).toBe(1);
  });
  it('original format with mm/dd/yy dates is detected from a day above 12', () => {
    const rows = ['Date;Hour;Price (EUR)'];
    for (let h = 1; h <= 24; h++) rows.push(`03/13/23;${h};${10 + h}`);
    rows.push('03/14/23;1;12');
    const s = parse(rows.join('\n'), 'us.csv');
    expect(s.timesUtcMs[s.timesUtcMs.length - 1]).toBe(Date.UTC(2023, 2, 13, 23)); // 14 March 00:00 CET
    expect(s.timesUtcMs.length).toBe(25);
  });
  it('ambiguous dates (all fields ≤ 12) are resolved from the whole file by consecutive days, with a warning', () => {
    const rows = ['Date;Hour;Price (EUR)'];
    for (const d of ['01/02/2023', '01/03/2023']) for (let h = 1; h <= 24; h++) rows.push(`${d};${h};${h}`);
    const s = parse(rows.join('\n'));
    // mm/dd reading: Jan 2 then Jan 3 are consecutive days; dd/mm would be Feb 1 and Mar 1.
    expect(s.timesUtcMs[0]).toBe(Date.UTC(2023, 0, 1, 23));
    expect(s.timesUtcMs.length).toBe(48);
    expect(s.warnings.map((w) => w.kind)).toContain('ambiguous-date');
  });
  it('a 23-hour spring DST day and a 25-hour autumn day become a continuous UTC series', () => {
    const rows = ['Date;Hour;Price (EUR)'];
    for (let h = 1; h <= 23; h++) rows.push(`26/03/2023;${h};${h}`);
    for (let h = 1; h <= 24; h++) rows.push(`27/03/2023;${h};${h}`);
    const s = parse(rows.join('\n'));
    expect(s.timesUtcMs.length).toBe(47);
    expect(s.timesUtcMs[0]).toBe(Date.UTC(2023, 2, 25, 23));
    expect(s.timesUtcMs[23]).toBe(Date.UTC(2023, 2, 26, 22)); // 27/03 00:00 CEST
    const autumn = ['Date;Hour;Price (EUR)'];
    for (let h = 1; h <= 25; h++) autumn.push(`29/10/2023;${h};${h}`);
    autumn.push('30/10/2023;1;0');
    const a = parse(autumn.join('\n'));
    expect(a.timesUtcMs.length).toBe(26);
    expect(a.warnings).toEqual([]);
  });
  it('ISO timestamps with offsets are converted to UTC', () => {
    const s = parse('time,price\n2023-06-01T00:00:00+02:00,50\n2023-06-01T01:00:00+02:00,60\n');
    expect(s.timesUtcMs[0]).toBe(Date.UTC(2023, 4, 31, 22));
  });
  it('ISO timestamps without offset are read as UTC and say so', () => {
    const s = parse('timestamp,price_eur_mwh\n2023-06-01 00:00,50\n2023-06-01 00:15,60\n');
    expect(s.dtHours).toBe(0.25);
    expect(s.warnings.some((w) => /no UTC offset/.test(w.message) && w.action === 'read as UTC')).toBe(true);
  });
  it('semicolon separator with decimal comma in an ISO file, CRLF line ends and a BOM', () => {
    const s = parse('\uFEFFtimestamp;price_eur_mwh\r\n2023-01-01T00:00:00Z;-1,5\r\n2023-01-01T01:00:00Z;2,25\r\n');
    expect(Array.from(s.pricesEurPerMWh)).toEqual([-1.5, 2.25]);
  });
  it('an ENTSO-E style MTU column in CET/CEST, with the repeated autumn hour', () => {
    const s = parse('MTU (CET/CEST),Day-ahead Price [EUR/MWh]\n29.10.2023 01:00 - 29.10.2023 02:00,1\n29.10.2023 02:00 - 29.10.2023 03:00,2\n29.10.2023 02:00 - 29.10.2023 03:00,3\n29.10.2023 03:00 - 29.10.2023 04:00,4\n');
    expect(Array.from(s.timesUtcMs)).toEqual([Date.UTC(2023, 9, 28, 23), Date.UTC(2023, 9, 29, 0), Date.UTC(2023, 9, 29, 1), Date.UTC(2023, 9, 29, 2)]);
  });
  it('quarter-hour numbering in the original layout (Hour beyond 25)', () => {
    const rows = ['Date;Hour;Price (EUR)'];
    for (let q = 1; q <= 96; q++) rows.push(`02/01/2024;${q};${q}`);
    const s = parse(rows.join('\n'));
    expect(s.dtHours).toBe(0.25);
    expect(s.timesUtcMs.length).toBe(96);
  });
});

describe('parsePriceCsv repairs and reports', () => {
  it('a gap is filled with the previous price and reported with the row after it', () => {
    const rows = ['timestamp,price'];
    for (let h = 0; h < 26; h++) if (h !== 2 && h !== 3) rows.push(`${new Date(Date.UTC(2023, 0, 1, h)).toISOString()},${h}`);
    const s = parse(rows.join('\n'));
    expect(Array.from(s.pricesEurPerMWh.subarray(0, 6))).toEqual([0, 1, 1, 1, 4, 5]);
    expect(s.pricesEurPerMWh.length).toBe(26);
    expect(s.warnings).toEqual([expect.objectContaining({ kind: 'gap', row: 4, action: 'filled with the previous price' })]);
  });
  it('a duplicate keeps the first row and names the dropped one', () => {
    const s = parse('timestamp,price\n2023-01-01T00:00Z,1\n2023-01-01T01:00Z,2\n2023-01-01T01:00Z,9\n2023-01-01T02:00Z,3\n');
    expect(Array.from(s.pricesEurPerMWh)).toEqual([1, 2, 3]);
    expect(s.warnings[0]).toMatchObject({ kind: 'duplicate', row: 4 });
  });
  it('a missing value (n/a) among many is filled with the previous price and reported with row and column', () => {
    const rows = ['timestamp,price'];
    for (let h = 0; h < 48; h++) rows.push(`2023-01-0${1 + Math.floor(h / 24)}T${String(h % 24).padStart(2, '0')}:00Z,${h === 10 ? 'n/a' : h}`);
    const s = parse(rows.join('\n'));
    expect(s.timesUtcMs.length).toBe(48);
    expect(s.pricesEurPerMWh[10]).toBe(9);
    expect(s.warnings).toEqual([expect.objectContaining({ kind: 'missing', row: 12, column: 'price', action: 'filled with the previous price' })]);
  });
  it('rows out of order are sorted and reported', () => {
    const s = parse('timestamp,price\n2023-01-01T01:00Z,2\n2023-01-01T00:00Z,1\n2023-01-01T02:00Z,3\n');
    expect(Array.from(s.pricesEurPerMWh)).toEqual([1, 2, 3]);
    expect(s.warnings[0].kind).toBe('reordered');
  });
});

describe('parsePriceCsv refuses unusable files with one clear message', () => {
  it.each([
    ['an empty file', '', /empty/],
    ['a header only', 'Date;Hour;Price (EUR)\n', /too few rows \(0\)/],
    ['one row', 'Date;Hour;Price (EUR)\n01/01/2023;1;5\n', /too few rows \(1\)/],
    ['no header', '2023-01-01T00:00Z,1\n2023-01-01T01:00Z,2\n', /line 1 holds data, not a header/],
    ['no price column', 'Date;Hour;Volume\n01/01/2023;1;5\n01/01/2023;2;6\n', /no price column/],
    ['no time column', 'foo,price\nx,1\ny,2\n', /no time column/],
    ['text in the price column', 'Date;Hour;Price (EUR)\n01/01/2023;1;12,5\n01/01/2023;2;abc\n', /row 3, column "Price \(EUR\)": "abc" is not a number/],
    ['mixed step lengths', 'timestamp,price\n2023-01-01T00:00Z,1\n2023-01-01T01:00Z,2\n2023-01-01T02:00Z,3\n2023-01-01T02:15Z,4\n2023-01-01T03:15Z,5\n', /row 5: mixed step lengths/],
    ['unreadable timestamps', 'timestamp,price\nyesterday,1\ntoday,2\n', /row 2, column "timestamp"/],
  ])('%s', (_what, text, message) => {
    const e = failure(text, 'bad.csv');
    expect(e.message).toMatch(message);
    expect(e.message.startsWith('bad.csv')).toBe(true);
  });
});

describe('parseDecimal', () => {
  it.each([['12,5', 12.5], ['-3.25', -3.25], ['1.234,56', 1234.56], ['1,234.56', 1234.56], ['"7"', 7], ['1e3', 1000], ['−4', -4]])('parseDecimal(%j) = %d', (s, v) => {
    expect(parseDecimal(s)).toBe(v);
  });
  it.each(['', 'abc', '1,2,3x', '--1'])('parseDecimal(%j) is NaN', (s) => {
    expect(parseDecimal(s)).toBeNaN();
  });
});

describe('a 10-year 15-minute file', () => {
  it('parses 350,400 rows through the chunked path with progress', () => {
    const lines = ['timestamp,price_eur_mwh'];
    const t0 = Date.UTC(2015, 0, 1);
    for (let i = 0; i < 350_400; i++) lines.push(`${new Date(t0 + i * 900_000).toISOString()},${(50 + 40 * Math.sin(i / 20)).toFixed(2)}`);
    const progress: number[] = [];
    const s = parsePriceCsv(lines.join('\n'), 'ten-years.csv', (p) => progress.push(p));
    expect(s.timesUtcMs.length).toBe(350_400);
    expect(s.dtHours).toBe(0.25);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress[progress.length - 1]).toBe(1);
  });
});
