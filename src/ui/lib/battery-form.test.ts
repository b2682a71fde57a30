import { describe, expect, it } from 'vitest';
import { DEFAULT_FORM, formFromJson, resolveForm } from './battery-form.ts';

describe('battery form', () => {
  it('resolveForm(defaults) gives the model’s default battery', () => {
    const r = resolveForm({ ...DEFAULT_FORM });
    expect(r.ok && r.params.capacityKWh).toBe(100);
    expect(r.ok && r.params.chargePowerKW).toBe(50);
  });
  it('resolveForm names the field at fault with the model’s message', () => {
    expect(resolveForm({ ...DEFAULT_FORM, capacityKWh: -5 })).toMatchObject({ ok: false, field: 'capacityKWh' });
    expect(resolveForm({ ...DEFAULT_FORM, chargeEfficiency: 1.2 })).toMatchObject({ ok: false, field: 'chargeEfficiency' });
    expect(resolveForm({ ...DEFAULT_FORM, initialSocKWh: 500 })).toMatchObject({ ok: false, field: 'initialSocKWh' });
  });
  it('an emptied field (NaN) is an error, not a silent default', () => {
    const r = resolveForm({ ...DEFAULT_FORM, powerKW: NaN });
    expect(r).toMatchObject({ ok: false, field: 'powerKW' });
  });
  it('formFromJson keeps valid saved values and ignores nulls, strings and junk', () => {
    expect(formFromJson('{"capacityKWh":250,"powerKW":null,"chargeEfficiency":"x","sharedPowerLimit":false}')).toEqual({ ...DEFAULT_FORM, capacityKWh: 250, sharedPowerLimit: false });
    expect(formFromJson('not json')).toEqual(DEFAULT_FORM);
    expect(formFromJson(null)).toEqual(DEFAULT_FORM);
  });
});
