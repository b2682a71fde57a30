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
// −σ1 and −σ2 (g_t's slopes); the forward pass then picks the next SOC as a clamp, and the requests that reach it
// are replayed through the one battery model (sim/simulate.ts) for the schedule, SOC, cash and profit.
//
// Both passes run as WebAssembly (kernel.ts). The same algorithm in TypeScript took 50–76 ms for its first solve
// of 35,040 steps in a fresh Node 20 process here (warm: 7–10 ms): V8 interprets the long loops until TurboFan has
// compiled them, and compiling the backward loop alone took 20–60 ms on this 2-core machine. WebAssembly is
// compiled before the first call and runs at full speed from its first step.

import { type BatteryParams, maxChargeKWh, maxDischargeKWh } from '../battery/index.ts';
import { simulate } from '../sim/simulate.ts';
import { KWH_PER_MWH } from '../units.ts';
import { PIECE_BYTES, RECORD_BYTES, oracleKernel } from './kernel.ts';
import type { OracleInput, OracleResult } from './types.ts';

const PAGE_BYTES = 65536;
/** Deque entries of the first attempt; the kernel says when a (rare) instance needs more. */
const FIRST_DEQUE_PIECES = 1024;

/** Byte offsets of the kernel's arrays for T steps and a deque of `pieces` entries. */
function layout(T: number, pieces: number) {
  const prices = 0;
  const rec = prices + 8 * T;
  const charge = rec + RECORD_BYTES * (T + 1);
  const discharge = charge + 8 * T;
  const dq = Math.ceil((discharge + 8 * T) / PIECE_BYTES) * PIECE_BYTES;
  const dqEnd = dq + PIECE_BYTES * pieces;
  return { prices, rec, charge, discharge, dq, dqEnd };
}

/**
 * Solves the battery LP exactly; `nowMs` (a clock, injected to keep core pure) times the solve for solveMs, schedule
 * included. The kernel's one-time assembly and compilation (on the first call in a thread) is not part of a solve.
 */
export function solveOracle(input: OracleInput, nowMs: () => number = () => 0): OracleResult {
  const kernel = oracleKernel();
  const t0 = nowMs();
  const { pricesEurPerMWh: prices, dtHours: dt, battery: b } = input;
  const T = prices.length;
  const C = maxChargeKWh(b, dt);
  const D = maxDischargeKWh(b, dt);
  const Xp = b.chargeEfficiency * C;
  const Xm = D / b.dischargeEfficiency;
  const L0 = b.terminalSocKWh !== null ? Math.max(b.minSocKWh, b.terminalSocKWh) : b.minSocKWh;
  const tol = 1e-12 * Math.max(1, b.maxSocKWh);
  const shared = b.sharedPowerLimit ? 1 : 0;
  // V holds at most two pieces per step (every insert adds two, cuts only remove): 2T + 2 entries always fit.
  let pieces = Math.min(FIRST_DEQUE_PIECES, 4 * T + 8);
  for (;;) {
    const at = layout(T, pieces);
    const missing = at.dqEnd - kernel.memory.buffer.byteLength;
    if (missing > 0) kernel.memory.grow(Math.ceil(missing / PAGE_BYTES));
    new Float64Array(kernel.memory.buffer, at.prices, T).set(prices);
    const status = kernel.backward(T, at.prices, at.rec, at.dq, at.dqEnd, KWH_PER_MWH, b.chargeEfficiency, b.dischargeEfficiency,
      b.degradationEurPerKWh, Xp, Xm, shared, b.minSocKWh, b.maxSocKWh, L0, tol);
    if (status === 0) {
      kernel.forward(T, at.prices, at.rec, at.charge, at.discharge, KWH_PER_MWH, b.chargeEfficiency, b.dischargeEfficiency,
        b.degradationEurPerKWh, Xp, Xm, shared, C, D, b.minSocKWh, b.maxSocKWh, b.initialSocKWh);
      return replay(b, prices, dt, new Float64Array(kernel.memory.buffer, at.charge, T), new Float64Array(kernel.memory.buffer, at.discharge, T), t0, nowMs);
    }
    pieces *= 4;
  }
}

/** The oracle's requests through the one battery model: schedule, SOC path, profit. */
function replay(b: BatteryParams, prices: ArrayLike<number>, dt: number, chargeKWh: Float64Array, dischargeKWh: Float64Array, t0: number, nowMs: () => number): OracleResult {
  const sim = simulate(b, prices, dt, { chargeKWh, dischargeKWh });
  return {
    profitEur: sim.profitEur,
    chargedKWh: sim.totalChargedKWh,
    dischargedKWh: sim.totalDischargedKWh,
    equivalentCycles: sim.equivalentCycles,
    solveMs: nowMs() - t0,
    schedule: { chargeKWh: sim.chargedKWh, dischargeKWh: sim.dischargedKWh, socKWh: sim.socAfterKWh },
  };
}
