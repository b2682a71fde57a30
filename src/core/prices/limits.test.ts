// The limits of limits.ts hold for any file: random timestamps and gaps never make the parser allocate past them
// (the 3-row file that grew to 22 GB), and any bytes at all end in a series or one clean PriceFileError.
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePriceText } from './parse.ts';
import { parsePriceBytes } from '../../io/csv.ts';
import { PriceFileError, type PriceSeries } from './types.ts';
import { MAX_FILLED_SHARE, MAX_GAP_HOURS, MAX_ROWS, MAX_STEPS } from './limits.ts';
import { MAX_MESSAGE_CHARS } from './text.ts';

const RealFloat64Array = Float64Array;
let largestAllocation = 0;
/** Float64Array that records the largest length asked for (the parser's series buffers are Float64Arrays). */
class RecordingFloat64Array extends RealFloat64Array {
  constructor(...args: unknown[]) {
    if (typeof args[0] === 'number') largestAllocation = Math.max(largestAllocation, args[0]);
    super(...(args as []));
  }
}
afterEach(() => {
  globalThis.Float64Array = RealFloat64Array;
});

const LIMIT_MESSAGES = [
  /in one gap/,
  /steps \(.*%\) have no price/,
  /the largest series is/,
  /no row has a price/,
  /mixed step lengths/,
  /the rows step by/,
];

/** Consecutive rows `multiples[i]` steps apart (1 = no gap), every tenth price or so a missing marker. */
const fileArb = fc.constantFrom(1, 5, 15, 60).chain((stepMin) => {
  // Keep every time inside the years ISO-8601 writes with four digits.
  const huge = Math.floor(3.5e9 / 40 / stepMin);
  const multiple = fc.oneof(
    { arbitrary: fc.constant(1), weight: 12 },
    { arbitrary: fc.integer({ min: 2, max: 30 }), weight: 3 },
    { arbitrary: fc.integer({ min: 2, max: huge }), weight: 1 },
  );
  return fc.record({
    stepMin: fc.constant(stepMin),
    multiples: fc.array(multiple, { minLength: 1, maxLength: 40 }),
    missing: fc.array(
      fc.integer({ min: 0, max: 11 }).map((x) => x === 0),
      { minLength: 41, maxLength: 41 },
    ),
    jitterMs: fc.oneof(
      { arbitrary: fc.constant(0), weight: 9 },
      { arbitrary: fc.integer({ min: 1, max: 59_999 }), weight: 1 },
    ),
  });
});

function build({
  stepMin,
  multiples,
  missing,
  jitterMs,
}: {
  stepMin: number;
  multiples: number[];
  missing: boolean[];
  jitterMs: number;
}) {
  const t0 = Date.UTC(2023, 0, 1);
  const lines = ['timestamp,price_eur_mwh'];
  let t = t0;
  const times = [t];
  lines.push(`${new Date(t).toISOString()},${missing[0] ? 'NaN' : '10.5'}`);
  multiples.forEach((m, i) => {
    t += m * stepMin * 60_000 + (i === 2 ? jitterMs : 0);
    times.push(t);
    lines.push(`${new Date(t).toISOString()},${missing[i + 1] ? 'n/e' : `${20 + i}.25`}`);
  });
  return { text: lines.join('\n'), rows: multiples.length + 1, times };
}

describe('random timestamps and gaps', () => {
  it('never allocate past the cap: the file parses within the limits or fails naming one', () => {
    let parsed = 0;
    let refused = 0;
    fc.assert(
      fc.property(fileArb, (f) => {
        const { text, rows, times } = build(f);
        largestAllocation = 0;
        globalThis.Float64Array = RecordingFloat64Array as unknown as Float64ArrayConstructor;
        let series: PriceSeries | null;
        try {
          series = parsePriceText('random.csv', text);
        } catch (e) {
          globalThis.Float64Array = RealFloat64Array;
          expect(e).toBeInstanceOf(PriceFileError);
          const message = (e as Error).message;
          expect(
            LIMIT_MESSAGES.some((m) => m.test(message)),
            message,
          ).toBe(true);
          // Refused before the series existed: nothing larger than the rows themselves was allocated.
          expect(largestAllocation).toBeLessThanOrEqual(rows);
          refused++;
          return;
        } finally {
          globalThis.Float64Array = RealFloat64Array;
        }
        const n = series.pricesEurPerMWh.length;
        expect(n).toBeLessThanOrEqual(MAX_STEPS);
        expect(largestAllocation).toBe(Math.max(rows, n));
        // At most 10% filled, and no gap beyond a week: the output is bounded by the rows it came from.
        const filled = n - f.missing.slice(0, rows).filter((m) => !m).length;
        expect(filled).toBeLessThanOrEqual(MAX_FILLED_SHARE * n);
        expect(n).toBeLessThanOrEqual(rows / (1 - MAX_FILLED_SHARE) + 1);
        // Regular, and no run of made-up steps longer than a week.
        const stepMs = series.dtHours * 3_600_000;
        for (let i = 1; i < n; i++) expect(series.timesUtcMs[i] - series.timesUtcMs[i - 1]).toBe(stepMs);
        const known = new Set(times.filter((_, i) => !f.missing[i]));
        let run = 0;
        for (const t of series.timesUtcMs) {
          run = known.has(t) ? 0 : run + 1;
          expect(run * series.dtHours).toBeLessThanOrEqual(MAX_GAP_HOURS);
        }
        expect(
          series.warnings
            .filter((w) => w.kind === 'gap' || w.kind === 'missing')
            .every((w) => typeof w.row === 'number'),
        ).toBe(true);
        parsed++;
      }),
      { numRuns: 400, seed: 17 },
    );
    // Both outcomes were exercised.
    expect(parsed).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });

  it('a gap of exactly a week is filled, one step more is refused', () => {
    const rows = ['timestamp,price_eur_mwh'];
    const t0 = Date.UTC(2023, 0, 1);
    for (let h = 0; h < 2000; h++) rows.push(`${new Date(t0 + h * 3_600_000).toISOString()},${h % 50}.5`);
    const week = MAX_GAP_HOURS * 3_600_000;
    const last = t0 + 1999 * 3_600_000;
    const ok = parsePriceText(
      'week.csv',
      [...rows, `${new Date(last + week + 3_600_000).toISOString()},1.5`].join('\n'),
    );
    expect(ok.pricesEurPerMWh.length).toBe(2000 + MAX_GAP_HOURS + 1);
    expect(() =>
      parsePriceText('week.csv', [...rows, `${new Date(last + week + 2 * 3_600_000).toISOString()},1.5`].join('\n')),
    ).toThrow(
      /^week\.csv, row 2002: 169 steps \(7 days\) from 2023-03-25T08:00Z have no price; a file may fill at most 168 hours/,
    );
  });

  it('a series longer than MAX_STEPS is refused before it is allocated, naming the limit', () => {
    // 300 one-minute rows set the step; 101 rows a week apart stretch the series past a million minutes.
    const rows = ['timestamp,price_eur_mwh'];
    const t0 = Date.UTC(2023, 0, 1);
    for (let m = 0; m < 300; m++) rows.push(`${new Date(t0 + m * 60_000).toISOString()},1.5`);
    for (let w = 1; w <= 101; w++) rows.push(`${new Date(t0 + 299 * 60_000 + w * 10_080 * 60_000).toISOString()},2.5`);
    largestAllocation = 0;
    globalThis.Float64Array = RecordingFloat64Array as unknown as Float64ArrayConstructor;
    expect(() => parsePriceText('long.csv', rows.join('\n'))).toThrow(
      /^long\.csv: 1,018,380 steps of 1 minute from 2023-01-01T00:00Z to [^;]*; the largest series is 1,000,000 steps: split the file$/,
    );
    globalThis.Float64Array = RealFloat64Array;
    expect(largestAllocation).toBeLessThanOrEqual(401);
  });

  it(`more than ${MAX_ROWS} data rows are refused while splitting, naming the limit`, () => {
    const text = 'timestamp,price_eur_mwh\n' + '2023-01-01T00:00:00Z,1\n'.repeat(MAX_ROWS + 1);
    expect(() => parsePriceText('rows.csv', text)).toThrow(
      /^rows\.csv: more than 1,000,000 data rows \(row 1000002\); split the file/,
    );
  });
});

describe('any bytes at all', () => {
  const clean = (e: unknown) => {
    expect(e).toBeInstanceOf(PriceFileError);
    const m = (e as Error).message;
    expect(m.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(m).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  };
  it('give a series or one bounded, control-free PriceFileError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        try {
          parsePriceBytes(bytes, 'random.bin');
        } catch (e) {
          clean(e);
        }
      }),
      { numRuns: 300, seed: 5 },
    );
  });
  it('including CSV-like text of quotes, separators, digits and control characters', () => {
    const ch = fc.constantFrom(...'0123456789.,;"\n\r -:TZ+e\u0000\u001b\u0085NaN/'.split(''));
    fc.assert(
      fc.property(
        fc.array(ch, { maxLength: 300 }).map((a) => a.join('')),
        (body) => {
          try {
            parsePriceText('random.csv', 'timestamp,price\n2023-01-01T00:00Z,1\n' + body);
          } catch (e) {
            clean(e);
          }
        },
      ),
      { numRuns: 500, seed: 9 },
    );
  });
});
