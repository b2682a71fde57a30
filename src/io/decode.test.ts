import { describe, expect, it } from 'vitest';
import { decodePriceBytes, decodeWindows1252 } from './decode.ts';
import { PriceFileError } from '../core/prices/types.ts';

const bytes = (...b: number[]) => new Uint8Array(b);
const utf16 = (s: string, be: boolean) => {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i + (be ? 1 : 0)] = c & 0xff;
    out[2 * i + (be ? 0 : 1)] = c >> 8;
  }
  return out;
};

describe('decodePriceBytes(bytes, file)', () => {
  it('UTF-8 with or without a BOM, no note', () => {
    expect(decodePriceBytes(new TextEncoder().encode('Preis (€)'), 'f')).toEqual({ text: 'Preis (€)' });
    expect(decodePriceBytes(bytes(0xef, 0xbb, 0xbf, 0x61), 'f')).toEqual({ text: 'a' });
  });
  it('UTF-16LE and UTF-16BE by their byte-order marks, with a note', () => {
    const le = decodePriceBytes(new Uint8Array([0xff, 0xfe, ...utf16('t;€\n', false)]), 'f');
    expect(le.text).toBe('t;€\n');
    expect(le.note).toMatchObject({ kind: 'encoding', action: 'read as UTF-16LE' });
    const be = decodePriceBytes(new Uint8Array([0xfe, 0xff, ...utf16('t;€\n', true)]), 'f');
    expect(be.text).toBe('t;€\n');
    expect(be.note).toMatchObject({ kind: 'encoding', action: 'read as UTF-16BE' });
  });
  it('UTF-16 without a BOM is recognised by its zero bytes', () => {
    const text = 'timestamp,price\n2023-01-01T00:00Z,1\n';
    expect(decodePriceBytes(utf16(text, false), 'f')).toMatchObject({ text, note: { action: 'read as UTF-16LE' } });
    expect(decodePriceBytes(utf16(text, true), 'f')).toMatchObject({ text, note: { action: 'read as UTF-16BE' } });
  });
  it('bytes that are not UTF-8 are read as Windows-1252, with a note', () => {
    const d = decodePriceBytes(bytes(0x50, 0x80, 0x3b, 0xe4, 0x96, 0x9c), 'f');
    expect(d.text).toBe('P€;ä–œ');
    expect(d.note).toMatchObject({ kind: 'encoding', action: 'read as Windows-1252' });
  });
  it.each([
    [[0x50, 0x4b, 0x03, 0x04, 0, 0], /^w\.csv: this is a ZIP archive/],
    [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1], /^w\.csv: this is an Excel \.xls workbook/],
    [[0x25, 0x50, 0x44, 0x46, 0x2d], /^w\.csv: this is a PDF document/],
    [[0x1f, 0x8b, 8, 0], /^w\.csv: this is a gzip archive/],
  ])('a known binary format gets a hint, not its bytes (%j)', (b, message) => {
    expect(() => decodePriceBytes(new Uint8Array(b), 'w.csv')).toThrow(PriceFileError);
    expect(() => decodePriceBytes(new Uint8Array(b), 'w.csv')).toThrow(message);
  });
});

describe('decodeWindows1252', () => {
  it('maps 0x80–0x9f by the WHATWG table and the rest as Latin-1, also past one chunk', () => {
    expect(decodeWindows1252(bytes(0x80, 0x81, 0x9f, 0xa0, 0xff))).toBe('€\u0081Ÿ\u00a0ÿ');
    const long = new Uint8Array(20_000).fill(0x80);
    expect(decodeWindows1252(long)).toBe('€'.repeat(20_000));
  });
});
