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
const FILES: Record<
  string,
  {
    rows: number;
    start: string;
    end: string;
    step: number;
    min: number;
    mean: number;
    max: number;
    negative: number;
    dst: [string, number][];
  }
> = {
  'be-2022-hourly-iso.csv': {
    rows: 8760,
    start: '2021-12-31T23:00:00Z',
    end: '2022-12-31T23:00:00Z',
    step: 60,
    min: -100,
    mean: 244.53,
    max: 871,
    negative: 112,
    dst: [
      ['2022-03-27', 23],
      ['2022-10-30', 25],
    ],
  },
  'be-2023-hourly.csv': {
    rows: 8760,
    start: '2022-12-31T23:00:00Z',
    end: '2023-12-31T23:00:00Z',
    step: 60,
    min: -120,
    mean: 97.27,
    max: 330.36,
    negative: 222,
    dst: [
      ['2023-03-26', 23],
      ['2023-10-29', 25],
    ],
  },
  'de-lu-2023-hourly.csv': {
    rows: 8760,
    start: '2022-12-31T23:00:00Z',
    end: '2023-12-31T23:00:00Z',
    step: 60,
    min: -500,
    mean: 95.18,
    max: 524.27,
    negative: 301,
    dst: [
      ['2023-03-26', 23],
      ['2023-10-29', 25],
    ],
  },
  'dk1-2023-hourly.csv': {
    rows: 8760,
    start: '2022-12-31T23:00:00Z',
    end: '2023-12-31T23:00:00Z',
    step: 60,
    min: -440.1,
    mean: 86.83,
    max: 524.27,
    negative: 281,
    dst: [
      ['2023-03-26', 23],
      ['2023-10-29', 25],
    ],
  },
  'fr-2022-hourly.csv': {
    rows: 8760,
    start: '2021-12-31T23:00:00Z',
    end: '2022-12-31T23:00:00Z',
    step: 60,
    min: -1.44,
    mean: 275.88,
    max: 2987.78,
    negative: 4,
    dst: [
      ['2022-03-27', 23],
      ['2022-10-30', 25],
    ],
  },
  'fi-2020-hourly.csv': {
    rows: 8784,
    start: '2019-12-31T23:00:00Z',
    end: '2020-12-31T23:00:00Z',
    step: 60,
    min: -1.73,
    mean: 28.02,
    max: 254.44,
    negative: 9,
    dst: [
      ['2020-03-29', 23],
      ['2020-10-25', 25],
    ],
  },
  'pt-2023-hourly.csv': {
    rows: 8760,
    start: '2022-12-31T23:00:00Z',
    end: '2023-12-31T23:00:00Z',
    step: 60,
    min: 0,
    mean: 88.27,
    max: 220,
    negative: 0,
    dst: [
      ['2023-03-26', 23],
      ['2023-10-29', 25],
    ],
  },
  'dk1-2025q4-15min-iso.csv': {
    rows: 8836,
    start: '2025-09-30T22:00:00Z',
    end: '2025-12-31T23:00:00Z',
    step: 15,
    min: -5.01,
    mean: 84.42,
    max: 508.38,
    negative: 120,
    dst: [['2025-10-26', 100]],
  },
  'pt-2026jan-apr-15min-iso.csv': {
    rows: 11612,
    start: '2025-12-31T23:00:00Z',
    end: '2026-05-01T22:00:00Z',
    step: 15,
    min: -10,
    mean: 42.16,
    max: 200,
    negative: 1312,
    dst: [['2026-03-29', 92]],
  },
};

describe('parsePriceCsv on every real market file', () => {
  it('covers every file in test-data/real', () => {
    // Generation forecasts (exogenous series, read by src/core/exogenous) are not price files.
    const priceFiles = readdirSync('test-data/real').filter(
      (f) => f.endsWith('.csv') && !f.includes('generation-forecast'),
    );
    expect(priceFiles.sort()).toEqual(Object.keys(FILES).sort());
  });
  it.each(Object.entries(FILES))('%s: rows, UTC period, step, price range and negative steps', (file, e) => {
    const series = real(file);
    const s = summarisePrices(series);
    expect(s).toMatchObject({
      rows: e.rows,
      start: e.start,
      end: e.end,
      stepMinutes: e.step,
      minPrice: e.min,
      maxPrice: e.max,
      negativeCount: e.negative,
    });
    expect(s.meanPrice).toBeCloseTo(e.mean, 2);
    expect(series.warnings).toEqual([]);
    // Continuous in UTC: every step exactly dtHours after the previous one.
    for (let i = 1; i < series.timesUtcMs.length; i++)
      expect(series.timesUtcMs[i] - series.timesUtcMs[i - 1]).toBe(series.dtHours * H);
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
    expect(Array.from(s.timesUtcMs)).toEqual([
      Date.UTC(2023, 0, 31, 23),
      Date.UTC(2023, 1, 1, 0),
      Date.UTC(2023, 1, 1, 1),
    ]);
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
    const s = parse(
      'MTU (CET/CEST),Day-ahead Price [EUR/MWh]\n29.10.2023 01:00 - 29.10.2023 02:00,1\n29.10.2023 02:00 - 29.10.2023 03:00,2\n29.10.2023 02:00 - 29.10.2023 03:00,3\n29.10.2023 03:00 - 29.10.2023 04:00,4\n',
    );
    expect(Array.from(s.timesUtcMs)).toEqual([
      Date.UTC(2023, 9, 28, 23),
      Date.UTC(2023, 9, 29, 0),
      Date.UTC(2023, 9, 29, 1),
      Date.UTC(2023, 9, 29, 2),
    ]);
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
    for (let h = 0; h < 26; h++)
      if (h !== 2 && h !== 3) rows.push(`${new Date(Date.UTC(2023, 0, 1, h)).toISOString()},${h}`);
    const s = parse(rows.join('\n'));
    expect(Array.from(s.pricesEurPerMWh.subarray(0, 6))).toEqual([0, 1, 1, 1, 4, 5]);
    expect(s.pricesEurPerMWh.length).toBe(26);
    expect(s.warnings).toEqual([
      expect.objectContaining({ kind: 'gap', row: 4, action: 'filled with the previous price' }),
    ]);
  });
  it('a duplicate keeps the first row and names the dropped one', () => {
    const s = parse(
      'timestamp,price\n2023-01-01T00:00Z,1\n2023-01-01T01:00Z,2\n2023-01-01T01:00Z,9\n2023-01-01T02:00Z,3\n',
    );
    expect(Array.from(s.pricesEurPerMWh)).toEqual([1, 2, 3]);
    expect(s.warnings[0]).toMatchObject({ kind: 'duplicate', row: 4 });
  });
  it('a missing value (n/a) among many is filled with the previous price and reported with row and column', () => {
    const rows = ['timestamp,price'];
    for (let h = 0; h < 48; h++)
      rows.push(`2023-01-0${1 + Math.floor(h / 24)}T${String(h % 24).padStart(2, '0')}:00Z,${h === 10 ? 'n/a' : h}`);
    const s = parse(rows.join('\n'));
    expect(s.timesUtcMs.length).toBe(48);
    expect(s.pricesEurPerMWh[10]).toBe(9);
    expect(s.warnings).toEqual([
      expect.objectContaining({ kind: 'missing', row: 12, column: 'price', action: 'filled with the previous price' }),
    ]);
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
    [
      'text in the price column',
      'Date;Hour;Price (EUR)\n01/01/2023;1;12,5\n01/01/2023;2;abc\n',
      /row 3, column "Price \(EUR\)": "abc" is not a number/,
    ],
    [
      'mixed step lengths',
      'timestamp,price\n2023-01-01T00:00Z,1\n2023-01-01T01:00Z,2\n2023-01-01T02:00Z,3\n2023-01-01T02:15Z,4\n2023-01-01T03:15Z,5\n',
      /row 5: mixed step lengths/,
    ],
    ['unreadable timestamps', 'timestamp,price\nyesterday,1\ntoday,2\n', /row 2, column "timestamp"/],
  ])('%s', (_what, text, message) => {
    const e = failure(text, 'bad.csv');
    expect(e.message).toMatch(message);
    expect(e.message.startsWith('bad.csv')).toBe(true);
  });
});

describe('parseDecimal', () => {
  it.each([
    ['12,5', 12.5],
    ['-3.25', -3.25],
    ['1.234,56', 1234.56],
    ['1,234.56', 1234.56],
    ['"7"', 7],
    ['1e3', 1000],
    ['−4', -4],
  ])('parseDecimal(%j) = %d', (s, v) => {
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
    for (let i = 0; i < 350_400; i++)
      lines.push(`${new Date(t0 + i * 900_000).toISOString()},${(50 + 40 * Math.sin(i / 20)).toFixed(2)}`);
    const progress: number[] = [];
    const s = parsePriceCsv(lines.join('\n'), 'ten-years.csv', (p) => progress.push(p));
    expect(s.timesUtcMs.length).toBe(350_400);
    expect(s.dtHours).toBe(0.25);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress[progress.length - 1]).toBe(1);
  });
});

/** A timestamp,price file of hourly rows from 2023-01-01T00:00Z with these price cells. */
const hourly = (prices: string[], sep = ',') =>
  [
    `timestamp${sep}price`,
    ...prices.map((p, h) => `${new Date(Date.UTC(2023, 0, 1, h)).toISOString()}${sep}${p}`),
  ].join('\n');
const many = (n: number, cell: (i: number) => string) => Array.from({ length: n }, (_, i) => cell(i));

describe('the decimal mark is decided from the whole price column', () => {
  it.each([
    [
      '"1.234,5" beside "12,5" (decimal comma): 1234.5',
      hourly(['1.234,5', '12,5', '3.000', '7'], ';'),
      [1234.5, 12.5, 3000, 7],
    ],
    [
      '"1,234.5" beside "12.5" (decimal point): 1234.5',
      hourly(['1,234.5', '12.5', '1,250', '7'], ';'),
      [1234.5, 12.5, 1250, 7],
    ],
    ['"1,250" in a decimal-comma file is 1.25', hourly(['1,250', '12,5', '8'], ';'), [1.25, 12.5, 8]],
    ['"0.500" cannot be a thousands group: 0.5', hourly(['0.500', '3', '4']), [0.5, 3, 4]],
    ['"1.000.000" groups thousands, so "," is the decimal mark', hourly(['1.000.000', '2,5'], ';'), [1e6, 2.5]],
  ])('%s', (_what, text, prices) => {
    expect(Array.from(parse(text).pricesEurPerMWh)).toEqual(prices);
  });
  it('a column mixing decimal point and decimal comma is refused naming a row of each', () => {
    expect(failure(hourly(['12.5', '13', '12,5'], ';')).message).toBe(
      'fixture.csv, column "price" mixes a decimal point (row 2: "12.5") and a decimal comma (row 4: "12,5"); write every price the same way',
    );
  });
  it('"3.000" with nothing else showing the mark is refused, not read as 3', () => {
    const e = failure(hourly(['40', '41', '3.000', '42']));
    expect(e.message).toMatch(/^fixture\.csv, row 4, column "price": "3\.000" could be 3 or 3000/);
    expect([e.row, e.column]).toEqual([4, 'price']);
  });
  it('a malformed thousands group is not a number', () => {
    expect(failure(hourly(['1.5', '12,34.5'], ';')).message).toMatch(
      /row 3, column "price": "12,34\.5" is not a number/,
    );
  });
});

describe('timestamps', () => {
  it('fractional seconds are read as milliseconds, with any offset', () => {
    const s = parse(
      'timestamp,price\n2023-01-01T00:00:00.000+01:00,1\n2023-01-01T01:00:00.000+01:00,2\n2023-01-01T02:00:00,000+01:00,3\n'.replace(
        ',000+',
        '.000+',
      ),
    );
    expect(s.timesUtcMs[0]).toBe(Date.UTC(2022, 11, 31, 23));
    expect(s.timesUtcMs.length).toBe(3);
  });
  it.each([
    ['+0100', -1],
    ['+01', -1],
    ['-12:00', 12],
    ['+14:00', -14],
    ['+05:45', -5.75],
  ])('offset %s is read', (off, shiftHours) => {
    const s = parse(`timestamp,price\n2023-01-01T00:00${off},1\n2023-01-01T01:00${off},2\n`);
    expect(s.timesUtcMs[0]).toBe(Date.UTC(2023, 0, 1) + shiftHours * H);
  });
  it.each(['+99:99', '+14:30', '-13:00', '+05:60'])('offset %s is refused with its row', (off) => {
    const e = failure(`timestamp,price\n2023-01-01T00:00Z,1\n2023-01-01T01:00${off},2\n`);
    expect(e.message).toContain(
      `fixture.csv, row 3, column "timestamp": "2023-01-01T01:00${off}": offset ${off} is not a real UTC offset`,
    );
  });
  it('10-digit Unix epoch seconds are read as UTC and said so', () => {
    const s = parse('time,price\n1672531200,1\n1672534800,2\n');
    expect(Array.from(s.timesUtcMs)).toEqual([Date.UTC(2023, 0, 1), Date.UTC(2023, 0, 1, 1)]);
    expect(s.warnings[0].message).toBe('times in "time" are Unix epoch seconds');
  });
  it('epochs of mixed length, other numbers and empty times are refused with the row', () => {
    expect(failure('time,price\n1672531200,1\n1672534800000,2\n').message).toBe(
      'fixture.csv, row 3, column "time": "1672534800000": not a 10-digit Unix epoch in seconds like the first row\'s',
    );
    expect(failure('time,price\n45000.5,1\n45000.54,2\n').message).toMatch(
      /^fixture\.csv, row 2, column "time": "45000\.5" is a number, not a timestamp/,
    );
    expect(failure('time,price\n2023-01-01T00:00Z,1\n,2\n').message).toBe(
      'fixture.csv, row 3, column "time": the time is empty',
    );
    expect(failure('time,price\n2023-01-01T00:00Z,1\n2023-02-30T00:00Z,2\n').message).toBe(
      'fixture.csv, row 3, column "time": "2023-02-30T00:00Z": 2023-02-30 is not a calendar date',
    );
  });
  it('a step of a day is read, longer or shorter than a minute is refused', () => {
    expect(parse('time,price\n2023-01-01,1\n2023-01-02,2\n').dtHours).toBe(24);
    expect(failure('time,price\n2023-01-01,1\n2023-01-03,2\n').message).toMatch(
      /row 3: the rows step by 2880 minutes; price steps of 1 minute to 24 hours/,
    );
    expect(failure('time,price\n2023-01-01T00:00:00Z,1\n2023-01-01T00:00:30Z,2\n').message).toMatch(
      /row 3: the rows step by 30 seconds/,
    );
  });
});

describe('missing values', () => {
  it.each(['', 'NaN', 'nan', 'Inf', '-Inf', '+Infinity', 'n/e', 'N/A', 'NA', '-', '--', 'null', '#N/A'])(
    '%j is a gap, filled and reported',
    (marker) => {
      const s = parse(hourly(many(24, (i) => (i === 12 ? marker : `${i}.5`))));
      expect(s.pricesEurPerMWh[12]).toBe(11.5);
      expect(s.warnings).toEqual([
        expect.objectContaining({
          kind: 'missing',
          row: 14,
          column: 'price',
          action: 'filled with the previous price',
        }),
      ]);
    },
  );
  it('leading missing values take the first price, and say so', () => {
    const s = parse(hourly(many(24, (i) => (i < 2 ? 'NaN' : `${i}.5`))));
    expect(Array.from(s.pricesEurPerMWh.subarray(0, 3))).toEqual([2.5, 2.5, 2.5]);
    expect(s.warnings).toEqual([
      expect.objectContaining({
        kind: 'missing',
        row: 2,
        message: 'rows 2–3, column "price": 2 missing values ("NaN")',
        action: 'filled with the next price',
      }),
    ]);
  });
  it('a missing value next to missing rows counts as one gap for the limits', () => {
    // 23 rows; hour 5 is missing as a row and hour 6 as a value: one 2-step gap of 24 steps (8%).
    const cells = many(24, (i) => (i === 6 ? 'n/e' : `${i}.5`));
    const text = hourly(cells)
      .split('\n')
      .filter((_, k) => k !== 6)
      .join('\n');
    const s = parse(text);
    expect(Array.from(s.pricesEurPerMWh.subarray(4, 8))).toEqual([4.5, 4.5, 4.5, 7.5]);
    expect(s.warnings.map((w) => [w.kind, w.row])).toEqual([
      ['gap', 7],
      ['missing', 7],
    ]);
  });
  it('a file of missing values only is refused naming the column', () => {
    expect(failure(hourly(['NaN', 'NaN', '-'])).message).toBe(
      'fixture.csv, column "price": no row has a price (all 3 are missing values)',
    );
  });
  it('text that is not a number or a marker stays an error with row and column', () => {
    const e = failure(hourly(many(24, (i) => (i === 7 ? 'twelve' : `${i}.5`))));
    expect(e.message).toBe(
      'fixture.csv, row 9, column "price": "twelve" is not a number (missing values may be written as an empty cell, NaN, n/e, N/A or -)',
    );
    expect([e.row, e.column]).toEqual([9, 'price']);
  });
});

describe('cells and columns', () => {
  it('trailing empty cells are fine; extra values are refused with the row', () => {
    expect(parse('time;price\n2023-01-01T00:00Z;1;\n2023-01-01T01:00Z;2;;\n').pricesEurPerMWh.length).toBe(2);
    expect(failure('time;price\n2023-01-01T00:00Z;1;x\n2023-01-01T01:00Z;2\n').message).toBe(
      'fixture.csv, row 2: 3 cells where the header has 2; a value holds the separator ";" (quote it)',
    );
  });
  it('a quoted decimal comma in a comma-separated file is read', () => {
    expect(
      Array.from(parse('time,price\n2023-01-01T00:00Z,"12,5"\n2023-01-01T01:00Z,"-3,25"\n').pricesEurPerMWh),
    ).toEqual([12.5, -3.25]);
  });
  it('prices up to ±1e6 EUR/MWh are read, beyond it refused with row and column', () => {
    expect(Array.from(parse(hourly(['1000000', '-1000000'])).pricesEurPerMWh)).toEqual([1e6, -1e6]);
    expect(failure(hourly(['1', '1000000.01'])).message).toBe(
      'fixture.csv, row 3, column "price": "1000000.01" EUR/MWh is outside the range a price can take (at most 1,000,000 EUR/MWh either way)',
    );
  });
  it('control characters and long values in a message are replaced and cut', () => {
    const e = failure(hourly(['1', `\u001b[2J${'x'.repeat(500)}`]));
    expect(e.message).toBe(
      `fixture.csv: line 3 holds the control character 0x1b: this is not a text CSV file (a spreadsheet or another binary file?); export it as CSV`,
    );
    const long = failure(hourly(['1', 'y'.repeat(500)]));
    expect(long.message).toBe(
      `fixture.csv, row 3, column "price": "${'y'.repeat(40)}…" is not a number (missing values may be written as an empty cell, NaN, n/e, N/A or -)`,
    );
  });
});

describe('the original Date;Hour;Price layout checks each hour against its day', () => {
  const day = (date: string, hours: number) => Array.from({ length: hours }, (_, h) => `${date};${h + 1};${h + 1},5`);
  it('a 25th hour on the autumn DST day is read; on a normal day it is refused', () => {
    expect(parse(['Date;Hour;Price (EUR)', ...day('29/10/2023', 25)].join('\n')).pricesEurPerMWh.length).toBe(25);
    const e = failure(['Date;Hour;Price (EUR)', ...day('28/10/2023', 25)].join('\n'));
    expect(e.message).toBe(
      'fixture.csv, row 26, column "Hour": hour 25 on 28/10/2023, a normal day, which has hours 1–24',
    );
  });
  it('a 24th hour on the spring DST day is refused', () => {
    const e = failure(['Date;Hour;Price (EUR)', ...day('26/03/2023', 24)].join('\n'));
    expect(e.message).toBe(
      'fixture.csv, row 25, column "Hour": hour 24 on 26/03/2023, a 23-hour DST day, which has hours 1–23',
    );
  });
  it('quarter-hour numbering: the 93rd quarter of the spring DST day is refused', () => {
    const rows = ['Date;Hour;Price (EUR)'];
    for (let q = 1; q <= 93; q++) rows.push(`26/03/2023;${q};${q}`);
    expect(failure(rows.join('\n')).message).toBe(
      'fixture.csv, row 94, column "Hour": quarter-hour 93 on 26/03/2023, a 23-hour DST day, which has quarter-hours 1–92',
    );
  });
  it('hour 0 and non-numbers are refused with the row', () => {
    expect(failure('Date;Hour;Price (EUR)\n01/01/2023;0;1\n01/01/2023;1;2\n').message).toBe(
      'fixture.csv, row 2, column "Hour": "0" is not an hour number 1–24',
    );
  });
});
