// The battery form's fields and their validation through the one battery model (resolveBattery).

import { type BatteryParams, type BatterySpec, BatteryParamError, DEFAULT_BATTERY, resolveBattery } from '../../core/battery/index.ts';

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

/** Valid parameters with the spec that made them, or the field at fault with resolveBattery's message. */
export type ResolvedForm = { ok: true; params: BatteryParams; spec: BatterySpec } | { ok: false; field: string; message: string };

/** Form → validated params. An emptied number field (NaN) is an error naming that field, never a silent default. */
export function resolveForm(f: BatteryForm): ResolvedForm {
  const spec: BatterySpec = { ...f };
  try {
    return { ok: true, params: resolveBattery(spec), spec };
  } catch (e) {
    if (e instanceof BatteryParamError) return { ok: false, field: e.field, message: e.message };
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
