import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBattery } from '../battery/index.ts';
import { computeNormStats, createObsContext, resolveEnvConfig } from '../env/index.ts';
import {
  type Teacher,
  augmentFactors,
  augmentVariants,
  buildCloneDataset,
  concatDatasets,
  spreadLevels,
  trainClone,
} from './clone.ts';
import { argmaxRow, forwardStack, initPolicyWeights } from './mlp.ts';
import { createRng, sampleSteps } from './rng.ts';
import { TfPolicy } from './tf-policy.ts';

beforeAll(async () => {
  // Node has no tfjs-node here: the wasm backend, single-threaded, loaded from node_modules (DESIGN.md "RL").
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(new URL('../../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
  await tf.ready();
});

const HOUR = 3_600_000;
/** Hand-checkable teacher: charge below 40 EUR/MWh unless full, discharge above 80 unless empty, else hold. */
const ruleTeacher: Teacher = {
  reachableSocLevels: () => Float64Array.from([0, 50, 100]),
  prepare: (input, socs) => (start) =>
    Int32Array.from(Array.from(socs), (soc) => {
      const p = input.pricesEurPerMWh[start];
      if (p < 40 && soc < 100) return 1;
      if (p > 80 && soc > 0) return 2;
      return 0;
    }),
};

describe('behaviour cloning', () => {
  it('spreadLevels keeps small sets and spreads large ones evenly, ends included', () => {
    expect(Array.from(spreadLevels(Float64Array.from([50, 0, 100]), 5))).toEqual([0, 50, 100]);
    expect(
      Array.from(
        spreadLevels(
          Float64Array.from({ length: 101 }, (_, i) => i),
          5,
        ),
      ),
    ).toEqual([0, 25, 50, 75, 100]);
  });

  it('augmentFactors spaces the price factors geometrically on both sides of 1; 0 or 1 turns them off', () => {
    const f = augmentFactors({ augmentPriceScale: 4, augmentScalesPerSide: 2 });
    expect(f.map((x) => Number(x.toFixed(6)))).toEqual([0.25, 0.5, 2, 4]);
    expect(augmentFactors({ augmentPriceScale: 2, augmentScalesPerSide: 1 })).toEqual([0.5, 2]);
    expect(augmentFactors({ augmentPriceScale: 0, augmentScalesPerSide: 3 })).toEqual([]);
    expect(augmentFactors({ augmentPriceScale: 1, augmentScalesPerSide: 3 })).toEqual([]);
    // Shifted copies follow the scaled ones, by ± the std asked for.
    expect(augmentVariants({ augmentPriceScale: 2, augmentScalesPerSide: 1, augmentShiftStd: 0.5 }, 40)).toEqual([
      { scale: 0.5, shiftEurPerMWh: 0 },
      { scale: 2, shiftEurPerMWh: 0 },
      { scale: 1, shiftEurPerMWh: -20 },
      { scale: 1, shiftEurPerMWh: 20 },
    ]);
    expect(augmentVariants({ augmentPriceScale: 0, augmentScalesPerSide: 1, augmentShiftStd: 0 }, 40)).toEqual([]);
  });

  it('sampleSteps draws k distinct ascending steps, the same for the same seed, all of them when k ≥ n', () => {
    const a = sampleSteps(100, 30, createRng(5));
    expect(a.length).toBe(30);
    expect(new Set(a).size).toBe(30);
    for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThan(a[i - 1]);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThan(100);
    expect(Array.from(sampleSteps(100, 30, createRng(5)))).toEqual(Array.from(a));
    expect(Array.from(sampleSteps(4, 9, createRng(1)))).toEqual([0, 1, 2, 3]);
    expect(sampleSteps(4, 0, createRng(1)).length).toBe(0);
  });

  it('buildCloneDataset on listed steps asks the teacher only at those steps', () => {
    const prices = [10, 100, 60, 30];
    const s = {
      timesUtcMs: Float64Array.from(prices, (_, i) => i * HOUR),
      pricesEurPerMWh: Float64Array.from(prices),
      dtHours: 1,
    };
    const battery = resolveBattery({});
    const env = resolveEnvConfig({ horizonHours: 2 });
    const ctx = createObsContext(s, battery, env, computeNormStats(s, battery, env));
    const d = buildCloneDataset(ctx, battery, env, 24, [1, 3], ruleTeacher);
    expect(d.count).toBe(6);
    expect(Array.from(d.actions)).toEqual([0, 2, 2, 1, 1, 0]);
  });

  it('buildCloneDataset asks the teacher at every step for every SOC level', () => {
    const prices = [10, 100, 60, 30];
    const s = {
      timesUtcMs: Float64Array.from(prices, (_, i) => i * HOUR),
      pricesEurPerMWh: Float64Array.from(prices),
      dtHours: 1,
    };
    const battery = resolveBattery({});
    const env = resolveEnvConfig({ horizonHours: 2 });
    const ctx = createObsContext(s, battery, env, computeNormStats(s, battery, env));
    const d = buildCloneDataset(ctx, battery, env, 24, null, ruleTeacher);
    expect(d.count).toBe(12);
    // Rows: step-major, SOC levels 0, 50, 100.
    expect(Array.from(d.actions)).toEqual([1, 1, 0, 0, 2, 2, 0, 0, 0, 1, 1, 0]);
    expect(d.obs[1 * ctx.obsDim + ctx.layout.at.soc]).toBeCloseTo(0.5, 6); // SOC fraction of row 1
    const both = concatDatasets([d, d]);
    expect(both.count).toBe(24);
    expect(Array.from(both.actions.slice(12))).toEqual(Array.from(d.actions));
    expect(Array.from(both.obs.slice(12 * ctx.obsDim))).toEqual(Array.from(d.obs));
  });

  it('the cloned actor reproduces its teacher on a hand-checkable fixture', async () => {
    const rng = createRng(1);
    const n = 24 * 20;
    const prices = Float64Array.from(
      { length: n },
      (_, i) => 60 + 45 * Math.sin((2 * Math.PI * i) / 24) + 5 * rng.normal(),
    );
    const s = { timesUtcMs: Float64Array.from({ length: n }, (_, i) => i * HOUR), pricesEurPerMWh: prices, dtHours: 1 };
    const battery = resolveBattery({});
    const env = resolveEnvConfig({ horizonHours: 6, windowNormalisation: false });
    const ctx = createObsContext(s, battery, env, computeNormStats(s, battery, env));
    const data = buildCloneDataset(ctx, battery, env, 24, null, ruleTeacher);
    const w = initPolicyWeights(ctx.obsDim, 3, 32, rng);
    const policy = new TfPolicy(w);
    const before = tf.memory().numTensors;
    let lastAccuracy = 0;
    await trainClone(
      policy,
      data,
      {
        epochs: 60,
        batchSize: 256,
        learningRate: 1e-2,
        annealLr: false,
        maxSocLevels: 24,
        augmentPriceScale: 0,
        augmentScalesPerSide: 1,
        augmentShiftStd: 0,
        augmentSamples: 0,
      },
      3,
      rng,
      async (_e, _l, acc) => {
        lastAccuracy = acc;
        return acc < 0.995;
      },
    );
    expect(tf.memory().numTensors).toBe(before);
    const learned = await policy.read();
    policy.dispose();
    const logits = forwardStack(learned.actor, data.obs, data.count, new Float32Array(data.count * 3));
    let agree = 0;
    for (let i = 0; i < data.count; i++) if (argmaxRow(logits, i, 3) === data.actions[i]) agree++;
    expect(lastAccuracy).toBeGreaterThan(0.97);
    expect(agree / data.count).toBeGreaterThan(0.97);
  });
});
