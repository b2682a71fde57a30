import { describe, expect, it } from 'vitest';
import { resolveBattery } from '../battery/index.ts';
import { actionLevels, computeNormStats, createObsContext, resolveEnvConfig } from '../env/index.ts';
import { teacherActions } from '../oracle/action-dp.ts';
import { solveOracle } from '../oracle/oracle.ts';
import { actionDpTeacherAt, backtestWeights } from './backtest.ts';
import { ACTION_DP_TEACHER } from './clone.ts';
import { initPolicyWeights } from './mlp.ts';
import { createRng } from './rng.ts';

const HOUR = 3_600_000;
// Three days of hourly prices with a cheap night and a dear evening, and one negative hour.
const prices = Float64Array.from(
  { length: 72 },
  (_, t) => 60 + 45 * Math.sin((2 * Math.PI * (t - 9)) / 24) + (t === 30 ? -110 : 0),
);
const times = Float64Array.from(prices, (_, t) => Date.UTC(2023, 0, 1) + t * HOUR);
const battery = resolveBattery({ capacityKWh: 100, powerKW: 50 });
const env = resolveEnvConfig({ horizonHours: 6 });
const series = { timesUtcMs: times, pricesEurPerMWh: prices, dtHours: 1 };
const stats = computeNormStats(series, battery, env);
const ctx = createObsContext(series, battery, env, stats);
const oracle = (input: Parameters<typeof solveOracle>[0]) => solveOracle(input);

function backtestOf(seed: number) {
  const w = initPolicyWeights(ctx.obsDim, env.numActions, 16, createRng(seed));
  return backtestWeights(w, ctx, series, battery, env, oracle);
}

describe('backtestWeights: why the agent acted', () => {
  it('records action probabilities that sum to 1 per step, the greedy action being the most likely', () => {
    for (const seed of [1, 2, 3]) {
      const { trace } = backtestOf(seed);
      const A = env.numActions;
      expect(trace.actionProbs!.length).toBe(prices.length * A);
      for (let t = 0; t < prices.length; t++) {
        const row = Array.from(trace.actionProbs!.subarray(t * A, (t + 1) * A));
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
        expect(row.every((p) => p >= 0 && p <= 1)).toBe(true);
        expect(row[trace.actions[t]]).toBe(Math.max(...row));
      }
    }
  });

  it("records the action-set DP teacher's action from the agent's SOC, as the clone's teacher and teacherActions give it", () => {
    const { trace } = backtestOf(7);
    const levels = actionLevels(env.numActions);
    const input = { pricesEurPerMWh: prices, dtHours: 1, battery, levels };
    const socs = Float64Array.from(new Set(trace.socBeforeKWh));
    const ask = ACTION_DP_TEACHER.prepare(input, socs);
    for (let t = 0; t < prices.length; t++) {
      const soc = trace.socBeforeKWh[t];
      expect(trace.teacherActions![t]).toBe(teacherActions(input, t, ctx.horizon + 1, [soc])[0]);
      expect(trace.teacherActions![t]).toBe(ask(t, ctx.horizon + 1)[socs.indexOf(soc)]);
    }
    // The teacher is not constant on this series: it charges and discharges somewhere.
    expect(new Set(trace.teacherActions).size).toBeGreaterThan(1);
  });

  it('the teacher knows only what the agent saw: prices past the horizon do not change its action', () => {
    const socs = [0, 45, 100];
    const at = actionDpTeacherAt(ctx, battery, env, socs);
    const t = 20;
    const moved = Float64Array.from(prices, (p, i) => (i > t + ctx.horizon ? p * 3 - 200 : p));
    const ctx2 = createObsContext({ ...series, pricesEurPerMWh: moved }, battery, env, stats);
    const at2 = actionDpTeacherAt(ctx2, battery, env, socs);
    for (const soc of socs) expect(at2(t, soc)).toBe(at(t, soc));
  });

  it("records the forecast average the agent saw and the oracle's energy and cash at each step", () => {
    const bt = backtestOf(4);
    const { trace } = bt;
    const H = ctx.horizon;
    for (const t of [0, 10, 40]) {
      const mean = prices.slice(t + 1, t + 1 + H).reduce((a, b) => a + b, 0) / H;
      expect(trace.forecastAvgEurPerMWh![t]).toBeCloseTo(mean, 3);
    }
    const o = solveOracle({ pricesEurPerMWh: prices, dtHours: 1, battery });
    for (let t = 0; t < prices.length; t++)
      expect(trace.oracleGridKWh![t]).toBeCloseTo(o.schedule.chargeKWh[t] - o.schedule.dischargeKWh[t], 9);
    // Step cash at actual prices adds up to the oracle's profit, so per-step differences add up to the profit gap.
    const sum = trace.oracleCashEur!.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(bt.oracleProfitEur, 6);
    const gap = trace.oracleCashEur!.reduce((s, c, t) => s + c - trace.cashEur[t], 0);
    expect(gap).toBeCloseTo(bt.oracleProfitEur - bt.profitEur, 6);
  });

  it('records no teacher when asked for none, and the rest of the trace is unchanged', () => {
    const w = initPolicyWeights(ctx.obsDim, env.numActions, 16, createRng(5));
    const a = backtestWeights(w, ctx, series, battery, env, oracle);
    const b = backtestWeights(w, ctx, series, battery, env, oracle, null);
    expect(b.trace.teacherActions).toBeUndefined();
    expect(Array.from(b.trace.actions)).toEqual(Array.from(a.trace.actions));
    expect(b.profitEur).toBe(a.profitEur);
  });
});
