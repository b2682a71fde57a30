import { describe, expect, it } from 'vitest';
import type { BacktestTrace } from '../../../workers/trainer-api.ts';
import { cumulativeSum } from './steps.ts';
import {
  canFilter,
  costTotals,
  directionOf,
  filterSteps,
  oracleLabel,
  probsLabel,
  traceToCsvWithWhy,
  whyLines,
  whyRows,
} from './why.ts';

const levels = [0, 1, -1];
// Four hours: the agent charges, holds, discharges, and asks to charge a full battery (it holds); the oracle holds,
// charges, discharges 45 kWh, holds; the teacher charges, charges, discharges, holds.
const trace: BacktestTrace = {
  timesUtcMs: Float64Array.from([0, 1, 2, 3], (h) => Date.UTC(2023, 0, 1, h)),
  pricesEurPerMWh: Float64Array.from([-10, 20, 120, 90]),
  actions: Int32Array.from([1, 0, 2, 1]),
  socBeforeKWh: Float64Array.from([0, 45, 45, 100]),
  socAfterKWh: Float64Array.from([45, 45, 0, 100]),
  cashEur: Float64Array.from([0.5, 0, 5.4, 0]),
  oracleSocKWh: Float64Array.from([0, 45, 0, 0]),
  actionProbs: Float32Array.from([0.1, 0.8, 0.1, 0.6, 0.3, 0.1, 0.05, 0.05, 0.9, 0.2, 0.5, 0.3]),
  teacherActions: Int32Array.from([1, 1, 2, 0]),
  forecastAvgEurPerMWh: Float32Array.from([60, 70, 80, 75]),
  oracleGridKWh: Float64Array.from([0, 50, -45, 0]),
  oracleCashEur: Float64Array.from([0, -1.5, 5.4, 0]),
};
const old: BacktestTrace = {
  timesUtcMs: trace.timesUtcMs,
  pricesEurPerMWh: trace.pricesEurPerMWh,
  actions: trace.actions,
  socBeforeKWh: trace.socBeforeKWh,
  socAfterKWh: trace.socAfterKWh,
  cashEur: trace.cashEur,
  oracleSocKWh: trace.oracleSocKWh,
};

describe('why the agent acted', () => {
  it('directionOf calls tiny energies a hold', () => {
    expect([directionOf(3), directionOf(-0.5), directionOf(1e-9), directionOf(0)]).toEqual([1, -1, 0, 0]);
  });
  it('filterSteps keeps the steps where the agent and the oracle (or the teacher) buy, sell or hold differently', () => {
    expect(Array.from(filterSteps(trace, levels, 'oracle'))).toEqual([0, 1]);
    // Step 3: the agent asked to charge a full battery, so it held, as the teacher did.
    expect(Array.from(filterSteps(trace, levels, 'teacher'))).toEqual([1]);
    expect(Array.from(filterSteps(trace, levels, 'all'))).toEqual([0, 1, 2, 3]);
  });
  it('a trace stored before the why fields shows every step and offers no disagreement filter', () => {
    expect(canFilter(old, 'oracle')).toBe(false);
    expect(canFilter(old, 'teacher')).toBe(false);
    expect(Array.from(filterSteps(old, levels, 'oracle'))).toEqual([0, 1, 2, 3]);
    expect(costTotals(old, [0])).toBeNull();
    const [r] = whyRows(old, levels, [2], 0, 1, cumulativeSum(old.cashEur));
    expect(r).toMatchObject({ probability: null, teacherFraction: null, oracleGridKWh: null, costEur: null });
  });
  it('costTotals adds the oracle-minus-agent cash of the chosen steps; over all steps it is the profit gap', () => {
    const t = costTotals(trace, filterSteps(trace, levels, 'oracle'))!;
    expect(t.stepsEur).toBeCloseTo(-0.5 + -1.5, 12);
    const agent = trace.cashEur.reduce((a, b) => a + b, 0);
    const oracle = trace.oracleCashEur!.reduce((a, b) => a + b, 0);
    expect(t.allEur).toBeCloseTo(oracle - agent, 12);
  });
  it('whyRows gives the chosen action probability, the teacher, the oracle and the forecast average', () => {
    const rows = whyRows(trace, levels, [0, 2], 0, 2, cumulativeSum(trace.cashEur));
    expect(rows[0]).toMatchObject({
      step: 0,
      actionFraction: 1,
      teacherFraction: 1,
      oracleGridKWh: 0,
      forecastAvgEurPerMWh: 60,
      disagreesWithOracle: true,
      disagreesWithTeacher: false,
      costEur: -0.5,
    });
    expect(rows[0].probability).toBeCloseTo(0.8, 6);
    expect(rows[1]).toMatchObject({ step: 2, actionFraction: -1, disagreesWithOracle: false, cumulativeEur: 5.9 });
    expect(rows[1].probs!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });
  it('labels and tooltip lines name the actions, probabilities and money', () => {
    expect(oracleLabel(45)).toBe('charge 45.0 kWh');
    expect(oracleLabel(-45, 'MW')).toMatch(/^discharge 0\.045 MWh$/);
    expect(oracleLabel(0)).toBe('hold');
    expect(probsLabel([0.05, 0.93, 0.02], levels)).toBe('hold 5% · charge 93% · discharge 2%');
    const lines = whyLines(trace, 1, levels);
    expect(lines[0]).toMatch(/^Agent: hold \(p 60%\), SOC 45\.0 kWh → 45\.0 kWh$/);
    expect(lines).toContain('Teacher: charge (differs)');
    expect(lines).toContain('Oracle: charge 50.0 kWh (differs)');
    expect(lines.some((l) => l.startsWith('Forecast average seen: 70'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^Cash: agent 0\.00 EUR, oracle −1\.50 EUR \(cost −1\.50 EUR\)$/);
  });
  it('the CSV export appends the why columns, and only when the trace has them', () => {
    const csv = traceToCsvWithWhy(trace, levels).trim().split('\n');
    expect(csv[0]).toBe(
      'time_utc,price_eur_mwh,action,power_fraction,soc_before_kwh,soc_after_kwh,cash_eur,cumulative_eur,' +
        'action_probability,teacher_action,forecast_avg_eur_mwh,oracle_grid_kwh,oracle_cash_eur,cost_vs_oracle_eur',
    );
    expect(csv[2].split(',').slice(8)).toEqual(['0.6', 'charge', '70', '50', '-1.5', '-1.5']);
    expect(traceToCsvWithWhy(old, levels).split('\n')[0]).toBe(
      'time_utc,price_eur_mwh,action,power_fraction,soc_before_kwh,soc_after_kwh,cash_eur,cumulative_eur',
    );
  });
});
