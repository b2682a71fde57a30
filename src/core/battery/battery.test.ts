import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BATTERY_FIELD_LABELS,
  BATTERY_LIMITS,
  BatteryParamError,
  type BatterySpec,
  DEFAULT_BATTERY,
  assertTerminalSocReachable,
  resolveBattery,
  stepBattery,
  stepCashEur,
  equivalentCycles,
  requestForPowerFraction,
  cellBuyCostEur,
  cellSellValueEur,
} from './battery.ts';
import { simulate } from '../sim/simulate.ts';

const batteryArb = fc
  .record({
    capacityKWh: fc.double({ min: 0, max: 500, noNaN: true }),
    powerKW: fc.double({ min: 0, max: 300, noNaN: true }),
    chargeEfficiency: fc.double({ min: 0.3, max: 1, noNaN: true }),
    dischargeEfficiency: fc.double({ min: 0.3, max: 1, noNaN: true }),
    degradationEurPerKWh: fc.double({ min: 0, max: 0.2, noNaN: true }),
    socShare: fc.double({ min: 0, max: 1, noNaN: true }),
    sharedPowerLimit: fc.boolean(),
  })
  .map(({ socShare, ...b }) => resolveBattery({ ...b, initialSocKWh: socShare * b.capacityKWh }));

describe('resolveBattery', () => {
  it('resolveBattery() gives the documented defaults', () => {
    expect(resolveBattery()).toEqual(DEFAULT_BATTERY);
  });
  it('resolveBattery(powerKW) sets both directions unless one is given', () => {
    const b = resolveBattery({ powerKW: 20, dischargePowerKW: 10 });
    expect([b.chargePowerKW, b.dischargePowerKW]).toEqual([20, 10]);
  });
  it.each([
    [{ capacityKWh: -5 }, 'capacityKWh'],
    [{ chargeEfficiency: 1.2 }, 'chargeEfficiency'],
    [{ dischargeEfficiency: 0 }, 'dischargeEfficiency'],
    [{ powerKW: -1 }, 'powerKW'],
    [{ powerKW: 10, chargePowerKW: -1 }, 'chargePowerKW'],
    [{ degradationEurPerKWh: -0.1 }, 'degradationEurPerKWh'],
    [{ initialSocKWh: 150 }, 'initialSocKWh'],
    [{ capacityKWh: Number.NaN }, 'capacityKWh'],
    [{ capacityKWh: Infinity }, 'capacityKWh'],
    // Near the float limits: bounded to physical ranges instead of giving Infinity or NaN profits.
    [{ capacityKWh: 1e308 }, 'capacityKWh'],
    [{ powerKW: 1e300 }, 'powerKW'],
    [{ dischargePowerKW: 1e300 }, 'dischargePowerKW'],
    [{ degradationEurPerKWh: 1e300 }, 'degradationEurPerKWh'],
    [{ chargeEfficiency: 1e-300 }, 'chargeEfficiency'],
    [{ dischargeEfficiency: Number.MIN_VALUE }, 'dischargeEfficiency'],
    [{ minSocKWh: -1 }, 'minSocKWh'],
    [{ maxSocKWh: 101 }, 'maxSocKWh'],
    [{ terminalSocKWh: -1 }, 'terminalSocKWh'],
  ] as [BatterySpec, keyof BatterySpec][])('resolveBattery(%o) throws naming %s by its label', (spec, field) => {
    try {
      resolveBattery(spec);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BatteryParamError);
      expect((e as BatteryParamError).field).toBe(field);
      expect((e as Error).message.startsWith(BATTERY_FIELD_LABELS[field])).toBe(true);
      expect((e as Error).message).toMatch(/must be (within|a finite number)/);
    }
  });
  it('resolveBattery accepts the edges of the physical ranges', () => {
    const L = BATTERY_LIMITS;
    expect(
      resolveBattery({
        capacityKWh: L.maxCapacityKWh,
        powerKW: L.maxPowerKW,
        degradationEurPerKWh: L.maxDegradationEurPerKWh,
        chargeEfficiency: L.minEfficiency,
        dischargeEfficiency: L.minEfficiency,
      }),
    ).toMatchObject({ capacityKWh: L.maxCapacityKWh, chargePowerKW: L.maxPowerKW });
    expect(() => resolveBattery({ capacityKWh: L.maxCapacityKWh * (1 + 1e-15) })).toThrow(
      /capacity \(kWh\) must be within/,
    );
  });
  it('resolveBattery says a terminal SOC above the max SOC cannot be met', () => {
    expect(() => resolveBattery({ capacityKWh: 100, maxSocKWh: 80, terminalSocKWh: 90 })).toThrow(
      /terminal SOC \(kWh\) 90 cannot be met: the battery holds at most 80 kWh/,
    );
  });
  it('assertTerminalSocReachable allows what full power from the initial SOC reaches, and names what it does not', () => {
    const b = resolveBattery({ initialSocKWh: 10, terminalSocKWh: 55 });
    // 50 kW × 1 h × 0.9 = 45 kWh a step: 55 kWh needs one hourly step, or four 15-minute ones.
    expect(() => assertTerminalSocReachable(b, 1, 1)).not.toThrow();
    expect(() => assertTerminalSocReachable(b, 4, 0.25)).not.toThrow();
    expect(() => assertTerminalSocReachable(b, 3, 0.25)).toThrow(
      /terminal SOC \(kWh\) 55 cannot be met.*reaches at most 43\.75 kWh in 3 steps/,
    );
    expect(() => assertTerminalSocReachable(resolveBattery({ initialSocKWh: 10 }), 0, 1)).not.toThrow();
    try {
      assertTerminalSocReachable(b, 0, 1);
      expect.unreachable();
    } catch (e) {
      expect((e as BatteryParamError).field).toBe('terminalSocKWh');
    }
  });
});

describe('stepBattery', () => {
  const b = resolveBattery();
  it('charging from empty at full power stores ηc × energy and pays the price plus degradation', () => {
    const r = stepBattery(b, 0, 50, 0, 100, 1);
    expect(r.chargedKWh).toBe(50);
    expect(r.socAfterKWh).toBeCloseTo(45, 12);
    expect(r.cashEur).toBeCloseTo((-100 * 50) / 1000 - 0.01 * 50, 12);
  });
  it('a charge request that would overfill is clipped after efficiency, so the battery fills exactly', () => {
    const r = stepBattery(b, 90, 50, 0, 10, 1);
    expect(r.socAfterKWh).toBe(100);
    expect(r.chargedKWh).toBeCloseTo(10 / 0.9, 12);
  });
  it('a discharge request below empty is clipped to what the cell holds', () => {
    const r = stepBattery(resolveBattery({ dischargeEfficiency: 0.8 }), 20, 0, 50, 10, 1);
    expect(r.socAfterKWh).toBe(0);
    expect(r.dischargedKWh).toBeCloseTo(16, 12);
  });
  it('power limits scale with dtHours (15-minute steps move a quarter of the energy)', () => {
    expect(stepBattery(b, 0, 1000, 0, 0, 0.25).chargedKWh).toBe(12.5);
  });
  it('the shared power limit scales simultaneous charge and discharge down together', () => {
    const r = stepBattery(resolveBattery({ initialSocKWh: 50 }), 50, 50, 50, -300, 1);
    expect(r.chargedKWh / 50 + r.dischargedKWh / 50).toBeCloseTo(1, 12);
    const free = stepBattery(resolveBattery({ initialSocKWh: 50, sharedPowerLimit: false }), 50, 50, 50, -300, 1);
    expect([free.chargedKWh, free.dischargedKWh]).toEqual([50, 50]);
  });
  it('negative requests are treated as zero', () => {
    expect(stepBattery(b, 10, -5, -5, 50, 1)).toMatchObject({
      chargedKWh: 0,
      dischargedKWh: 0,
      socAfterKWh: 10,
      cashEur: 0,
    });
  });
  it('requestForPowerFraction maps +1/−1/0 to full charge, full discharge and hold', () => {
    expect(requestForPowerFraction(b, 1, 1)).toEqual({ chargeKWh: 50, dischargeKWh: 0 });
    expect(requestForPowerFraction(b, -1, 0.25)).toEqual({ chargeKWh: 0, dischargeKWh: 12.5 });
    expect(requestForPowerFraction(b, 0, 1)).toEqual({ chargeKWh: 0, dischargeKWh: 0 });
  });
});

describe('battery properties', () => {
  it('cellBuyCostEur and cellSellValueEur are the cash of moving one cell kWh through stepBattery', () => {
    const b = resolveBattery({
      chargeEfficiency: 0.8,
      dischargeEfficiency: 0.95,
      degradationEurPerKWh: 0.02,
      initialSocKWh: 50,
    });
    for (const price of [-200, 0, 35.5, 300]) {
      const buy = stepBattery(b, 50, 1 / 0.8, 0, price, 1);
      expect(buy.socAfterKWh).toBeCloseTo(51, 12);
      expect(cellBuyCostEur(b, price)).toBeCloseTo(-buy.cashEur, 12);
      const sell = stepBattery(b, 50, 0, 0.95, price, 1);
      expect(sell.socAfterKWh).toBeCloseTo(49, 12);
      expect(cellSellValueEur(b, price)).toBeCloseTo(sell.cashEur, 12);
    }
    expect(cellBuyCostEur(DEFAULT_BATTERY, 100)).toBeCloseTo((0.1 + 0.01) / 0.9, 12);
  });

  it('SOC never leaves [minSoc, maxSoc] for any requests', () => {
    fc.assert(
      fc.property(
        batteryArb,
        fc.array(
          fc.tuple(
            fc.double({ min: -100, max: 400, noNaN: true }),
            fc.double({ min: -100, max: 400, noNaN: true }),
            fc.double({ min: -500, max: 3000, noNaN: true }),
          ),
          { maxLength: 60 },
        ),
        fc.constantFrom(1, 0.25),
        (battery, steps, dt) => {
          const tr = simulate(
            battery,
            steps.map((s) => s[2]),
            dt,
            { chargeKWh: steps.map((s) => s[0]), dischargeKWh: steps.map((s) => s[1]) },
          );
          for (let t = 0; t < steps.length; t++) {
            expect(tr.socAfterKWh[t]).toBeGreaterThanOrEqual(battery.minSocKWh);
            expect(tr.socAfterKWh[t]).toBeLessThanOrEqual(battery.maxSocKWh);
            expect(tr.chargedKWh[t]).toBeLessThanOrEqual(battery.chargePowerKW * dt + 1e-9);
            expect(tr.dischargedKWh[t]).toBeLessThanOrEqual(battery.dischargePowerKW * dt + 1e-9);
            if (t > 0) expect(tr.socBeforeKWh[t]).toBe(tr.socAfterKWh[t - 1]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
  it('with efficiency 1 and no degradation, a round trip at one price loses nothing', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 500, noNaN: true }),
        fc.double({ min: -500, max: 3000, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (capacityKWh, price, share) => {
          const b = resolveBattery({
            capacityKWh,
            powerKW: capacityKWh,
            chargeEfficiency: 1,
            dischargeEfficiency: 1,
            degradationEurPerKWh: 0,
          });
          const e = share * capacityKWh;
          const tr = simulate(b, [price, price], 1, { chargeKWh: [e, 0], dischargeKWh: [0, e] });
          expect(tr.finalSocKWh).toBeCloseTo(0, 9);
          expect(Math.abs(tr.profitEur)).toBeLessThan(1e-9 * Math.max(1, Math.abs(price) * capacityKWh));
        },
      ),
    );
  });
  it('total cash equals the sum of step cash, and each step cash is stepCashEur of its clipped energies', () => {
    fc.assert(
      fc.property(
        batteryArb,
        fc.array(fc.tuple(fc.nat(100), fc.nat(100), fc.double({ min: -500, max: 3000, noNaN: true })), {
          maxLength: 80,
        }),
        (battery, steps) => {
          const prices = steps.map((s) => s[2]);
          const tr = simulate(battery, prices, 1, {
            chargeKWh: steps.map((s) => s[0]),
            dischargeKWh: steps.map((s) => s[1]),
          });
          let sum = 0;
          tr.cashEur.forEach((c, t) => {
            expect(c).toBe(stepCashEur(battery, prices[t], tr.chargedKWh[t], tr.dischargedKWh[t]));
            sum += c;
          });
          expect(tr.profitEur).toBeCloseTo(sum, 9);
          expect(tr.equivalentCycles).toBeCloseTo(
            equivalentCycles(battery, tr.totalChargedKWh, tr.totalDischargedKWh),
            9,
          );
        },
      ),
    );
  });
});
