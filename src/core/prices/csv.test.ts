import { describe, expect, it } from 'vitest';
import { splitCsv } from './csv.ts';
import { PriceFileError } from './types.ts';

const split = (text: string) => splitCsv('f.csv', text);
function error(text: string): PriceFileError {
  try {
    split(text);
  } catch (e) {
    if (e instanceof PriceFileError) return e;
    throw e;
  }
  throw new Error('expected a PriceFileError');
}

describe('splitCsv(file, text)', () => {
  it('keeps 1-based line numbers across blank lines and leaves blank rows out', () => {
    const t = split('\na;b\n1;2\n\n;\n3;4\n');
    expect(t).toEqual({
      delimiter: ';',
      header: ['a', 'b'],
      headerLine: 2,
      rows: [
        { line: 3, cells: ['1', '2'] },
        { line: 6, cells: ['3', '4'] },
      ],
    });
  });
  it('picks ";" over a tab over "," from the header line', () => {
    expect(split('a\tb,c\n1\t2\n').delimiter).toBe('\t');
    expect(split('a,b;c\n1,2;3\n').rows[0].cells).toEqual(['1,2', '3']);
    expect(split('a,b\n1,2\n').delimiter).toBe(',');
  });
  it('reads quoted cells with the separator and doubled quotes inside, and spaces before a quote', () => {
    expect(split('t,p\n"2023-01-01","1,5"\n x, "say ""hi""" \n').rows.map((r) => r.cells)).toEqual([
      ['2023-01-01', '1,5'],
      [' x', 'say "hi"'],
    ]);
  });
  it('CRLF and classic-Mac CR line ends', () => {
    expect(split('a,b\r\n1,2\r\n').rows).toEqual([{ line: 2, cells: ['1', '2'] }]);
    expect(split('a,b\r1,2\r3,4').rows.map((r) => r.line)).toEqual([2, 3]);
  });
  it('a quote left open names its own line and column, not a later one', () => {
    const e = error('time,price\n1,2\n3,"4\n5,6"\n');
    expect(e.message).toBe(
      'f.csv, row 3, column "price": a quote opens here and does not close on this line; close it or remove the stray " (a cell cannot span lines)',
    );
    expect([e.row, e.column]).toEqual([3, 'price']);
  });
  it('text after a closing quote is refused with the row', () => {
    expect(error('time,price\n1,"2"5\n').message).toBe(
      'f.csv, row 2, column "price": text after the closing quote (""2"5")',
    );
  });
  it('a quote inside an unquoted cell stays part of the cell (the price reader then refuses it)', () => {
    expect(split('t,p\n1,12"5\n').rows[0].cells).toEqual(['1', '12"5']);
  });
  it('a control character means a binary file: refused with its line and code, not echoed', () => {
    const e = error('a,b\n1,2\n3,\u0007\u001b[31m\n');
    expect(e.message).toBe(
      'f.csv: line 3 holds the control character 0x07: this is not a text CSV file (a spreadsheet or another binary file?); export it as CSV',
    );
  });
  it('reports progress up to 1', () => {
    const progress: number[] = [];
    splitCsv('f.csv', 'a,b\n' + '1,2\n'.repeat(70_000), (p) => progress.push(p));
    expect(progress.length).toBe(3);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });
});
