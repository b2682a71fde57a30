// Reads exogenous day-ahead series: SMARD's "Prognostizierte Erzeugung Day-Ahead" export exactly as SMARD
// publishes it, and plain `timestamp,<name>,…` files. DOM-free.
//
// SMARD: UTF-8 with a BOM, CRLF, `;`, German numbers (`56.012,00`, `-` for no value), header
// `Datum von;Datum bis;<name> [MWh] …` (or the newer `Datum;Anfang;Ende;…`), times in German local time
// (Europe/Berlin = CET/CEST) as interval starts, the autumn 02:00 hour written twice (first CEST, then CET).
// Only the interval start is read: SMARD's own `Datum bis` is wrong on the spring DST day
// (`26.03.2023 01:00;25.03.2023 02:00`), and the start with the step length says everything.

import { type RawRow, splitCsv } from '../prices/csv.ts';
import { MAX_GAP_HOURS, MAX_STEPS } from '../prices/limits.ts';
import { isMissingMarker, isoReader, parseDecimal } from '../prices/parse.ts';
import { showCell } from '../prices/text.ts';
import { type ParseWarning, PriceFileError } from '../prices/types.ts';
import { cetLocalToUtcMs, isValidDate } from '../prices/time.ts';
import { MS_PER_HOUR } from '../units.ts';
import type { ExogenousSeries } from './types.ts';

const MAX_DETAILED_WARNINGS = 20;

/** `56.012,00` → 56012, `-5,5` → −5.5; `-` or empty → NaN (no value); anything else → null (text). */
export function parseGermanNumber(raw: string): number | null {
  const s = raw.trim();
  if (s === '' || s === '-') return Number.NaN;
  if (!/^[-+\u2212]?\d{1,3}(\.\d{3})*(,\d+)?$|^[-+\u2212]?\d+(,\d+)?$/.test(s)) return null;
  return Number(s.replace(/\./g, '').replace(',', '.').replace('\u2212', '-'));
}

/**
 * `1234.5`, `-0.25`, `1e3` (or with a decimal comma); a missing marker (empty, `-`, NaN, n/a, … as in price files)
 * → NaN (no value); anything else → null (text). The price reader's own number and marker rules.
 */
export function parsePlainNumber(raw: string): number | null {
  if (isMissingMarker(raw)) return Number.NaN;
  const v = parseDecimal(raw);
  return Number.isNaN(v) ? null : v;
}

/** `dd.mm.yyyy HH:MM` (seconds optional) → parts, or null. */
function germanDateTime(s: string): { y: number; mo: number; d: number; h: number; mi: number } | null {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::\d{2})?)?$/.exec(s.trim());
  if (!m) return null;
  const [d, mo, y, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0)];
  if (!isValidDate(y, mo, d) || h > 23 || mi > 59) return null;
  return { y, mo, d, h, mi };
}

interface Row {
  line: number;
  ms: number;
  values: number[];
}

function cleanName(raw: string): string {
  return raw
    .trim()
    .replace(/^"|"$/g, '')
    .replace(/\s*\[[^\]]*\].*$/, '')
    .trim();
}

/** Parses an exogenous file; throws PriceFileError (file, row, column) for anything it cannot use. */
export function parseExogenousCsv(text: string, file: string): ExogenousSeries {
  // One splitter for every CSV the app reads: BOM, CRLF, quoted cells, binary files and the row cap as for prices.
  const table = splitCsv(file, text.replace(/^\uFEFF/, ''));
  if (table.header.length === 0) throw new PriceFileError(`${file}: the exogenous file is empty`, file);
  const header = table.header.map((h) => h.trim());
  const smardVon = /^datum von$/i.test(header[0] ?? '') && /^datum bis$/i.test(header[1] ?? '');
  const smardNew = /^datum$/i.test(header[0] ?? '') && /^anfang$/i.test(header[1] ?? '');
  // The first column holds the interval start: `timestamp`, `time_utc`, `Datetime (UTC)`, `start`…
  const timeName = /time|date|start|utc|zeit/i;
  let firstValueCol: number;
  if (smardVon) firstValueCol = 2;
  else if (smardNew) firstValueCol = header.length > 2 && /^ende$/i.test(header[2]) ? 3 : 2;
  else if (timeName.test(header[0] ?? '')) firstValueCol = 1;
  else
    throw new PriceFileError(
      `${file}: row ${table.headerLine}, column 1 (${showCell(header[0] ?? '')}): not an exogenous header; expected SMARD's "Datum von;Datum bis;…" or "timestamp,<name>,…"`,
      file,
      table.headerLine,
      header[0],
    );
  const names = header.slice(firstValueCol).map(cleanName);
  if (names.length === 0 || names.some((n) => n === ''))
    throw new PriceFileError(
      `${file}: row ${table.headerLine}: every value column needs a name`,
      file,
      table.headerLine,
    );
  if (table.rows.length < 2) throw new PriceFileError(`${file}: fewer than two data rows`, file);
  const smard = smardVon || smardNew;
  const iso = isoReader(header[0]);
  const rows: Row[] = [];
  let prevWall = -Infinity;
  let repeatDay = '';
  for (const { line, cells } of table.rows as RawRow[]) {
    if (cells.length < header.length)
      throw new PriceFileError(
        `${file}: row ${line}: ${cells.length} columns, the header has ${header.length}`,
        file,
        line,
      );
    let ms: number;
    if (smard) {
      const when = smardVon ? cells[0] : `${cells[0].trim()} ${cells[1].trim()}`;
      const p = germanDateTime(when);
      if (!p)
        throw new PriceFileError(
          `${file}: row ${line}, column ${header[0]}: ${showCell(when)} is not a time dd.mm.yyyy HH:MM`,
          file,
          line,
          header[0],
        );
      // The autumn hour 02:00–03:00 comes twice; the second time the wall clock goes back, it is CET.
      const wall = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi);
      const dayKey = `${p.y}-${p.mo}-${p.d}`;
      if (wall <= prevWall && p.h === 2) repeatDay = dayKey;
      const repeated = repeatDay === dayKey && p.h === 2;
      ms = cetLocalToUtcMs(p.y, p.mo, p.d, p.h, p.mi, repeated);
      prevWall = wall;
    } else {
      const t = iso.read(cells[0]);
      if (typeof t === 'string')
        throw new PriceFileError(
          `${file}: row ${line}, column ${header[0]}: ${showCell(cells[0].trim())} is not an ISO-8601 time (${t})`,
          file,
          line,
          header[0],
        );
      ms = t;
    }
    const values: number[] = [];
    for (let c = firstValueCol; c < header.length; c++) {
      const v = smard ? parseGermanNumber(cells[c]) : parsePlainNumber(cells[c]);
      if (v === null)
        throw new PriceFileError(
          `${file}: row ${line}, column ${header[c]}: ${showCell(cells[c].trim())} is not a number`,
          file,
          line,
          header[c],
        );
      values.push(v);
    }
    rows.push({ line, ms, values });
  }
  const warnings: ParseWarning[] = iso.notes.map((n) => ({ ...n, message: `${file}: ${n.message}` }));
  return regularise(file, names, rows, warnings);
}

/** Checks order and step length, fills gaps and missing values with the previous value, and reports each. */
function regularise(file: string, names: string[], rows: Row[], warnings: ParseWarning[]): ExogenousSeries {
  const diffs = new Map<number, number>();
  for (let i = 1; i < rows.length; i++) {
    const d = rows[i].ms - rows[i - 1].ms;
    if (d <= 0) {
      const what = d === 0 ? 'repeats the time of' : 'is earlier than';
      throw new PriceFileError(
        `${file}: row ${rows[i].line}: its time ${what} row ${rows[i - 1].line} (${new Date(rows[i].ms).toISOString()})`,
        file,
        rows[i].line,
      );
    }
    diffs.set(d, (diffs.get(d) ?? 0) + 1);
  }
  const stepMs = [...diffs.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const dtHours = stepMs / MS_PER_HOUR;
  if (dtHours !== 1 && dtHours !== 0.25 && dtHours !== 0.5)
    throw new PriceFileError(`${file}: steps of ${stepMs / 60_000} minutes; expected 15, 30 or 60`, file);
  const n = Math.round((rows[rows.length - 1].ms - rows[0].ms) / stepMs) + 1;
  // The price reader's limits, checked before allocating: a far-off timestamp must not ask for gigabytes.
  if (n > MAX_STEPS)
    throw new PriceFileError(
      `${file}: rows ${rows[0].line} to ${rows[rows.length - 1].line} span ${n.toLocaleString('en')} steps; at most ${MAX_STEPS.toLocaleString('en')} are read (a mistyped year?)`,
      file,
    );
  for (let i = 1; i < rows.length; i++) {
    const gapHours = (rows[i].ms - rows[i - 1].ms) / MS_PER_HOUR;
    if (gapHours - dtHours > MAX_GAP_HOURS)
      throw new PriceFileError(
        `${file}: rows ${rows[i - 1].line} and ${rows[i].line} are ${Math.round(gapHours)} h apart; gaps of more than ${MAX_GAP_HOURS} h are not filled (a mistyped date?)`,
        file,
        rows[i].line,
      );
  }
  const timesUtcMs = new Float64Array(n);
  const lineOf = new Int32Array(n);
  const values = names.map(() => new Float64Array(n).fill(Number.NaN));
  let gapCount = 0;
  for (let i = 0; i < rows.length; i++) {
    const k = (rows[i].ms - rows[0].ms) / stepMs;
    if (!Number.isInteger(k)) {
      throw new PriceFileError(
        `${file}: row ${rows[i].line}: ${new Date(rows[i].ms).toISOString()} is off the ${stepMs / 60_000}-minute grid of the file (another step length)`,
        file,
        rows[i].line,
      );
    }
    if (i > 0) {
      const missing = k - (rows[i - 1].ms - rows[0].ms) / stepMs - 1;
      if (missing > 0 && gapCount++ < MAX_DETAILED_WARNINGS) {
        warnings.push({
          kind: 'gap',
          row: rows[i].line,
          message: `${file}: ${missing} step(s) missing between rows ${rows[i - 1].line} and ${rows[i].line}`,
          action: 'filled by repeating the previous value',
        });
      }
    }
    lineOf[k] = rows[i].line;
    for (let j = 0; j < names.length; j++) values[j][k] = rows[i].values[j];
  }
  for (let k = 0; k < n; k++) timesUtcMs[k] = rows[0].ms + k * stepMs;
  let missingCount = 0;
  for (let j = 0; j < names.length; j++) {
    const v = values[j];
    const firstKnown = v.findIndex((x) => !Number.isNaN(x));
    if (firstKnown < 0)
      throw new PriceFileError(`${file}: column ${names[j]} has no values`, file, undefined, names[j]);
    for (let k = 0; k < n; k++) {
      if (!Number.isNaN(v[k])) continue;
      if (lineOf[k] > 0 && missingCount++ < MAX_DETAILED_WARNINGS) {
        warnings.push({
          kind: 'empty',
          row: lineOf[k],
          column: names[j],
          message: `${file}: row ${lineOf[k]}, column ${names[j]}: no value`,
          action: 'filled with the previous value',
        });
      }
      v[k] = k > 0 ? v[k - 1] : v[firstKnown];
    }
  }
  if (gapCount > MAX_DETAILED_WARNINGS)
    warnings.push({
      kind: 'gap',
      message: `${file}: ${gapCount - MAX_DETAILED_WARNINGS} more gaps`,
      action: 'filled by repeating the previous value',
    });
  if (missingCount > MAX_DETAILED_WARNINGS)
    warnings.push({
      kind: 'empty',
      message: `${file}: ${missingCount - MAX_DETAILED_WARNINGS} more empty values`,
      action: 'filled with the previous value',
    });
  return { source: file, names, timesUtcMs, dtHours, values, lines: lineOf, warnings };
}
