// The sizing form's fields and their validation through core/sizing (parseRange, resolveEconomics).

import {
  type Economics,
  DEFAULT_ECONOMICS,
  SizingParamError,
  parseRange,
  resolveEconomics,
} from '../../core/sizing/index.ts';

/** The editable fields, in the units their names say. */
export interface SizingForm {
  /** Capacity axis, kWh, `FROM:TO:STEP`. */
  capacityRange: string;
  /** Power axis, kW, `FROM:TO:STEP`. */
  powerRange: string;
  capexEurPerKWh: number;
  capexEurPerKW: number;
  omEurPerYear: number;
  lifetimeYears: number;
  /** Discount rate, % per year (the core takes a fraction). */
  discountRatePct: number;
}

export const DEFAULT_SIZING_FORM: Readonly<SizingForm> = Object.freeze({
  capacityRange: '100:2000:100',
  powerRange: '50:1000:50',
  capexEurPerKWh: DEFAULT_ECONOMICS.capexEurPerKWh,
  capexEurPerKW: DEFAULT_ECONOMICS.capexEurPerKW,
  omEurPerYear: DEFAULT_ECONOMICS.omEurPerYear,
  lifetimeYears: DEFAULT_ECONOMICS.lifetimeYears,
  discountRatePct: DEFAULT_ECONOMICS.discountRate * 100,
});

/** Most cells the page runs at once. */
export const MAX_PAGE_CELLS = 40_000;

export type ResolvedSizing =
  | { ok: true; capacitiesKWh: number[]; powersKW: number[]; economics: Economics }
  | { ok: false; field: keyof SizingForm; message: string };

const FIELD_OF: Record<string, keyof SizingForm> = { discountRate: 'discountRatePct' };

/** Form → axes and economics, or the field at fault with its message. */
export function resolveSizingForm(f: SizingForm): ResolvedSizing {
  let capacitiesKWh: number[];
  let powersKW: number[];
  try {
    capacitiesKWh = parseRange(f.capacityRange, 'Capacity range');
  } catch (e) {
    return { ok: false, field: 'capacityRange', message: (e as Error).message };
  }
  try {
    powersKW = parseRange(f.powerRange, 'Power range');
  } catch (e) {
    return { ok: false, field: 'powerRange', message: (e as Error).message };
  }
  if (capacitiesKWh.length * powersKW.length > MAX_PAGE_CELLS) {
    return {
      ok: false,
      field: 'capacityRange',
      message: `${capacitiesKWh.length} × ${powersKW.length} cells is more than ${MAX_PAGE_CELLS.toLocaleString('en-GB')}; use larger steps`,
    };
  }
  try {
    const economics = resolveEconomics({
      capexEurPerKWh: f.capexEurPerKWh,
      capexEurPerKW: f.capexEurPerKW,
      omEurPerYear: f.omEurPerYear,
      lifetimeYears: f.lifetimeYears,
      discountRate: f.discountRatePct / 100,
    });
    return { ok: true, capacitiesKWh, powersKW, economics };
  } catch (e) {
    if (e instanceof SizingParamError) {
      const field = FIELD_OF[e.field] ?? (e.field as keyof SizingForm);
      return {
        ok: false,
        field,
        message:
          field === 'discountRatePct'
            ? `discount rate must be in [0, 100) %/year, got ${f.discountRatePct}`
            : e.message,
      };
    }
    throw e;
  }
}

/** A saved form (JSON) merged over the defaults; anything not of the right type is ignored. */
export function sizingFormFromJson(json: string | null): SizingForm {
  const form: SizingForm = { ...DEFAULT_SIZING_FORM };
  try {
    const saved = JSON.parse(json ?? 'null') as Record<string, unknown> | null;
    if (!saved || typeof saved !== 'object') return form;
    for (const k of Object.keys(DEFAULT_SIZING_FORM) as (keyof SizingForm)[]) {
      const v = saved[k];
      if (k === 'capacityRange' || k === 'powerRange') {
        if (typeof v === 'string') form[k] = v;
      } else if (typeof v === 'number' && Number.isFinite(v)) form[k] = v;
    }
  } catch {
    // Corrupt storage: defaults.
  }
  return form;
}
