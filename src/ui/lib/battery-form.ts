// The battery form's fields and their validation through the one battery model (resolveBattery).

import {
  type BatteryParams,
  type BatterySpec,
  BATTERY_LIMITS,
  BatteryParamError,
  DEFAULT_BATTERY,
  resolveBattery,
} from '../../core/battery/index.ts';

/** The editable fields, in the units their names say. */
export interface BatteryForm {
  capacityKWh: number;
  powerKW: number;
  chargeEfficiency: number;
  dischargeEfficiency: number;
  degradationEurPerKWh: number;
  initialSocKWh: number;
  sharedPowerLimit: boolean;
}

export const DEFAULT_FORM: Readonly<BatteryForm> = Object.freeze({
  capacityKWh: DEFAULT_BATTERY.capacityKWh,
  powerKW: DEFAULT_BATTERY.chargePowerKW,
  chargeEfficiency: DEFAULT_BATTERY.chargeEfficiency,
  dischargeEfficiency: DEFAULT_BATTERY.dischargeEfficiency,
  degradationEurPerKWh: DEFAULT_BATTERY.degradationEurPerKWh,
  initialSocKWh: DEFAULT_BATTERY.initialSocKWh,
  sharedPowerLimit: DEFAULT_BATTERY.sharedPowerLimit,
});

/** What the form calls each field, with its unit: messages use these, never the internal names. */
export const FIELD_LABELS: Readonly<
  Record<Exclude<keyof BatteryForm, 'sharedPowerLimit'>, { label: string; unit: string }>
> = Object.freeze({
  capacityKWh: { label: 'Capacity', unit: 'kWh' },
  powerKW: { label: 'Power', unit: 'kW' },
  chargeEfficiency: { label: 'Charge efficiency', unit: '0–1' },
  dischargeEfficiency: { label: 'Discharge efficiency', unit: '0–1' },
  degradationEurPerKWh: { label: 'Degradation', unit: 'EUR/kWh' },
  initialSocKWh: { label: 'Initial SOC', unit: 'kWh' },
});

/** The form field that shows a model field's error (charge/discharge power are the form's one power field). */
export function formFieldOf(field: string): keyof typeof FIELD_LABELS | null {
  if (field in FIELD_LABELS) return field as keyof typeof FIELD_LABELS;
  if (field === 'chargePowerKW' || field === 'dischargePowerKW') return 'powerKW';
  if (field === 'minSocKWh' || field === 'maxSocKWh') return 'capacityKWh';
  return null;
}

const fmt = (v: number) => String(v).replace('-', '−');

/** The message for a bad field, in the form's words: "Power (kW) must be a number", "Capacity (kWh) must be 0 or more, got −5". */
export function fieldMessage(field: string, f: BatteryForm): string {
  const key = formFieldOf(field);
  if (!key) return `The battery parameters do not fit together (${field}).`;
  const { label, unit } = FIELD_LABELS[key];
  const name = `${label} (${unit})`;
  const v = f[key];
  if (!Number.isFinite(v)) return `${name} must be a number.`;
  switch (key) {
    // The model's physical ranges (BATTERY_LIMITS), in the form's words.
    case 'chargeEfficiency':
    case 'dischargeEfficiency':
      return `${name} must be between ${BATTERY_LIMITS.minEfficiency} and 1, got ${fmt(v)}.`;
    case 'initialSocKWh':
      return `${name} must be between 0 and the capacity (${fmt(f.capacityKWh)} kWh), got ${fmt(v)}.`;
    case 'capacityKWh':
      return `${name} must be between 0 and ${fmt(BATTERY_LIMITS.maxCapacityKWh)}, got ${fmt(v)}.`;
    case 'powerKW':
      return `${name} must be between 0 and ${fmt(BATTERY_LIMITS.maxPowerKW)}, got ${fmt(v)}.`;
    case 'degradationEurPerKWh':
      return `${name} must be between 0 and ${fmt(BATTERY_LIMITS.maxDegradationEurPerKWh)}, got ${fmt(v)}.`;
  }
}

/** Valid parameters with the spec that made them, or the form field at fault with a message in the form's words. */
export type ResolvedForm =
  { ok: true; params: BatteryParams; spec: BatterySpec } | { ok: false; field: string; message: string };

/** Form → validated params. An emptied number field (NaN) is an error naming that field, never a silent default. */
export function resolveForm(f: BatteryForm): ResolvedForm {
  const spec: BatterySpec = { ...f };
  try {
    return { ok: true, params: resolveBattery(spec), spec };
  } catch (e) {
    if (e instanceof BatteryParamError)
      return { ok: false, field: formFieldOf(e.field) ?? e.field, message: fieldMessage(e.field, f) };
    return { ok: false, field: '', message: (e as Error).message };
  }
}

/** A saved form (JSON) merged over the defaults; anything not of the right type is ignored. */
export function formFromJson(json: string | null): BatteryForm {
  const form: BatteryForm = { ...DEFAULT_FORM };
  try {
    const saved = JSON.parse(json ?? 'null') as Record<string, unknown> | null;
    if (!saved || typeof saved !== 'object') return form;
    for (const k of Object.keys(DEFAULT_FORM) as (keyof BatteryForm)[]) {
      const v = saved[k];
      if (k === 'sharedPowerLimit') {
        if (typeof v === 'boolean') form.sharedPowerLimit = v;
      } else if (typeof v === 'number' && Number.isFinite(v)) form[k] = v;
    }
  } catch {
    // Corrupt storage: defaults.
  }
  return form;
}
