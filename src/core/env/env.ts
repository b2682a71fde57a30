// The RL environment: steps through a price series with the one battery model (requestForPowerFraction +
// stepBattery), or on a site (ctx.site, env/site.ts) with the one per-step site settlement (stepSite, as
// simulateSite replays it: the site clips the request to its limits and PV-only rule, the grid settles the rest). Reward = (cash + shaping) / rewardScaleEur; `cashEur` is reported separately and is the only money
// anyone reports. `terminated` = the series has no further step (stored energy can no longer be sold); `truncated`
// = the episode window ended while the series goes on (the value of the next state should be bootstrapped).

import { type BatteryParams, requestForPowerFraction, stepBattery } from '../battery/index.ts';
import { siteStepContext, stepSite } from '../site/site.ts';
import { type Rng } from '../rl/rng.ts';
import { eurForEnergy } from '../units.ts';
import { type EnvConfig, actionLevels } from './config.ts';
import { type ObsContext, writeObservation } from './features.ts';

/** Result of one step, money and reward apart. */
export interface EnvStep {
  reward: number;
  cashEur: number;
  shapingEur: number;
  terminated: boolean;
  truncated: boolean;
}

/** Shaping terms of the original system, EUR (see EnvConfig): bonus for selling and penalty for buying above the forecast average. */
export function shapingEur(
  config: EnvConfig,
  priceEurPerMWh: number,
  forecastAvgEurPerMWh: number,
  chargedKWh: number,
  dischargedKWh: number,
): number {
  if (priceEurPerMWh <= forecastAvgEurPerMWh) return 0;
  const above = priceEurPerMWh - forecastAvgEurPerMWh;
  // (price − average) × kWh sold, as money.
  return (
    config.sellAboveAvgBonusCoef * eurForEnergy(above, dischargedKWh) - config.buyAboveAvgPenaltyEurPerKWh * chargedKWh
  );
}

/** One battery on one series; `reset` places it at a step and SOC, `step` applies an action index. */
export class BatteryEnv {
  readonly levels: number[];
  t = 0;
  socKWh = 0;
  private endT = 0;

  constructor(
    readonly ctx: ObsContext,
    readonly battery: BatteryParams,
    readonly config: EnvConfig,
  ) {
    this.levels = actionLevels(config.numActions);
  }

  /** Starts an episode at step `startT` with `socKWh`, lasting `lengthSteps` steps (cut at the series end). */
  reset(startT: number, socKWh: number, lengthSteps: number): void {
    this.t = startT;
    this.socKWh = socKWh;
    this.endT = Math.min(this.ctx.length, startT + lengthSteps);
  }

  observe(out: Float32Array, offset: number): void {
    writeObservation(this.ctx, this.t, this.socKWh, out, offset);
  }

  step(action: number): EnvStep {
    const ctx = this.ctx;
    const price = ctx.pricesEurPerMWh[this.t];
    const req = requestForPowerFraction(this.battery, this.levels[action], ctx.dtHours);
    const site = ctx.site;
    const r = site
      ? stepSite(
          this.battery,
          siteStepContext(this.battery, site.site, site.series, this.t, price, ctx.dtHours),
          this.socKWh,
          req.chargeKWh,
          req.dischargeKWh,
          price,
          ctx.dtHours,
          site.plain,
        )
      : stepBattery(this.battery, this.socKWh, req.chargeKWh, req.dischargeKWh, price, ctx.dtHours);
    const shaping = shapingEur(this.config, price, ctx.forecastAvgEurPerMWh[this.t], r.chargedKWh, r.dischargedKWh);
    this.socKWh = r.socAfterKWh;
    this.t++;
    const terminated = this.t >= ctx.length;
    const truncated = !terminated && this.t >= this.endT;
    return {
      reward: (r.cashEur + shaping) / ctx.stats.rewardScaleEur,
      cashEur: r.cashEur,
      shapingEur: shaping,
      terminated,
      truncated,
    };
  }
}

/** Per-step outputs of a VecEnv, one slot per env, reused across steps. */
export interface VecStepBuffers {
  rewards: Float32Array;
  cashEur: Float64Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  /** Observation of the state an episode ended in (before the automatic reset), for bootstrapping truncation. */
  finalObs: Float32Array;
}

/**
 * `numEnvs` batteries on random windows of one series, writing their observations into one Float32Array batch
 * (row-major, numEnvs × obsDim) so the policy runs once per step for all of them. Ended episodes reset
 * automatically; the observation batch then holds the new episode's first observation.
 */
export class VecEnv {
  readonly envs: BatteryEnv[];
  readonly obs: Float32Array;
  readonly obsDim: number;
  readonly buffers: VecStepBuffers;
  readonly episodeSteps: number;
  /** Finished episodes since the last `drainEpisodes`: money (cash) and shaped return. */
  private finished: { cashEur: number; reward: number; length: number }[] = [];
  private epCash: Float64Array;
  private epReward: Float64Array;
  private epLen: Int32Array;

  constructor(
    readonly ctx: ObsContext,
    readonly battery: BatteryParams,
    readonly config: EnvConfig,
    readonly numEnvs: number,
    private readonly rng: Rng,
  ) {
    this.obsDim = ctx.obsDim;
    this.envs = Array.from({ length: numEnvs }, () => new BatteryEnv(ctx, battery, config));
    this.obs = new Float32Array(numEnvs * this.obsDim);
    this.episodeSteps = Math.max(1, Math.round(config.episodeHours / ctx.dtHours));
    this.buffers = {
      rewards: new Float32Array(numEnvs),
      cashEur: new Float64Array(numEnvs),
      terminated: new Uint8Array(numEnvs),
      truncated: new Uint8Array(numEnvs),
      finalObs: new Float32Array(numEnvs * this.obsDim),
    };
    this.epCash = new Float64Array(numEnvs);
    this.epReward = new Float64Array(numEnvs);
    this.epLen = new Int32Array(numEnvs);
    for (let i = 0; i < numEnvs; i++) this.resetEnv(i);
  }

  private resetEnv(i: number): void {
    const n = this.ctx.length;
    const len = Math.min(this.episodeSteps, n);
    const start = this.rng.int(n - len + 1);
    const b = this.battery;
    const soc = this.config.randomStartSoc
      ? b.minSocKWh + this.rng.next() * (b.maxSocKWh - b.minSocKWh)
      : b.initialSocKWh;
    this.envs[i].reset(start, soc, len);
    this.envs[i].observe(this.obs, i * this.obsDim);
    this.epCash[i] = 0;
    this.epReward[i] = 0;
    this.epLen[i] = 0;
  }

  /** Applies one action per env; fills `buffers` and the observation batch. */
  step(actions: ArrayLike<number>): VecStepBuffers {
    const bf = this.buffers;
    for (let i = 0; i < this.numEnvs; i++) {
      const env = this.envs[i];
      const s = env.step(actions[i]);
      bf.rewards[i] = s.reward;
      bf.cashEur[i] = s.cashEur;
      bf.terminated[i] = s.terminated ? 1 : 0;
      bf.truncated[i] = s.truncated ? 1 : 0;
      this.epCash[i] += s.cashEur;
      this.epReward[i] += s.reward;
      this.epLen[i]++;
      if (s.terminated || s.truncated) {
        // Only a truncated episode is bootstrapped from its final state; a terminated one is past the series end.
        if (s.truncated) env.observe(bf.finalObs, i * this.obsDim);
        this.finished.push({ cashEur: this.epCash[i], reward: this.epReward[i], length: this.epLen[i] });
        this.resetEnv(i);
      } else env.observe(this.obs, i * this.obsDim);
    }
    return bf;
  }

  /** Episodes finished since the last call. */
  drainEpisodes(): { cashEur: number; reward: number; length: number }[] {
    const f = this.finished;
    this.finished = [];
    return f;
  }
}
