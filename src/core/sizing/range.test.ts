import { describe, expect, it } from 'vitest';
import { MAX_AXIS_VALUES, SizingParamError, parseRange } from './range.ts';

describe('parseRange(text, field)', () => {
  it('expands FROM:TO:STEP including TO when the steps land on it', () => {
    expect(parseRange('100:500:100', 'capacity')).toEqual([100, 200, 300, 400, 500]);
    expect(parseRange('0:1:0.25', 'x')).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
  it('stops below TO when the steps do not land on it', () => {
    expect(parseRange('10:35:10', 'x')).toEqual([10, 20, 30]);
  });
  it('does not drift with decimal steps (multiplies, rounds float noise)', () => {
    const r = parseRange('0.1:1:0.1', 'x');
    expect(r).toHaveLength(10);
    expect(r[2]).toBe(0.3);
    expect(r[9]).toBe(1);
  });
  it('accepts one number as a one-value axis, and FROM = TO', () => {
    expect(parseRange('50', 'x')).toEqual([50]);
    expect(parseRange('50:50:10', 'x')).toEqual([50]);
  });
  it.each([
    ['abc', /x must be FROM:TO:STEP|value must be a number/],
    ['1:2', /FROM:TO:STEP or one number/],
    ['1:2:3:4', /FROM:TO:STEP or one number/],
    ['1:x:1', /TO must be a number, got "x"/],
    ['1::1', /TO must be a number/],
    ['-5:10:5', /FROM must be ≥ 0/],
    ['10:5:1', /TO \(5\) must be ≥ FROM \(10\)/],
    ['1:10:0', /STEP must be > 0/],
    ['1:10:-1', /STEP must be > 0/],
    ['-1', /must be ≥ 0/],
    [`0:${MAX_AXIS_VALUES}:1`, /more than 1000; use a larger STEP/],
  ])('rejects %j with a message naming the axis', (text, message) => {
    let err: unknown;
    try {
      parseRange(text, 'x');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SizingParamError);
    expect((err as SizingParamError).field).toBe('x');
    expect((err as Error).message).toMatch(/^x/);
    expect((err as Error).message).toMatch(message);
  });
});
