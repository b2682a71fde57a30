// Readable tables for the CLI's non-JSON output.

/** Two-column key/value table. */
export function keyValueTable(rows: [string, string | number][]): string {
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${typeof v === 'number' ? formatNumber(v) : v}`).join('\n');
}

/** A table with a header row; numbers right-aligned. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (typeof rows[0]?.[i] === 'number' ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(2) : a >= 1 ? v.toFixed(3) : v.toPrecision(4);
}

/** Longest line of an error message the CLI prints; longer ones end in "…". */
export const MAX_MESSAGE_CHARS = 300;

/**
 * A message made safe for a terminal: one line, control characters (C0, DEL, C1, bidi overrides, line separators)
 * shown as `\xNN`/`\uNNNN` escapes instead of raw bytes, at most `maxChars` characters.
 */
export function safeLine(message: string, maxChars = MAX_MESSAGE_CHARS): string {
  const escaped = message
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, (c) => {
      const code = c.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    });
  const chars = Array.from(escaped);
  return chars.length <= maxChars ? escaped : chars.slice(0, maxChars - 1).join('') + '…';
}
