// The work a run's budget buys, and a simple estimate of its time from measured throughput. The budget
// (CloneConfig.epochs, PpoConfig.totalTimesteps) fixes the work; only the time it takes depends on the machine.

import { type BatteryParams } from '../battery/index.ts';
import { type EnvConfig, actionLevels } from '../env/config.ts';
import { reachableSocLevels } from '../oracle/action-dp.ts';
import { type CloneConfig, type PpoConfig, type RunOptions, ppoIterations } from './config.ts';

// Enough to enumerate every reachable SOC of common batteries (hourly: ~20; 15-minute: a few hundred).
export const REACHABLE_CAP = 4096;

/** The augmented copies' count (CloneConfig: scaled copies on both sides of 1, plus two shifted ones). */
export function augmentCopies(
  c: Pick<CloneConfig, 'augmentPriceScale' | 'augmentScalesPerSide' | 'augmentShiftStd'>,
): number {
  const scaled =
    c.augmentPriceScale > 0 && c.augmentPriceScale !== 1 ? 2 * Math.max(1, Math.round(c.augmentScalesPerSide)) : 0;
  return scaled + (c.augmentShiftStd > 0 ? 2 : 0);
}

/** Steps of one augmented copy (a random sample of the fit split's steps). */
export function stepsPerCopy(fitSteps: number, c: Pick<CloneConfig, 'augmentSamples'>, copies: number): number {
  return copies > 0 ? Math.min(fitSteps, Math.round((c.augmentSamples / copies) * fitSteps)) : 0;
}

/** Rows of the teacher dataset: (fit steps + sampled copy steps) × SOC levels. */
export function cloneDatasetRows(fitSteps: number, socLevels: number, c: CloneConfig): number {
  const copies = augmentCopies(c);
  const per = stepsPerCopy(fitSteps, c, copies);
  return socLevels * (fitSteps + (per > 0 ? copies * per : 0));
}

/** What a budget amounts to on a training split: teacher rows, cloning samples and PPO environment steps. */
export interface BudgetWork {
  fitSteps: number;
  socLevels: number;
  teacherRows: number;
  cloneSamples: number;
  ppoIterations: number;
  ppoTimesteps: number;
}

/** The work of a run with these settings on `trainSteps` training steps (cloning off: no teacher, no cloning). */
export function budgetWork(
  trainSteps: number,
  dtHours: number,
  battery: BatteryParams,
  env: EnvConfig,
  clone: CloneConfig | null,
  ppo: PpoConfig,
  run: RunOptions,
): BudgetWork {
  const nVal = Math.min(trainSteps - 1, Math.max(1, Math.round(trainSteps * run.validationFraction)));
  const fitSteps = Math.max(0, trainSteps - nVal);
  const socLevels = clone
    ? Math.min(
        clone.maxSocLevels,
        reachableSocLevels(battery, actionLevels(env.numActions), dtHours, battery.initialSocKWh, REACHABLE_CAP).length,
      )
    : 0;
  const teacherRows = clone ? cloneDatasetRows(fitSteps, socLevels, clone) : 0;
  const bs = clone ? Math.min(clone.batchSize, teacherRows) : 0;
  const cloneSamples = clone && bs > 0 ? clone.epochs * Math.floor(teacherRows / bs) * bs : 0;
  const iterations = ppoIterations(ppo);
  return {
    fitSteps,
    socLevels,
    teacherRows,
    cloneSamples,
    ppoIterations: iterations,
    ppoTimesteps: iterations * ppo.numEnvs * ppo.numSteps,
  };
}

/** Seconds per unit of work, measured (bess train on wasm; see README "Budgets"). */
export interface Throughput {
  /** Teacher DP and observation per dataset row. */
  teacherSecondsPerRow: number;
  /** One cloning sample through forward, backward and Adam (minibatch 2,048). */
  cloneSecondsPerSample: number;
  /** One PPO environment step, rollout and updates and validation included. */
  ppoSecondsPerStep: number;
}

/**
 * Measured with `bess train` (defaults, BE 2023, seed 1, Node 20, wasm) on this project's shared 2-core machine
 * under a load average of ~18: the phase times of its progress records times the share of a core the run got
 * (216.7 s of CPU in 1,082 s of wall time), i.e. seconds of one busy core. See README "Budgets". The page replaces
 * it by the rates its own last run measured (TrainingPanel → throughputOf).
 */
export const MEASURED_THROUGHPUT: Readonly<Throughput> = Object.freeze({
  teacherSecondsPerRow: 2.9e-6,
  cloneSecondsPerSample: 3.4e-5,
  ppoSecondsPerStep: 5.5e-4,
});

/** Estimated seconds of a budget's work at a throughput (a simple sum; the backtest is a few ms). */
export function estimateSeconds(work: BudgetWork, t: Throughput = MEASURED_THROUGHPUT): number {
  return (
    work.teacherRows * t.teacherSecondsPerRow +
    work.cloneSamples * t.cloneSecondsPerSample +
    work.ppoTimesteps * t.ppoSecondsPerStep
  );
}
