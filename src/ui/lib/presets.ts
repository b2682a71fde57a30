// Training settings the page exposes, their one-line explanations and presets. Option names are the RL code's
// (src/core/env/config.ts EnvConfig, src/core/rl/ppo.ts PpoConfig); unset ones take the RL code's defaults.

import type { BackendName } from '../../../workers/trainer-api.ts';

/** The knobs of the shaping playground. */
export interface TrainSettings {
  sellAboveAvgBonusCoef: number;
  buyAboveAvgPenaltyEurPerKWh: number;
  gamma: number;
  entCoef: number;
  learningRate: number;
  numActions: number;
  horizonHours: number;
  seconds: number;
  seed: number;
  clone: boolean;
  backend: BackendName | 'auto';
}

/** One line per knob, shown under it. */
export const EXPLAIN: Record<keyof TrainSettings, string> = {
  sellAboveAvgBonusCoef: 'Shaping bonus per EUR of value sold above the forecast average (original system: 0.1).',
  buyAboveAvgPenaltyEurPerKWh: 'Shaping penalty per kWh bought while the price is above the forecast average (original: 0.05).',
  gamma: 'Discount: how much the agent values money later versus now (0.99 ≈ a 100-step outlook).',
  entCoef: 'Entropy bonus: higher keeps the policy exploring longer, lower commits sooner.',
  learningRate: 'Adam step size of the PPO updates; too high and training oscillates or diverges.',
  numActions: 'Discrete power levels (odd): 3 = hold, full charge, full discharge; 5 adds half power.',
  horizonHours: 'Hours of known future prices the agent sees (day-ahead: 24).',
  seconds: 'Wall-clock budget for the whole run, warm start included.',
  seed: 'Seed of every random choice: the same seed and settings give the same run.',
  clone: 'Warm start by copying the rolling-horizon teacher (exact optimum over the agent’s own actions), then PPO fine-tunes.',
  backend: 'TensorFlow.js backend; “auto” measures the available ones and picks the fastest.',
};

export const DEFAULT_SETTINGS: Readonly<TrainSettings> = Object.freeze({
  sellAboveAvgBonusCoef: 0.1,
  buyAboveAvgPenaltyEurPerKWh: 0.05,
  gamma: 0.99,
  entCoef: 0.01,
  learningRate: 2.5e-4,
  numActions: 3,
  horizonHours: 24,
  seconds: 30,
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
  { id: 'default', label: 'Teacher + PPO (default)', explain: 'Clone the teacher, then fine-tune with the original shaping.', settings: { ...DEFAULT_SETTINGS } },
  { id: 'money', label: 'Money only', explain: 'No shaping: the reward is exactly the cash the battery earns.', settings: { sellAboveAvgBonusCoef: 0, buyAboveAvgPenaltyEurPerKWh: 0 } },
  { id: 'scratch', label: 'PPO from scratch', explain: 'No warm start: watch plain PPO learn (slower, lower share).', settings: { clone: false, entCoef: 0.01, seconds: 60 } },
  { id: 'explore', label: 'Explorer', explain: 'Higher entropy and learning rate: more exploration, noisier curve.', settings: { entCoef: 0.05, learningRate: 1e-3 } },
  { id: 'quick', label: 'Quick look (5 s)', explain: 'A five-second run to see the whole loop end to end.', settings: { seconds: 5 } },
];

/** Settings → the TrainRequest's env and ppo option maps. */
export function toRequestOptions(s: TrainSettings): { env: Record<string, number>; ppo: Record<string, number> } {
  return {
    env: { sellAboveAvgBonusCoef: s.sellAboveAvgBonusCoef, buyAboveAvgPenaltyEurPerKWh: s.buyAboveAvgPenaltyEurPerKWh, numActions: s.numActions, horizonHours: s.horizonHours },
    ppo: { gamma: s.gamma, entCoef: s.entCoef, learningRate: s.learningRate },
  };
}

/** A message for a setting the trainer would reject, or null. */
export function validateSettings(s: TrainSettings): string | null {
  if (!(Number.isInteger(s.numActions) && s.numActions >= 3 && s.numActions % 2 === 1)) return 'Action levels must be an odd whole number ≥ 3.';
  if (!(s.horizonHours > 0)) return 'Horizon must be more than 0 hours.';
  if (!(s.gamma >= 0 && s.gamma <= 1)) return 'Discount γ must be within [0, 1].';
  if (!(s.learningRate > 0)) return 'Learning rate must be more than 0.';
  if (!(s.entCoef >= 0)) return 'Entropy coefficient must be ≥ 0.';
  if (!(s.seconds >= 1)) return 'Training time must be at least 1 s.';
  if (!Number.isInteger(s.seed)) return 'Seed must be a whole number.';
  return null;
}
