// The per-iteration learning metrics a run records (CleanRL's names, from core/rl/ppo.ts and run.ts) that the
// lab plots beside the training curve: PPO's losses, approximate KL and entropy per iteration, and the teacher
// clone's loss per epoch. Every value is read from the run's progress records; nothing is recomputed.
//
// Usage: for (const m of TRAINING_METRICS) plot(metricSeries(history, m));

import type { TrainProgress } from '../../../workers/trainer-api.ts';

export interface TrainingMetric {
  /** The metric's key in TrainProgress.metrics. */
  key: string;
  label: string;
  /** The phase whose records carry it; its x is that phase's iteration (PPO iteration or cloning epoch). */
  phase: 'ppo' | 'clone';
  explain: string;
}

export const TRAINING_METRICS: readonly TrainingMetric[] = [
  {
    key: 'losses/policy_loss',
    label: 'Policy loss',
    phase: 'ppo',
    explain: 'PPO clipped surrogate loss, mean over the last epoch’s minibatches',
  },
  {
    key: 'losses/value_loss',
    label: 'Value loss',
    phase: 'ppo',
    explain: 'squared error of the value head against the returns',
  },
  {
    key: 'losses/approx_kl',
    label: 'Approx. KL',
    phase: 'ppo',
    explain: 'how far one update moved the policy (CleanRL’s approx_kl)',
  },
  {
    key: 'losses/entropy',
    label: 'Entropy',
    phase: 'ppo',
    explain: 'policy entropy in nats: high explores, low commits',
  },
  {
    key: 'clone/loss',
    label: 'Clone loss',
    phase: 'clone',
    explain: 'cross-entropy against the teacher’s actions, per cloning epoch',
  },
];

/** [iteration, value] points of one metric, in record order, finite values only. */
export function metricSeries(points: readonly TrainProgress[], metric: TrainingMetric): [number, number][] {
  const out: [number, number][] = [];
  for (const p of points) {
    if (p.phase !== metric.phase) continue;
    const v = p.metrics[metric.key];
    if (typeof v === 'number' && Number.isFinite(v)) out.push([p.iteration, v]);
  }
  return out;
}
