import { describe, expect, it } from 'vitest';
import { DEFAULT_BATTERY, resolveBattery } from '../battery/index.ts';
import { createRng } from '../rl/rng.ts';
import { simulate } from '../sim/simulate.ts';
import { SiteParamError, assertSiteSeries, isPlainSite, resolveSite, settleGrid, siteStepContext } from './site.ts';
import { simulateSite } from './simulate.ts';

describe('resolveSite', () => {
  it('fills defaults: no limits, no fees, PV as in the file', () => {
    expect(resolveSite()).toEqual({
      pvScale: 1,
      importLimitKW: Infinity,
      exportLimitKW: Infinity,
      importFeeEurPerMWh: 0,
      exportFeeEurPerMWh: 0,
      chargeFromPvOnly: false,
    });
  });

  it('names the field of a bad value', () => {
    const bad = (spec: object, field: string, message: RegExp) => {
      try {
        resolveSite(spec);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(SiteParamError);
        expect((e as SiteParamError).field).toBe(field);
        expect((e as Error).message).toMatch(message);
      }
    };
    bad({ pvScale: -1 }, 'pvScale', /PV scale must be within \[0, /);
    bad({ importLimitKW: -5 }, 'importLimitKW', /import limit \(kW\) must be within/);
    bad({ exportLimitKW: Number.NaN }, 'exportLimitKW', /export limit \(kW\) must be a finite number/);
    bad({ importFeeEurPerMWh: 1e9 }, 'importFeeEurPerMWh', /import fee \(EUR\/MWh\) must be within/);
  });

  it('refuses fees that make the export price exceed the import price, and accepts a pair that sums to 0', () => {
    expect(() => resolveSite({ importFeeEurPerMWh: 5, exportFeeEurPerMWh: -10 })).toThrow(
      /export price \(price − export fee\) exceed the import price/,
    );
    expect(() => resolveSite({ importFeeEurPerMWh: -1 })).toThrow(SiteParamError);
    expect(resolveSite({ importFeeEurPerMWh: 10, exportFeeEurPerMWh: -10 }).exportFeeEurPerMWh).toBe(-10);
  });
});

describe('assertSiteSeries', () => {
  const site = resolveSite();
  it('names the column and step of a negative or missing PV or load value', () => {
    expect(() => assertSiteSeries(site, { pvKW: [1, -2, 3], loadKW: null }, 3)).toThrow(
      /pv_kw must be within \[0, .*\] kW at step 2, got -2/,
    );
    expect(() => assertSiteSeries(site, { pvKW: null, loadKW: [1, 2, Number.NaN] }, 3, [0, 3.6e6, 7.2e6])).toThrow(
      /load_kw is missing at step 3 \(1970-01-01T02:00:00.000Z\)/,
    );
    expect(() => assertSiteSeries(site, { pvKW: [1, 2], loadKW: null }, 3)).toThrow(/2 values for 3 price steps/);
  });

  it('refuses an import limit that cannot cover the load where PV does not', () => {
    const limited = resolveSite({ importLimitKW: 10 });
    expect(() => assertSiteSeries(limited, { pvKW: [0, 5], loadKW: [10, 20] }, 2)).toThrow(
      /import limit \(kW\) 10 with PV 5 kW cannot cover load_kw 20 at step 2/,
    );
    expect(() => assertSiteSeries(limited, { pvKW: [0, 10], loadKW: [10, 20] }, 2)).not.toThrow();
  });
});

describe('settleGrid', () => {
  const ctx = (price: number, fees: object = {}, limits: object = {}) =>
    siteStepContext(DEFAULT_BATTERY, resolveSite({ ...fees, ...limits }), { pvKW: [40], loadKW: [10] }, 0, price, 1);
  it('uses PV for the load and exports the surplus at a positive export price', () => {
    const g = settleGrid(ctx(100), 10);
    expect(g).toEqual({ usedPvKWh: 40, importedKWh: 0, exportedKWh: 30, gridCashEur: 3 });
  });
  it('caps export at the limit and curtails the rest', () => {
    expect(settleGrid(ctx(100, {}, { exportLimitKW: 20 }), 10).usedPvKWh).toBe(30);
  });
  it('curtails when the export price is negative, and draws power instead of using PV when importing pays', () => {
    expect(settleGrid(ctx(5, { exportFeeEurPerMWh: 10 }), 10)).toMatchObject({ usedPvKWh: 10, exportedKWh: 0 });
    expect(settleGrid(ctx(-50), 10)).toMatchObject({ usedPvKWh: 0, importedKWh: 10, exportedKWh: 0 });
  });
});

describe('simulateSite', () => {
  it('is the battery simulator, bit for bit, on a plain site', () => {
    const r = createRng(5);
    const prices = Float64Array.from({ length: 200 }, () => (r.next() - 0.3) * 300);
    const charge = Float64Array.from({ length: 200 }, () => (r.next() < 0.5 ? r.next() * 60 : 0));
    const discharge = Float64Array.from({ length: 200 }, () => (r.next() < 0.5 ? r.next() * 60 : 0));
    const b = resolveBattery({ initialSocKWh: 30 });
    const base = simulate(b, prices, 1, { chargeKWh: charge, dischargeKWh: discharge });
    const site = resolveSite();
    expect(isPlainSite(site, { pvKW: new Float64Array(200), loadKW: null })).toBe(true);
    const s = simulateSite(
      { pricesEurPerMWh: prices, dtHours: 1, battery: b, site, series: { pvKW: null, loadKW: null } },
      { chargeKWh: charge, dischargeKWh: discharge },
    );
    expect(s.profitEur).toBe(base.profitEur);
    expect(Array.from(s.cashEur)).toEqual(Array.from(base.cashEur));
    expect(Array.from(s.socAfterKWh)).toEqual(Array.from(base.socAfterKWh));
  });

  it('settles cash per the site formula and splits it into PV sold, avoided import, battery and load cost', () => {
    const site = resolveSite({ importFeeEurPerMWh: 20, exportFeeEurPerMWh: 5, exportLimitKW: 25 });
    const input = {
      pricesEurPerMWh: [50, 200],
      dtHours: 1,
      battery: resolveBattery({ degradationEurPerKWh: 0.01 }),
      site,
      series: { pvKW: [60, 0], loadKW: [10, 30] },
    };
    // Step 0: PV 60, load 10, battery charges 20: export 25 (limit), curtail 5. Step 1: load 30, discharge 18.
    const s = simulateSite(input, { chargeKWh: [20, 0], dischargeKWh: [0, 18] });
    expect(s.exportedKWh).toBeCloseTo(25, 12);
    expect(s.curtailedKWh).toBeCloseTo(5, 12);
    expect(s.importedKWh).toBeCloseTo(12, 12);
    const cash0 = (25 * (50 - 5)) / 1000 - 0.01 * 20;
    const cash1 = (-12 * (200 + 20)) / 1000 - 0.01 * 18;
    expect(s.profitEur).toBeCloseTo(cash0 + cash1, 12);
    // Without the battery: export 25 (limit) at 45, load 10 from PV at 70; load 30 imported at 220.
    expect(s.pvSoldEur).toBeCloseTo((25 * 45) / 1000, 12);
    expect(s.avoidedImportEur).toBeCloseTo((10 * 70) / 1000, 12);
    expect(s.loadCostEur).toBeCloseTo((10 * 70 + 30 * 220) / 1000, 12);
    expect(s.pvSoldEur + s.avoidedImportEur + s.batteryArbitrageEur - s.loadCostEur).toBeCloseTo(s.profitEur, 12);
  });

  it('never lets a request break a grid limit: charge beyond PV surplus and the import limit is cut', () => {
    const input = {
      pricesEurPerMWh: [10],
      dtHours: 1,
      battery: DEFAULT_BATTERY,
      site: resolveSite({ importLimitKW: 5 }),
      series: { pvKW: [10], loadKW: [8] },
    };
    const s = simulateSite(input, { chargeKWh: [50], dischargeKWh: [0] });
    expect(s.chargedKWh[0]).toBeCloseTo(7, 12);
    expect(s.importedKWh).toBeCloseTo(5, 12);
  });
});
