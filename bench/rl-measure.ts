// What the Node and the browser RL benches both measure, free of Node and DOM imports so bench/browser/ can bundle
// it: rollout env-steps per second, the 75/25 train/test split, and the first times a run reaches 80/90/95% of the
// oracle on its validation slice.
import { resolveBattery } from '../src/core/battery/index.ts';
import { VecEnv, computeNormStats, createObsContext, resolveEnvConfig } from '../src/core/env/index.ts';
import { forwardStack, initPolicyWeights, sampleRow } from '../src/core/rl/mlp.ts';
import { createRng } from '../src/core/rl/rng.ts';
import type { TrainProgress, TrainRequest } from '../workers/trainer-api.ts';

interface Series {
  timesUtcMs: Float64Array;
  pricesEurPerMWh: Float64Array;
  dtHours: number;
}

/** Env steps per second of a rollout with 8 envs: observation writes, batched forward pass, sampling. */
export function rolloutSps(prices: Series, steps: number): number {
  const battery = resolveBattery({});
  const env = resolveEnvConfig({});
  const ctx = createObsContext(prices, battery, env, computeNormStats(prices, battery, env));
  const rng = createRng(1);
  const N = 8;
  const vec = new VecEnv(ctx, battery, env, N, rng);
  const w = initPolicyWeights(ctx.obsDim, 3, 64, rng);
  const logits = new Float32Array(N * 3);
  const values = new Float32Array(N);
  const logp = new Float32Array(N);
  const actions = new Int32Array(N);
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    forwardStack(w.actor, vec.obs, N, logits);
    forwardStack(w.critic, vec.obs, N, values);
    for (let e = 0; e < N; e++) actions[e] = sampleRow(logits, e, 3, rng, logp);
    vec.step(actions);
  }
  return (steps * N) / ((performance.now() - t0) / 1000);
}

/** The first 75% of a market-year trains (its tail validates inside the trainer), the last 25% is the test split. */
export function benchSplit(s: Series): Pick<TrainRequest, 'train' | 'test' | 'dtHours'> {
  const cut = Math.floor(s.pricesEurPerMWh.length * 0.75);
  return {
    train: { timesUtcMs: s.timesUtcMs.slice(0, cut), pricesEurPerMWh: s.pricesEurPerMWh.slice(0, cut) },
    test: { timesUtcMs: s.timesUtcMs.slice(cut), pricesEurPerMWh: s.pricesEurPerMWh.slice(cut) },
    dtHours: s.dtHours,
  };
}

/** Shares of the oracle whose first arrival is timed. */
export const THRESHOLDS = [0.8, 0.9, 0.95] as const;

/** Follows a run's progress: the last PPO SPS and the elapsed seconds at which each threshold was first reached. */
export function progressTracker(): {
  onProgress: (p: TrainProgress) => void;
  sps: () => number;
  reached: Record<number, number | null>;
} {
  const reached: Record<number, number | null> = Object.fromEntries(THRESHOLDS.map((k) => [k, null]));
  let sps = 0;
  return {
    onProgress: (p) => {
      if (p.metrics['charts/SPS'] !== undefined) sps = p.metrics['charts/SPS'];
      // Only clone/ppo progress carries the validation share; 'eval' is the test split.
      if (p.shareOfOracle === undefined || p.phase === 'eval') return;
      for (const k of THRESHOLDS) if (reached[k] === null && p.shareOfOracle >= k) reached[k] = p.elapsedS;
    },
    sps: () => sps,
    reached,
  };
}

/** A table cell for a time to a threshold: seconds with one decimal, '—' where it was not reached. */
export function secondsCell(v: number | null): string | number {
  return v === null ? '—' : Number(v.toFixed(1));
}
