// Turns the cells of a price CSV into a regular PriceSeries. DOM-free: csv.ts splits the text
// into rows (the same splitter for page and CLI), this module understands them. Formats are detected from the file
// (DESIGN.md "CSV input"):
// - the original system's: `Date;Hour;Price (EUR)`, Date dd/mm/yyyy (or mm/dd/yy), Hour 1–24 hour-ending on the
//   CET/CEST delivery-day clock, so that 23- and 25-hour DST days count hours from local midnight;
// - ISO-8601 timestamps (interval start) with or without an offset, in any column named like a time; also 10- or
//   13-digit Unix epoch seconds or milliseconds;
// - ENTSO-E exports whose time column reads `dd.mm.yyyy HH:MM - dd.mm.yyyy HH:MM` in CET/CEST.
// Decimal comma or point (decided from the whole price column), negative prices, hourly or 15-minute steps.
//
// What is repaired and what is refused (README "Price files"): missing rows and explicit missing values (an empty
// cell, NaN, Inf, n/e, N/A, -, ...) are gaps, filled with the previous price and reported with their rows, unless a
// gap is longer than MAX_GAP_HOURS or the filled steps exceed MAX_FILLED_SHARE of the series. Any other cell this
// parser cannot read (text in a price, an impossible time, an hour the day does not have) refuses the file with its
// row and column: a guess would be silently wrong.

import { type ParseWarning, type PriceSeries, PriceFileError } from './types.ts';
import { cetLocalToUtcMs, cetMidnightUtcMs, isValidDate } from './time.ts';
import { MS_PER_HOUR } from '../units.ts';
import { type RawRow, splitCsv } from './csv.ts';
import {
  MAX_ABS_PRICE_EUR_PER_MWH,
  MAX_FILE_BYTES,
  MAX_FILLED_SHARE,
  MAX_GAP_HOURS,
  MAX_STEP_HOURS,
  MAX_STEPS,
  MIN_STEP_MINUTES,
} from './limits.ts';
import { showCell, stripControls } from './text.ts';

export type { RawRow } from './csv.ts';

/** A warning list stays readable: details for the first few, then a count. */
const MAX_DETAILED_WARNINGS = 20;
/** Longest header name kept for messages. */
const MAX_NAME_CHARS = 60;

const PRICE_NAME = /price|prijs|preis|precio|prix|pris|eur|€|value|spot|dam|lmp/i;
const TIME_NAME = /time|date|datetime|utc|mtu|start|period|delivery|interval|datum|fecha/i;
const HOUR_NAME = /^(hour|hora|stunde|uur|heure|h|he|hour ?ending|period)$/i;
const DATE_ONLY_NAME = /^(date|datum|fecha|day|delivery ?day|dia|día)$/i;

/** Cells that say "no value here": a gap to fill, like a missing row (compared trimmed and lower-cased). */
const MISSING_MARKERS = new Set([
  '',
  'nan',
  'inf',
  '+inf',
  '-inf',
  'infinity',
  '+infinity',
  '-infinity',
  'n/e',
  'n/a',
  'na',
  'n.a.',
  '#n/a',
  '-',
  '--',
  '—',
  '–',
  'null',
  'none',
  '?',
]);

/** True when a price cell is an explicit missing marker (empty, NaN, Inf, n/e, N/A, -, ...). */
export function isMissingMarker(cell: string): boolean {
  const c = cell.charCodeAt(0);
  if (c >= 48 && c <= 57) return false; // starts with a digit: the common case, decided without allocating
  return MISSING_MARKERS.has(cell.trim().toLowerCase());
}

/** 1234567 → "1,234,567", independent of the host's locale. */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Parses a number written with a decimal point or a decimal comma (and optional thousands separators). */
export function parseDecimal(raw: string): number {
  let s = raw
    .trim()
    .replace(/^"|"$/g, '')
    .replace(/[\s\u00a0]/g, '');
  if (s === '') return Number.NaN;
  const comma = s.lastIndexOf(',');
  const dot = s.lastIndexOf('.');
  if (comma >= 0 && dot >= 0) {
    s = comma > dot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else if (comma >= 0) {
    s = s.replace(',', '.');
  }
  s = s.replace(/^\u2212/, '-');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return Number.NaN;
  return Number(s);
}

type Mark = '.' | ',';

/** An optional minus, digits, and an optional decimal point with digits: most price cells. */
const PLAIN = /^-?\d+(\.\d+)?$/;

/** A number cell without spaces, with a typographic minus made ASCII. */
function compact(raw: string): string {
  return raw
    .trim()
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/^\u2212/, '-');
}

/**
 * What one cell says about the file's decimal mark: `.` or `,`, `ambiguous` for `3.000` or `1,250` (a decimal with
 * three places or a thousands separator), or null for no evidence (an integer).
 */
function markEvidence(raw: string): Mark | 'ambiguous' | null {
  if (PLAIN.test(raw)) {
    const dot = raw.indexOf('.');
    if (dot < 0) return null;
    return raw.length - dot === 4 && /^-?[1-9]\d{0,2}\./.test(raw) ? 'ambiguous' : '.';
  }
  const body = compact(raw)
    .replace(/^[-+]/, '')
    .replace(/e[-+]?\d+$/i, '');
  const dots = body.split('.').length - 1;
  const commas = body.split(',').length - 1;
  if (dots && commas) return body.lastIndexOf(',') > body.lastIndexOf('.') ? ',' : '.';
  if (dots + commas === 0) return null;
  if (dots + commas > 1) return dots ? ',' : '.'; // several of one sign: those are thousands separators
  return /^[1-9]\d{0,2}[.,]\d{3}$/.test(body) ? 'ambiguous' : dots ? '.' : ',';
}

/** Reads a number written with decimal mark `mark` (null: the file showed none, so only integers and `1e3`). */
function readNumber(raw: string, mark: Mark | null): number {
  // The common case (12, -3.25) without allocating; with mark ',' a dot groups thousands, so it takes the long way.
  if (PLAIN.test(raw) && (mark !== ',' || raw.indexOf('.') < 0)) return Number(raw);
  let s = compact(raw);
  const dec = mark ?? '.';
  const thousands = dec === ',' ? '.' : ',';
  if (s.includes(thousands)) {
    const t = thousands === '.' ? '\\.' : ',';
    const d = dec === '.' ? '\\.' : ',';
    if (!new RegExp(`^[-+]?\\d{1,3}(${t}\\d{3})+(${d}\\d*)?(e[-+]?\\d+)?$`, 'i').test(s)) return Number.NaN;
    s = s.split(thousands).join('');
  }
  if (dec === ',') s = s.replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return Number.NaN;
  return Number(s);
}

/** Decides the price column's decimal mark from every value in it; mixed marks or an undecidable `3.000` throw. */
function decimalMark(file: string, rows: RawRow[], col: number, name: string): Mark | null {
  let point: RawRow | null = null;
  let comma: RawRow | null = null;
  let ambiguous: RawRow | null = null;
  for (const r of rows) {
    const cell = r.cells[col] ?? '';
    if (isMissingMarker(cell)) continue;
    const e = markEvidence(cell);
    if (e === '.') point ??= r;
    else if (e === ',') comma ??= r;
    else if (e === 'ambiguous') ambiguous ??= r;
    if (point && comma) {
      throw new PriceFileError(
        `${file}, column ${showCell(name)} mixes a decimal point (row ${point.line}: ${showCell(point.cells[col])}) ` +
          `and a decimal comma (row ${comma.line}: ${showCell(comma.cells[col])}); write every price the same way`,
        file,
        Math.max(point.line, comma.line),
        name,
      );
    }
  }
  const mark = point ? '.' : comma ? ',' : null;
  if (!mark && ambiguous) {
    const v = compact(ambiguous.cells[col]);
    const [a, b] = v.split(/[.,]/);
    throw new PriceFileError(
      `${file}, row ${ambiguous.line}, column ${showCell(name)}: ${showCell(v)} could be ${Number(a + '.' + b)} or ${Number(a + b)} ` +
        `(no price in the file shows whether "${v.includes('.') ? '.' : ','}" is a decimal mark or a thousands separator); ` +
        `write it with its decimals, e.g. ${a}.${b.replace(/0+$/, '') || '0'} or ${a}${b}`,
      file,
      ambiguous.line,
      name,
    );
  }
  return mark;
}

interface Layout {
  kind: 'day-hour' | 'timestamp';
  dateCol: number;
  hourCol: number;
  priceCol: number;
  priceName: string;
  timeName: string;
  hourName: string;
}

function detectLayout(file: string, names: string[], first?: RawRow): Layout {
  const looksLikeData =
    names.length > 0 &&
    names.every((n) => n === '' || !Number.isNaN(parseDecimal(n)) || /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}/.test(n));
  if (looksLikeData) {
    throw new PriceFileError(
      `${file}: line 1 holds data, not a header; expected a header such as "Date;Hour;Price (EUR)" or "timestamp,price_eur_mwh"`,
      file,
      1,
    );
  }
  const shown = () =>
    names.slice(0, 8).map(showCell).join(', ') + (names.length > 8 ? `, … (${names.length} columns)` : '');
  const hourCol = names.findIndex((n) => HOUR_NAME.test(n));
  let dateCol = names.findIndex((n) => DATE_ONLY_NAME.test(n));
  const taken = new Set<number>();
  let timeCol = -1;
  if (hourCol >= 0 && dateCol >= 0) {
    taken.add(hourCol).add(dateCol);
  } else {
    timeCol = names.findIndex((n) => TIME_NAME.test(n) && !PRICE_NAME.test(n.replace(/eur/i, '')));
    if (timeCol < 0) timeCol = names.findIndex((n) => TIME_NAME.test(n));
    if (timeCol >= 0) taken.add(timeCol);
  }
  let priceCol = names.findIndex((n, i) => !taken.has(i) && PRICE_NAME.test(n));
  if (priceCol < 0 && names.length === 2 && taken.size === 1) priceCol = taken.has(0) ? 1 : 0;
  if (priceCol < 0 && first) {
    // An unnamed numeric column beside the time columns is the price; a named one (Volume, ...) is not.
    const numeric = names
      .map((_, i) => i)
      .filter((i) => !taken.has(i) && names[i] === '' && !Number.isNaN(parseDecimal(first.cells[i] ?? '')));
    if (numeric.length === 1) priceCol = numeric[0];
  }
  if (dateCol >= 0 && hourCol >= 0) {
    if (priceCol < 0)
      throw new PriceFileError(
        `${file}: no price column in the header (${shown()}); expected one named like "Price (EUR)" or "price_eur_mwh"`,
        file,
        1,
      );
    return {
      kind: 'day-hour',
      dateCol,
      hourCol,
      priceCol,
      priceName: names[priceCol],
      timeName: names[dateCol],
      hourName: names[hourCol],
    };
  }
  if (timeCol < 0) {
    throw new PriceFileError(
      `${file}: no time column in the header (${shown()}); expected "Date;Hour;Price (EUR)" or a timestamp column such as "timestamp"`,
      file,
      1,
    );
  }
  if (priceCol < 0)
    throw new PriceFileError(
      `${file}: no price column in the header (${shown()}); expected one named like "price_eur_mwh" or "Price (EUR)"`,
      file,
      1,
    );
  dateCol = timeCol;
  return {
    kind: 'timestamp',
    dateCol,
    hourCol: -1,
    priceCol,
    priceName: names[priceCol],
    timeName: names[timeCol],
    hourName: '',
  };
}

const DATE_RE = /^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$/;

/** Decides dd/mm versus mm/dd (and the year position) from every date in the file, not row by row. */
function dateOrder(file: string, dates: string[], warnings: ParseWarning[], timeName: string): 'ymd' | 'dmy' | 'mdy' {
  let firstOver12 = false;
  let secondOver12 = false;
  let ymd = false;
  const samples: [number, number, number][] = [];
  for (const d of dates) {
    const m = DATE_RE.exec(d.trim());
    if (!m) continue;
    if (m[1].length === 4) {
      ymd = true;
      continue;
    }
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a > 12) firstOver12 = true;
    if (b > 12) secondOver12 = true;
    if (samples.length < 4000) samples.push([a, b, Number(m[3])]);
  }
  if (ymd) return 'ymd';
  if (firstOver12 && secondOver12) {
    throw new PriceFileError(
      `${file}: column ${showCell(timeName)} mixes dd/mm and mm/dd dates (day values above 12 in both positions)`,
      file,
      undefined,
      timeName,
    );
  }
  if (firstOver12) return 'dmy';
  if (secondOver12) return 'mdy';
  // Every date fits both readings: pick the one under which consecutive distinct dates are one day apart.
  const score = (order: 'dmy' | 'mdy') => {
    let good = 0;
    let prev = Number.NaN;
    for (const [a, b, y] of samples) {
      const year = y < 100 ? 2000 + y : y;
      const t = order === 'dmy' ? Date.UTC(year, b - 1, a) : Date.UTC(year, a - 1, b);
      if (t !== prev && t - prev === 24 * MS_PER_HOUR) good++;
      prev = t;
    }
    return good;
  };
  const dmy = score('dmy');
  const mdy = score('mdy');
  const order = mdy > dmy ? 'mdy' : 'dmy';
  warnings.push({
    kind: 'ambiguous-date',
    column: timeName,
    message: `every date in "${timeName}" fits both dd/mm and mm/dd; read as ${order === 'dmy' ? 'dd/mm' : 'mm/dd'} because that makes consecutive days`,
    action: `read as ${order === 'dmy' ? 'dd/mm/yyyy' : 'mm/dd/yyyy'}`,
  });
  return order;
}

function parseDate(s: string, order: 'ymd' | 'dmy' | 'mdy'): [number, number, number] | null {
  const m = DATE_RE.exec(s.trim());
  if (!m) return null;
  let y: number, mo: number, d: number;
  if (m[1].length === 4) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if (order === 'mdy') [mo, d, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 100) y += 2000;
  return isValidDate(y, mo, d) ? [y, mo, d] : null;
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i;
const LOCAL_RE = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s+(\d{1,2}):(\d{2})(?::\d{2})?/;
const EPOCH_RE = /^\d{10}(\d{3})?$/;
/** Real UTC offsets run from −12:00 (Baker Island) to +14:00 (Kiribati), in minutes. */
const MIN_OFFSET_MIN = -12 * 60;
const MAX_OFFSET_MIN = 14 * 60;

export interface TimeReader {
  /** UTC ms, or why the cell is not a time this reader takes. */
  read(cell: string): number | string;
  /** Warnings the reader wants to add once (e.g. "no offset, read as UTC"). */
  notes: ParseWarning[];
}

/** Reads ISO-8601 interval starts (offset optional: without one, UTC, noted once). Shared with the exogenous reader. */
export function isoReader(timeName: string): TimeReader {
  const notes: ParseWarning[] = [];
  let warnedNoOffset = false;
  return {
    notes,
    read(cell) {
      const m = ISO_RE.exec(cell.trim());
      if (!m) return 'not an ISO-8601 timestamp like the rows before it';
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (!isValidDate(y, mo, d)) return `${m[1]}-${m[2]}-${m[3]} is not a calendar date`;
      const h = m[4] ? Number(m[4]) : 0;
      const mi = m[5] ? Number(m[5]) : 0;
      const sec = m[6] ? Number(m[6]) : 0;
      if (h > 23) return `hour ${m[4]} does not exist (hours run 00–23)`;
      if (mi > 59 || sec > 59) return `${m[4]}:${m[5]}${m[6] ? ':' + m[6] : ''} is not a time of day`;
      const ms = m[7] ? Math.round(Number('0.' + m[7]) * 1000) : 0;
      let t = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
      const off = m[8];
      if (!off) {
        if (!warnedNoOffset) {
          warnedNoOffset = true;
          notes.push({
            kind: 'other',
            column: timeName,
            message: `timestamps in "${timeName}" have no UTC offset`,
            action: 'read as UTC',
          });
        }
      } else if (off.toUpperCase() !== 'Z' && off.toUpperCase() !== 'UTC') {
        const sign = off[0] === '-' ? -1 : 1;
        const digits = off.slice(1).replace(':', '');
        const hh = Number(digits.slice(0, 2));
        const mm = digits.length > 2 ? Number(digits.slice(2)) : 0;
        const minutes = sign * (hh * 60 + mm);
        if (mm > 59 || minutes < MIN_OFFSET_MIN || minutes > MAX_OFFSET_MIN)
          return `offset ${off} is not a real UTC offset (they run from -12:00 to +14:00)`;
        t -= minutes * 60_000;
      }
      return t;
    },
  };
}

function timestampReader(file: string, rows: RawRow[], col: number, timeName: string): TimeReader {
  const first = rows.find((r) => (r.cells[col] ?? '').trim() !== '') ?? rows[0];
  const sample = (first.cells[col] ?? '').trim();
  if (ISO_RE.test(sample)) return isoReader(timeName);
  if (EPOCH_RE.test(sample)) {
    // Unix epoch: 10 digits are seconds, 13 milliseconds (both cover 2001–2286); every row must use the same.
    const digits = sample.length;
    const unit = digits === 13 ? 'milliseconds' : 'seconds';
    return {
      notes: [
        {
          kind: 'other',
          column: timeName,
          message: `times in "${timeName}" are Unix epoch ${unit}`,
          action: 'read as UTC',
        },
      ],
      read(cell) {
        const c = cell.trim();
        if (c.length !== digits || !EPOCH_RE.test(c))
          return `not a ${digits}-digit Unix epoch in ${unit} like the first row's`;
        return digits === 13 ? Number(c) : Number(c) * 1000;
      },
    };
  }
  if (LOCAL_RE.test(sample)) {
    // ENTSO-E style "dd.mm.yyyy HH:MM - ..." on the CET/CEST clock; a wall time seen twice is the autumn repeat.
    const notes: ParseWarning[] = [
      {
        kind: 'other',
        column: timeName,
        message: `times in "${timeName}" have no offset`,
        action: 'read as CET/CEST local time (the day-ahead delivery clock)',
      },
    ];
    let last = Number.NaN;
    return {
      notes,
      read(cell) {
        const m = LOCAL_RE.exec(cell.trim());
        if (!m) return 'not a "dd.mm.yyyy HH:MM" time like the rows before it';
        const [d, mo, y, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
        if (!isValidDate(y, mo, d)) return `${m[1]}.${m[2]}.${m[3]} is not a calendar date`;
        if (h > 23 || mi > 59) return `${m[4]}:${m[5]} is not a time of day`;
        let t = cetLocalToUtcMs(y, mo, d, h, mi, false);
        if (t <= last) {
          const repeat = cetLocalToUtcMs(y, mo, d, h, mi, true);
          if (repeat > last) t = repeat;
        }
        last = t;
        return t;
      },
    };
  }
  const hint = /^\d+([.,]\d+)?$/.test(sample)
    ? 'a number, not a timestamp (only 10- or 13-digit Unix epochs are read as times)'
    : 'not a timestamp this app reads';
  throw new PriceFileError(
    `${file}, row ${first.line}, column ${showCell(timeName)}: ${showCell(sample)} is ${hint}; expected ISO-8601 such as 2023-01-01T00:00:00Z, or dd/mm/yyyy with an Hour column`,
    file,
    first.line,
    timeName,
  );
}

/** Parses CSV text (either separator, quoted or not) into a PriceSeries; the one entry for page and CLI alike. */
export function parsePriceText(
  file: string,
  text: string,
  onProgress?: (share: number) => void,
  notes: ParseWarning[] = [],
): PriceSeries {
  const name = stripControls(file).slice(0, 120);
  if (text.length > MAX_FILE_BYTES) throw fileTooLarge(name, text.length);
  // A BOM is not part of the header; a trailing Ctrl-Z is the end-of-file mark of old DOS tools.
  const clean = text.replace(/^\uFEFF/, '').replace(/\u001a+\s*$/, '');
  if (clean.trim() === '') throw new PriceFileError(`${name}: the file is empty`, name);
  const table = splitCsv(name, clean, onProgress);
  const series = parsePriceRows(name, table.header, table.rows, table.delimiter);
  series.warnings.unshift(...notes);
  return series;
}

/** The error for a file over MAX_FILE_BYTES, raised before it is read where the caller knows its size. */
export function fileTooLarge(file: string, bytes: number): PriceFileError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return new PriceFileError(
    `${file}: the file is ${mb(bytes)}; the largest price file read is ${mb(MAX_FILE_BYTES)} (about a million rows): split it`,
    file,
  );
}

/**
 * Parses header + rows into a continuous PriceSeries. Missing rows and missing values are filled with the previous
 * price and reported with their line numbers, duplicates keep their first row; any cell that cannot be read throws
 * PriceFileError with the file, row and column, as does a gap too long to fill (see limits.ts).
 */
export function parsePriceRows(file: string, header: string[], rows: RawRow[], delimiter: string = ','): PriceSeries {
  const warnings: ParseWarning[] = [];
  const dataRows = rows.filter((r) => r.cells.length > 0 && r.cells.some((c) => c.trim() !== ''));
  if (header.length === 0 || (header.length === 1 && header[0].trim() === ''))
    throw new PriceFileError(`${file}: the file is empty`, file);
  const names = header.map((h) =>
    stripControls(
      h
        .trim()
        .replace(/^\uFEFF/, '')
        .replace(/^"|"$/g, ''),
    ).slice(0, MAX_NAME_CHARS),
  );
  const layout = detectLayout(file, names, dataRows[0]);
  if (dataRows.length < 2) {
    throw new PriceFileError(
      `${file}: too few rows (${dataRows.length}); at least 2 price rows are needed to know the step length`,
      file,
      dataRows[0]?.line,
    );
  }
  checkCellCounts(file, names, dataRows, delimiter, layout);
  const mark = decimalMark(file, dataRows, layout.priceCol, layout.priceName);

  const n = dataRows.length;
  const times = new Float64Array(n);
  const prices = new Float64Array(n);
  const lines = new Int32Array(n);
  const markers = new Map<number, string>();
  const refuse = (r: RawRow, column: string, why: string): never => {
    throw new PriceFileError(`${file}, row ${r.line}, column ${showCell(column)}: ${why}`, file, r.line, column);
  };

  /** The row's price; NaN for a missing marker (a gap to fill); anything else unreadable refuses the file. */
  const readPrice = (r: RawRow): number => {
    const cell = r.cells[layout.priceCol] ?? '';
    if (isMissingMarker(cell)) {
      markers.set(r.line, cell.trim());
      return Number.NaN;
    }
    const p = readNumber(cell, mark);
    if (Number.isNaN(p))
      refuse(
        r,
        layout.priceName,
        `${showCell(cell.trim())} is not a number (missing values may be written as an empty cell, NaN, n/e, N/A or -)`,
      );
    if (!(Math.abs(p) <= MAX_ABS_PRICE_EUR_PER_MWH)) {
      refuse(
        r,
        layout.priceName,
        `${showCell(cell.trim())} EUR/MWh is outside the range a price can take (at most ${grouped(MAX_ABS_PRICE_EUR_PER_MWH)} EUR/MWh either way)`,
      );
    }
    return p;
  };

  if (layout.kind === 'day-hour') {
    const order = dateOrder(
      file,
      dataRows.map((r) => r.cells[layout.dateCol] ?? ''),
      warnings,
      layout.timeName,
    );
    let maxHour = 0;
    for (const r of dataRows) {
      const h = Number((r.cells[layout.hourCol] ?? '').trim());
      if (Number.isInteger(h) && h > maxHour) maxHour = h;
    }
    // Quarter-hour numbering (1–96, 92 or 100 on DST days) when Hour goes beyond a 25-hour day.
    const quarters = maxHour > 25;
    const stepMs = quarters ? 15 * 60_000 : MS_PER_HOUR;
    const unit = quarters ? 'quarter-hour' : 'hour';
    for (let i = 0; i < n; i++) {
      const r = dataRows[i];
      const dateCell = r.cells[layout.dateCol] ?? '';
      const d = parseDate(dateCell, order);
      if (!d) refuse(r, layout.timeName, `${showCell(dateCell.trim())} is not a date`);
      const hourCell = (r.cells[layout.hourCol] ?? '').trim();
      const h = Number(hourCell);
      const midnight = cetMidnightUtcMs(d![0], d![1], d![2]);
      // The delivery day's length on the CET/CEST clock: 23 or 25 hours on DST days.
      const steps = Math.round((cetMidnightUtcMs(d![0], d![1], d![2] + 1) - midnight) / stepMs);
      if (hourCell === '' || !Number.isInteger(h) || h < 1 || h > steps) {
        const day =
          steps * stepMs === 24 * MS_PER_HOUR ? 'a normal day' : `a ${(steps * stepMs) / MS_PER_HOUR}-hour DST day`;
        refuse(
          r,
          layout.hourName,
          Number.isInteger(h) && h > steps && hourCell !== ''
            ? `${unit} ${h} on ${dateCell.trim()}, ${day}, which has ${unit}s 1–${steps}`
            : `${showCell(hourCell)} is not an ${unit} number 1–${steps}`,
        );
      }
      times[i] = midnight + (h - 1) * stepMs;
      prices[i] = readPrice(r);
      lines[i] = r.line;
    }
  } else {
    const reader = timestampReader(file, dataRows, layout.dateCol, layout.timeName);
    for (let i = 0; i < n; i++) {
      const r = dataRows[i];
      const timeCell = r.cells[layout.dateCol] ?? '';
      if (timeCell.trim() === '') refuse(r, layout.timeName, 'the time is empty');
      const t = reader.read(timeCell);
      if (typeof t === 'string') refuse(r, layout.timeName, `${showCell(timeCell.trim())}: ${t}`);
      times[i] = t as number;
      prices[i] = readPrice(r);
      lines[i] = r.line;
    }
    warnings.push(...reader.notes);
  }
  const site = readSiteColumns(file, names, dataRows, times);
  const series = regularise(file, times, prices, lines, markers, layout.priceName, warnings);
  for (const [key, column] of site) (series as PriceSeries)[key] = alignToSeries(series.timesUtcMs, times, column);
  return series;
}

/** Optional site columns of the plain format (DESIGN.md "Site"): average power over the step, kW. */
const SITE_COLUMNS = [
  { key: 'pvKW', name: /^pv(_kw| \(kw\))?$/i },
  { key: 'loadKW', name: /^load(_kw| \(kw\))?$/i },
] as const;

/**
 * Reads the pv_kw and load_kw columns where the header has them, one value per data row: a missing, unreadable or
 * negative value refuses the file naming its row and column (PV and load are not made up like a missing price).
 */
function readSiteColumns(
  file: string,
  names: string[],
  rows: RawRow[],
  times: Float64Array,
): ['pvKW' | 'loadKW', Float64Array][] {
  const out: ['pvKW' | 'loadKW', Float64Array][] = [];
  for (const { key, name } of SITE_COLUMNS) {
    const col = names.findIndex((n) => name.test(n));
    if (col < 0) continue;
    const column = names[col];
    const mark = decimalMark(file, rows, col, column);
    const values = new Float64Array(times.length);
    rows.forEach((r, i) => {
      const cell = (r.cells[col] ?? '').trim();
      const why = isMissingMarker(cell)
        ? `missing value (${cell === '' ? 'empty' : showCell(cell)}); every row needs a ${column} value in kW`
        : null;
      const v = why ? Number.NaN : readNumber(cell, mark);
      const problem =
        why ??
        (Number.isNaN(v)
          ? `${showCell(cell)} is not a number`
          : v < 0
            ? `${showCell(cell)} kW is negative; ${column} is a power drawn or produced, 0 or more`
            : !(v <= MAX_SITE_KW)
              ? `${showCell(cell)} kW is beyond ${grouped(MAX_SITE_KW)} kW`
              : null);
      if (problem)
        throw new PriceFileError(
          `${file}, row ${r.line}, column ${showCell(column)}: ${problem}`,
          file,
          r.line,
          column,
        );
      values[i] = v;
    });
    out.push([key, values]);
  }
  return out;
}

/** Largest PV or load power read, kW. */
const MAX_SITE_KW = 1e9;

/** A per-row column on the regular series' times: the first row of a time wins; a gap repeats the previous value. */
function alignToSeries(seriesTimes: Float64Array, rowTimes: Float64Array, values: Float64Array): Float64Array {
  const byTime = new Map<number, number>();
  rowTimes.forEach((t, i) => {
    if (!byTime.has(t)) byTime.set(t, values[i]);
  });
  const out = new Float64Array(seriesTimes.length);
  let previous = values[0];
  seriesTimes.forEach((t, i) => {
    const v = byTime.get(t);
    if (v !== undefined) previous = v;
    out[i] = previous;
  });
  return out;
}

/** A row with more cells than the header means a separator inside a value, most often a decimal comma. */
function checkCellCounts(file: string, names: string[], rows: RawRow[], delimiter: string, layout: Layout): void {
  for (const r of rows) {
    if (r.cells.length <= names.length) continue;
    if (r.cells.slice(names.length).every((c) => c.trim() === '')) continue;
    const p = layout.priceCol;
    const decimalComma =
      delimiter === ',' && /^\s*[-+\u2212]?\d+\s*$/.test(r.cells[p] ?? '') && /^\d+\s*$/.test(r.cells[p + 1] ?? '');
    const hint = decimalComma
      ? `: ${showCell(`${r.cells[p]},${r.cells[p + 1]}`)} looks like a decimal comma in a comma-separated file; write ${r.cells[p].trim()}.${r.cells[p + 1].trim()}, quote the price, or separate columns with ";"`
      : `; a value holds the separator "${delimiter === '\t' ? '\\t' : delimiter}" (quote it)`;
    const where = decimalComma ? `row ${r.line}, column ${showCell(layout.priceName)}` : `row ${r.line}`;
    throw new PriceFileError(
      `${file}, ${where}: ${r.cells.length} cells where the header has ${names.length}${hint}`,
      file,
      r.line,
      decimalComma ? layout.priceName : undefined,
    );
  }
}

/** One run of consecutive filled steps (missing rows and missing values), for the limits and the message. */
interface FillRun {
  steps: number;
  /** Time of the first filled step. */
  fromMs: number;
  /** Line of the row the run starts at (a missing value) or ends before (a gap in the rows). */
  line: number;
}

/**
 * Sorts, removes duplicates, finds the step, checks the fill limits (before allocating the series) and fills gaps
 * and missing values with the previous price (the next one before the first price), reporting each with its line.
 */
function regularise(
  file: string,
  times: Float64Array,
  prices: Float64Array,
  lines: Int32Array,
  markers: Map<number, string>,
  priceName: string,
  warnings: ParseWarning[],
): PriceSeries {
  let order: number[] | null = null;
  for (let i = 1; i < times.length; i++) {
    if (times[i] < times[i - 1]) {
      order = Array.from(times.keys()).sort((a, b) => times[a] - times[b] || a - b);
      warnings.push({
        kind: 'reordered',
        row: lines[i],
        message: `rows are not in time order (row ${lines[i]} goes back in time)`,
        action: 'sorted by time',
      });
      break;
    }
  }
  const idx = order ?? Array.from(times.keys());
  const t: number[] = [];
  const p: number[] = [];
  const l: number[] = [];
  let dups = 0;
  for (const i of idx) {
    if (t.length && times[i] === t[t.length - 1]) {
      dups++;
      if (dups <= MAX_DETAILED_WARNINGS)
        warnings.push({
          kind: 'duplicate',
          row: lines[i],
          message: `row ${lines[i]} repeats the time of row ${l[l.length - 1]} (${new Date(times[i]).toISOString()})`,
          action: 'kept the first, dropped this one',
        });
      continue;
    }
    t.push(times[i]);
    p.push(prices[i]);
    l.push(lines[i]);
  }
  if (dups > MAX_DETAILED_WARNINGS)
    warnings.push({
      kind: 'duplicate',
      message: `${dups - MAX_DETAILED_WARNINGS} more duplicate rows`,
      action: 'dropped',
    });
  if (t.length < 2)
    throw new PriceFileError(`${file}: too few distinct times (${t.length}); at least 2 are needed`, file);

  // The step is the most common difference; other multiples of it are gaps, anything else is a mixed-step file.
  const counts = new Map<number, number>();
  for (let i = 1; i < t.length; i++) counts.set(t[i] - t[i - 1], (counts.get(t[i] - t[i - 1]) ?? 0) + 1);
  let stepMs = 0;
  let best = -1;
  for (const [d, c] of counts) if (c > best || (c === best && d < stepMs)) [stepMs, best] = [d, c];
  if (stepMs % 60_000 !== 0 || stepMs < MIN_STEP_MINUTES * 60_000 || stepMs > MAX_STEP_HOURS * MS_PER_HOUR) {
    const k = t.findIndex((x, i) => i > 0 && x - t[i - 1] === stepMs);
    throw new PriceFileError(
      `${file}, row ${l[k]}: the rows step by ${stepMs >= 60_000 ? `${Math.round((stepMs / 60_000) * 1000) / 1000} minutes` : `${stepMs / 1000} seconds`}; price steps of ${MIN_STEP_MINUTES} minute to ${MAX_STEP_HOURS} hours in whole minutes are read`,
      file,
      l[k],
    );
  }
  for (let i = 1; i < t.length; i++) {
    const d = t[i] - t[i - 1];
    if (d % stepMs !== 0) {
      throw new PriceFileError(
        `${file}, row ${l[i]}: mixed step lengths — ${d / 60_000} minutes after row ${l[i - 1]}, while the file mostly steps by ${stepMs / 60_000} minutes`,
        file,
        l[i],
      );
    }
  }

  // Limits first, from the times alone: nothing of the series' size exists until they pass.
  const stepHours = stepMs / MS_PER_HOUR;
  const total = (t[t.length - 1] - t[0]) / stepMs + 1;
  const maxGapSteps = Math.floor(MAX_GAP_HOURS / stepHours);
  let filled = 0;
  let run: FillRun | null = null;
  let longest: FillRun | null = null;
  let firstRun: FillRun | null = null;
  const close = () => {
    if (run && (!longest || run.steps > longest.steps)) longest = run;
    run = null;
  };
  for (let i = 0; i < t.length; i++) {
    const missingBefore = i > 0 ? (t[i] - t[i - 1]) / stepMs - 1 : 0;
    if (missingBefore > 0) {
      run ??= { steps: 0, fromMs: t[i - 1] + stepMs, line: l[i] };
      run.steps += missingBefore;
      firstRun ??= run;
    }
    if (Number.isNaN(p[i])) {
      run ??= { steps: 0, fromMs: t[i], line: l[i] };
      run.steps++;
      firstRun ??= run;
    } else close();
    filled += missingBefore + (Number.isNaN(p[i]) ? 1 : 0);
  }
  close();
  const iso = (ms: number) => new Date(ms).toISOString().replace(':00.000Z', 'Z');
  const hours = (steps: number) => {
    const h = steps * stepHours;
    return h >= 48 ? `${grouped(Math.round(h / 24))} days` : `${h} hour${h === 1 ? '' : 's'}`;
  };
  const lr = longest as FillRun | null;
  if (lr && lr.steps > maxGapSteps) {
    throw new PriceFileError(
      `${file}, row ${lr.line}: ${grouped(lr.steps)} steps (${hours(lr.steps)}) from ${iso(lr.fromMs)} have no price; a file may fill at most ${MAX_GAP_HOURS} hours (${MAX_GAP_HOURS / 24} days) in one gap: split the file there or check the row's time`,
      file,
      lr.line,
    );
  }
  if (total > MAX_STEPS) {
    throw new PriceFileError(
      `${file}: ${grouped(total)} steps of ${stepMs / 60_000} minute${stepMs === 60_000 ? '' : 's'} from ${iso(t[0])} to ${iso(t[t.length - 1])}; the largest series is ${grouped(MAX_STEPS)} steps: split the file`,
      file,
    );
  }
  if (filled > MAX_FILLED_SHARE * total) {
    const fr = firstRun as FillRun | null;
    const share = Math.round((filled / total) * 1000) / 10;
    const allMissing = p.every((v) => Number.isNaN(v));
    throw new PriceFileError(
      allMissing
        ? `${file}, column ${showCell(priceName)}: no row has a price (all ${grouped(t.length)} are missing values)`
        : `${file}: ${grouped(filled)} of ${grouped(total)} steps (${share}%) have no price (missing rows or values, the first at row ${fr?.line}); at most ${MAX_FILLED_SHARE * 100}% are filled, a file with more is refused rather than made up`,
      file,
      allMissing ? undefined : fr?.line,
      allMissing ? priceName : undefined,
    );
  }

  const outT = new Float64Array(total);
  const outP = new Float64Array(total);
  const firstPrice = p.find((v) => !Number.isNaN(v)) as number;
  let j = 0;
  let gaps = 0;
  let missingRuns = 0;
  let previous = Number.NaN;
  for (let i = 0; i < t.length; i++) {
    if (i > 0) {
      const missing = (t[i] - t[i - 1]) / stepMs - 1;
      if (missing > 0) {
        gaps++;
        if (gaps <= MAX_DETAILED_WARNINGS) {
          warnings.push({
            kind: 'gap',
            row: l[i],
            message: `${missing} missing step${missing > 1 ? 's' : ''} before row ${l[i]} (${new Date(t[i - 1] + stepMs).toISOString()} to ${new Date(t[i] - stepMs).toISOString()})`,
            action: Number.isNaN(previous) ? 'filled with the next price' : 'filled with the previous price',
          });
        }
        for (let k = 1; k <= missing; k++) {
          outT[j] = t[i - 1] + k * stepMs;
          outP[j++] = Number.isNaN(previous) ? firstPrice : previous;
        }
      }
    }
    if (Number.isNaN(p[i]) && (i === 0 || !Number.isNaN(p[i - 1]) || t[i] - t[i - 1] !== stepMs)) {
      // The start of a run of missing values on consecutive steps: one warning for the run.
      let k = i;
      while (k + 1 < t.length && Number.isNaN(p[k + 1]) && t[k + 1] - t[k] === stepMs) k++;
      missingRuns++;
      if (missingRuns <= MAX_DETAILED_WARNINGS) {
        const shown = [...new Set(l.slice(i, k + 1).map((line) => markers.get(line) ?? ''))]
          .slice(0, 3)
          .map((m) => (m === '' ? 'empty' : showCell(m)))
          .join(', ');
        warnings.push({
          kind: 'missing',
          row: l[i],
          column: priceName,
          message: `${k > i ? `rows ${l[i]}–${l[k]}` : `row ${l[i]}`}, column "${priceName}": ${k > i ? `${k - i + 1} missing values` : 'missing value'} (${shown})`,
          action: Number.isNaN(previous) ? 'filled with the next price' : 'filled with the previous price',
        });
      }
    }
    if (!Number.isNaN(p[i])) previous = p[i];
    outT[j] = t[i];
    outP[j++] = Number.isNaN(p[i]) ? (Number.isNaN(previous) ? firstPrice : previous) : p[i];
  }
  if (gaps > MAX_DETAILED_WARNINGS)
    warnings.push({
      kind: 'gap',
      message: `${gaps - MAX_DETAILED_WARNINGS} more gaps`,
      action: 'filled with the previous price',
    });
  if (missingRuns > MAX_DETAILED_WARNINGS)
    warnings.push({
      kind: 'missing',
      column: priceName,
      message: `${missingRuns - MAX_DETAILED_WARNINGS} more runs of missing values`,
      action: 'filled with the previous price',
    });
  return { timesUtcMs: outT, pricesEurPerMWh: outP, dtHours: stepHours, source: file, warnings };
}
