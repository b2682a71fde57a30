// Reads exogenous day-ahead series: SMARD's "Prognostizierte Erzeugung Day-Ahead" export exactly as SMARD
// publishes it, and plain `timestamp,<name>,…` files. DOM-free.
//
// SMARD: UTF-8 with a BOM, CRLF, `;`, German numbers (`56.012,00`, `-` for no value), header
// `Datum von;Datum bis;<name> [MWh] …` (or the newer `Datum;Anfang;Ende;…`), times in German local time
// (Europe/Berlin = CET/CEST) as interval starts, the autumn 02:00 hour written twice (first CEST, then CET).
// Only the interval start is read: SMARD's own `Datum bis` is wrong on the spring DST day
// (`26.03.2023 01:00;25.03.2023 02:00`), and the start with the step length says everything.

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

/** `1234.5`, `-0.25`, `1e3`; empty or `-` → NaN (no value); anything else → null (text). */
export function parsePlainNumber(raw: string, decimalComma: boolean): number | null {
  let s = raw.trim();
  if (s === '' || s === '-' || /^(nan|null|n\/a|na)$/i.test(s)) return Number.NaN;
  if (decimalComma) s = s.replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return null;
  return Number(s);
}

/** `dd.mm.yyyy HH:MM` (seconds optional) → parts, or null. */
function germanDateTime(s: string): { y: number; mo: number; d: number; h: number; mi: number } | null {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::\d{2})?)?$/.exec(s.trim());
  if (!m) return null;
  const [d, mo, y, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0)];
  if (!isValidDate(y, mo, d) || h > 23 || mi > 59) return null;
  return { y, mo, d, h, mi };
}

/** ISO-8601 interval start; without an offset it is read as UTC (and `naive` says so). */
function isoTime(s: string): { ms: number; naive: boolean } | null {
  const t = s.trim().replace(/^"|"$/g, '');
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (!m) return null;
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  if (!isValidDate(y, mo, d) || h > 23 || mi > 59) return null;
  let ms = Date.UTC(y, mo - 1, d, h, mi, sec);
  const off = m[7];
  if (off && off !== 'Z') {
    const sign = off[0] === '-' ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return { ms, naive: !off };
}

interface Row {
  line: number;
  ms: number;
  values: number[];
}

/** Splits text into lines (BOM, CRLF, trailing blank lines handled), keeping 1-based line numbers. */
function lines(text: string): { line: number; text: string }[] {
  const all = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const out: { line: number; text: string }[] = [];
  all.forEach((t, i) => {
    if (t.trim() !== '') out.push({ line: i + 1, text: t });
  });
  return out;
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
  const ls = lines(text);
  if (ls.length === 0) throw new PriceFileError(`${file}: the exogenous file is empty`, file);
  const headerText = ls[0].text;
  const sep = headerText.includes(';') ? ';' : headerText.includes('\t') ? '\t' : ',';
  const header = headerText.split(sep).map((h) => h.trim().replace(/^"|"$/g, ''));
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
      `${file}: row 1, column 1 ("${header[0] ?? ''}"): not an exogenous header; expected SMARD's "Datum von;Datum bis;…" or "timestamp,<name>,…"`,
      file,
      1,
      header[0],
    );
  const names = header.slice(firstValueCol).map(cleanName);
  if (names.length === 0 || names.some((n) => n === ''))
    throw new PriceFileError(`${file}: row 1: every value column needs a name`, file, 1);
  if (ls.length < 3) throw new PriceFileError(`${file}: fewer than two data rows`, file);
  const smard = smardVon || smardNew;
  const decimalComma = !smard && sep === ';';
  const warnings: ParseWarning[] = [];
  let naiveIso = false;
  const rows: Row[] = [];
  let prevWall = -Infinity;
  let repeatDay = '';
  for (let r = 1; r < ls.length; r++) {
    const { line, text: t } = ls[r];
    const cells = t.split(sep);
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
          `${file}: row ${line}, column ${header[0]}: "${when}" is not a time dd.mm.yyyy HH:MM`,
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
      const p = isoTime(cells[0]);
      if (!p)
        throw new PriceFileError(
          `${file}: row ${line}, column ${header[0]}: "${cells[0].trim()}" is not an ISO-8601 time`,
          file,
          line,
          header[0],
        );
      naiveIso ||= p.naive;
      ms = p.ms;
    }
    const values: number[] = [];
    for (let c = firstValueCol; c < header.length; c++) {
      const v = smard ? parseGermanNumber(cells[c]) : parsePlainNumber(cells[c], decimalComma);
      if (v === null)
        throw new PriceFileError(
          `${file}: row ${line}, column ${header[c]}: "${cells[c].trim()}" is not a number`,
          file,
          line,
          header[c],
        );
      values.push(v);
    }
    rows.push({ line, ms, values });
  }
  if (naiveIso)
    warnings.push({
      kind: 'other',
      message: `${file}: timestamps without an offset were read as UTC`,
      action: 'read as UTC',
    });
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
