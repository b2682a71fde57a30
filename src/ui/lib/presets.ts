// Training settings the page exposes, their one-line explanations and presets. The knobs are fields of the RL
// code's own configs (EnvConfig, PpoConfig, CloneConfig), typed as such and defaulted from their defaults: renaming
// a config field fails the type check here, and a changed default shows up here by itself.

import type { BackendName } from '../../../workers/trainer-api.ts';
import { type EnvConfig, DEFAULT_ENV_CONFIG } from '../../core/env/config.ts';
import { type CloneConfig, type PpoConfig, DEFAULT_CLONE_CONFIG, DEFAULT_PPO_CONFIG } from '../../core/rl/config.ts';

type EnvKnobs = Pick<
  EnvConfig,
  | 'sellAboveAvgBonusCoef'
  | 'buyAboveAvgPenaltyEurPerKWh'
  | 'numActions'
  | 'horizonHours'
  | 'plannerBiasWeight'
  | 'plannerLastDayWeight'
>;
type PpoKnobs = Pick<PpoConfig, 'gamma' | 'entCoef' | 'learningRate' | 'totalTimesteps'>;

/** The knobs of the shaping playground. */
export interface TrainSettings extends EnvKnobs, PpoKnobs {
  /** CloneConfig.epochs: the cloning budget. */
  cloneEpochs: CloneConfig['epochs'];
  /** Wall-clock cap of the run, seconds; 0 = none (the budget alone decides). */
  capSeconds: number;
  seed: number;
  clone: boolean;
  backend: BackendName | 'auto';
}

/** One line per knob, shown under it. */
export const EXPLAIN: Record<keyof TrainSettings, string> = {
  sellAboveAvgBonusCoef: 'Shaping bonus per EUR of value sold above the forecast average (original system: 0.1).',
  buyAboveAvgPenaltyEurPerKWh:
    'Shaping penalty per kWh bought while the price is above the forecast average (original: 0.05).',
  gamma: 'Discount: how much the agent values money later versus now (0.99 ≈ a 100-step outlook).',
  entCoef: 'Entropy bonus: higher keeps the policy exploring longer, lower commits sooner.',
  learningRate:
    'Adam step size of the PPO updates (annealed to 0 over the PPO budget); too high and training oscillates.',
  numActions: 'Discrete power levels (odd): 3 = hold, full charge, full discharge; 5 adds half power.',
  horizonHours: 'Hours of known future prices the agent sees (day-ahead: 24).',
  plannerBiasWeight:
    'Day-ahead only: the planner the agent starts from plans on the forecast + this share of its recent error at each hour of day (0 = the raw forecast; naive-d1, naive-d7 and noisy-truth are never corrected).',
  plannerLastDayWeight:
    "Day-ahead only: that planner blends this share of the last known day's actual price at the same hour into the forecast (0 = the forecast alone; not with naive-d1, naive-d7 or noisy-truth).",
  cloneEpochs: 'Cloning budget: passes over the teacher dataset (its learning rate anneals over them).',
  totalTimesteps: 'PPO budget: environment steps in all (CleanRL’s total_timesteps), 1,024 per iteration.',
  capSeconds: 'Optional time cap: ends the run early and says so (then the result depends on the machine). 0 = none.',
  seed: 'Seed of every random choice: the same seed and settings give the same run, on any machine load.',
  clone:
    'Warm start by copying the rolling-horizon teacher (exact optimum over the agent’s own actions), then PPO fine-tunes.',
  backend: 'TensorFlow.js backend; “auto” measures the available ones and picks the fastest.',
};

export const DEFAULT_SETTINGS: Readonly<TrainSettings> = Object.freeze({
  sellAboveAvgBonusCoef: DEFAULT_ENV_CONFIG.sellAboveAvgBonusCoef,
  buyAboveAvgPenaltyEurPerKWh: DEFAULT_ENV_CONFIG.buyAboveAvgPenaltyEurPerKWh,
  numActions: DEFAULT_ENV_CONFIG.numActions,
  horizonHours: DEFAULT_ENV_CONFIG.horizonHours,
  plannerBiasWeight: DEFAULT_ENV_CONFIG.plannerBiasWeight,
  plannerLastDayWeight: DEFAULT_ENV_CONFIG.plannerLastDayWeight,
  gamma: DEFAULT_PPO_CONFIG.gamma,
  entCoef: DEFAULT_PPO_CONFIG.entCoef,
  learningRate: DEFAULT_PPO_CONFIG.learningRate,
  totalTimesteps: DEFAULT_PPO_CONFIG.totalTimesteps,
  cloneEpochs: DEFAULT_CLONE_CONFIG.epochs,
  capSeconds: 0,
  seed: 1,
  clone: true,
  backend: 'auto',
});

/** A named starting point with a one-line reason. */
export interface Preset {
  id: string;
  label: string;
  explain: string;
  settings: Partial<TrainSettings>;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'default',
    label: 'Teacher + PPO (default)',
    explain: 'Clone the teacher, then fine-tune with the original shaping.',
    settings: { ...DEFAULT_SETTINGS },
  },
  {
    id: 'money',
    label: 'Money only',
    explain: 'No shaping: the reward is exactly the cash the battery earns.',
    settings: { sellAboveAvgBonusCoef: 0, buyAboveAvgPenaltyEurPerKWh: 0 },
  },
  {
    id: 'scratch',
    label: 'PPO from scratch',
    explain: 'No warm start: watch plain PPO learn (400 iterations; slower, lower share).',
    settings: { clone: false, totalTimesteps: 400 * 1024 },
  },
  {
    id: 'explore',
    label: 'Explorer',
    explain: 'Higher entropy and learning rate: more exploration, noisier curve.',
    settings: { entCoef: 0.05, learningRate: 1e-3 },
  },
  {
    id: 'quick',
    label: 'Quick look',
    explain: 'One cloning epoch and ten PPO iterations: the whole loop end to end in a few seconds.',
    settings: { cloneEpochs: 1, totalTimesteps: 10 * 1024 },
  },
];

/** Whether every setting the preset names still has the preset's value. */
export function presetMatches(settings: TrainSettings, preset: Preset): boolean {
  return (Object.keys(preset.settings) as (keyof TrainSettings)[]).every((k) =>
    Object.is(settings[k], preset.settings[k]),
  );
}

/**
 * What the preset select shows: the chosen preset while the settings still equal it, else 'custom'; with none
 * chosen, the first preset that names every setting and equals them all (the default), else 'custom'.
 */
export function presetShown(settings: TrainSettings, chosenId: string, presets: readonly Preset[] = PRESETS): string {
  const chosen = presets.find((p) => p.id === chosenId);
  if (chosen) return presetMatches(settings, chosen) ? chosen.id : 'custom';
  const full = presets.find(
    (p) => Object.keys(p.settings).length === Object.keys(settings).length && presetMatches(settings, p),
  );
  return full ? full.id : 'custom';
}

/** Settings → the TrainRequest's typed option maps and cap. */
export function toRequestOptions(s: TrainSettings): {
  env: Partial<EnvConfig>;
  ppo: Partial<PpoConfig>;
  cloneOptions: Partial<CloneConfig>;
  seconds: number | undefined;
} {
  return {
    env: {
      sellAboveAvgBonusCoef: s.sellAboveAvgBonusCoef,
      buyAboveAvgPenaltyEurPerKWh: s.buyAboveAvgPenaltyEurPerKWh,
      numActions: s.numActions,
      horizonHours: s.horizonHours,
      plannerBiasWeight: s.plannerBiasWeight,
      plannerLastDayWeight: s.plannerLastDayWeight,
    },
    ppo: { gamma: s.gamma, entCoef: s.entCoef, learningRate: s.learningRate, totalTimesteps: s.totalTimesteps },
    cloneOptions: { epochs: s.cloneEpochs },
    seconds: s.capSeconds > 0 ? s.capSeconds : undefined,
  };
}

/** A message for a setting the trainer would reject, or null. */
export function validateSettings(s: TrainSettings): string | null {
  if (!(Number.isInteger(s.numActions) && s.numActions >= 3 && s.numActions % 2 === 1))
    return 'Action levels must be an odd whole number ≥ 3.';
  if (!(s.horizonHours > 0)) return 'Horizon must be more than 0 hours.';
  if (!(s.plannerBiasWeight >= 0 && s.plannerBiasWeight <= 1)) return 'Planner correction must be within [0, 1].';
  if (!(s.plannerLastDayWeight >= 0 && s.plannerLastDayWeight <= 1)) return 'Last-day blend must be within [0, 1].';
  if (!(s.gamma >= 0 && s.gamma <= 1)) return 'Discount γ must be within [0, 1].';
  if (!(s.learningRate > 0)) return 'Learning rate must be more than 0.';
  if (!(s.entCoef >= 0)) return 'Entropy coefficient must be ≥ 0.';
  if (!(Number.isInteger(s.cloneEpochs) && s.cloneEpochs >= 0)) return 'Clone epochs must be a whole number ≥ 0.';
  if (!(Number.isInteger(s.totalTimesteps) && s.totalTimesteps >= 0)) return 'PPO steps must be a whole number ≥ 0.';
  if (!(s.capSeconds >= 0)) return 'Time cap must be ≥ 0 s (0 = none).';
  if (!Number.isInteger(s.seed)) return 'Seed must be a whole number.';
  return null;
}
