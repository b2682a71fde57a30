import { describe, expect, it } from 'vitest';
import { DEFAULT_BATTERY } from '../../core/battery/index.ts';
import type { PriceSeries } from '../../core/prices/types.ts';
import { resolveSite } from '../../core/site/site.ts';
import {
  DEFAULT_SITE_FORM,
  bucketMeansKW,
  resolveSiteForm,
  siteFormFromJson,
  solveSiteFor,
  trainingSite,
} from './site-form.ts';

const series = (pvKW?: number[], loadKW?: number[]): PriceSeries => ({
  timesUtcMs: Float64Array.from([0, 1, 2, 3], (h) => h * 3.6e6),
  pricesEurPerMWh: Float64Array.from([20, -10, 150, 90]),
  dtHours: 1,
  source: 'site.csv',
  warnings: [],
  ...(pvKW ? { pvKW: Float64Array.from(pvKW) } : {}),
  ...(loadKW ? { loadKW: Float64Array.from(loadKW) } : {}),
});

describe('site form', () => {
  it('reads a stored form field by field, falling back to the defaults for junk', () => {
    expect(siteFormFromJson(null)).toEqual(DEFAULT_SITE_FORM);
    expect(siteFormFromJson('not json')).toEqual(DEFAULT_SITE_FORM);
    expect(siteFormFromJson('{"pvScale":2,"exportLimitKW":30,"importLimitKW":"x","chargeFromPvOnly":true}')).toEqual({
      ...DEFAULT_SITE_FORM,
      pvScale: 2,
      exportLimitKW: 30,
      chargeFromPvOnly: true,
    });
  });

  it('names the field of an emptied or contradictory entry', () => {
    const empty = resolveSiteForm({ ...DEFAULT_SITE_FORM, pvScale: Number.NaN });
    expect(empty).toMatchObject({ ok: false, field: 'pvScale' });
    const fees = resolveSiteForm({ ...DEFAULT_SITE_FORM, exportFeeEurPerMWh: -40, importFeeEurPerMWh: 30 });
    expect(fees.ok).toBe(false);
    if (!fees.ok) expect(fees.message).toMatch(/exceed the import price/);
  });

  it('solves the file’s PV site, and turns a bad PV/load input into a message naming the file', () => {
    const ok = solveSiteFor(series([0, 50, 10, 0]), DEFAULT_BATTERY, resolveSite({ exportLimitKW: 20 }));
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.result.pvKWh).toBe(60);
    const bad = solveSiteFor(series(undefined, [10, 90, 10, 10]), DEFAULT_BATTERY, resolveSite({ importLimitKW: 50 }));
    expect(bad).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^site\.csv: import limit \(kW\) 50 with PV 0 kW cannot cover load_kw 90 at step 2/,
      ),
    });
  });

  it('bucketMeansKW averages steps into at most the buckets asked for, in kW', () => {
    expect(Array.from(bucketMeansKW([1, 3, 5, 7, 9], 0.5, 2))).toEqual([(1 + 3 + 5) / 3 / 0.5, (7 + 9) / 2 / 0.5]);
    expect(bucketMeansKW(new Float64Array(0), 1, 10).length).toBe(0);
  });
});

describe('the site training takes', () => {
  const plain = series();
  it('is none for a battery-only file and a site that adds nothing, under either information mode', () => {
    expect(trainingSite(DEFAULT_SITE_FORM, plain)).toEqual({ ok: true, site: null });
    expect(trainingSite(DEFAULT_SITE_FORM, plain, 'day-ahead')).toEqual({ ok: true, site: null });
    // PV scaled to nothing on a file without load is the battery alone, as bess train reads it.
    expect(trainingSite({ ...DEFAULT_SITE_FORM, pvScale: 0 }, series([1, 2, 0, 0]))).toEqual({ ok: true, site: null });
  });
  it('is the panel’s site for a file with PV or load, or a form with a limit, fee or PV-only charging', () => {
    const limited = { ...DEFAULT_SITE_FORM, exportLimitKW: 50 };
    expect(trainingSite(DEFAULT_SITE_FORM, series([0, 5, 10, 0]))).toEqual({ ok: true, site: DEFAULT_SITE_FORM });
    expect(trainingSite(DEFAULT_SITE_FORM, series(undefined, [3, 3, 3, 3]))).toEqual({
      ok: true,
      site: DEFAULT_SITE_FORM,
    });
    expect(trainingSite(limited, plain)).toEqual({ ok: true, site: limited });
    const pvOnly = { ...DEFAULT_SITE_FORM, chargeFromPvOnly: true };
    expect(trainingSite(pvOnly, plain)).toEqual({ ok: true, site: pvOnly });
  });
  it('blocks training with the panel’s message for an invalid form, whatever the file', () => {
    const bad = trainingSite({ ...DEFAULT_SITE_FORM, importFeeEurPerMWh: 0, exportFeeEurPerMWh: -40 }, plain);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.message).toMatch(/^Site: /);
      expect(bad.message).toBe(
        `Site: ${(resolveSiteForm({ ...DEFAULT_SITE_FORM, exportFeeEurPerMWh: -40 }) as { message: string }).message}`,
      );
    }
    expect(trainingSite({ ...DEFAULT_SITE_FORM, pvScale: Number.NaN }, plain).ok).toBe(false);
  });
  it('refuses a site under day-ahead with a message saying why and what to do', () => {
    const r = trainingSite(DEFAULT_SITE_FORM, series([0, 5, 10, 0]), 'day-ahead');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/day-ahead training on a site is not offered.*known-24h/);
  });
});
