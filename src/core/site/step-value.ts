// A site step's best cash as a function of the net change x of cell energy (kWh): the concave piecewise-linear
// g_t(x) that the exact oracle's DP merges into the value of stored energy (src/core/oracle/site-oracle.ts).
//
// For a given x the battery's grid-side energies (c, d) satisfy x = ηc·c − d/ηd. Its AC net a = c − d is smallest
// with no simultaneous charge and discharge (a_min(x) = x/ηc or x·ηd) and grows when both run at once, up to
// a_max(x) (power, shared-limit and PV-only bounds). Along that line the step's cash is
//   −k(c + d) + Φ(load + a) = Φ(load + a) − κ·a + 2kx/(1/ηd − ηc),   κ = k(1 + ηcηd)/(1 − ηcηd),
// where Φ(n) is the best grid settlement of a net demand n (settleGrid): concave in n. So for each x the best a is
// the clamp of Φ − κa's maximiser a* into [a_min(x), a_max(x)] ∩ Φ's domain ("burning" energy pays only when
// drawing one more kWh earns more than κ). g_t is linear between the x where a_min, a_max or that clamp cross a
// breakpoint of Φ, and where a_max's own bounds switch, so evaluating g_t there gives it exactly.

import {
  type BatteryParams,
  cellGainKWh,
  cellLossKWh,
  dischargeForCellLossKWh,
  maxChargeKWh,
  maxDischargeKWh,
  stepCashEur,
} from '../battery/index.ts';
import { type GridFlows, type SiteStepContext, settleGridInto } from './site.ts';

/** Grid-side battery energies for a cell change, kWh. */
export interface BatteryDispatch {
  chargeKWh: number;
  dischargeKWh: number;
}

/** g_t for one step at a time (set() per step); its pieces are in xKWh/slope, valid until the next set(). */
export class SiteStepValue {
  /** Breakpoints of g_t in x, ascending, `pieces + 1` of them: xKWh[0] is the lowest feasible cell change. */
  xKWh: number[] = [];
  /** Slope of piece j (between xKWh[j] and xKWh[j + 1]), EUR per kWh of cell energy, non-increasing in j. */
  slope: number[] = [];
  private readonly etaC: number;
  private readonly etaD: number;
  private readonly invEtaD: number;
  private readonly fullChargeKWh: number;
  private readonly fullDischargeKWh: number;
  private readonly kappa: number;
  private readonly shared: boolean;
  private ctx!: SiteStepContext;
  private chargeMaxKWh = 0;
  private burns = false;
  private aLowKWh = 0;
  private aHighKWh = 0;
  private aStarKWh = -Infinity;
  private knots = new Float64Array(8);
  private knotCount = 0;
  private aPoints = new Float64Array(8);
  private aCount = 0;
  private candidates = new Float64Array(32);
  private values: number[] = [];
  private flows: GridFlows = { usedPvKWh: 0, importedKWh: 0, exportedKWh: 0, gridCashEur: 0 };

  constructor(
    private readonly b: BatteryParams,
    dtHours: number,
  ) {
    this.etaC = cellGainKWh(b, 1);
    this.invEtaD = cellLossKWh(b, 1);
    this.etaD = dischargeForCellLossKWh(b, 1);
    this.fullChargeKWh = maxChargeKWh(b, dtHours);
    this.fullDischargeKWh = maxDischargeKWh(b, dtHours);
    const eta = this.etaC * this.etaD;
    this.kappa = eta < 1 ? (b.degradationEurPerKWh * (1 + eta)) / (1 - eta) : Infinity;
    this.shared = b.sharedPowerLimit && this.fullChargeKWh > 0 && this.fullDischargeKWh > 0;
  }

  private aMin(x: number): number {
    return x >= 0 ? x / this.etaC : x * this.etaD;
  }

  private aMinInverse(a: number): number {
    return a >= 0 ? a * this.etaC : a * this.invEtaD;
  }

  /** The most grid-side charge that a cell change x allows while discharging at once. */
  private cMax(x: number): number {
    let c = Math.min(this.chargeMaxKWh, (this.fullDischargeKWh * this.invEtaD + x) / this.etaC);
    if (this.shared) {
      const C = this.fullChargeKWh;
      const D = this.fullDischargeKWh;
      c = Math.min(c, (1 + (this.etaD * x) / D) / (1 / C + (this.etaC * this.etaD) / D));
    }
    return c;
  }

  private aMax(x: number): number {
    if (!this.burns) return this.aMin(x);
    const c = Math.max(this.cMax(x), Math.max(0, x / this.etaC));
    return c - this.etaD * (this.etaC * c - x);
  }

  /** x where the increasing piecewise-linear aMax reaches `a` (linear between its knots). */
  private aMaxInverse(a: number): number {
    if (!this.burns) return this.aMinInverse(a);
    const k = this.knots;
    const nk = this.knotCount;
    let lo = k[0];
    let flo = this.aMax(lo);
    if (a <= flo) return lo;
    for (let j = 1; j < nk; j++) {
      const hi = k[j];
      const fhi = this.aMax(hi);
      if (a <= fhi) return fhi > flo ? lo + ((a - flo) * (hi - lo)) / (fhi - flo) : hi;
      lo = hi;
      flo = fhi;
    }
    return lo;
  }

  private phi(n: number): number {
    return settleGridInto(this.ctx, n, this.flows).gridCashEur;
  }

  /** g_t for the step of `ctx`. */
  set(ctx: SiteStepContext): void {
    const xHigh = this.prepare(ctx);
    const xLowBattery = -this.fullDischargeKWh * this.invEtaD;
    const xLow = this.aMax(xLowBattery) >= this.aLowKWh ? xLowBattery : this.aMaxInverse(this.aLowKWh);
    const xs = this.candidates;
    let n = 0;
    xs[n++] = xLow;
    xs[n++] = xHigh;
    for (let j = 0; j < this.knotCount; j++) xs[n++] = this.knots[j];
    for (let j = 0; j < this.aCount; j++) {
      xs[n++] = this.aMinInverse(this.aPoints[j]);
      if (this.burns) xs[n++] = this.aMaxInverse(this.aPoints[j]);
    }
    sortPrefix(xs, n);
    const tol = 1e-12 * Math.max(1, xHigh - xLow, Math.abs(xLow));
    const outX = this.xKWh;
    const outS = this.slope;
    const outG = this.values;
    outX.length = 0;
    outS.length = 0;
    outG.length = 0;
    for (let j = 0; j < n; j++) {
      const x = xs[j];
      if (x < xLow || x > xHigh) continue;
      if (outX.length > 0 && x - outX[outX.length - 1] <= tol) continue;
      const G = this.valueAt(x);
      if (outX.length > 0) {
        // Slopes; a breakpoint whose slopes rise (float noise on a straight stretch) is dropped, keeping g_t concave.
        let sl = (G - outG[outG.length - 1]) / (x - outX[outX.length - 1]);
        while (outS.length > 0 && sl > outS[outS.length - 1]) {
          outS.pop();
          outX.pop();
          outG.pop();
          sl = (G - outG[outG.length - 1]) / (x - outX[outX.length - 1]);
        }
        outS.push(sl);
      }
      outX.push(x);
      outG.push(G);
    }
  }

  /**
   * The step's state that dispatch() needs (bounds of the AC net, a*, aMax's knots, Φ's breakpoints) without g_t's
   * pieces; returns the highest feasible cell change.
   */
  prepare(ctx: SiteStepContext): number {
    this.ctx = ctx;
    const { pvKWh, loadKWh, importMaxKWh, exportMaxKWh } = ctx;
    const Cm = (this.chargeMaxKWh = Math.min(ctx.chargeMaxKWh, this.fullChargeKWh));
    const D = this.fullDischargeKWh;
    this.burns = this.kappa < Infinity && Cm > 0 && D > 0;
    this.aLowKWh = -exportMaxKWh - loadKWh;
    this.aHighKWh = pvKWh + importMaxKWh - loadKWh;
    const xLowBattery = -D * this.invEtaD;
    const xHigh = Math.max(0, Math.min(this.etaC * Cm, this.etaC * Math.max(0, this.aHighKWh)));
    // Knots of aMax: where cMax's bounds (each a line in x) cross, and 0 (aMin's kink).
    const k = this.knots;
    let nk = 0;
    k[nk++] = xLowBattery;
    k[nk++] = 0;
    k[nk++] = xHigh;
    if (this.burns) {
      // Lines c = α + βx: Cm; (D/ηd + x)/ηc; with the shared limit (1 + ηd·x/D)/(1/C + ηcηd/D).
      const a1 = Cm;
      const a2 = (D * this.invEtaD) / this.etaC;
      const b2 = 1 / this.etaC;
      k[nk++] = (a1 - a2) / b2;
      if (this.shared) {
        const den = 1 / this.fullChargeKWh + (this.etaC * this.etaD) / D;
        const a3 = 1 / den;
        const b3 = this.etaD / D / den;
        if (b3 !== 0) k[nk++] = (a1 - a3) / b3;
        if (b2 !== b3) k[nk++] = (a3 - a2) / (b2 - b3);
      }
    }
    let kept = 0;
    for (let j = 0; j < nk; j++) if (k[j] >= xLowBattery && k[j] <= xHigh) k[kept++] = k[j];
    sortPrefix(k, kept);
    this.knotCount = kept;
    // Breakpoints of Φ, as AC nets a = n − load, within its domain.
    const ap = this.aPoints;
    let na = 0;
    const nLow = -exportMaxKWh;
    const nHigh = pvKWh + importMaxKWh;
    for (const v of [nLow, 0, importMaxKWh, pvKWh - exportMaxKWh, pvKWh, nHigh])
      if (Number.isFinite(v) && v >= nLow && v <= nHigh) ap[na++] = v - loadKWh;
    sortPrefix(ap, na);
    this.aCount = na;
    this.aStarKWh = this.burns ? this.maximiser() : -Infinity;
    return xHigh;
  }

  /** The smallest maximiser of Φ(load + a) − κ·a over Φ's domain, given its breakpoints (−∞ or +∞ at an open end). */
  private maximiser(): number {
    const aPoints = this.aPoints;
    const { importPriceEurPerMWh: pi, exportPriceEurPerMWh: pe, loadKWh } = this.ctx;
    const perKWh = (priceEurPerMWh: number) => priceEurPerMWh / 1000;
    if (this.aLowKWh === -Infinity && -perKWh(pe) - this.kappa <= 0) return -Infinity;
    for (let j = 0; j < this.aCount; j++) {
      let after: number;
      if (j + 1 < this.aCount)
        after =
          (this.phi(loadKWh + aPoints[j + 1]) - this.phi(loadKWh + aPoints[j])) / (aPoints[j + 1] - aPoints[j]) -
          this.kappa;
      else after = this.aHighKWh === Infinity ? -perKWh(pi) - this.kappa : -Infinity;
      if (after <= 0) return aPoints[j];
    }
    return Infinity;
  }

  /** The battery energies that make cell change x at the step's best cash (after set() or prepare()). */
  dispatch(x: number): BatteryDispatch {
    this.solve(x);
    return { chargeKWh: this.c, dischargeKWh: this.d };
  }

  /** g_t(x): the step's best cash for cell change x, EUR. */
  valueAt(x: number): number {
    this.solve(x);
    return stepCashEur(this.b, 0, this.c, this.d) + this.phi(this.ctx.loadKWh + this.c - this.d);
  }

  private c = 0;
  private d = 0;

  /** The best (c, d) for cell change x into this.c, this.d. */
  private solve(x: number): void {
    const aMin = this.aMin(x);
    if (this.burns) {
      const lo = Math.max(aMin, this.aLowKWh);
      const hi = Math.min(this.aMax(x), this.aHighKWh);
      const a = Math.min(Math.max(this.aStarKWh, lo), Math.max(lo, hi));
      if (a > aMin + 1e-12 * Math.max(1, Math.abs(a))) {
        const c = Math.min(this.chargeMaxKWh, Math.max(0, (a * this.invEtaD - x) / (this.invEtaD - this.etaC)));
        this.c = c;
        this.d = Math.min(this.fullDischargeKWh, Math.max(0, c - a));
        return;
      }
    }
    if (x >= 0) {
      this.c = Math.min(this.chargeMaxKWh, x / this.etaC);
      this.d = 0;
    } else {
      this.c = 0;
      this.d = Math.min(this.fullDischargeKWh, -x * this.etaD);
    }
  }
}

/** Sorts the first n entries ascending (insertion sort: a handful of numbers). */
function sortPrefix(a: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}
