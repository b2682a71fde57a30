import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolveBattery } from '../src/core/battery/index.ts';
import { parsePriceText } from '../src/core/prices/index.ts';
import { resolveSite } from '../src/core/site/site.ts';
import { solveSiteOracle } from '../src/core/oracle/site-oracle.ts';
import { siteWorker } from './site.ts';

const file = 'test-data/site/load-small.csv';
const series = parsePriceText('load-small.csv', readFileSync(file, 'utf8'));
const req = (over: Partial<Parameters<typeof siteWorker.solve>[0]> = {}) => ({
  source: 'load-small.csv',
  pricesEurPerMWh: series.pricesEurPerMWh,
  dtHours: series.dtHours,
  pvKW: series.pvKW ?? null,
  loadKW: series.loadKW ?? null,
  battery: resolveBattery({}),
  site: resolveSite({ exportLimitKW: 20, importFeeEurPerMWh: 10 }),
  ...over,
});

describe('site worker (plain object)', () => {
  it('answers the site optimum of the series, as the core solves it', async () => {
    const r = await siteWorker.solve(req());
    expect(r.ok).toBe(true);
    const core = solveSiteOracle({
      pricesEurPerMWh: series.pricesEurPerMWh,
      dtHours: series.dtHours,
      battery: resolveBattery({}),
      site: resolveSite({ exportLimitKW: 20, importFeeEurPerMWh: 10 }),
      series: { pvKW: series.pvKW ?? null, loadKW: series.loadKW ?? null },
    });
    if (r.ok) {
      expect(r.result.profitEur).toBe(core.profitEur);
      expect(Array.from(r.result.trace.exportStepKWh)).toEqual(Array.from(core.trace.exportStepKWh));
    }
  });

  it('answers a bad load column or an unreachable battery as a message naming the file, never a throw', async () => {
    const load = Float64Array.from(series.loadKW!);
    load[3] = -1;
    const bad = await siteWorker.solve(req({ loadKW: load }));
    expect(bad).toMatchObject({ ok: false });
    if (!bad.ok) expect(bad.message).toMatch(/^load-small\.csv: .*load_kw/);
    const short = await siteWorker.solve(
      req({
        pricesEurPerMWh: series.pricesEurPerMWh.slice(0, 2),
        pvKW: null,
        loadKW: null,
        battery: resolveBattery({ terminalSocKWh: 95 }),
      }),
    );
    expect(short).toMatchObject({ ok: false });
    if (!short.ok) expect(short.message).toMatch(/^load-small\.csv: /);
    const mismatch = await siteWorker.solve(req({ pvKW: Float64Array.from([1, 2]) }));
    expect(mismatch).toMatchObject({ ok: false });
  });
});
