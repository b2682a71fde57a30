// The one battery model. The RL environment, the backtest simulator and the oracle all import it; no other file
// may hold a capacity, efficiency or power formula.
//
// Conventions (DESIGN.md "One battery model"):
// - A step buys `c` kWh from the grid and sells `d` kWh to it (grid side, both ≥ 0).
// - SOC' = SOC + ηc·c − d/ηd. Charge efficiency applies to energy entering the cell, discharge efficiency to
//   energy leaving it.
// - cash = price/1000·(d − c) − k·(c + d): market settlement plus a degradation cost k per kWh of throughput.
// - Requests are clipped so that SOC stays within [minSocKWh, maxSocKWh] exactly: the original system clipped
//   before applying efficiency and so could never fill the battery.

import { eurForEnergy, energyForPower } from '../units.ts';

/** What a user sets; every field optional, defaults as in DESIGN.md. */
export interface BatterySpec {
  /** Usable cell capacity, kWh. */
  capacityKWh?: number;
  /** Power limit for both directions, kW, unless one of the two below is set. */
  powerKW?: number;
  chargePowerKW?: number;
  dischargePowerKW?: number;
  /** Share of grid energy that reaches the cell when charging, (0, 1]. */
  chargeEfficiency?: number;
  /** Share of cell energy that reaches the grid when discharging, (0, 1]. */
  dischargeEfficiency?: number;
  /** Wear cost per kWh of grid-side throughput, charged on energy in and out, EUR/kWh. */
  degradationEurPerKWh?: number;
  initialSocKWh?: number;
  minSocKWh?: number;
  maxSocKWh?: number;
  /** If set, the SOC at the end of the horizon must be at least this (oracle constraint). */
  terminalSocKWh?: number;
  /**
   * Charge and discharge share a step's power: c/(Pc·dt) + d/(Pd·dt) ≤ 1 (default true). Without it an LP may
   * "burn" energy at very negative prices by charging and discharging at full power at once; false reproduces the
   * original system's formulation, where each direction has its own full limit.
   */
  sharedPowerLimit?: boolean;
}

/** A fully resolved, validated battery: every field concrete. */
export interface BatteryParams {
  capacityKWh: number;
  chargePowerKW: number;
  dischargePowerKW: number;
  chargeEfficiency: number;
  dischargeEfficiency: number;
  degradationEurPerKWh: number;
  initialSocKWh: number;
  minSocKWh: number;
  maxSocKWh: number;
  /** Minimum SOC at the end of the horizon; null when free. */
  terminalSocKWh: number | null;
  sharedPowerLimit: boolean;
}

export const DEFAULT_BATTERY: Readonly<BatteryParams> = Object.freeze({
  capacityKWh: 100,
  chargePowerKW: 50,
  dischargePowerKW: 50,
  chargeEfficiency: 0.9,
  dischargeEfficiency: 1.0,
  degradationEurPerKWh: 0.01,
  initialSocKWh: 0,
  minSocKWh: 0,
  maxSocKWh: 100,
  terminalSocKWh: null,
  sharedPowerLimit: true,
});

/** Each spec field as users read it (form labels, CLI messages), with its unit. */
export const BATTERY_FIELD_LABELS: Readonly<Record<keyof BatterySpec, string>> = Object.freeze({
  capacityKWh: 'capacity (kWh)',
  powerKW: 'power (kW)',
  chargePowerKW: 'charge power (kW)',
  dischargePowerKW: 'discharge power (kW)',
  chargeEfficiency: 'charge efficiency',
  dischargeEfficiency: 'discharge efficiency',
  degradationEurPerKWh: 'degradation (EUR/kWh)',
  initialSocKWh: 'initial SOC (kWh)',
  minSocKWh: 'min SOC (kWh)',
  maxSocKWh: 'max SOC (kWh)',
  terminalSocKWh: 'terminal SOC (kWh)',
  sharedPowerLimit: 'shared power limit',
});

/**
 * Physical ranges of the fields that are not bounded by another field. They keep every product the model and the
 * oracle form (price × energy, energy ÷ efficiency, wear × throughput over a long series) far from the float limits,
 * and are far beyond any real battery: 1 TWh, 1 TW, 1% efficiency, 1,000 EUR of wear per kWh.
 */
export const BATTERY_LIMITS = Object.freeze({
  maxCapacityKWh: 1e9,
  maxPowerKW: 1e9,
  minEfficiency: 0.01,
  maxDegradationEurPerKWh: 1000,
});

/** Thrown for a battery that makes no physical sense; `field` names the offending parameter, the message its label. */
export class BatteryParamError extends Error {
  constructor(
    message: string,
    readonly field: keyof BatterySpec,
  ) {
    super(message);
    this.name = 'BatteryParamError';
  }
}

/** Fills defaults and validates; throws BatteryParamError naming the field for nonsense input. */
export function resolveBattery(spec: BatterySpec = {}): BatteryParams {
  const num = (field: keyof BatterySpec, fallback: number): number => {
    const value = spec[field];
    const v = value ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new BatteryParamError(
        `${BATTERY_FIELD_LABELS[field]} must be a finite number, got ${String(value)}`,
        field,
      );
    return v;
  };
  const within = (field: keyof BatterySpec, v: number, min: number, max: number, range: string): void => {
    if (!(v >= min && v <= max))
      throw new BatteryParamError(`${BATTERY_FIELD_LABELS[field]} must be within ${range}, got ${v}`, field);
  };
  const L = BATTERY_LIMITS;
  const capacityKWh = num('capacityKWh', DEFAULT_BATTERY.capacityKWh);
  const powerKW = num('powerKW', DEFAULT_BATTERY.chargePowerKW);
  const chargePowerKW = num('chargePowerKW', powerKW);
  const dischargePowerKW = num('dischargePowerKW', powerKW);
  const chargeEfficiency = num('chargeEfficiency', DEFAULT_BATTERY.chargeEfficiency);
  const dischargeEfficiency = num('dischargeEfficiency', DEFAULT_BATTERY.dischargeEfficiency);
  const degradationEurPerKWh = num('degradationEurPerKWh', DEFAULT_BATTERY.degradationEurPerKWh);
  const minSocKWh = num('minSocKWh', 0);
  const maxSocKWh = num('maxSocKWh', capacityKWh);
  const initialSocKWh = num('initialSocKWh', minSocKWh);

  within('capacityKWh', capacityKWh, 0, L.maxCapacityKWh, `[0, ${L.maxCapacityKWh}] kWh`);
  // A direction's power not set on its own comes from powerKW: the error names the field the user set.
  within(
    spec.chargePowerKW !== undefined ? 'chargePowerKW' : 'powerKW',
    chargePowerKW,
    0,
    L.maxPowerKW,
    `[0, ${L.maxPowerKW}] kW`,
  );
  within(
    spec.dischargePowerKW !== undefined ? 'dischargePowerKW' : 'powerKW',
    dischargePowerKW,
    0,
    L.maxPowerKW,
    `[0, ${L.maxPowerKW}] kW`,
  );
  within('chargeEfficiency', chargeEfficiency, L.minEfficiency, 1, `[${L.minEfficiency}, 1]`);
  within('dischargeEfficiency', dischargeEfficiency, L.minEfficiency, 1, `[${L.minEfficiency}, 1]`);
  within(
    'degradationEurPerKWh',
    degradationEurPerKWh,
    0,
    L.maxDegradationEurPerKWh,
    `[0, ${L.maxDegradationEurPerKWh}] EUR/kWh`,
  );
  within('minSocKWh', minSocKWh, 0, capacityKWh, `[0, capacity ${capacityKWh}] kWh`);
  within('maxSocKWh', maxSocKWh, minSocKWh, capacityKWh, `[min SOC ${minSocKWh}, capacity ${capacityKWh}] kWh`);
  within('initialSocKWh', initialSocKWh, minSocKWh, maxSocKWh, `[${minSocKWh}, ${maxSocKWh}] kWh`);
  let terminalSocKWh: number | null = null;
  if (spec.terminalSocKWh !== undefined && spec.terminalSocKWh !== null) {
    terminalSocKWh = num('terminalSocKWh', 0);
    if (terminalSocKWh > maxSocKWh)
      throw new BatteryParamError(
        `${BATTERY_FIELD_LABELS.terminalSocKWh} ${terminalSocKWh} cannot be met: the battery holds at most ${maxSocKWh} kWh (max SOC)`,
        'terminalSocKWh',
      );
    within('terminalSocKWh', terminalSocKWh, minSocKWh, maxSocKWh, `[${minSocKWh}, ${maxSocKWh}] kWh`);
  }
  return {
    capacityKWh,
    chargePowerKW,
    dischargePowerKW,
    chargeEfficiency,
    dischargeEfficiency,
    degradationEurPerKWh,
    initialSocKWh,
    minSocKWh,
    maxSocKWh,
    terminalSocKWh,
    sharedPowerLimit: spec.sharedPowerLimit ?? true,
  };
}

/**
 * Throws BatteryParamError when the terminal SOC minimum cannot be met over `steps` steps of `dtHours`: charging at
 * full power from the initial SOC every step is the most any schedule can store.
 */
export function assertTerminalSocReachable(b: BatteryParams, steps: number, dtHours: number): void {
  if (b.terminalSocKWh === null) return;
  const reachKWh = Math.min(b.maxSocKWh, b.initialSocKWh + steps * cellGainKWh(b, maxChargeKWh(b, dtHours)));
  if (b.terminalSocKWh > reachKWh + BOUND_EPS * Math.max(1, b.capacityKWh)) {
    throw new BatteryParamError(
      `${BATTERY_FIELD_LABELS.terminalSocKWh} ${b.terminalSocKWh} cannot be met: charging at full power from the initial ${b.initialSocKWh} kWh reaches at most ${reachKWh} kWh in ${steps} steps`,
      'terminalSocKWh',
    );
  }
}

/** Largest grid-side charge in one step at full power, kWh. */
export function maxChargeKWh(b: BatteryParams, dtHours: number): number {
  return energyForPower(b.chargePowerKW, dtHours);
}

/** Largest grid-side discharge in one step at full power, kWh. */
export function maxDischargeKWh(b: BatteryParams, dtHours: number): number {
  return energyForPower(b.dischargePowerKW, dtHours);
}

/** Energy that reaches the cell when `chargedKWh` is bought from the grid, kWh. */
export function cellGainKWh(b: BatteryParams, chargedKWh: number): number {
  return b.chargeEfficiency * chargedKWh;
}

/** Energy that leaves the cell when `dischargedKWh` is sold to the grid, kWh. */
export function cellLossKWh(b: BatteryParams, dischargedKWh: number): number {
  return dischargedKWh / b.dischargeEfficiency;
}

/** Grid energy to buy so that `cellKWh` reaches the cell (the inverse of cellGainKWh), kWh. */
export function chargeForCellGainKWh(b: BatteryParams, cellKWh: number): number {
  return cellKWh / b.chargeEfficiency;
}

/** Grid energy sold when `cellKWh` leaves the cell (the inverse of cellLossKWh), kWh. */
export function dischargeForCellLossKWh(b: BatteryParams, cellKWh: number): number {
  return cellKWh * b.dischargeEfficiency;
}

/** SOC after a step that buys `chargedKWh` and sells `dischargedKWh` (no clipping). */
export function socAfter(b: BatteryParams, socKWh: number, chargedKWh: number, dischargedKWh: number): number {
  return socKWh + cellGainKWh(b, chargedKWh) - cellLossKWh(b, dischargedKWh);
}

/** Cash of a step in EUR: settlement at the market price minus degradation on throughput. */
export function stepCashEur(
  b: BatteryParams,
  priceEurPerMWh: number,
  chargedKWh: number,
  dischargedKWh: number,
): number {
  return (
    eurForEnergy(priceEurPerMWh, dischargedKWh - chargedKWh) - b.degradationEurPerKWh * (chargedKWh + dischargedKWh)
  );
}

/** What storing one kWh in the cell costs at this price: the grid energy bought for it and its wear, EUR. */
export function cellBuyCostEur(b: BatteryParams, priceEurPerMWh: number): number {
  return -stepCashEur(b, priceEurPerMWh, chargeForCellGainKWh(b, 1), 0);
}

/** What one kWh taken from the cell earns at this price: the grid energy sold from it less its wear, EUR. */
export function cellSellValueEur(b: BatteryParams, priceEurPerMWh: number): number {
  return stepCashEur(b, priceEurPerMWh, 0, dischargeForCellLossKWh(b, 1));
}

/** What one step did after clipping. */
export interface StepResult {
  chargedKWh: number;
  dischargedKWh: number;
  socAfterKWh: number;
  cashEur: number;
}

// Relative slack for float noise when a request lands exactly on a bound (an oracle schedule replayed).
const BOUND_EPS = 1e-12;

/**
 * One step of the battery: clips the grid-side requests to the power limits (the shared limit scales both down
 * together) and then to the SOC bounds, reducing charge when the battery would overfill and discharge when it would
 * go below its minimum, so that SOC stays within bounds exactly.
 */
export function stepBattery(
  b: BatteryParams,
  socKWh: number,
  requestChargeKWh: number,
  requestDischargeKWh: number,
  priceEurPerMWh: number,
  dtHours: number,
): StepResult {
  // Every backtest replays each step through here, so the common path makes few calls (ternaries for min/max): in
  // a fresh process V8 interprets it for thousands of steps before it is compiled, and calls dominate there.
  const cMax = energyForPower(b.chargePowerKW, dtHours);
  const dMax = energyForPower(b.dischargePowerKW, dtHours);
  let c = requestChargeKWh > 0 ? (requestChargeKWh < cMax ? requestChargeKWh : cMax) : 0;
  let d = requestDischargeKWh > 0 ? (requestDischargeKWh < dMax ? requestDischargeKWh : dMax) : 0;
  if (b.sharedPowerLimit && c > 0 && d > 0) {
    const use = c / cMax + d / dMax;
    if (use > 1 + BOUND_EPS) {
      c /= use;
      d /= use;
    }
  }
  let next = socAfter(b, socKWh, c, d);
  if (next > b.maxSocKWh || next < b.minSocKWh) {
    const tol = BOUND_EPS * Math.max(1, b.capacityKWh);
    if (next > b.maxSocKWh) {
      if (next > b.maxSocKWh + tol) c = Math.max(0, c - chargeForCellGainKWh(b, next - b.maxSocKWh));
      next = socAfter(b, socKWh, c, d);
    }
    if (next < b.minSocKWh) {
      if (next < b.minSocKWh - tol) d = Math.max(0, d - dischargeForCellLossKWh(b, b.minSocKWh - next));
      next = socAfter(b, socKWh, c, d);
    }
    // Float noise of the order of 1e-12 × capacity is absorbed here; larger excesses were clipped above.
    next = Math.min(Math.max(next, b.minSocKWh), b.maxSocKWh);
  }
  return { chargedKWh: c, dischargedKWh: d, socAfterKWh: next, cashEur: stepCashEur(b, priceEurPerMWh, c, d) };
}

/** Equivalent full cycles: cell-side throughput over twice the usable capacity. */
export function equivalentCycles(b: BatteryParams, chargedKWh: number, dischargedKWh: number): number {
  const usable = b.maxSocKWh - b.minSocKWh;
  if (usable <= 0) return 0;
  return (cellGainKWh(b, chargedKWh) + cellLossKWh(b, dischargedKWh)) / (2 * usable);
}

/**
 * Discrete action → grid-side requests. `fraction` of full power: > 0 charges, < 0 discharges, 0 holds.
 * The RL environment's action levels go through this, so the agent and its teacher share one mapping.
 */
export function requestForPowerFraction(
  b: BatteryParams,
  fraction: number,
  dtHours: number,
): { chargeKWh: number; dischargeKWh: number } {
  return fraction >= 0
    ? { chargeKWh: fraction * maxChargeKWh(b, dtHours), dischargeKWh: 0 }
    : { chargeKWh: 0, dischargeKWh: -fraction * maxDischargeKWh(b, dtHours) };
}
