import { describe, expect, it } from 'vitest';
import { resolveBattery } from '../../core/battery/index.ts';
import { solveOracle } from '../../core/oracle/index.ts';
import { yardsticks } from './yardsticks.ts';

describe('yardsticks', () => {
  it('the action-set ceiling is at most the oracle and the heuristic at least it, on a daily-shaped series', () => {
    const prices = Float64Array.from(
      { length: 24 * 14 },
      (_, i) => 80 + 60 * Math.sin((2 * Math.PI * i) / 24) + (i % 7),
    );
    const b = resolveBattery({});
    const y = yardsticks(prices, 1, b);
    const oracle = solveOracle({ pricesEurPerMWh: prices, dtHours: 1, battery: b }, () => 0).profitEur;
    expect(y.actionSetProfitEur).not.toBeNull();
    expect(y.actionSetProfitEur!).toBeLessThanOrEqual(oracle + 1e-9);
    expect(y.actionSetProfitEur!).toBeGreaterThan(0.9 * oracle);
    expect(y.heuristicProfitEur!).toBeGreaterThanOrEqual(oracle - 1e-9);
    expect(y.note).toBeNull();
  });
  it('buy at 0 and sell at 100 EUR/MWh: one full-power step each (hand-checked)', () => {
    // 50 kWh bought at 0, 45 kWh in the cell sold at 100 EUR/MWh = 4.50 EUR, minus 0.01 × 95 kWh degradation.
    const y = yardsticks(Float64Array.from([0, 100]), 1, resolveBattery({}));
    expect(y.actionSetProfitEur).toBeCloseTo(4.5 - 0.95, 9);
  });
  it('a battery with a huge SOC lattice is not computed on the main thread, with a note', () => {
    const prices = Float64Array.from({ length: 8760 }, (_, i) => 50 + (i % 24));
    const y = yardsticks(prices, 1, resolveBattery({ capacityKWh: 137, powerKW: 33, chargeEfficiency: 0.87 }));
    expect(y.actionSetProfitEur).toBeNull();
    expect(y.note).toMatch(/not computed/);
  });
});
