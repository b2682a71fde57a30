// Replays a schedule of per-step grid-side requests through the one battery model: the backtest of every strategy
// (oracle schedule, agent actions, heuristics) goes through here.

import { type BatteryParams, stepBattery, equivalentCycles } from '../battery/index.ts';

/** Per-step requests, grid side, kWh. Missing steps (shorter arrays) request nothing. */
export interface Schedule {
  chargeKWh: ArrayLike<number>;
  dischargeKWh: ArrayLike<number>;
}

/** What happened at every step, after clipping. */
export interface Trace {
  socBeforeKWh: Float64Array;
  socAfterKWh: Float64Array;
  chargedKWh: Float64Array;
  dischargedKWh: Float64Array;
  cashEur: Float64Array;
}

export interface SimSummary {
  profitEur: number;
  totalChargedKWh: number;
  totalDischargedKWh: number;
  equivalentCycles: number;
  finalSocKWh: number;
}

/** Replays `schedule` over `pricesEurPerMWh` from the battery's initial SOC. */
export function simulate(
  battery: BatteryParams,
  pricesEurPerMWh: ArrayLike<number>,
  dtHours: number,
  schedule: Schedule,
): Trace & SimSummary {
  const n = pricesEurPerMWh.length;
  const trace: Trace = {
    socBeforeKWh: new Float64Array(n),
    socAfterKWh: new Float64Array(n),
    chargedKWh: new Float64Array(n),
    dischargedKWh: new Float64Array(n),
    cashEur: new Float64Array(n),
  };
  const { socBeforeKWh, socAfterKWh, chargedKWh, dischargedKWh, cashEur } = trace;
  const { chargeKWh: wantCharge, dischargeKWh: wantDischarge } = schedule;
  let soc = battery.initialSocKWh;
  let profitEur = 0;
  let charged = 0;
  let discharged = 0;
  for (let t = 0; t < n; t++) {
    const r = stepBattery(battery, soc, wantCharge[t] ?? 0, wantDischarge[t] ?? 0, pricesEurPerMWh[t], dtHours);
    socBeforeKWh[t] = soc;
    socAfterKWh[t] = r.socAfterKWh;
    chargedKWh[t] = r.chargedKWh;
    dischargedKWh[t] = r.dischargedKWh;
    cashEur[t] = r.cashEur;
    profitEur += r.cashEur;
    charged += r.chargedKWh;
    discharged += r.dischargedKWh;
    soc = r.socAfterKWh;
  }
  return {
    ...trace,
    profitEur,
    totalChargedKWh: charged,
    totalDischargedKWh: discharged,
    equivalentCycles: equivalentCycles(battery, charged, discharged),
    finalSocKWh: soc,
  };
}
