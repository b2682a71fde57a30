import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ECONOMICS,
  HOURS_PER_YEAR,
  SizingParamError,
  annuityFactor,
  cellEconomics,
  resolveEconomics,
} from './index.ts';

describe('cellEconomics(profit, spanHours, capacity, power, economics)', () => {
  it('NPV and paybacks on a hand-checked case', () => {
    // 100 kWh × 50 kW earned 1,000 EUR over half a 365-day year (4,380 h) → 2,000 EUR/year.
    // capex = 150 EUR/kWh × 100 + 50 EUR/kW × 50 = 15,000 + 2,500 = 17,500 EUR; O&M 250 EUR/year → net 1,750.
    // A(10 y, 5 %) = (1 − 1.05^−10) / 0.05 = (1 − 0.6139133) / 0.05 = 7.7217349
    // NPV = −17,500 + 1,750 × 7.7217349 = −17,500 + 13,513.036 = −3,986.964 EUR
    // simple payback = 17,500 / 1,750 = 10 years
    // discounted payback: 1,750 × A(t) = 17,500 ⇔ 1.05^−t = 1 − 0.05 × 10 = 0.5 ⇔ t = ln 2 / ln 1.05 = 14.2067 years
    // profit per kWh installed = 2,000 / 100 = 20 EUR/kWh/year
    const e = resolveEconomics({
      capexEurPerKWh: 150,
      capexEurPerKW: 50,
      omEurPerYear: 250,
      lifetimeYears: 10,
      discountRate: 0.05,
    });
    const r = cellEconomics(1000, 4380, 100, 50, e);
    expect(r.annualProfitEur).toBeCloseTo(2000, 9);
    expect(r.capexEur).toBe(17500);
    expect(r.npvEur).toBeCloseTo(-3986.964, 2);
    expect(r.paybackYears).toBeCloseTo(10, 12);
    expect(r.discountedPaybackYears).toBeCloseTo(14.2067, 4);
    expect(r.annualProfitEurPerKWh).toBeCloseTo(20, 12);
  });

  it('a second hand-checked case that pays back within its life', () => {
    // 1,750 EUR over a full 8,760-h year; capex 50 × 100 + 40 × 50 = 7,000 EUR; no O&M; 5 years at 10 %.
    // A(5, 10 %) = (1 − 1.1^−5) / 0.1 = (1 − 0.6209213) / 0.1 = 3.7907868; NPV = −7,000 + 1,750 × 3.7907868 = −366.123
    // simple payback 7,000 / 1,750 = 4 years; discounted: 1.1^−t = 1 − 0.1 × 4 = 0.6, t = −ln 0.6 / ln 1.1 = 5.3596
    const e = resolveEconomics({
      capexEurPerKWh: 50,
      capexEurPerKW: 40,
      omEurPerYear: 0,
      lifetimeYears: 5,
      discountRate: 0.1,
    });
    const r = cellEconomics(1750, HOURS_PER_YEAR, 100, 50, e);
    expect(r.npvEur).toBeCloseTo(-366.123, 2);
    expect(r.paybackYears).toBeCloseTo(4, 12);
    expect(r.discountedPaybackYears).toBeCloseTo(5.3596, 4);
  });

  it('at a zero discount rate NPV is lifetime × net − capex and both paybacks agree', () => {
    const e = resolveEconomics({
      capexEurPerKWh: 150,
      capexEurPerKW: 50,
      omEurPerYear: 250,
      lifetimeYears: 10,
      discountRate: 0,
    });
    const r = cellEconomics(1000, 4380, 100, 50, e);
    expect(r.npvEur).toBeCloseTo(0, 9); // 10 × 1,750 − 17,500
    expect(r.discountedPaybackYears).toBe(r.paybackYears);
  });

  it('never pays back when net income is not positive, or when discounting outruns it', () => {
    const e = resolveEconomics({ omEurPerYear: 3000 });
    expect(cellEconomics(1000, HOURS_PER_YEAR, 100, 50, e).paybackYears).toBeNull();
    expect(cellEconomics(1000, HOURS_PER_YEAR, 100, 50, e).discountedPaybackYears).toBeNull();
    // net 1,000/year, capex 50,000 at 5 %: the annuity tends to 20,000 < capex.
    const slow = cellEconomics(1000, HOURS_PER_YEAR, 300, 100, resolveEconomics({ discountRate: 0.05 }));
    expect(slow.paybackYears).toBeCloseTo(50, 9);
    expect(slow.discountedPaybackYears).toBeNull();
  });

  it('an empty battery has no capex, pays back at once and has no profit per kWh', () => {
    const r = cellEconomics(0, HOURS_PER_YEAR, 0, 0, DEFAULT_ECONOMICS);
    expect(r).toMatchObject({
      capexEur: 0,
      npvEur: 0,
      paybackYears: 0,
      discountedPaybackYears: 0,
      annualProfitEurPerKWh: null,
    });
    // …unless O&M makes every year a loss: then it never pays.
    const om = cellEconomics(0, HOURS_PER_YEAR, 0, 0, resolveEconomics({ omEurPerYear: 100 }));
    expect(om).toMatchObject({ paybackYears: null, discountedPaybackYears: null });
    expect(om.npvEur).toBeLessThan(0);
  });

  it('annuityFactor tends to the number of years as the rate goes to 0', () => {
    expect(annuityFactor(15, 1e-9)).toBeCloseTo(15, 5);
    expect(annuityFactor(15, 0)).toBe(15);
  });
});

describe('resolveEconomics(spec)', () => {
  it('fills defaults', () => expect(resolveEconomics({})).toEqual(DEFAULT_ECONOMICS));
  it.each([
    [{ capexEurPerKWh: -1 }, 'capexEurPerKWh'],
    [{ capexEurPerKW: -1 }, 'capexEurPerKW'],
    [{ omEurPerYear: -1 }, 'omEurPerYear'],
    [{ lifetimeYears: 0 }, 'lifetimeYears'],
    [{ discountRate: 1 }, 'discountRate'],
    [{ discountRate: -0.01 }, 'discountRate'],
    [{ discountRate: Number.NaN }, 'discountRate'],
  ])('rejects %j naming %s', (spec, field) => {
    expect(() => resolveEconomics(spec)).toThrow(SizingParamError);
    try {
      resolveEconomics(spec);
    } catch (e) {
      expect((e as SizingParamError).field).toBe(field);
    }
  });
});
