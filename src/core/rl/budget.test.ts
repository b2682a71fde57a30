import { describe, expect, it } from 'vitest';
import { resolveBattery } from '../battery/index.ts';
import { computeNormStats, createObsContext, resolveEnvConfig } from '../env/index.ts';
import { budgetWork, augmentCopies, cloneDatasetRows } from './budget.ts';
import { augmentVariants, buildCloneDataset, cloneMinibatchesPerEpoch } from './clone.ts';
import { DEFAULT_CLONE_CONFIG, DEFAULT_RUN_OPTIONS, resolveCloneConfig, resolvePpoConfig } from './config.ts';
import { sampleSteps, createRng } from './rng.ts';

const HOUR = 3_600_000;

describe('budgetWork', () => {
  it('counts the teacher rows the run really builds (fit split, every copy, every SOC level)', () => {
    const n = 24 * 10;
    const prices = Float64Array.from({ length: n }, (_, i) => 50 + 30 * Math.sin((2 * Math.PI * i) / 24));
    const battery = resolveBattery({});
    const env = resolveEnvConfig({ horizonHours: 6 });
    const clone = resolveCloneConfig({ epochs: 3, batchSize: 512 });
    const work = budgetWork(n, 1, battery, env, clone, resolvePpoConfig({ totalTimesteps: 5000 }), DEFAULT_RUN_OPTIONS);
    const fitSteps = n - Math.round(n * DEFAULT_RUN_OPTIONS.validationFraction);
    const fit = {
      timesUtcMs: Float64Array.from({ length: fitSteps }, (_, i) => i * HOUR),
      pricesEurPerMWh: prices.subarray(0, fitSteps),
      dtHours: 1,
    };
    const stats = computeNormStats(fit, battery, env);
    const ctx = createObsContext(fit, battery, env, stats);
    const variants = augmentVariants(clone, stats.priceStdEurPerMWh);
    expect(variants.length).toBe(augmentCopies(clone));
    const per = Math.round((clone.augmentSamples / variants.length) * fitSteps);
    let rows = buildCloneDataset(ctx, battery, env, clone.maxSocLevels).count;
    for (let v = 0; v < variants.length; v++)
      rows += buildCloneDataset(ctx, battery, env, clone.maxSocLevels, sampleSteps(fitSteps, per, createRng(v))).count;
    expect(work.fitSteps).toBe(fitSteps);
    expect(work.teacherRows).toBe(rows);
    expect(work.cloneSamples).toBe(3 * cloneMinibatchesPerEpoch(rows, 512) * 512);
    // PPO: whole iterations of numEnvs × numSteps (CleanRL's num_iterations = total_timesteps // batch_size).
    expect(work.ppoIterations).toBe(Math.floor(5000 / 1024));
    expect(work.ppoTimesteps).toBe(4 * 1024);
  });

  it('without cloning there is no teacher and no cloning work', () => {
    const w = budgetWork(
      1000,
      1,
      resolveBattery({}),
      resolveEnvConfig({}),
      null,
      resolvePpoConfig({}),
      DEFAULT_RUN_OPTIONS,
    );
    expect(w.teacherRows).toBe(0);
    expect(w.cloneSamples).toBe(0);
    expect(cloneDatasetRows(100, 3, { ...DEFAULT_CLONE_CONFIG, augmentPriceScale: 0, augmentShiftStd: 0 })).toBe(300);
  });
});

describe('config resolvers', () => {
  it('name the field of an unknown, wrong-typed or out-of-range option', () => {
    expect(() => resolvePpoConfig({ totalTimesteps: -1 })).toThrow(/ppo\.totalTimesteps/);
    expect(() => resolvePpoConfig({ gama: 0.9 } as never)).toThrow(/unknown ppo option "gama"/);
    expect(() => resolveCloneConfig({ epochs: '3' } as never)).toThrow(/clone\.epochs must be a number/);
    expect(() => resolveCloneConfig({ learningRate: Number.NaN })).toThrow(
      /clone\.learningRate must be a finite number/,
    );
  });
});
