import { describe, expect, it } from 'vitest';
import { resolveBattery } from '../../core/battery/index.ts';
import { solveOracle } from '../../core/oracle/index.ts';
import { SCHEDULE_CSV_HEADER, scheduleToCsv } from './schedule-csv.ts';

describe('scheduleToCsv', () => {
  it('writes a header with units and one row per step with ISO UTC times', () => {
    const csv = scheduleToCsv({
      timesUtcMs: [Date.UTC(2023, 0, 1), Date.UTC(2023, 0, 1, 1)],
      pricesEurPerMWh: [-5.5, 120],
      chargeKWh: [50, 0],
      dischargeKWh: [0, 45],
      socKWh: [45, 0],
    });
    expect(csv).toBe(
      `${SCHEDULE_CSV_HEADER}\n2023-01-01T00:00:00.000Z,-5.5,50,0,45\n2023-01-01T01:00:00.000Z,120,0,45,0\n`,
    );
  });
  it('refuses columns of different lengths', () => {
    expect(() =>
      scheduleToCsv({
        timesUtcMs: [0, 1],
        pricesEurPerMWh: [1, 2],
        chargeKWh: [0],
        dischargeKWh: [0, 0],
        socKWh: [0, 0],
      }),
    ).toThrow(/chargeKWh has 1 rows, the series 2/);
  });
  it('an oracle schedule written and read back keeps its SOC path and energy totals', () => {
    const prices = Float64Array.from([30, 10, 80, 120, 5, 60, 200, 40]);
    const battery = resolveBattery({});
    const r = solveOracle({ pricesEurPerMWh: prices, dtHours: 1, battery });
    const times = Float64Array.from(prices, (_, i) => Date.UTC(2023, 5, 1, i));
    const rows = scheduleToCsv({ timesUtcMs: times, pricesEurPerMWh: prices, ...r.schedule })
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    expect(rows).toHaveLength(prices.length);
    const sum = (k: number) => rows.reduce((s, row) => s + Number(row[k]), 0);
    expect(sum(2)).toBeCloseTo(r.chargedKWh, 6);
    expect(sum(3)).toBeCloseTo(r.dischargedKWh, 6);
    rows.forEach((row, i) => expect(Number(row[4])).toBeCloseTo(r.schedule.socKWh[i], 6));
  });
});
