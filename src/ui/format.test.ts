import { describe, expect, it } from 'vitest';
import { count, eur, eurPerMWh, kwh, ms, num, pct, stepLength, utc } from './format.ts';

describe('format', () => {
  it('eur(x) groups thousands, keeps 2 decimals and uses a real minus sign', () => {
    expect(eur(1234.5)).toBe('1,234.50 EUR');
    expect(eur(-3.1)).toBe('−3.10 EUR');
  });
  it('num(x) never shows a negative zero', () => {
    expect(num(-0.001, 2)).toBe('0.00');
  });
  it('pct(share) turns a share into a percentage with one decimal', () => {
    expect(pct(0.9712)).toBe('97.1%');
    expect(pct(1)).toBe('100.0%');
  });
  it('missing or non-finite values print as a dash', () => {
    expect(eur(NaN)).toBe('—');
    expect(pct(undefined)).toBe('—');
    expect(kwh(Infinity)).toBe('—');
  });
  it('kwh switches to MWh above 10,000 kWh', () => {
    expect(kwh(12.34)).toBe('12.3 kWh');
    expect(kwh(25_000)).toBe('25.00 MWh');
  });
  it('eurPerMWh, ms, stepLength, utc and count', () => {
    expect(eurPerMWh(-500)).toBe('−500.00 EUR/MWh');
    expect(ms(3.24)).toBe('3.2 ms');
    expect(ms(42.4)).toBe('42 ms');
    expect(stepLength(15)).toBe('15 min');
    expect(stepLength(60)).toBe('60 min');
    expect(utc(Date.UTC(2023, 0, 1, 5, 30))).toBe('2023-01-01 05:30 UTC');
    expect(count(35040)).toBe('35,040');
  });
});
