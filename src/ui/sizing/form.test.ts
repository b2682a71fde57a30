import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZING_FORM, resolveSizingForm, sizingFormFromJson } from './form.ts';

describe('resolveSizingForm(form)', () => {
  it('gives the axes and economics of the defaults (discount rate from % to a fraction)', () => {
    const r = resolveSizingForm({ ...DEFAULT_SIZING_FORM, discountRatePct: 7 });
    expect(r.ok && r.capacitiesKWh.length).toBe(20);
    expect(r.ok && r.powersKW[0]).toBe(50);
    expect(r.ok && r.economics.discountRate).toBeCloseTo(0.07, 12);
  });
  it.each([
    [{ capacityRange: '100:50:10' }, 'capacityRange', /Capacity range: TO/],
    [{ powerRange: 'x' }, 'powerRange', /Power range/],
    [{ capacityRange: '1:1000:1', powerRange: '1:1000:1' }, 'capacityRange', /more than 40,000/],
    [{ lifetimeYears: Number.NaN }, 'lifetimeYears', /lifetimeYears must be a finite number/],
    [{ discountRatePct: 120 }, 'discountRatePct', /discount rate must be in \[0, 100\) %\/year/],
    [{ capexEurPerKW: -3 }, 'capexEurPerKW', /EUR\/kW/],
  ])('names the field at fault for %j', (patch, field, message) => {
    const r = resolveSizingForm({ ...DEFAULT_SIZING_FORM, ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.field).toBe(field);
      expect(r.message).toMatch(message);
    }
  });
});

describe('sizingFormFromJson(json)', () => {
  it('keeps saved fields of the right type and ignores the rest', () => {
    expect(
      sizingFormFromJson(JSON.stringify({ capacityRange: '10:20:10', lifetimeYears: 'x', omEurPerYear: 12 })),
    ).toEqual({ ...DEFAULT_SIZING_FORM, capacityRange: '10:20:10', omEurPerYear: 12 });
    expect(sizingFormFromJson('{broken')).toEqual(DEFAULT_SIZING_FORM);
  });
});
