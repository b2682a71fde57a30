// Splits the text of a price CSV into a header and rows with their line numbers. One splitter for the page (the
// parse worker) and the CLI, so that both read every file the same way, however large it is.
//
// Quoting follows RFC 4180 within a line: a cell may be wrapped in double quotes (a doubled quote inside stands for
// one), so a quoted cell can hold the separator. A price file never needs a cell spanning lines, so a quote that is
// still open at the end of its line is an error naming that line, instead of silently swallowing the rows after it
// into one cell (what a multi-line CSV reader does with a stray quote).

import { PriceFileError } from './types.ts';
import { MAX_ROWS } from './limits.ts';
import { showCell } from './text.ts';

/** One data row with its 1-based line number in the file. */
export interface RawRow {
  line: number;
  cells: string[];
}

export interface CsvTable {
  delimiter: ',' | ';' | '\t';
  /** The first non-blank line, split. */
  header: string[];
  headerLine: number;
  /** Data rows; blank lines (and lines of empty cells only) are left out. */
  rows: RawRow[];
}

/** Control characters that never occur in a text CSV (tab, line feed and carriage return do). */

const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** How often (in lines) progress is reported. */
const PROGRESS_EVERY_LINES = 32_768;

/** Splits one line; a quote left open, or text after a closing quote, throws with the line and column. */
function splitQuoted(file: string, text: string, line: number, delimiter: string, header: string[] | null): string[] {
  const cells: string[] = [];
  const columnName = () =>
    header && header[cells.length] !== undefined
      ? `column ${showCell(header[cells.length].trim())}`
      : `column ${cells.length + 1}`;
  let i = 0;
  for (;;) {
    // Leading spaces before an opening quote are allowed (`a, "b"`).
    let j = i;
    while (text[j] === ' ') j++;
    if (text[j] === '"') {
      let value = '';
      let k = j + 1;
      for (;;) {
        const q = text.indexOf('"', k);
        if (q < 0) {
          throw new PriceFileError(
            `${file}, row ${line}, ${columnName()}: a quote opens here and does not close on this line; close it or remove the stray " (a cell cannot span lines)`,
            file,
            line,
            header?.[cells.length]?.trim(),
          );
        }
        value += text.slice(k, q);
        if (text[q + 1] === '"') {
          value += '"';
          k = q + 2;
          continue;
        }
        k = q + 1;
        break;
      }
      while (text[k] === ' ') k++;
      if (k < text.length && text[k] !== delimiter) {
        throw new PriceFileError(
          `${file}, row ${line}, ${columnName()}: text after the closing quote (${showCell(text.slice(j))})`,
          file,
          line,
          header?.[cells.length]?.trim(),
        );
      }
      cells.push(value);
      if (k >= text.length) return cells;
      i = k + 1;
    } else {
      const end = text.indexOf(delimiter, i);
      if (end < 0) {
        cells.push(text.slice(i));
        return cells;
      }
      cells.push(text.slice(i, end));
      i = end + 1;
    }
  }
}

/**
 * Splits CSV text into a header and data rows with 1-based line numbers. The separator is `;` when the header has
 * one (decimal commas then stay inside their cells), else a tab, else `,`. Throws PriceFileError for a quote left
 * open (naming its line), for a NUL character (not a text file) and past MAX_ROWS data rows.
 */
export function splitCsv(file: string, text: string, onProgress?: (share: number) => void): CsvTable {
  const control = text.search(BINARY);
  if (control >= 0) {
    const line = countLines(text, control);
    const code = text.charCodeAt(control).toString(16).padStart(2, '0');
    throw new PriceFileError(
      `${file}: line ${line} holds the control character 0x${code}: this is not a text CSV file (a spreadsheet or another binary file?); export it as CSV`,
      file,
      line,
    );
  }
  const lineEnd = text.indexOf('\n') >= 0 || text.indexOf('\r') < 0 ? '\n' : '\r'; // '\r' alone: classic Mac files
  const rows: RawRow[] = [];
  let header: string[] | null = null;
  let headerLine = 0;
  let delimiter: CsvTable['delimiter'] = ',';
  let line = 0;
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf(lineEnd, start);
    if (end < 0) end = text.length;
    let s = text.slice(start, end);
    if (s.endsWith('\r')) s = s.slice(0, -1);
    line++;
    start = end + 1;
    if (onProgress && line % PROGRESS_EVERY_LINES === 0) onProgress(Math.min(1, start / text.length));
    if (s.trim() === '') continue;
    if (header === null) {
      delimiter = s.includes(';') ? ';' : s.includes('\t') ? '\t' : ',';
      header = s.includes('"') ? splitQuoted(file, s, line, delimiter, null) : s.split(delimiter);
      headerLine = line;
      continue;
    }
    const cells = s.includes('"') ? splitQuoted(file, s, line, delimiter, header) : s.split(delimiter);
    if (cells.every((c) => c.trim() === '')) continue;
    if (rows.length >= MAX_ROWS) {
      throw new PriceFileError(
        `${file}: more than ${MAX_ROWS.toLocaleString('en')} data rows (row ${line}); split the file (the limit keeps the page responsive)`,
        file,
        line,
      );
    }
    rows.push({ line, cells });
  }
  onProgress?.(1);
  return { delimiter, header: header ?? [], headerLine, rows };
}

/** 1-based line number of a character offset. */
function countLines(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
