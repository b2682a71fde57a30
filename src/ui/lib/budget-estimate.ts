// The training panel's time estimate: the work the settings' budget amounts to on the training split
// (core/rl/budget.ts) at a measured throughput, this session's last run's if there is one, else the one measured
// for the README. An estimate only: the budget fixes the work, the machine decides the time.

import { type BatteryParams } from '../../core/battery/index.ts';
import { resolveEnvConfig } from '../../core/env/config.ts';
import {
  type BudgetWork,
  type Throughput,
  MEASURED_THROUGHPUT,
  budgetWork,
  estimateSeconds,
} from '../../core/rl/budget.ts';
import { DEFAULT_RUN_OPTIONS, resolveCloneConfig, resolvePpoConfig } from '../../core/rl/config.ts';
import type { TrainResult } from '../../../workers/trainer-api.ts';
import { type TrainSettings, toRequestOptions } from './presets.ts';

/** What the estimate needs to know about the data. */
export interface EstimateData {
  trainSteps: number;
  dtHours: number;
  battery: BatteryParams;
}

/** The budget's work and estimated seconds, or null for settings the trainer would reject. */
export function estimateRun(
  s: TrainSettings,
  data: EstimateData,
  throughput: Throughput = MEASURED_THROUGHPUT,
): { work: BudgetWork; seconds: number } | null {
  try {
    const o = toRequestOptions(s);
    const env = resolveEnvConfig(o.env);
    const work = budgetWork(
      data.trainSteps,
      data.dtHours,
      data.battery,
      env,
      s.clone ? resolveCloneConfig(o.cloneOptions) : null,
      resolvePpoConfig(o.ppo),
      DEFAULT_RUN_OPTIONS,
    );
    const seconds = estimateSeconds(work, throughput);
    return Number.isFinite(seconds)
      ? { work, seconds: s.capSeconds > 0 ? Math.min(seconds, s.capSeconds) : seconds }
      : null;
  } catch {
    return null;
  }
}

/**
 * The throughput a finished run measured (its progress records' times against its work); a phase the run did not
 * have keeps the fallback's rate.
 */
export function throughputOf(result: TrainResult, fallback: Throughput = MEASURED_THROUGHPUT): Throughput {
  const h = result.history;
  const b = result.params.budget;
  const t = { ...fallback };
  const start = h.find((p) => p.phase === 'clone' && p.iteration === 0);
  const epochs = h.filter((p) => p.phase === 'clone' && p.iteration > 0);
  const ppo = h.filter((p) => p.phase === 'ppo' && p.metrics['charts/global_step'] !== undefined);
  const t0 = h[0]?.elapsedS ?? 0;
  if (start && b.teacherRows > 0 && start.elapsedS > t0) t.teacherSecondsPerRow = (start.elapsedS - t0) / b.teacherRows;
  const perEpoch = result.params.cloneConfig.epochs > 0 ? b.cloneSamples / result.params.cloneConfig.epochs : 0;
  if (start && epochs.length > 0 && perEpoch > 0)
    t.cloneSecondsPerSample = (epochs.at(-1)!.elapsedS - start.elapsedS) / (perEpoch * epochs.length);
  if (ppo.length > 0) {
    const from = epochs.at(-1)?.elapsedS ?? start?.elapsedS ?? t0;
    const steps = ppo.at(-1)!.metrics['charts/global_step'];
    if (steps > 0 && ppo.at(-1)!.elapsedS > from) t.ppoSecondsPerStep = (ppo.at(-1)!.elapsedS - from) / steps;
  }
  return t;
}
