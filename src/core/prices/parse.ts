// Turns the cells of a price CSV into a regular PriceSeries. DOM-free and papaparse-free: src/io splits the text
// into rows, this module understands them. Formats are detected from the file (DESIGN.md "CSV input"):
// - the original system's: `Date;Hour;Price (EUR)`, Date dd/mm/yyyy (or mm/dd/yy), Hour 1–24 hour-ending on the
//   CET/CEST delivery-day clock, so that 23- and 25-hour DST days count hours from local midnight;
// - ISO-8601 timestamps (interval start) with or without an offset, in any column named like a time;
// - ENTSO-E exports whose time column reads `dd.mm.yyyy HH:MM - dd.mm.yyyy HH:MM` in CET/CEST.
// Decimal comma or point, negative prices, hourly or 15-minute steps.

import { type ParseWarning, type PriceSeries, PriceFileError } from './types.ts';
import { cetLocalToUtcMs, cetMidnightUtcMs, isValidDate } from './time.ts';
import { MS_PER_HOUR } from '../units.ts';

/** One data row with its 1-based line number in the file. */
export interface RawRow {
  line: number;
  cells: string[];
}

/** Share of data rows that may be unparsable before the file is refused rather than repaired. */
const MAX_BAD_SHARE = 0.05;
/** A warning list stays readable: details for the first few, then a count. */
const MAX_DETAILED_WARNINGS = 20;

const PRICE_NAME = /price|prijs|preis|precio|prix|pris|eur|€|value|spot|dam|lmp/i;
const TIME_NAME = /time|date|datetime|utc|mtu|start|period|delivery|interval|datum|fecha/i;
const HOUR_NAME = /^(hour|hora|stunde|uur|heure|h|he|hour ?ending|period)$/i;
const DATE_ONLY_NAME = /^(date|datum|fecha|day|delivery ?day|dia|día)$/i;

/** Parses a number written with a decimal point or a decimal comma (and optional thousands separators). */
export function parseDecimal(raw: string): number {
  let s = raw.trim().replace(/^"|"$/g, '').replace(/[\s\u00a0]/g, '');
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

interface Layout {
  kind: 'day-hour' | 'timestamp';
  dateCol: number;
  hourCol: number;
  priceCol: number;
  priceName: string;
  timeName: string;
}

function detectLayout(file: string, header: string[], first?: RawRow): Layout {
  const names = header.map((h) => h.trim().replace(/^\uFEFF/, '').replace(/^"|"$/g, ''));
  const looksLikeData = names.length > 0 && names.every((n) => n === '' || !Number.isNaN(parseDecimal(n)) || /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}/.test(n));
  if (looksLikeData) {
    throw new PriceFileError(`${file}: line 1 holds data, not a header; expected a header such as "Date;Hour;Price (EUR)" or "timestamp,price_eur_mwh"`, file, 1);
  }
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
    const numeric = names.map((_, i) => i).filter((i) => !taken.has(i) && names[i] === '' && !Number.isNaN(parseDecimal(first.cells[i] ?? '')));
    if (numeric.length === 1) priceCol = numeric[0];
  }
  if (dateCol >= 0 && hourCol >= 0) {
    if (priceCol < 0) throw new PriceFileError(`${file}: no price column in the header (${names.join(', ')}); expected one named like "Price (EUR)" or "price_eur_mwh"`, file, 1);
    return { kind: 'day-hour', dateCol, hourCol, priceCol, priceName: names[priceCol], timeName: names[dateCol] };
  }
  if (timeCol < 0) {
    throw new PriceFileError(`${file}: no time column in the header (${names.join(', ')}); expected "Date;Hour;Price (EUR)" or a timestamp column such as "timestamp"`, file, 1);
  }
  if (priceCol < 0) throw new PriceFileError(`${file}: no price column in the header (${names.join(', ')}); expected one named like "price_eur_mwh" or "Price (EUR)"`, file, 1);
  dateCol = timeCol;
  return { kind: 'timestamp', dateCol, hourCol: -1, priceCol, priceName: names[priceCol], timeName: names[timeCol] };
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
    throw new PriceFileError(`${file}: column "${timeName}" mixes dd/mm and mm/dd dates (day values above 12 in both positions)`, file, undefined, timeName);
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
  const m = DATE_RE.exec(s.trim().replace(/^"|"$/g, ''));
  if (!m) return null;
  let y: number, mo: number, d: number;
  if (m[1].length === 4) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if (order === 'mdy') [mo, d, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 100) y += 2000;
  return isValidDate(y, mo, d) ? [y, mo, d] : null;
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC)?$/i;
const LOCAL_RE = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s+(\d{1,2}):(\d{2})(?::\d{2})?/;

interface TimeReader {
  read(cell: string): number;
  /** Warnings the reader wants to add once (e.g. "no offset, read as UTC"). */
  notes: ParseWarning[];
}

function timestampReader(file: string, cells: string[], timeName: string): TimeReader {
  const notes: ParseWarning[] = [];
  const sample = cells.find((c) => c.trim() !== '')?.trim().replace(/^"|"$/g, '') ?? '';
  if (ISO_RE.test(sample)) {
    let warnedNoOffset = false;
    return {
      notes,
      read(cell) {
        const m = ISO_RE.exec(cell.trim().replace(/^"|"$/g, ''));
        if (!m) return Number.NaN;
        const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
        if (!isValidDate(y, mo, d)) return Number.NaN;
        const h = m[4] ? Number(m[4]) : 0;
        const mi = m[5] ? Number(m[5]) : 0;
        const sec = m[6] ? Number(m[6]) : 0;
        if (h > 23 || mi > 59 || sec > 59) return Number.NaN;
        let t = Date.UTC(y, mo - 1, d, h, mi, sec);
        const off = m[8];
        if (!off) {
          if (!warnedNoOffset) {
            warnedNoOffset = true;
            notes.push({ kind: 'other', column: timeName, message: `timestamps in "${timeName}" have no UTC offset`, action: 'read as UTC' });
          }
        } else if (off.toUpperCase() !== 'Z' && off.toUpperCase() !== 'UTC') {
          const sign = off[0] === '-' ? -1 : 1;
          const digits = off.slice(1).replace(':', '');
          t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
        }
        return t;
      },
    };
  }
  if (LOCAL_RE.test(sample)) {
    // ENTSO-E style "dd.mm.yyyy HH:MM - ..." on the CET/CEST clock; a wall time seen twice is the autumn repeat.
    notes.push({ kind: 'other', column: timeName, message: `times in "${timeName}" have no offset`, action: 'read as CET/CEST local time (the day-ahead delivery clock)' });
    let last = Number.NaN;
    return {
      notes,
      read(cell) {
        const m = LOCAL_RE.exec(cell.trim().replace(/^"|"$/g, ''));
        if (!m) return Number.NaN;
        const [d, mo, y, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
        if (!isValidDate(y, mo, d) || h > 23 || mi > 59) return Number.NaN;
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
  throw new PriceFileError(`${file}, row 2, column "${timeName}": "${sample}" is not a timestamp this app reads (ISO-8601 such as 2023-01-01T00:00:00Z, or dd/mm/yyyy with an Hour column)`, file, 2, timeName);
}

/**
 * Parses header + rows into a continuous PriceSeries. Unparsable rows are dropped and reported (a file with more
 * than 5% of them is refused), duplicates keep their first row, gaps are filled with the previous price; all with
 * line numbers. Throws PriceFileError with the file, row and column for a file that cannot be used.
 */
export function parsePriceRows(file: string, header: string[], rows: RawRow[]): PriceSeries {
  const warnings: ParseWarning[] = [];
  const dataRows = rows.filter((r) => !(r.cells.length === 1 && r.cells[0].trim() === '') && r.cells.length > 0);
  if (header.length === 0 || (header.length === 1 && header[0].trim() === '')) throw new PriceFileError(`${file}: the file is empty`, file);
  const layout = detectLayout(file, header, dataRows[0]);
  if (dataRows.length < 2) {
    throw new PriceFileError(`${file}: too few rows (${dataRows.length}); at least 2 price rows are needed to know the step length`, file, dataRows[0]?.line);
  }

  const n = dataRows.length;
  const times = new Float64Array(n);
  const prices = new Float64Array(n);
  const lines = new Int32Array(n);
  let kept = 0;
  let bad = 0;
  let firstBad: { line: number; column: string; value: string; why: string } | null = null;
  const noteBad = (line: number, column: string, value: string, why: string) => {
    bad++;
    if (!firstBad) firstBad = { line, column, value, why };
    if (bad <= MAX_DETAILED_WARNINGS) warnings.push({ kind: value.trim() === '' ? 'empty' : 'unparsable', row: line, column, message: `row ${line}, column "${column}": ${why}`, action: 'row dropped' });
  };

  /** The row's price, or NaN after noting why it cannot be read. */
  const readPrice = (r: RawRow): number => {
    const cell = r.cells[layout.priceCol] ?? '';
    const p = parseDecimal(cell);
    if (!Number.isFinite(p)) noteBad(r.line, layout.priceName, cell, cell.trim() === '' ? 'the price is empty' : `"${cell}" is not a number`);
    return Number.isFinite(p) ? p : Number.NaN;
  };

  if (layout.kind === 'day-hour') {
    const order = dateOrder(file, dataRows.map((r) => r.cells[layout.dateCol] ?? ''), warnings, layout.timeName);
    const hourName = header[layout.hourCol].trim();
    let maxHour = 0;
    for (const r of dataRows) {
      const h = Number((r.cells[layout.hourCol] ?? '').trim());
      if (Number.isInteger(h) && h > maxHour) maxHour = h;
    }
    // Quarter-hour numbering (1–96, 92 or 100 on DST days) when Hour goes beyond a 25-hour day.
    const stepMs = maxHour > 25 ? 15 * 60_000 : MS_PER_HOUR;
    const maxIndex = maxHour > 25 ? 100 : 25;
    for (const r of dataRows) {
      const dateCell = r.cells[layout.dateCol] ?? '';
      const d = parseDate(dateCell, order);
      if (!d) {
        noteBad(r.line, layout.timeName, dateCell, `"${dateCell}" is not a date`);
        continue;
      }
      const hourCell = (r.cells[layout.hourCol] ?? '').trim();
      const h = Number(hourCell);
      if (!Number.isInteger(h) || h < 1 || h > maxIndex) {
        noteBad(r.line, hourName, hourCell, `"${hourCell}" is not an hour number 1–${maxIndex === 25 ? '24 (25 on the autumn DST day)' : '96'}`);
        continue;
      }
      const p = readPrice(r);
      if (Number.isNaN(p)) continue;
      times[kept] = cetMidnightUtcMs(d[0], d[1], d[2]) + (h - 1) * stepMs;
      prices[kept] = p;
      lines[kept++] = r.line;
    }
  } else {
    const reader = timestampReader(file, dataRows.map((r) => r.cells[layout.dateCol] ?? ''), layout.timeName);
    for (const r of dataRows) {
      const timeCell = r.cells[layout.dateCol] ?? '';
      const t = reader.read(timeCell);
      if (!Number.isFinite(t)) {
        noteBad(r.line, layout.timeName, timeCell, `"${timeCell}" is not a timestamp`);
        continue;
      }
      const p = readPrice(r);
      if (Number.isNaN(p)) continue;
      times[kept] = t;
      prices[kept] = p;
      lines[kept++] = r.line;
    }
    warnings.push(...reader.notes);
  }

  if (bad > MAX_DETAILED_WARNINGS) warnings.push({ kind: 'unparsable', message: `${bad - MAX_DETAILED_WARNINGS} more unparsable rows`, action: 'rows dropped' });
  const fb = firstBad as { line: number; column: string; value: string; why: string } | null;
  if (fb && (bad > MAX_BAD_SHARE * n || kept < 2)) {
    throw new PriceFileError(`${file}, row ${fb.line}, column "${fb.column}": ${fb.why}` + (bad > 1 ? ` (${bad} of ${n} rows unusable)` : ''), file, fb.line, fb.column);
  }
  return regularise(file, times.subarray(0, kept), prices.subarray(0, kept), lines.subarray(0, kept), warnings);
}

/** Sorts, removes duplicates, finds the step and fills gaps, reporting each with its line number. */
function regularise(file: string, times: Float64Array, prices: Float64Array, lines: Int32Array, warnings: ParseWarning[]): PriceSeries {
  let order: number[] | null = null;
  for (let i = 1; i < times.length; i++) {
    if (times[i] < times[i - 1]) {
      order = Array.from(times.keys()).sort((a, b) => times[a] - times[b] || a - b);
      warnings.push({ kind: 'reordered', row: lines[i], message: `rows are not in time order (row ${lines[i]} goes back in time)`, action: 'sorted by time' });
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
      if (dups <= MAX_DETAILED_WARNINGS) warnings.push({ kind: 'duplicate', row: lines[i], message: `row ${lines[i]} repeats the time of row ${l[l.length - 1]} (${new Date(times[i]).toISOString()})`, action: 'kept the first, dropped this one' });
      continue;
    }
    t.push(times[i]);
    p.push(prices[i]);
    l.push(lines[i]);
  }
  if (dups > MAX_DETAILED_WARNINGS) warnings.push({ kind: 'duplicate', message: `${dups - MAX_DETAILED_WARNINGS} more duplicate rows`, action: 'dropped' });
  if (t.length < 2) throw new PriceFileError(`${file}: too few distinct times (${t.length}); at least 2 are needed`, file);

  // The step is the most common difference; other multiples of it are gaps, anything else is a mixed-step file.
  const counts = new Map<number, number>();
  for (let i = 1; i < t.length; i++) counts.set(t[i] - t[i - 1], (counts.get(t[i] - t[i - 1]) ?? 0) + 1);
  let stepMs = 0;
  let best = -1;
  for (const [d, c] of counts) if (c > best || (c === best && d < stepMs)) [stepMs, best] = [d, c];
  for (let i = 1; i < t.length; i++) {
    const d = t[i] - t[i - 1];
    if (d % stepMs !== 0) {
      throw new PriceFileError(
        `${file}, row ${l[i]}: mixed step lengths — ${d / 60_000} minutes after row ${l[i - 1]}, while the file mostly steps by ${stepMs / 60_000} minutes`,
        file, l[i]);
    }
  }
  const total = Math.round((t[t.length - 1] - t[0]) / stepMs) + 1;
  const outT = new Float64Array(total);
  const outP = new Float64Array(total);
  let j = 0;
  let gaps = 0;
  for (let i = 0; i < t.length; i++) {
    if (i > 0) {
      const missing = Math.round((t[i] - t[i - 1]) / stepMs) - 1;
      if (missing > 0) {
        gaps++;
        if (gaps <= MAX_DETAILED_WARNINGS) {
          warnings.push({
            kind: 'gap', row: l[i],
            message: `${missing} missing step${missing > 1 ? 's' : ''} before row ${l[i]} (${new Date(t[i - 1] + stepMs).toISOString()} to ${new Date(t[i] - stepMs).toISOString()})`,
            action: 'filled with the previous price',
          });
        }
        for (let k = 1; k <= missing; k++) {
          outT[j] = t[i - 1] + k * stepMs;
          outP[j++] = p[i - 1];
        }
      }
    }
    outT[j] = t[i];
    outP[j++] = p[i];
  }
  if (gaps > MAX_DETAILED_WARNINGS) warnings.push({ kind: 'gap', message: `${gaps - MAX_DETAILED_WARNINGS} more gaps`, action: 'filled with the previous price' });
  return { timesUtcMs: outT, pricesEurPerMWh: outP, dtHours: stepMs / MS_PER_HOUR, source: file, warnings };
}
