// PPO throughput (issue 11 §6), Node: PPO from scratch on BE 2023's training split for a fixed budget, once per
// update engine ('tfjs' on the wasm backend, 'ts' the plain-TypeScript update), timed by the wall clock and by the
// process's CPU time (process.cpuUsage, which a loaded machine inflates far less), with the loop's own breakdown
// (the time/* metrics, read on the CPU clock): env stepping, forward pass and sampling, GAE, update, weight
// read-back, greedy validation (every 5 iterations, as the trainer) and the host's callback.
import { resolveBattery } from '../src/core/battery/index.ts';
import { VecEnv, computeNormStats, createObsContext, resolveEnvConfig } from '../src/core/env/index.ts';
import { greedyRollout } from '../src/core/rl/evaluate.ts';
import { initPolicyWeights } from '../src/core/rl/mlp.ts';
import { resolvePpoConfig, trainPpo } from '../src/core/rl/ppo.ts';
import { createRng } from '../src/core/rl/rng.ts';
import { TfPolicy } from '../src/core/rl/tf-policy.ts';
import { loadPriceFile, selectNodeBackend } from '../src/cli/commands/rl-node.ts';
import { benchSplit } from './rl-measure.ts';

const FILE = new URL('../test-data/real/be-2023-hourly.csv', import.meta.url).pathname;
const PARTS = ['env', 'policy', 'gae', 'update', 'read_back', 'evaluate', 'host'] as const;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Runs the benchmark; quick mode: 10 iterations per engine instead of 30. */
export async function bench(opts: {
  quick: boolean;
}): Promise<{ title: string; columns: string[]; rows: (string | number)[][]; json: unknown }> {
  const backend = await selectNodeBackend('wasm');
  const s = await loadPriceFile(FILE);
  const { train } = benchSplit(s);
  const series = { ...train, dtHours: s.dtHours };
  const battery = resolveBattery({});
  const env = resolveEnvConfig({});
  const stats = computeNormStats(series, battery, env);
  const n = train.pricesEurPerMWh.length;
  const cut = Math.round(n * 0.85);
  const sub = (from: number, to: number) => ({
    timesUtcMs: train.timesUtcMs.subarray(from, to),
    pricesEurPerMWh: train.pricesEurPerMWh.subarray(from, to),
    dtHours: s.dtHours,
  });
  const fitCtx = createObsContext(sub(0, cut), battery, env, stats);
  const valCtx = createObsContext(sub(cut, n), battery, env, stats);
  const iterations = opts.quick ? 10 : 30;
  const rows: (string | number)[][] = [];
  const json: Record<string, unknown>[] = [];
  for (const updateEngine of ['tfjs', 'ts'] as const) {
    const config = resolvePpoConfig({ totalTimesteps: iterations * 8 * 128, updateEngine });
    const rng = createRng(1);
    const weights = initPolicyWeights(fitCtx.obsDim, env.numActions, config.hiddenSize, rng);
    const policy = new TfPolicy(weights);
    let last: Record<string, number> = {};
    const wall0 = performance.now();
    const cpu0 = cpuMs();
    const out = await trainPpo({
      config,
      vec: new VecEnv(fitCtx, battery, env, config.numEnvs, rng),
      policy,
      weights,
      rng,
      warmStarted: false,
      evaluate: (w) => greedyRollout(w, valCtx, battery, env).profitEur,
      shouldStop: () => null,
      onIteration: (_i, m) => {
        last = m;
      },
      yieldToEvents: () => new Promise((r) => setTimeout(r, 0)),
      nowMs: cpuMs,
    });
    const wallS = (performance.now() - wall0) / 1000;
    const cpuS = (cpuMs() - cpu0) / 1000;
    policy.dispose();
    const split = Object.fromEntries(PARTS.map((p) => [p, last[`time/${p}_s`] ?? 0]));
    const total = PARTS.reduce((a, p) => a + split[p], 0);
    const steps = out.globalStep;
    rows.push([
      updateEngine,
      steps,
      Number(wallS.toFixed(1)),
      Math.round(steps / wallS),
      Number(cpuS.toFixed(1)),
      Math.round(steps / cpuS),
      ...PARTS.map((p) => Number(((1e6 * split[p]) / steps).toFixed(1))),
      Number(((100 * split.update) / total).toFixed(1)),
    ]);
    json.push({
      updateEngine,
      backend,
      steps,
      wallS,
      cpuS,
      spsWall: steps / wallS,
      spsCpu: steps / cpuS,
      cpuSecondsBy: split,
    });
  }
  return {
    title: `PPO throughput (Node, ${backend} backend; BE 2023 training split, PPO from scratch, ${iterations} iterations of 8 × 128 steps, seed 1; µs per env step on the CPU clock)`,
    columns: [
      'update engine',
      'env steps',
      'wall s',
      'SPS (wall)',
      'CPU s',
      'SPS (CPU)',
      'env',
      'forward+sample',
      'GAE',
      'update',
      'read-back',
      'validation',
      'host',
      'update %',
    ],
    rows,
    json,
  };
}
