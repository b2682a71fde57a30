import { describe, expect, it } from 'vitest';
import type { BacktestTrace } from '../../../workers/trainer-api.ts';
import { actionLabel, cumulativeSum, scheduleCashEur, stepRows, traceToCsv } from './steps.ts';
import { resolveBattery } from '../../core/battery/index.ts';

const trace: BacktestTrace = {
  timesUtcMs: Float64Array.from([Date.UTC(2023, 0, 1, 0), Date.UTC(2023, 0, 1, 1), Date.UTC(2023, 0, 1, 2)]),
  pricesEurPerMWh: Float64Array.from([-10, 50, 120]),
  actions: Int32Array.from([1, 0, 2]),
  socBeforeKWh: Float64Array.from([0, 45, 45]),
  socAfterKWh: Float64Array.from([45, 45, 0]),
  cashEur: Float64Array.from([0, 0, 4.5]),
  oracleSocKWh: Float64Array.from([45, 45, 0]),
};
const levels = [0, 1, -1];

describe('steps', () => {
  it('actionLabel names hold, charge and discharge, with partial levels as percentages', () => {
    expect(actionLabel(0)).toBe('hold');
    expect(actionLabel(1)).toBe('charge');
    expect(actionLabel(-0.5)).toBe('discharge 50%');
  });
  it('cumulativeSum is the running total', () => {
    expect(Array.from(cumulativeSum([1, -2, 3]))).toEqual([1, -1, 2]);
  });
  it('stepRows pages a trace and maps actions through the levels', () => {
    const rows = stepRows(trace, levels, 1, 10, cumulativeSum(trace.cashEur));
    expect(rows.map((r) => r.step)).toEqual([1, 2]);
    expect(rows[1].actionFraction).toBe(-1);
    expect(rows[1].cumulativeEur).toBe(4.5);
  });
  it('traceToCsv writes a header with units and one line per step', () => {
    const lines = traceToCsv(trace, levels).trim().split('\n');
    expect(lines[0]).toBe(
      'time_utc,price_eur_mwh,action,power_fraction,soc_before_kwh,soc_after_kwh,cash_eur,cumulative_eur',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe('2023-01-01T00:00:00.000Z,-10,charge,1,0,45,0,0');
    expect(lines[3]).toBe('2023-01-01T02:00:00.000Z,120,discharge,-1,45,0,4.5,4.5');
  });
});

describe('scheduleCashEur', () => {
  it('prices each step through the battery model (sell 45 kWh at 120 EUR/MWh, degradation 0.01 EUR/kWh)', () => {
    const b = resolveBattery({});
    const cash = scheduleCashEur(b, [100, 120], [50, 0], [0, 45]);
    expect(cash[0]).toBeCloseTo(-5 - 0.5, 12);
    expect(cash[1]).toBeCloseTo(5.4 - 0.45, 12);
  });
});
