// The exact perfect-foresight optimum of the battery LP (DESIGN.md "The oracle"), by dynamic programming over the
// concave piecewise-linear value of stored energy (the "slope trick"), O(T log T).
//
// Per step, the best cash for a net change x of cell energy is a concave function g_t(x) with at most two linear
// pieces on [−X−, X+] (X+ = ηc·Pc·dt, X− = Pd·dt/ηd):
//   - normally: slope −b on [−X−, 0] (sell, b = ηd·(π − k)) and −a on [0, X+] (buy, a = (π + k)/ηc), π = price/1000;
//   - when a < b (prices below −k(1+ηcηd)/(1−ηcηd)) buying and selling at once pays ("burning"): with independent
//     limits the pieces swap (slope −a up to X+ − X−, then −b); with the shared limit c/Pc·dt + d/Pd·dt ≤ 1 it is one
//     piece from (−X−, b·X−) to (X+, −a·X+).
// Backward over the steps, V_t(s) = max_y g_t(y − s) + V_{t+1}(y) is a sup-convolution of concave functions: merge
// the slopes of the reversed g_t into V_{t+1}'s multiset of (slope, length), then cut the domain to
// [minSoc, maxSoc]. The live pieces sit in a sorted deque (highest slope first): the domain is at most the usable
// capacity wide and every step adds pieces a power-step long, so only about 2·capacity/(power·dt) pieces live at
// once and a sorted insert costs a short memmove. Before each merge we record where V_{t+1}'s derivative crosses
// −σ1 and −σ2 (g_t's slopes); the forward pass then picks the next SOC as a clamp, and the schedule is replayed
// through stepBattery for profit and SOC.

import { type BatteryParams, equivalentCycles, maxChargeKWh, maxDischargeKWh, stepBattery } from '../battery/index.ts';
import { KWH_PER_MWH } from '../units.ts';
import type { OracleInput, OracleResult } from './types.ts';

/** Reusable work arrays, so repeated solves allocate nothing but the result. */
interface Work {
  steps: number;
  y1: Float64Array;
  y2: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  mid: Float64Array;
  sHi: Float64Array;
  sLo: Float64Array;
  /** Deque of live pieces: slope and length, highest slope first, in [head, tail). */
  slope: Float64Array;
  len: Float64Array;
}
let work: Work | null = null;

function getWork(T: number): Work {
  if (work && work.steps >= T) return work;
  const n = Math.max(T, 1024);
  work = {
    steps: n,
    y1: new Float64Array(n),
    y2: new Float64Array(n),
    lo: new Float64Array(n + 1),
    hi: new Float64Array(n + 1),
    mid: new Float64Array(n),
    sHi: new Float64Array(n),
    sLo: new Float64Array(n),
    slope: work?.slope ?? new Float64Array(256),
    len: work?.len ?? new Float64Array(256),
  };
  return work;
}

/** Solves the battery LP exactly; `nowMs` (a clock, injected to keep core pure) times the solve for solveMs. */
export function solveOracle(input: OracleInput, nowMs: () => number = () => 0): OracleResult {
  const t0 = nowMs();
  const { pricesEurPerMWh: prices, dtHours: dt, battery: b } = input;
  const T = prices.length;
  const chargeKWh = new Float64Array(T);
  const dischargeKWh = new Float64Array(T);
  const socKWh = new Float64Array(T);
  const C = maxChargeKWh(b, dt);
  const D = maxDischargeKWh(b, dt);
  const ec = b.chargeEfficiency;
  const ed = b.dischargeEfficiency;
  const k = b.degradationEurPerKWh;
  const Xp = ec * C;
  const Xm = D / ed;
  const smin = b.minSocKWh;
  const smax = b.maxSocKWh;
  const w = getWork(T);
  const { y1, y2, lo, hi, mid, sHi, sLo } = w;
  let slope = w.slope;
  let len = w.len;

  // Pieces of g_t: slope s1 (left, higher) on [−Xm, mid], s2 (right) on [mid, Xp]. The reversed ĝ_t merged into V
  // has slope sHi = −s2 over Xp − mid, then sLo = −s1 over mid + Xm.
  for (let t = 0; t < T; t++) {
    const pi = prices[t] / KWH_PER_MWH;
    const a = (pi + k) / ec;
    const bb = ed * (pi - k);
    if (a >= bb) {
      sHi[t] = a;
      sLo[t] = bb;
      mid[t] = 0;
    } else if (b.sharedPowerLimit) {
      sHi[t] = sLo[t] = Xp + Xm > 0 ? (a * Xp + bb * Xm) / (Xp + Xm) : 0;
      mid[t] = Xp;
    } else {
      sHi[t] = bb;
      sLo[t] = a;
      mid[t] = Xp - Xm;
    }
  }

  const tol = 1e-12 * Math.max(1, smax);
  let cap = slope.length;
  let head = cap >> 1;
  let tail = head;
  let total = 0;
  // Inserts a piece keeping slopes descending; equal slopes merge. Makes room by recentring or doubling.
  const insert = (sl: number, ln: number): void => {
    let i = head;
    while (i < tail && slope[i] > sl) i++;
    if (i < tail && slope[i] === sl) {
      len[i] += ln;
      total += ln;
      return;
    }
    if (tail === cap || head === 0) {
      // Recentre (doubling first when more than a quarter full) so both ends have room.
      const live = tail - head;
      if (live * 4 + 8 > cap) {
        const ns = new Float64Array(cap * 2);
        const nl = new Float64Array(cap * 2);
        ns.set(slope.subarray(head, tail), (cap * 2 - live) >> 1);
        nl.set(len.subarray(head, tail), (cap * 2 - live) >> 1);
        slope = ns;
        len = nl;
        cap *= 2;
      } else {
        slope.copyWithin((cap - live) >> 1, head, tail);
        len.copyWithin((cap - live) >> 1, head, tail);
      }
      const nh = (cap - live) >> 1;
      i += nh - head;
      head = nh;
      tail = nh + live;
    }
    // Shift the shorter side to open slot i.
    if (i - head < tail - i) {
      slope.copyWithin(head - 1, head, i);
      len.copyWithin(head - 1, head, i);
      head--;
      i--;
    } else {
      slope.copyWithin(i + 1, i, tail);
      len.copyWithin(i + 1, i, tail);
      tail++;
    }
    slope[i] = sl;
    len[i] = ln;
    total += ln;
  };

  // V_T: 0 on [max(minSoc, terminal), maxSoc].
  let L = b.terminalSocKWh !== null ? Math.max(smin, b.terminalSocKWh) : smin;
  if (smax - L > 0) insert(0, smax - L);
  lo[T] = L;
  hi[T] = L + total;
  for (let t = T - 1; t >= 0; t--) {
    // Where V_{t+1}' crosses sLo = −s1 and sHi = −s2: L + lengths of pieces with slope strictly above.
    const thHi = sHi[t];
    const thLo = sLo[t];
    let acc = L;
    let i = head;
    while (i < tail && slope[i] > thHi) acc += len[i++];
    y2[t] = acc;
    while (i < tail && slope[i] > thLo) acc += len[i++];
    y1[t] = acc;
    const lenHi = Xp - mid[t];
    const lenLo = mid[t] + Xm;
    if (lenHi > 0) insert(thHi, lenHi);
    if (lenLo > 0) insert(thLo, lenLo);
    L -= Xp;
    // Cut the left end (highest slopes) to minSoc.
    while (L < smin && head < tail) {
      const cut = smin - L;
      if (len[head] <= cut + tol) {
        L += len[head];
        total -= len[head];
        head++;
      } else {
        len[head] -= cut;
        total -= cut;
        L = smin;
      }
    }
    if (L < smin) L = smin;
    // Cut the right end (lowest slopes) to maxSoc.
    while (L + total > smax && head < tail) {
      const cut = L + total - smax;
      const j = tail - 1;
      if (len[j] <= cut + tol) {
        total -= len[j];
        tail--;
      } else {
        len[j] -= cut;
        total -= cut;
      }
    }
    if (head === tail) total = 0;
    lo[t] = L;
    hi[t] = L + total;
  }
  w.slope = slope;
  w.len = len;

  // Forward: clamp the next SOC into the best range, the power range and the feasible domain.
  let s = b.initialSocKWh;
  let charged = 0;
  let discharged = 0;
  let profitEur = 0;
  for (let t = 0; t < T; t++) {
    let y = s + mid[t];
    if (y < y2[t]) y = y2[t];
    if (y > y1[t]) y = y1[t];
    if (y < lo[t + 1]) y = lo[t + 1];
    if (y > hi[t + 1]) y = hi[t + 1];
    if (y > s + Xp) y = s + Xp;
    if (y < s - Xm) y = s - Xm;
    if (y > smax) y = smax;
    if (y < smin) y = smin;
    const x = y - s;
    let c: number;
    let d: number;
    const pi = prices[t] / KWH_PER_MWH;
    const burn = (pi + k) / ec < ed * (pi - k);
    if (!burn) {
      c = x > 0 ? Math.min(C, x / ec) : 0;
      d = x < 0 ? Math.min(D, -x * ed) : 0;
    } else if (b.sharedPowerLimit) {
      const lam = Xp + Xm > 0 ? Math.min(1, Math.max(0, (x + Xm) / (Xp + Xm))) : 0;
      c = lam * C;
      d = (1 - lam) * D;
    } else if (x <= Xp - Xm) {
      d = D;
      c = Math.min(C, Math.max(0, (x + Xm) / ec));
    } else {
      c = C;
      d = Math.min(D, Math.max(0, (Xp - x) * ed));
    }
    const r = stepBattery(b, s, c, d, prices[t], dt);
    chargeKWh[t] = r.chargedKWh;
    dischargeKWh[t] = r.dischargedKWh;
    socKWh[t] = r.socAfterKWh;
    charged += r.chargedKWh;
    discharged += r.dischargedKWh;
    profitEur += r.cashEur;
    s = r.socAfterKWh;
  }
  return {
    profitEur,
    chargedKWh: charged,
    dischargedKWh: discharged,
    equivalentCycles: equivalentCycles(b, charged, discharged),
    solveMs: nowMs() - t0,
    schedule: { chargeKWh, dischargeKWh, socKWh },
  };
}
