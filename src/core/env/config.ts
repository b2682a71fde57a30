// Options of the RL environment (DESIGN.md "RL"). Every field is required once resolved; the defaults below are
// the ones the quality target was measured with.

/** Fully resolved environment options. */
export interface EnvConfig {
  /** Look-ahead of the observation, hours: the next H prices (24 h: day-ahead prices are known a day ahead). */
  horizonHours: number;
  /** Number of discrete power levels, odd: 3 = hold, charge full, discharge full (the original system). */
  numActions: number;
  /** Episode length, hours; an episode is a random window of the training split, cut by `truncated`. */
  episodeHours: number;
  /** Start each training episode at a uniformly random SOC instead of the battery's initial SOC (exploration). */
  randomStartSoc: boolean;
  /** Shaping: bonus = coef × value over the forecast average of energy sold above it (original system: 0.1). */
  sellAboveAvgBonusCoef: number;
  /** Shaping: penalty per kWh bought while the price is above the forecast average, EUR/kWh (original: 0.05). */
  buyAboveAvgPenaltyEurPerKWh: number;
  /** Reward = (cash + shaping) / rewardScaleEur; 0 = automatic (price std × energy of a full-power step). */
  rewardScaleEur: number;
  /**
   * Prices in the observation relative to the agent's own window, (p − forecast average) / window spread, instead
   * of the training split's mean and std; the window's level and spread enter as separate dimensionless features.
   * Makes the policy indifferent to price levels it never saw (a crisis year, a cheap market, another season).
   */
  windowNormalisation: boolean;
  /**
   * Under day-ahead information, the planner the agent sees and clones (the plannerAction feature, the `planner`
   * teacher) plans on the forecast plus this share of the forecast's mean error at the same time of day over the
   * last `plannerBiasDays` delivery days before D (actual prices known at D's gate closure); 0 plans on the raw
   * forecast. A day without a forecast in that window counts as no error, so the correction grows in over the
   * forecaster's first days (a span's test split looks back on the days before it, issued apart). Unused under
   * known-24h; a run with a forecaster whose errors do not persist (UNCORRECTED_FORECASTS) records 0.
   */
  plannerBiasWeight: number;
  /** Days of past forecast errors the planner's per-time-of-day correction averages (see plannerBiasWeight). */
  plannerBiasDays: number;
  /**
   * Under day-ahead information, the share of the planner's prices taken from the last known day (D−1, whose
   * actual prices are known at D's gate closure) at the same time of day: the planner plans on (1 − this) × the
   * forecast + this × D−1's actual price, plus the bias correction above. A forecast combination with the seasonal
   * naive, which damps a model forecast's misses. 0 plans on the forecast alone; recorded 0 where the correction is.
   */
  plannerLastDayWeight: number;
}

export const DEFAULT_ENV_CONFIG: Readonly<EnvConfig> = Object.freeze({
  horizonHours: 24,
  numActions: 3,
  episodeHours: 168,
  randomStartSoc: true,
  sellAboveAvgBonusCoef: 0.1,
  buyAboveAvgPenaltyEurPerKWh: 0.05,
  rewardScaleEur: 0,
  windowNormalisation: true,
  plannerBiasWeight: 0.25,
  plannerBiasDays: 14,
  plannerLastDayWeight: 0.1,
});

/**
 * The planner correction of models saved before its fields existed: none (they planned on the raw forecast, or,
 * saved with a bias weight but before the last-day blend, on the forecast without the blend).
 */
export const NO_PLANNER_BIAS: Pick<EnvConfig, 'plannerBiasWeight' | 'plannerBiasDays' | 'plannerLastDayWeight'> =
  Object.freeze({
    plannerBiasWeight: 0,
    plannerBiasDays: DEFAULT_ENV_CONFIG.plannerBiasDays,
    plannerLastDayWeight: 0,
  });

/** Defaults filled in and checked; throws a RangeError naming the field for nonsense. */
export function resolveEnvConfig(partial: Partial<EnvConfig> = {}): EnvConfig {
  for (const k of Object.keys(partial))
    if (!(k in DEFAULT_ENV_CONFIG)) throw new RangeError(`unknown env option "${k}"`);
  const c = { ...DEFAULT_ENV_CONFIG, ...partial } as EnvConfig;
  for (const k of Object.keys(DEFAULT_ENV_CONFIG) as (keyof EnvConfig)[]) {
    if (typeof c[k] !== typeof DEFAULT_ENV_CONFIG[k])
      throw new RangeError(`env.${k} must be a ${typeof DEFAULT_ENV_CONFIG[k]}`);
    if (typeof c[k] === 'number' && !Number.isFinite(c[k])) throw new RangeError(`env.${k} must be a finite number`);
  }
  if (!(c.horizonHours > 0)) throw new RangeError('env.horizonHours must be > 0');
  if (!(Number.isInteger(c.numActions) && c.numActions >= 3 && c.numActions % 2 === 1))
    throw new RangeError('env.numActions must be an odd integer ≥ 3');
  if (!(c.episodeHours > 0)) throw new RangeError('env.episodeHours must be > 0');
  if (!(c.rewardScaleEur >= 0)) throw new RangeError('env.rewardScaleEur must be ≥ 0');
  if (!(c.plannerBiasWeight >= 0 && c.plannerBiasWeight <= 1))
    throw new RangeError('env.plannerBiasWeight must be between 0 and 1');
  if (!(Number.isInteger(c.plannerBiasDays) && c.plannerBiasDays >= 1 && c.plannerBiasDays <= 365))
    throw new RangeError('env.plannerBiasDays must be a whole number of days from 1 to 365');
  if (!(c.plannerLastDayWeight >= 0 && c.plannerLastDayWeight <= 1))
    throw new RangeError('env.plannerLastDayWeight must be between 0 and 1');
  return c;
}

/**
 * Power fractions of the discrete actions: hold first, then charge levels ascending, then discharge levels by
 * magnitude. 3 → [0, 1, −1] (index 0 hold, 1 charge, 2 discharge), 5 → [0, 0.5, 1, −0.5, −1].
 */
export function actionLevels(numActions: number): number[] {
  const k = (numActions - 1) / 2;
  const levels = [0];
  for (let i = 1; i <= k; i++) levels.push(i / k);
  for (let i = 1; i <= k; i++) levels.push(-i / k);
  return levels;
}

/** Observation horizon in steps for a step length. */
export function horizonSteps(c: EnvConfig, dtHours: number): number {
  return Math.max(1, Math.round(c.horizonHours / dtHours));
}
