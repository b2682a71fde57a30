import type { BatteryParams } from '../battery/index.ts';

/** The perfect-foresight optimum of the battery LP over a price series. */
export interface OracleResult {
  profitEur: number;
  chargedKWh: number;
  dischargedKWh: number;
  equivalentCycles: number;
  /** Wall time of the solve, schedule included, ms. */
  solveMs: number;
  /** Grid-side charge and discharge per step, kWh, and SOC after each step. */
  schedule: { chargeKWh: Float64Array; dischargeKWh: Float64Array; socKWh: Float64Array };
}

export interface OracleInput {
  pricesEurPerMWh: ArrayLike<number>;
  dtHours: number;
  battery: BatteryParams;
}
