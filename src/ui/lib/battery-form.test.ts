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
    expect(resolveForm({ ...DEFAULT_FORM, chargeEfficiency: 1.2 })).toMatchObject({
      ok: false,
      field: 'chargeEfficiency',
    });
    expect(resolveForm({ ...DEFAULT_FORM, initialSocKWh: 500 })).toMatchObject({ ok: false, field: 'initialSocKWh' });
  });
  it('an emptied field (NaN) is an error, not a silent default', () => {
    const r = resolveForm({ ...DEFAULT_FORM, powerKW: NaN });
    expect(r).toMatchObject({ ok: false, field: 'powerKW', message: 'Power (kW) must be a number.' });
  });
  it('messages use the form’s labels and units, never internal names or NaN', () => {
    const msg = (f: Partial<typeof DEFAULT_FORM>) => {
      const r = resolveForm({ ...DEFAULT_FORM, ...f });
      return r.ok ? '' : r.message;
    };
    expect(msg({ capacityKWh: -5 })).toBe('Capacity (kWh) must be between 0 and 1000000000, got −5.');
    expect(msg({ chargeEfficiency: 1.2 })).toBe('Charge efficiency (0–1) must be between 0.01 and 1, got 1.2.');
    // Near the float limits: the model's physical ranges, not Infinity profits.
    expect(msg({ powerKW: 1e300 })).toBe('Power (kW) must be between 0 and 1000000000, got 1e+300.');
    expect(msg({ dischargeEfficiency: 1e-300 })).toBe(
      'Discharge efficiency (0–1) must be between 0.01 and 1, got 1e−300.',
    );
    expect(msg({ degradationEurPerKWh: 1e300 })).toBe('Degradation (EUR/kWh) must be between 0 and 1000, got 1e+300.');
    expect(msg({ initialSocKWh: 500 })).toBe(
      'Initial SOC (kWh) must be between 0 and the capacity (100 kWh), got 500.',
    );
    expect(msg({ degradationEurPerKWh: NaN })).toBe('Degradation (EUR/kWh) must be a number.');
    for (const f of [{ powerKW: NaN }, { capacityKWh: -1 }, { dischargeEfficiency: 0 }])
      expect(msg(f)).not.toMatch(/NaN|KWh|KW\b|Efficiency/);
  });
  it('formFromJson keeps valid saved values and ignores nulls, strings and junk', () => {
    expect(formFromJson('{"capacityKWh":250,"powerKW":null,"chargeEfficiency":"x","sharedPowerLimit":false}')).toEqual({
      ...DEFAULT_FORM,
      capacityKWh: 250,
      sharedPowerLimit: false,
    });
    expect(formFromJson('not json')).toEqual(DEFAULT_FORM);
    expect(formFromJson(null)).toEqual(DEFAULT_FORM);
  });
});
