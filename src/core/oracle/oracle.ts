// The exact perfect-foresight optimum of the battery LP (DESIGN.md "The oracle"), by dynamic programming over the
// concave piecewise-linear value of stored energy (the "slope trick"), O(T log T).
//
// Per step, the best cash for a net change x of cell energy is a concave function g_t(x) with at most two linear
// pieces on [−X−, X+] (X+: cell energy of a full-power charge, X−: of a full-power discharge):
//   - normally: slope −sell on [−X−, 0] and −buy on [0, X+], where buy = cellBuyCostEur and sell =
//     cellSellValueEur (what one kWh of cell energy costs or earns at this price, wear included);
//   - when buy < sell (prices below −k(1+ηcηd)/(1−ηcηd)) buying and selling at once pays ("burning"): with independent
//     limits the pieces swap (slope −buy up to X+ − X−, then −sell); with the shared limit c/Pc·dt + d/Pd·dt ≤ 1 it is
//     one piece from (−X−, sell·X−) to (X+, −buy·X+).
// Backward over the steps, V_t(s) = max_y g_t(y − s) + V_{t+1}(y) is a sup-convolution of concave functions: merge
// the slopes of the reversed g_t into V_{t+1}'s multiset of (slope, length), then cut the domain to
// [minSoc, maxSoc]. The live pieces sit in a sorted deque (highest slope first): the domain is at most the usable
// capacity wide and every step adds pieces a power-step long, so only about 2·capacity/(power·dt) pieces live at
// once and a sorted insert costs a short copy. Before each merge we record where V_{t+1}'s derivative crosses
// g_t's slopes; the forward pass then picks the next SOC as a clamp, turns each SOC change into grid requests, and
// takes each step through the one battery model (stepBattery) for the schedule, SOC path, cash and profit.

import {
  type BatteryParams,
  assertTerminalSocReachable,
  cellBuyCostEur,
  cellGainKWh,
  cellLossKWh,
  cellSellValueEur,
  chargeForCellGainKWh,
  dischargeForCellLossKWh,
  equivalentCycles,
  maxChargeKWh,
  maxDischargeKWh,
  stepBattery,
} from '../battery/index.ts';
import type { OracleInput, OracleResult } from './types.ts';

/** The two pieces of g_t's reverse, merged into V at step t: the higher slope first. */
interface StepPieces {
  /** Slope of the piece merged first (the higher one), EUR per kWh of cell energy. */
  highSlope: Float64Array;
  /** Slope of the piece merged second (the lower one), EUR per kWh of cell energy. */
  lowSlope: Float64Array;
  /** Net cell change where g_t's two pieces meet, kWh: 0, or X+ (shared limit) or X+ − X− (independent) when burning. */
  kinkKWh: Float64Array;
  /** 1 where buying and selling at once pays at this step's price. */
  burns: Uint8Array;
}

/** What the backward pass leaves for the forward pass, per step. */
interface Plan {
  /** The best next SOC after step t lies in [bestLowKWh[t], bestHighKWh[t]]: where V_{t+1}' crosses g_t's slopes. */
  bestLowKWh: Float64Array;
  bestHighKWh: Float64Array;
  /** SOCs before step t (t = 0..T) from which the rest of the horizon is feasible: [feasibleLowKWh, feasibleHighKWh]. */
  feasibleLowKWh: Float64Array;
  feasibleHighKWh: Float64Array;
}

/** The passes' arrays, kept for the next solve (dragging a slider re-solves the same series many times). */
interface Work {
  steps: number;
  pieces: StepPieces;
  plan: Plan;
}
let work: Work | null = null;

/** Work arrays for at least `T` steps; the passes write every entry they read, so none needs clearing. */
function workFor(T: number): Work {
  if (work === null || work.steps < T) {
    const n = Math.max(T, 1024);
    work = {
      steps: n,
      pieces: {
        highSlope: new Float64Array(n),
        lowSlope: new Float64Array(n),
        kinkKWh: new Float64Array(n),
        burns: new Uint8Array(n),
      },
      plan: {
        bestLowKWh: new Float64Array(n),
        bestHighKWh: new Float64Array(n),
        feasibleLowKWh: new Float64Array(n + 1),
        feasibleHighKWh: new Float64Array(n + 1),
      },
    };
  }
  return work;
}

/** g_t for every step into `p`, from the battery model's per-kWh cell costs. */
function stepPieces(
  b: BatteryParams,
  prices: ArrayLike<number>,
  cellInKWh: number,
  cellOutKWh: number,
  p: StepPieces,
): void {
  const T = prices.length;
  for (let t = 0; t < T; t++) {
    const buy = cellBuyCostEur(b, prices[t]);
    const sell = cellSellValueEur(b, prices[t]);
    if (buy >= sell) {
      p.highSlope[t] = buy;
      p.lowSlope[t] = sell;
      p.kinkKWh[t] = 0;
      p.burns[t] = 0;
    } else if (b.sharedPowerLimit) {
      const slope = cellInKWh + cellOutKWh > 0 ? (buy * cellInKWh + sell * cellOutKWh) / (cellInKWh + cellOutKWh) : 0;
      p.highSlope[t] = slope;
      p.lowSlope[t] = slope;
      p.kinkKWh[t] = cellInKWh;
      p.burns[t] = 1;
    } else {
      p.highSlope[t] = sell;
      p.lowSlope[t] = buy;
      p.kinkKWh[t] = cellInKWh - cellOutKWh;
      p.burns[t] = 1;
    }
  }
}

/**
 * A concave piecewise-linear function of SOC: it starts at `startKWh` and its pieces (slope, length) follow in
 * descending slope, stored in `slope`/`lengthKWh` between `head` and `tail` with room to grow at both ends.
 */
export class ConcaveValue {
  slope = new Float64Array(256);
  lengthKWh = new Float64Array(256);
  head = 128;
  tail = 128;
  startKWh = 0;
  widthKWh = 0;
  /** Set by locate(): where the derivative falls to the higher and the lower slope, and the pieces there. */
  highCrossingKWh = 0;
  highIndex = 0;
  lowCrossingKWh = 0;
  lowIndex = 0;

  /** V_T: zero on [startKWh, endKWh]. */
  reset(startKWh: number, endKWh: number): void {
    this.head = this.tail = this.slope.length >> 1;
    this.startKWh = startKWh;
    this.widthKWh = 0;
    if (endKWh > startKWh) this.insertAt(this.head, 0, endKWh - startKWh);
  }

  get endKWh(): number {
    return this.startKWh + this.widthKWh;
  }

  /**
   * Where the derivative falls to `highSlope` and then to `lowSlope` (≤ highSlope): the start plus the lengths of
   * the pieces steeper than each, and the index of the first piece that is not.
   */
  locate(highSlope: number, lowSlope: number): void {
    const { slope, lengthKWh, tail } = this;
    let i = this.head;
    let at = this.startKWh;
    while (i < tail && slope[i] > highSlope) at += lengthKWh[i++];
    this.highCrossingKWh = at;
    this.highIndex = i;
    while (i < tail && slope[i] > lowSlope) at += lengthKWh[i++];
    this.lowCrossingKWh = at;
    this.lowIndex = i;
  }

  /**
   * Inserts a piece before index `i`, where the slopes before it are higher and those from it not; a piece of the
   * same slope there lengthens instead. Returns how far the indices before `i` moved.
   */
  insertAt(i: number, slope: number, lengthKWh: number): number {
    this.widthKWh += lengthKWh;
    if (i < this.tail && this.slope[i] === slope) {
      this.lengthKWh[i] += lengthKWh;
      return 0;
    }
    const headBefore = this.head;
    if (this.head === 0 || this.tail === this.slope.length) i = this.recentre(i);
    const s = this.slope;
    const len = this.lengthKWh;
    // Open slot i by moving the shorter side outwards (a few entries: a loop beats copyWithin's call).
    if (i - this.head < this.tail - i) {
      for (let j = this.head; j < i; j++) {
        s[j - 1] = s[j];
        len[j - 1] = len[j];
      }
      this.head--;
      i--;
    } else {
      for (let j = this.tail; j > i; j--) {
        s[j] = s[j - 1];
        len[j] = len[j - 1];
      }
      this.tail++;
    }
    s[i] = slope;
    len[i] = lengthKWh;
    return this.head - headBefore;
  }

  /** Moves the live pieces to the middle (into arrays twice as large when more than a quarter full); returns where index `i` went. */
  private recentre(i: number): number {
    const live = this.tail - this.head;
    let size = this.slope.length;
    if (live * 4 + 8 > size) size *= 2;
    const from = this.head;
    const to = (size - live) >> 1;
    if (size === this.slope.length) {
      this.slope.copyWithin(to, from, this.tail);
      this.lengthKWh.copyWithin(to, from, this.tail);
    } else {
      const slope = new Float64Array(size);
      const lengthKWh = new Float64Array(size);
      slope.set(this.slope.subarray(from, this.tail), to);
      lengthKWh.set(this.lengthKWh.subarray(from, this.tail), to);
      this.slope = slope;
      this.lengthKWh = lengthKWh;
    }
    this.head = to;
    this.tail = to + live;
    return i + to - from;
  }

  /** Shifts the domain by `deltaKWh` and cuts it to [lowKWh, highKWh]; pieces shorter than `tolKWh` past a bound go whole. */
  shiftAndClip(deltaKWh: number, lowKWh: number, highKWh: number, tolKWh: number): void {
    this.startKWh += deltaKWh;
    // The left end holds the highest slopes.
    while (this.startKWh < lowKWh && this.head < this.tail) {
      const cut = lowKWh - this.startKWh;
      const first = this.lengthKWh[this.head];
      if (first <= cut + tolKWh) {
        this.startKWh += first;
        this.widthKWh -= first;
        this.head++;
      } else {
        this.lengthKWh[this.head] = first - cut;
        this.widthKWh -= cut;
        this.startKWh = lowKWh;
      }
    }
    if (this.startKWh < lowKWh) this.startKWh = lowKWh;
    while (this.endKWh > highKWh && this.head < this.tail) {
      const cut = this.endKWh - highKWh;
      const last = this.lengthKWh[this.tail - 1];
      if (last <= cut + tolKWh) {
        this.widthKWh -= last;
        this.tail--;
      } else {
        this.lengthKWh[this.tail - 1] = last - cut;
        this.widthKWh -= cut;
      }
    }
    if (this.head === this.tail) this.widthKWh = 0;
  }
}

// One value function per thread, reused across solves like the work arrays.
const value = new ConcaveValue();

/** The backward pass over T steps: V_t from V_{t+1}, recording into `plan` the best next SOC range and the feasible range per step. */
function backward(b: BatteryParams, T: number, g: StepPieces, cellInKWh: number, cellOutKWh: number, plan: Plan): void {
  const tolKWh = 1e-12 * Math.max(1, b.maxSocKWh);
  const terminalKWh = b.terminalSocKWh !== null ? Math.max(b.minSocKWh, b.terminalSocKWh) : b.minSocKWh;
  value.reset(terminalKWh, b.maxSocKWh);
  plan.feasibleLowKWh[T] = value.startKWh;
  plan.feasibleHighKWh[T] = value.endKWh;
  for (let t = T - 1; t >= 0; t--) {
    value.locate(g.highSlope[t], g.lowSlope[t]);
    plan.bestLowKWh[t] = value.highCrossingKWh;
    plan.bestHighKWh[t] = value.lowCrossingKWh;
    // The lower piece first: inserting it moves the higher one's index by what it returns.
    const highLength = cellInKWh - g.kinkKWh[t];
    const lowLength = g.kinkKWh[t] + cellOutKWh;
    const moved = lowLength > 0 ? value.insertAt(value.lowIndex, g.lowSlope[t], lowLength) : 0;
    if (highLength > 0) value.insertAt(value.highIndex + moved, g.highSlope[t], highLength);
    value.shiftAndClip(-cellInKWh, b.minSocKWh, b.maxSocKWh, tolKWh);
    plan.feasibleLowKWh[t] = value.startKWh;
    plan.feasibleHighKWh[t] = value.endKWh;
  }
}

/**
 * The forward pass: from the initial SOC, clamp the next SOC into the best range, the next step's feasible range,
 * the power range and the bounds; turn that SOC change into the grid requests that make it at the least cost, and
 * take the step through the one battery model (stepBattery), whose SOC, energies and cash are the result.
 */
function forward(
  b: BatteryParams,
  prices: ArrayLike<number>,
  dtHours: number,
  g: StepPieces,
  plan: Plan,
): Omit<OracleResult, 'solveMs'> {
  const T = prices.length;
  const fullChargeKWh = maxChargeKWh(b, dtHours);
  const fullDischargeKWh = maxDischargeKWh(b, dtHours);
  const cellInKWh = cellGainKWh(b, fullChargeKWh);
  const cellOutKWh = cellLossKWh(b, fullDischargeKWh);
  const schedule = { chargeKWh: new Float64Array(T), dischargeKWh: new Float64Array(T), socKWh: new Float64Array(T) };
  let soc = b.initialSocKWh;
  let profitEur = 0;
  let chargedKWh = 0;
  let dischargedKWh = 0;
  for (let t = 0; t < T; t++) {
    let next = soc + g.kinkKWh[t];
    next = Math.min(Math.max(next, plan.bestLowKWh[t]), plan.bestHighKWh[t]);
    next = Math.min(Math.max(next, plan.feasibleLowKWh[t + 1]), plan.feasibleHighKWh[t + 1]);
    next = Math.min(Math.max(next, soc - cellOutKWh), soc + cellInKWh);
    next = Math.min(Math.max(next, b.minSocKWh), b.maxSocKWh);
    const x = next - soc;
    let c: number;
    let d: number;
    if (!g.burns[t]) {
      c = x > 0 ? Math.min(fullChargeKWh, chargeForCellGainKWh(b, x)) : 0;
      d = x < 0 ? Math.min(fullDischargeKWh, dischargeForCellLossKWh(b, -x)) : 0;
    } else if (b.sharedPowerLimit) {
      // A mix of full charge and full discharge on the shared limit.
      const share =
        cellInKWh + cellOutKWh > 0 ? Math.min(1, Math.max(0, (x + cellOutKWh) / (cellInKWh + cellOutKWh))) : 0;
      c = share * fullChargeKWh;
      d = (1 - share) * fullDischargeKWh;
    } else if (x <= cellInKWh - cellOutKWh) {
      d = fullDischargeKWh;
      c = Math.min(fullChargeKWh, Math.max(0, chargeForCellGainKWh(b, x + cellOutKWh)));
    } else {
      c = fullChargeKWh;
      d = Math.min(fullDischargeKWh, Math.max(0, dischargeForCellLossKWh(b, cellInKWh - x)));
    }
    const step = stepBattery(b, soc, c, d, prices[t], dtHours);
    schedule.chargeKWh[t] = step.chargedKWh;
    schedule.dischargeKWh[t] = step.dischargedKWh;
    schedule.socKWh[t] = step.socAfterKWh;
    chargedKWh += step.chargedKWh;
    dischargedKWh += step.dischargedKWh;
    profitEur += step.cashEur;
    soc = step.socAfterKWh;
  }
  return {
    profitEur,
    chargedKWh,
    dischargedKWh,
    equivalentCycles: equivalentCycles(b, chargedKWh, dischargedKWh),
    schedule,
  };
}

/**
 * Solves the battery LP exactly; `nowMs` (a clock, injected to keep core pure) times the solve for solveMs, schedule
 * included. Throws BatteryParamError when the battery's terminal SOC minimum cannot be met over this series.
 */
export function solveOracle(input: OracleInput, nowMs: () => number = () => 0): OracleResult {
  const t0 = nowMs();
  const { pricesEurPerMWh: prices, dtHours, battery: b } = input;
  assertTerminalSocReachable(b, prices.length, dtHours);
  const cellInKWh = cellGainKWh(b, maxChargeKWh(b, dtHours));
  const cellOutKWh = cellLossKWh(b, maxDischargeKWh(b, dtHours));
  const { pieces, plan } = workFor(prices.length);
  stepPieces(b, prices, cellInKWh, cellOutKWh, pieces);
  backward(b, prices.length, pieces, cellInKWh, cellOutKWh, plan);
  const result = forward(b, prices, dtHours, pieces, plan);
  return { ...result, solveMs: nowMs() - t0 };
}
