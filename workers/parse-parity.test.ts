// The page (the parse worker, given a Blob) and the CLI (`loadPriceFile`, given a path) read every fault fixture in
// test-data/faults the same way: the same series and warnings, or the same error with the same row and column.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parser } from './parse.ts';
import { loadPriceFile } from '../src/io/load.ts';
import { PriceFileError, type PriceSeries } from '../src/core/prices/types.ts';
import { MAX_MESSAGE_CHARS } from '../src/core/prices/text.ts';

const DIR = 'test-data/faults';
const H = 3_600_000;

type Outcome =
  | { ok: true; series: { times: number[]; prices: number[]; dtHours: number; warnings: unknown[] } }
  | { ok: false; message: string; row?: number; column?: string };

const fromSeries = (s: PriceSeries): Outcome => ({
  ok: true,
  series: {
    times: Array.from(s.timesUtcMs),
    prices: Array.from(s.pricesEurPerMWh),
    dtHours: s.dtHours,
    warnings: s.warnings,
  },
});

async function viaCli(path: string): Promise<Outcome> {
  try {
    return fromSeries(await loadPriceFile(path));
  } catch (e) {
    if (!(e instanceof PriceFileError)) throw e;
    return { ok: false, message: e.message, row: e.row, column: e.column };
  }
}

async function viaPage(path: string, name: string): Promise<Outcome> {
  const progress: number[] = [];
  const r = await parser.parse(new Blob([readFileSync(path)]), name, (p) => progress.push(p));
  if (r.ok) {
    expect(progress.at(-1)).toBe(1);
    return fromSeries(r.series);
  }
  return { ok: false, message: r.message, row: r.row, column: r.column };
}

/** What each fixture must give (README in test-data/faults says why). */
const EXPECTED: Record<string, { error: RegExp; row?: number; column?: string } | ((s: PriceSeries) => void)> = {
  'missing-markers.csv': (s) => {
    expect(s.pricesEurPerMWh.length).toBe(72);
    // Rows 7–8 (NaN, Inf) take row 6's price; the others take the row before them.
    expect(s.pricesEurPerMWh[5]).toBe(s.pricesEurPerMWh[4]);
    expect(s.pricesEurPerMWh[6]).toBe(s.pricesEurPerMWh[4]);
    for (const i of [20, 30, 40, 50, 60]) expect(s.pricesEurPerMWh[i]).toBe(s.pricesEurPerMWh[i - 1]);
    expect(s.warnings.map((w) => [w.kind, w.row])).toEqual([
      ['missing', 7],
      ['missing', 22],
      ['missing', 32],
      ['missing', 42],
      ['missing', 52],
      ['missing', 62],
    ]);
    expect(s.warnings[0].message).toBe('rows 7–8, column "price_eur_mwh": 2 missing values ("NaN", "Inf")');
    expect(s.warnings[5].message).toBe('row 62, column "price_eur_mwh": missing value (empty)');
  },
  'missing-too-many.csv': {
    error: /^missing-too-many\.csv: 6 of 24 steps \(25%\) have no price .*first at row 5.*at most 10%/,
    row: 5,
  },
  'text-price.csv': {
    error: /^text-price\.csv, row 19, column "price_eur_mwh": "twelve" is not a number/,
    row: 19,
    column: 'price_eur_mwh',
  },
  'stray-quote.csv': {
    error: /^stray-quote\.csv, row 6, column "price_eur_mwh": a quote opens here and does not close on this line/,
    row: 6,
    column: 'price_eur_mwh',
  },
  'far-timestamp.csv': {
    error:
      /^far-timestamp\.csv, row 5: 40,007,133 steps .* have no price; a file may fill at most 168 hours \(7 days\) in one gap/,
    row: 5,
  },
  'decimal-comma-in-comma-file.csv': {
    error:
      /^decimal-comma-in-comma-file\.csv, row 2, column "price_eur_mwh": 3 cells where the header has 2: "50,05" looks like a decimal comma/,
    row: 2,
    column: 'price_eur_mwh',
  },
  'thousands-ambiguous.csv': {
    error: /^thousands-ambiguous\.csv, row 9, column "price_eur_mwh": "3\.000" could be 3 or 3000/,
    row: 9,
    column: 'price_eur_mwh',
  },
  'thousands-decimal-comma.csv': (s) => {
    expect(s.pricesEurPerMWh[7]).toBe(3000); // the file's other prices use a decimal comma, so "." groups thousands
    expect(s.pricesEurPerMWh[0]).toBe(50.05);
  },
  'impossible-offset.csv': {
    error:
      /^impossible-offset\.csv, row 11, column "timestamp": "2023-01-01T09:00:00\+99:99": offset \+99:99 is not a real UTC offset/,
    row: 11,
    column: 'timestamp',
  },
  'milliseconds-iso.csv': (s) => {
    expect(s.dtHours).toBe(0.25);
    expect(s.timesUtcMs[0]).toBe(Date.UTC(2023, 0, 1));
    expect(s.timesUtcMs[95]).toBe(Date.UTC(2023, 0, 1, 23, 45));
    expect(s.warnings).toEqual([]);
  },
  'epoch-ms.csv': (s) => {
    expect(s.timesUtcMs[0]).toBe(Date.UTC(2023, 0, 1));
    expect(s.timesUtcMs[23]).toBe(Date.UTC(2023, 0, 1, 23));
    expect(s.warnings).toEqual([
      expect.objectContaining({ message: 'times in "timestamp" are Unix epoch milliseconds', action: 'read as UTC' }),
    ]);
  },
  'hour-25-normal-day.csv': {
    error:
      /^hour-25-normal-day\.csv, row 26, column "Hour": hour 25 on 02\/01\/2023, a normal day, which has hours 1–24$/,
    row: 26,
    column: 'Hour',
  },
  'hour-24-spring-dst.csv': {
    error:
      /^hour-24-spring-dst\.csv, row 49, column "Hour": hour 24 on 26\/03\/2023, a 23-hour DST day, which has hours 1–23$/,
    row: 49,
    column: 'Hour',
  },
  'utf16le-bom.csv': (s) => expectDecoded(s, 'UTF-16LE'),
  'utf16be-bom.csv': (s) => expectDecoded(s, 'UTF-16BE'),
  'windows-1252.csv': (s) => expectDecoded(s, 'Windows-1252'),
  'price-float-limit.csv': {
    error:
      /^price-float-limit\.csv, row 13, column "price_eur_mwh": "1e308" EUR\/MWh is outside the range a price can take \(at most 1,000,000 EUR\/MWh either way\)$/,
    row: 13,
    column: 'price_eur_mwh',
  },
  'price-float-limit-negative.csv': {
    error:
      /^price-float-limit-negative\.csv, row 14, column "price_eur_mwh": "-1\.7976931348623157e308" EUR\/MWh is outside/,
    row: 14,
    column: 'price_eur_mwh',
  },
  'binary.csv': { error: /^binary\.csv: line 1 holds the control character 0x1b: this is not a text CSV file/, row: 1 },
  'workbook.csv': {
    error: /^workbook\.csv: this is a ZIP archive \(an Excel \.xlsx or \.ods workbook\?\), not a CSV text file/,
  },
};

/** The three re-encoded copies of one original-layout day (02/01/2023, 24 hours, 41,5 … 64,5 EUR/MWh). */
function expectDecoded(s: PriceSeries, encoding: string): void {
  expect(Array.from(s.pricesEurPerMWh)).toEqual(Array.from({ length: 24 }, (_, h) => 41.5 + h));
  expect(s.timesUtcMs[0]).toBe(Date.UTC(2023, 0, 1, 23));
  expect(s.warnings[0]).toMatchObject({ kind: 'encoding', action: `read as ${encoding}` });
}

describe('test-data/faults through the page (parse worker) and the CLI (loadPriceFile)', () => {
  it('every fixture has an expectation', () => {
    expect(
      readdirSync(DIR)
        .filter((f) => f.endsWith('.csv'))
        .sort(),
    ).toEqual(Object.keys(EXPECTED).sort());
  });
  it.each(Object.entries(EXPECTED))('%s: same outcome on both paths, and the expected one', async (file, expected) => {
    const path = join(DIR, file);
    const cli = await viaCli(path);
    const page = await viaPage(path, file);
    expect(page).toEqual(cli);
    if (typeof expected === 'function') {
      expect(cli.ok, cli.ok ? '' : cli.message).toBe(true);
      if (cli.ok) expected(await loadPriceFile(path));
    } else {
      expect(cli.ok).toBe(false);
      if (cli.ok) return;
      expect(cli.message).toMatch(expected.error);
      expect(cli.row).toBe(expected.row);
      expect(cli.column).toBe(expected.column);
      expect(cli.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
      expect(cli.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    }
  });
});

describe('a stray quote in a file large enough for the page to report progress', () => {
  it('is the same error on both paths, naming the line where the quote opens', async () => {
    const lines = ['timestamp,price_eur_mwh'];
    for (let i = 0; i < 60_000; i++) lines.push(`${new Date(Date.UTC(2020, 0, 1) + i * H).toISOString()},${i % 97}.25`);
    lines[40_001] = lines[40_001].replace(',', ',"');
    const dir = mkdtempSync(join(tmpdir(), 'parity-'));
    const path = join(dir, 'big-quote.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    expect(readFileSync(path).length).toBeGreaterThan(1 << 20);
    const cli = await viaCli(path);
    expect(await viaPage(path, 'big-quote.csv')).toEqual(cli);
    expect(cli).toMatchObject({
      ok: false,
      row: 40_002,
      column: 'price_eur_mwh',
      message: expect.stringMatching(/^big-quote\.csv, row 40002, column "price_eur_mwh": a quote opens here/),
    });
  });
});

describe('the parse worker refuses an oversized file by its size, before reading it', () => {
  it('names the size and the limit', async () => {
    const huge = {
      size: 300 * 1024 * 1024,
      arrayBuffer: () => Promise.reject(new Error('must not be read')),
    } as unknown as Blob;
    const r = await parser.parse(huge, 'huge.csv');
    expect(r).toEqual({
      ok: false,
      message:
        'huge.csv: the file is 300.0 MB; the largest price file read is 100.0 MB (about a million rows): split it',
      file: 'huge.csv',
      row: undefined,
      column: undefined,
    });
  });
});

describe('bess parse on a binary file', () => {
  it('exits 2 with one bounded line on stderr, free of control characters', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bess.ts', 'parse', join(DIR, 'binary.csv')], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^bess: binary\.csv: line 1 holds the control character 0x1b: this is not a text CSV file[^\n]*\n$/,
    );
    expect(r.stderr.length).toBeLessThan(MAX_MESSAGE_CHARS + 10);
    expect(r.stderr.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});
