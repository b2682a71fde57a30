// Bytes of a price file to text, the same for the page (parse worker) and the CLI. A byte-order mark decides
// (UTF-8, UTF-16LE, UTF-16BE); without one, UTF-16 is recognised by its zero bytes, valid UTF-8 is read as UTF-8 and
// anything else as Windows-1252 (what Excel on Windows writes as "CSV"), with a note saying so. Known binary formats
// (a spreadsheet, a zip, a PDF) get a hint instead of their bytes.

import { type ParseWarning, PriceFileError } from '../core/prices/types.ts';

export interface Decoded {
  text: string;
  /** An encoding note for the series' warnings (absent for plain UTF-8). */
  note?: ParseWarning;
}

/** Windows-1252 for bytes 0x80–0x9f (WHATWG encoding standard; the five unassigned bytes map to C1 controls). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

const SIGNATURES: [number[], string][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (an Excel .xlsx or .ods workbook?)'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an Excel .xls workbook'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x1f, 0x8b], 'a gzip archive'],
];

/** Decodes Windows-1252 bytes. */
export function decodeWindows1252(bytes: Uint8Array): string {
  const CHUNK = 8192;
  const parts: string[] = [];
  const codes = new Uint16Array(CHUNK);
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      codes[i - start] = b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] : b;
    }
    parts.push(String.fromCharCode(...codes.subarray(0, end - start)));
  }
  return parts.join('');
}

function decodeUtf16(bytes: Uint8Array, bigEndian: boolean): string {
  const even = bytes.length - (bytes.length % 2);
  let le = bytes.subarray(0, even);
  if (bigEndian) {
    le = new Uint8Array(even);
    for (let i = 0; i < even; i += 2) {
      le[i] = bytes[i + 1];
      le[i + 1] = bytes[i];
    }
  }
  return new TextDecoder('utf-16le').decode(le);
}

/** Which of the two byte positions holds the zeros of ASCII text in UTF-16 without a BOM, if either. */
function utf16WithoutBom(bytes: Uint8Array): 'le' | 'be' | null {
  const n = Math.min(bytes.length - (bytes.length % 2), 4096);
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > 0.3 * pairs && evenZeros < 0.05 * pairs) return 'le';
  if (evenZeros > 0.3 * pairs && oddZeros < 0.05 * pairs) return 'be';
  return null;
}

/** Bytes to text (see the module comment); throws PriceFileError for a known binary format. */
export function decodePriceBytes(bytes: Uint8Array, file: string): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)) };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: decodeUtf16(bytes.subarray(2), false), note: encodingNote('UTF-16LE (byte-order mark)') };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: decodeUtf16(bytes.subarray(2), true), note: encodingNote('UTF-16BE (byte-order mark)') };
  }
  for (const [magic, what] of SIGNATURES) {
    if (magic.every((b, i) => bytes[i] === b)) {
      throw new PriceFileError(`${file}: this is ${what}, not a CSV text file; export the prices as CSV`, file);
    }
  }
  const utf16 = utf16WithoutBom(bytes);
  if (utf16)
    return {
      text: decodeUtf16(bytes, utf16 === 'be'),
      note: encodingNote(`UTF-16${utf16.toUpperCase()} (no byte-order mark; zero bytes between the characters)`),
    };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { text: decodeWindows1252(bytes), note: encodingNote('Windows-1252 (the file is not valid UTF-8)') };
  }
}

function encodingNote(how: string): ParseWarning {
  return { kind: 'encoding', message: `text encoding: ${how}`, action: `read as ${how.split(' (')[0]}` };
}
