// The thin shell around papaparse: text in, rows with line numbers out, then the core parser.
import Papa from 'papaparse';
import { parsePriceRows, type RawRow } from '../core/prices/parse.ts';
import { type PriceSeries, PriceFileError } from '../core/prices/types.ts';

const CHUNK_BYTES = 1 << 20;

/** Splits CSV text (either separator, quoted or not) and parses it into a PriceSeries. */
export function parsePriceCsv(text: string, fileName: string, onProgress?: (share: number) => void): PriceSeries {
  const clean = text.replace(/^\uFEFF/, '');
  if (clean.trim() === '') throw new PriceFileError(`${fileName}: the file is empty`, fileName);
  const firstLine = clean.slice(0, clean.search(/\r?\n|$/));
  // Semicolon wins when the header has one: decimal commas then stay inside their cells.
  const delimiter = firstLine.includes(';') ? ';' : firstLine.includes('\t') ? '\t' : ',';
  const rows: RawRow[] = [];
  let header: string[] | null = null;
  let line = 0;
  const take = (data: string[][]) => {
    for (const cells of data) {
      line++;
      if (header === null) header = cells;
      else rows.push({ line, cells });
    }
  };
  if (onProgress && clean.length > CHUNK_BYTES) {
    // Chunked so a worker can report progress on a 350,000-row file.
    let done = 0;
    for (let start = 0; start < clean.length; ) {
      let end = Math.min(clean.length, start + CHUNK_BYTES);
      if (end < clean.length) end = clean.indexOf('\n', end) + 1 || clean.length;
      const res = Papa.parse<string[]>(clean.slice(start, end), { delimiter, skipEmptyLines: false });
      const data = res.data;
      if (data.length && data[data.length - 1].length === 1 && data[data.length - 1][0] === '') data.pop();
      take(data);
      done = end;
      start = end;
      onProgress(done / clean.length);
    }
  } else {
    const res = Papa.parse<string[]>(clean, { delimiter, skipEmptyLines: false });
    const data = res.data;
    if (data.length && data[data.length - 1].length === 1 && data[data.length - 1][0] === '') data.pop();
    take(data);
  }
  return parsePriceRows(fileName, header ?? [], rows);
}
