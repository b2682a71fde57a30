import { describe, expect, it } from 'vitest';
import { monthRows, monthlyProfit } from './monthly.ts';

const H = 3_600_000;

describe('monthlyProfit(times, cash, zone)', () => {
  it('sums each step into its calendar month, in time order', () => {
    const t = [Date.UTC(2023, 0, 31, 21), Date.UTC(2023, 0, 31, 22), Date.UTC(2023, 1, 1, 0), Date.UTC(2023, 1, 1, 1)];
    expect(monthlyProfit(t, [1, 2, 4, 8], 'UTC')).toEqual([
      { month: '2023-01', profitEur: 3, steps: 2 },
      { month: '2023-02', profitEur: 12, steps: 2 },
    ]);
  });
  it('in Brussels the hour from 23:00 UTC on 31 January counts for February (the delivery day’s month)', () => {
    const t = [Date.UTC(2023, 0, 31, 22), Date.UTC(2023, 0, 31, 23)];
    expect(monthlyProfit(t, [1, 2], 'Europe/Brussels')).toEqual([
      { month: '2023-01', profitEur: 1, steps: 1 },
      { month: '2023-02', profitEur: 2, steps: 1 },
    ]);
  });
  it('a whole hourly year has 12 months whose sum is the total and whose steps include the DST days', () => {
    const n = 8760;
    const t0 = Date.UTC(2022, 11, 31, 23); // 2023-01-01 00:00 CET
    const times = Float64Array.from({ length: n }, (_, i) => t0 + i * H);
    const cash = Float64Array.from({ length: n }, (_, i) => (i % 7) - 3);
    const months = monthlyProfit(times, cash, 'Europe/Brussels');
    expect(months.map((m) => m.month)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2023-${String(i + 1).padStart(2, '0')}`),
    );
    expect(months.reduce((s, m) => s + m.profitEur, 0)).toBeCloseTo(
      cash.reduce((s, x) => s + x, 0),
      9,
    );
    expect(months[2].steps).toBe(31 * 24 - 1); // March loses the spring hour
    expect(months[9].steps).toBe(31 * 24 + 1); // October gains the autumn hour
  });
  it('gives no months for no steps', () => {
    expect(monthlyProfit([], [], 'UTC')).toEqual([]);
  });
});

describe('monthRows', () => {
  it('puts test-split figures only on the months that have them', () => {
    const rows = monthRows(
      [
        { month: '2023-11', profitEur: 10, steps: 1 },
        { month: '2023-12', profitEur: 20, steps: 1 },
      ],
      [{ month: '2023-12', profitEur: 19, steps: 1 }],
      [{ month: '2023-12', profitEur: 15, steps: 1 }],
    );
    expect(rows).toEqual([
      { month: '2023-11', oracleEur: 10, testOracleEur: null, agentEur: null },
      { month: '2023-12', oracleEur: 20, testOracleEur: 19, agentEur: 15 },
    ]);
    expect(monthRows([{ month: '2023-01', profitEur: 1, steps: 1 }], null, null)[0].agentEur).toBeNull();
  });
});
