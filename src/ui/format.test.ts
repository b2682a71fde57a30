import { describe, expect, it } from 'vitest';
import { count, energy, eur, eurPerMWYear, eurPerMWh, kwh, ms, num, pct, power, stepLength, utc } from './format.ts';

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
  it("energy and power in a trader's units: MWh and MW beside kWh and kW", () => {
    expect(energy(1234.5, 'kW')).toBe('1,234.5 kWh');
    expect(energy(1234.5, 'MW')).toBe('1.235 MWh');
    expect(energy(52_400, 'MW')).toBe('52.4 MWh');
    expect(power(50, 'kW')).toBe('50 kW');
    expect(power(50, 'MW')).toBe('0.050 MW');
    expect(energy(NaN, 'MW')).toBe('—');
  });
  it('eurPerMWYear scales profit to one MW of power and one year of data', () => {
    // 6,000 EUR over half a year (4,380 h) with a 50 kW battery: 6,000 / 0.05 MW / 0.5 year.
    expect(eurPerMWYear(6000, 50, 4380)).toBe('240,000 EUR/MW/year');
    expect(eurPerMWYear(6000, 0, 4380)).toBe('—');
    expect(eurPerMWYear(null, 50, 8760)).toBe('—');
  });
});
