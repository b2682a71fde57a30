// RL benchmark (issue 5 §7), Node: rollout env-steps per second (plain-TS forward, no learning), PPO SPS end to
// end (rollout + tfjs updates), and the time each dev market-year's run first reaches 80/90/95% of the oracle on
// its validation slice, plus the final test-split share. bench/run.ts imports `bench` and prints the table.
import { resolveBattery } from '../src/core/battery/index.ts';
import { VecEnv, computeNormStats, createObsContext, resolveEnvConfig } from '../src/core/env/index.ts';
import { forwardStack, initPolicyWeights, sampleRow } from '../src/core/rl/mlp.ts';
import { createRng } from '../src/core/rl/rng.ts';
import { loadPriceFile, selectNodeBackend } from '../src/cli/commands/rl-node.ts';
import { createTrainer } from '../workers/trainer.ts';

const DATA = new URL('../../shared/data/', import.meta.url).pathname;
const HOURLY = ['be-2023-hourly.csv', 'de-lu-2023-hourly.csv', 'dk1-2023-hourly.csv', 'fr-2022-hourly.csv', 'fi-2020-hourly.csv', 'pt-2023-hourly.csv', 'be-2022-hourly-iso.csv'];

/** Env steps per second of a rollout with 8 envs: observation writes, batched forward pass, sampling. */
export function rolloutSps(prices: { timesUtcMs: Float64Array; pricesEurPerMWh: Float64Array; dtHours: number }, steps: number): number {
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

/** Runs the benchmark; quick mode: one market-year, 30 s of training. */
export async function bench(opts: { quick: boolean }): Promise<{ title: string; columns: string[]; rows: (string | number)[][]; json: unknown }> {
  const files = opts.quick ? HOURLY.slice(0, 1) : HOURLY;
  const seconds = opts.quick ? 30 : 120;
  const rows: (string | number)[][] = [];
  const json: Record<string, unknown>[] = [];
  for (const f of files) {
    const s = await loadPriceFile(DATA + f);
    const cut = Math.floor(s.pricesEurPerMWh.length * 0.75);
    const rollout = rolloutSps(s, opts.quick ? 2000 : 10000);
    const reached: Record<number, number | null> = { 0.8: null, 0.9: null, 0.95: null };
    let sps = 0;
    const trainer = createTrainer({ selectBackend: selectNodeBackend });
    const res = await trainer.start(
      {
        train: { timesUtcMs: s.timesUtcMs.slice(0, cut), pricesEurPerMWh: s.pricesEurPerMWh.slice(0, cut) },
        test: { timesUtcMs: s.timesUtcMs.slice(cut), pricesEurPerMWh: s.pricesEurPerMWh.slice(cut) },
        dtHours: s.dtHours, battery: {}, seconds, seed: 1, backend: 'auto',
      },
      (p) => {
        if (p.metrics['charts/SPS'] !== undefined) sps = p.metrics['charts/SPS'];
        if (p.shareOfOracle === undefined || p.phase === 'eval') return;
        for (const k of [0.8, 0.9, 0.95]) if (reached[k] === null && p.shareOfOracle >= k) reached[k] = p.elapsedS;
      },
    );
    const fmt = (v: number | null) => (v === null ? '—' : Number(v.toFixed(1)));
    rows.push([f, Math.round(rollout), Math.round(sps), fmt(reached[0.8]), fmt(reached[0.9]), fmt(reached[0.95]), Number((100 * res.backtest.shareOfOracle).toFixed(2)), res.backend]);
    json.push({ file: f, rolloutEnvStepsPerS: rollout, ppoSps: sps, secondsTo: reached, testShareOfOracle: res.backtest.shareOfOracle, backend: res.backend, seconds });
  }
  return {
    title: `RL (Node, ${seconds} s per market-year, seed 1; time to X% is on the validation slice, share on the test split)`,
    columns: ['market-year', 'rollout env-steps/s', 'PPO SPS', 's to 80%', 's to 90%', 's to 95%', 'test share %', 'backend'],
    rows,
    json,
  };
}
