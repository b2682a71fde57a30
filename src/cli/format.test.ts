import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_MESSAGE_CHARS, safeLine } from './format.ts';

// C0, DEL, C1 and the invisible Unicode controls that can reorder or hide what a terminal shows.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

// Any code points, biased towards the low ranges where the controls are (fc's 'binary' unit generates slowly).
const anyText = fc
  .array(fc.oneof(fc.integer({ min: 0, max: 0x2070 }), fc.integer({ min: 0, max: 0x10ffff })), { maxLength: 600 })
  .map((codes) => String.fromCodePoint(...codes));

describe('safeLine(message)', () => {
  it('escapes control characters instead of printing them', () => {
    expect(safeLine('bad \u001b[31mred\u0007 \u0000 \u202e')).toBe('bad \\x1b[31mred\\x07 \\x00 \\u202e');
  });

  it('joins lines into one', () => {
    expect(safeLine('first\r\n  second\nthird')).toBe('first second third');
  });

  it('cuts a long message to the limit, ending in …, without splitting a character', () => {
    const long = '😀'.repeat(400);
    const out = safeLine(long);
    expect(Array.from(out)).toHaveLength(MAX_MESSAGE_CHARS);
    expect(out.endsWith('😀…')).toBe(true);
    expect(safeLine('short')).toBe('short');
  });

  it('gives one bounded line free of control characters for any input', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const out = safeLine(s);
        return !CONTROL.test(out) && Array.from(out).length <= MAX_MESSAGE_CHARS;
      }),
      { numRuns: 300 },
    );
  });
});
