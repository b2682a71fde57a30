// Greedy evaluation: the policy's most likely action at every step of a whole series, from the battery's initial
// SOC, through the same env the agent trained in. Money is the env's cash, i.e. the battery model's cash flow.

import { type BatteryParams } from '../battery/index.ts';
import { type EnvConfig } from '../env/config.ts';
import { BatteryEnv } from '../env/env.ts';
import { type ObsContext } from '../env/features.ts';
import { type PolicyWeights, argmaxRow, forwardStack } from './mlp.ts';

/**
 * Greedy actions over the whole series and the profit they earn, EUR. With `probsOut` (steps × action levels), it
 * also receives the policy's action probabilities at every step (softmax of the logits the greedy choice reads);
 * with `cashOut` (steps), each step's cash, EUR.
 */
export function greedyRollout(
  weights: PolicyWeights,
  ctx: ObsContext,
  battery: BatteryParams,
  config: EnvConfig,
  startSocKWh: number = battery.initialSocKWh,
  probsOut?: Float32Array,
  cashOut?: Float64Array,
): { actions: Int32Array; profitEur: number } {
  const env = new BatteryEnv(ctx, battery, config);
  env.reset(0, startSocKWh, ctx.length);
  const nA = env.levels.length;
  const obs = new Float32Array(ctx.obsDim);
  const logits = new Float32Array(nA);
  const actions = new Int32Array(ctx.length);
  let profitEur = 0;
  for (let t = 0; t < ctx.length; t++) {
    env.observe(obs, 0);
    forwardStack(weights.actor, obs, 1, logits);
    actions[t] = argmaxRow(logits, 0, nA);
    if (probsOut) softmaxInto(logits, nA, probsOut, t * nA);
    const cashEur = env.step(actions[t]).cashEur;
    if (cashOut) cashOut[t] = cashEur;
    profitEur += cashEur;
  }
  return { actions, profitEur };
}

/** softmax(logits[0..n)) into out[at..at+n), shifted by the largest logit so that exp cannot overflow. */
export function softmaxInto(logits: Float32Array, n: number, out: Float32Array, at: number): void {
  let m = -Infinity;
  for (let a = 0; a < n; a++) m = Math.max(m, logits[a]);
  let z = 0;
  for (let a = 0; a < n; a++) z += Math.exp(logits[a] - m);
  for (let a = 0; a < n; a++) out[at + a] = Math.exp(logits[a] - m) / z;
}
