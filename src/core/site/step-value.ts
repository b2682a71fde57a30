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
import { type SiteStepContext, settleGrid } from './site.ts';

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
  private knots: number[] = [];

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
    let lo = k[0];
    let flo = this.aMax(lo);
    if (a <= flo) return lo;
    for (let j = 1; j < k.length; j++) {
      const hi = k[j];
      const fhi = this.aMax(hi);
      if (a <= fhi) return fhi > flo ? lo + ((a - flo) * (hi - lo)) / (fhi - flo) : hi;
      lo = hi;
      flo = fhi;
    }
    return lo;
  }

  private phi(n: number): number {
    return settleGrid(this.ctx, n).gridCashEur;
  }

  /** g_t for the step of `ctx`. */
  set(ctx: SiteStepContext): void {
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
    const knots = [xLowBattery, 0, xHigh];
    if (this.burns) {
      const lines: [number, number][] = [
        [Cm, 0],
        [(D * this.invEtaD) / this.etaC, 1 / this.etaC],
      ];
      if (this.shared) {
        const den = 1 / this.fullChargeKWh + (this.etaC * this.etaD) / D;
        lines.push([1 / den, this.etaD / D / den]);
      }
      for (let i = 0; i < lines.length; i++)
        for (let j = i + 1; j < lines.length; j++) {
          const db = lines[i][1] - lines[j][1];
          if (db !== 0) knots.push((lines[j][0] - lines[i][0]) / db);
        }
    }
    this.knots = knots.filter((x) => x >= xLowBattery && x <= xHigh).sort((p, q) => p - q);
    const xLow = this.aMax(xLowBattery) >= this.aLowKWh ? xLowBattery : this.aMaxInverse(this.aLowKWh);

    // Breakpoints of Φ, as AC nets a = n − load, within its domain.
    const aPoints = [-exportMaxKWh, 0, importMaxKWh, pvKWh - exportMaxKWh, pvKWh, pvKWh + importMaxKWh]
      .filter((n) => Number.isFinite(n) && n >= -exportMaxKWh && n <= pvKWh + importMaxKWh)
      .map((n) => n - loadKWh)
      .sort((p, q) => p - q);
    this.aStarKWh = -Infinity;
    if (this.burns) this.aStarKWh = this.maximiser(aPoints);

    const xs: number[] = [xLow, xHigh, ...this.knots];
    for (const a of aPoints) {
      xs.push(this.aMinInverse(a));
      if (this.burns) xs.push(this.aMaxInverse(a));
    }
    xs.sort((p, q) => p - q);
    const tol = 1e-12 * Math.max(1, xHigh - xLow, Math.abs(xLow));
    const X: number[] = [];
    const G: number[] = [];
    for (const x of xs) {
      if (x < xLow || x > xHigh) continue;
      if (X.length > 0 && x - X[X.length - 1] <= tol) continue;
      X.push(x);
      G.push(this.valueAt(x));
    }
    if (X.length === 1 && xHigh - xLow > tol) {
      X.push(xHigh);
      G.push(this.valueAt(xHigh));
    }
    // Slopes; a breakpoint whose slopes rise (float noise on a straight stretch) is dropped, keeping g_t concave.
    const outX = [X[0]];
    const outG = [G[0]];
    const outS: number[] = [];
    for (let j = 1; j < X.length; j++) {
      let s = (G[j] - outG[outG.length - 1]) / (X[j] - outX[outX.length - 1]);
      while (outS.length > 0 && s > outS[outS.length - 1]) {
        outS.pop();
        outX.pop();
        outG.pop();
        s = (G[j] - outG[outG.length - 1]) / (X[j] - outX[outX.length - 1]);
      }
      outX.push(X[j]);
      outG.push(G[j]);
      outS.push(s);
    }
    this.xKWh = outX;
    this.slope = outS;
  }

  /** The smallest maximiser of Φ(load + a) − κ·a over Φ's domain, given its breakpoints (−∞ or +∞ at an open end). */
  private maximiser(aPoints: number[]): number {
    const { importPriceEurPerMWh: pi, exportPriceEurPerMWh: pe, loadKWh } = this.ctx;
    const perKWh = (priceEurPerMWh: number) => priceEurPerMWh / 1000;
    if (this.aLowKWh === -Infinity && -perKWh(pe) - this.kappa <= 0) return -Infinity;
    for (let j = 0; j < aPoints.length; j++) {
      let after: number;
      if (j + 1 < aPoints.length)
        after =
          (this.phi(loadKWh + aPoints[j + 1]) - this.phi(loadKWh + aPoints[j])) / (aPoints[j + 1] - aPoints[j]) -
          this.kappa;
      else after = this.aHighKWh === Infinity ? -perKWh(pi) - this.kappa : -Infinity;
      if (after <= 0) return aPoints[j];
    }
    return Infinity;
  }

  /** The battery energies that make cell change x at the step's best cash. */
  dispatch(x: number): BatteryDispatch {
    const lo = Math.max(this.aMin(x), this.aLowKWh);
    const hi = Math.min(this.aMax(x), this.aHighKWh);
    const a = this.burns ? Math.min(Math.max(this.aStarKWh, lo), Math.max(lo, hi)) : this.aMin(x);
    const aMin = this.aMin(x);
    if (this.burns && a > aMin + 1e-12 * Math.max(1, Math.abs(a))) {
      const c = Math.min(this.chargeMaxKWh, Math.max(0, (a * this.invEtaD - x) / (this.invEtaD - this.etaC)));
      return { chargeKWh: c, dischargeKWh: Math.min(this.fullDischargeKWh, Math.max(0, c - a)) };
    }
    return x >= 0
      ? { chargeKWh: Math.min(this.chargeMaxKWh, x / this.etaC), dischargeKWh: 0 }
      : { chargeKWh: 0, dischargeKWh: Math.min(this.fullDischargeKWh, -x * this.etaD) };
  }

  /** g_t(x): the step's best cash for cell change x, EUR. */
  valueAt(x: number): number {
    const { chargeKWh: c, dischargeKWh: d } = this.dispatch(x);
    return stepCashEur(this.b, 0, c, d) + this.phi(this.ctx.loadKWh + c - d);
  }
}
