// Site oracle benchmark (issue 14 §5): the site DP (src/core/oracle/site-oracle.ts) against HiGHS on the site LP
// (src/core/oracle/lp.ts siteLp), at 8,760 hourly steps (the DE-LU 2023 PV site file) and 35,040 quarter-hours
// (the same year with each hour's price and PV held for its four quarters), for a few site settings; the battery
// oracle on the same prices for scale. Warm = median of repeated runs after the first; cold = the first run.
// Then (not with --quick) the agent trained on the site, beside the site-aware planners (bench/site-agent.ts).
import { DEFAULT_BATTERY } from '../src/core/battery/index.ts';
import { type HighsLike, siteLp, solveWithHighs } from '../src/core/oracle/lp.ts';
import { solveOracle } from '../src/core/oracle/oracle.ts';
import { solveSiteOracle } from '../src/core/oracle/site-oracle.ts';
import { type SiteSpec, resolveSite } from '../src/core/site/index.ts';
import { loadPriceFile } from '../src/io/load.ts';
import { agentOnSite } from './site-agent.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(f: () => number, reps: number): { coldMs: number; warmMs: number; value: number } {
  let t0 = performance.now();
  const value = f();
  const coldMs = performance.now() - t0;
  const xs: number[] = [];
  for (let i = 0; i < reps; i++) {
    t0 = performance.now();
    f();
    xs.push(performance.now() - t0);
  }
  return { coldMs, warmMs: reps ? median(xs) : coldMs, value };
}

const SITES: { name: string; spec: SiteSpec; loadKW: number }[] = [
  {
    name: 'export 50 kW, fees 30/5',
    spec: { exportLimitKW: 50, importFeeEurPerMWh: 30, exportFeeEurPerMWh: 5 },
    loadKW: 0,
  },
  {
    name: 'PV-only, load 10 kW, import 40 / export 30 kW',
    spec: { chargeFromPvOnly: true, importLimitKW: 40, exportLimitKW: 30, importFeeEurPerMWh: 60 },
    loadKW: 10,
  },
];

export async function bench(opts: { quick: boolean }) {
  const highs = (await (await import('highs')).default()) as unknown as HighsLike;
  const s = await loadPriceFile(new URL('../test-data/site/de-lu-2023-pv100-iso.csv', import.meta.url).pathname);
  const pv = s.pvKW!;
  const quarter = (xs: ArrayLike<number>) => Float64Array.from({ length: xs.length * 4 }, (_, i) => xs[i >> 2]);
  const cases = [
    { steps: 8760, dt: 1, prices: s.pricesEurPerMWh, pv },
    ...(opts.quick ? [] : [{ steps: 35040, dt: 0.25, prices: quarter(s.pricesEurPerMWh), pv: quarter(pv) }]),
  ];
  const reps = opts.quick ? 2 : 5;
  const rows: (string | number)[][] = [];
  const json: unknown[] = [];
  for (const c of cases) {
    const battery = time(
      () => solveOracle({ pricesEurPerMWh: c.prices, dtHours: c.dt, battery: DEFAULT_BATTERY }).profitEur,
      reps,
    );
    for (const site of SITES) {
      const params = resolveSite(site.spec);
      const series = { pvKW: c.pv, loadKW: site.loadKW ? new Float64Array(c.steps).fill(site.loadKW) : null };
      const input = { pricesEurPerMWh: c.prices, dtHours: c.dt, battery: DEFAULT_BATTERY, site: params, series };
      const dp = time(() => solveSiteOracle(input).profitEur, reps);
      const h = time(() => {
        const r = solveWithHighs(highs, siteLp(c.prices, c.dt, DEFAULT_BATTERY, params, series));
        if (r.status !== 'Optimal') throw new Error(`HiGHS: ${r.status}`);
        return r.objective;
      }, 0);
      const rel = Math.abs(dp.value - h.value) / Math.max(1, Math.abs(h.value));
      rows.push([
        c.steps,
        site.name,
        dp.warmMs.toFixed(1),
        dp.coldMs.toFixed(1),
        h.coldMs.toFixed(0),
        (h.coldMs / dp.warmMs).toFixed(0),
        dp.value.toFixed(2),
        h.value.toFixed(2),
        rel.toExponential(1),
        battery.warmMs.toFixed(1),
      ]);
      json.push({
        steps: c.steps,
        dtHours: c.dt,
        site: site.name,
        spec: site.spec,
        loadKW: site.loadKW,
        dpWarmMs: dp.warmMs,
        dpColdMs: dp.coldMs,
        highsMs: h.coldMs,
        dpProfitEur: dp.value,
        highsProfitEur: h.value,
        relativeDifference: rel,
        batteryOracleWarmMs: battery.warmMs,
      });
    }
  }
  const seeds = (process.env.BENCH_SITE_SEEDS ?? '1').split(',').map(Number);
  const agent = opts.quick ? null : await agentOnSite(s, seeds);
  return {
    ...(agent ? { more: [agent] } : {}),
    title: 'Site oracle (slope-trick DP) vs HiGHS on the site LP, DE-LU 2023 PV site, default battery',
    columns: [
      'steps',
      'site',
      'DP warm ms',
      'DP cold ms',
      'HiGHS ms',
      'HiGHS / DP',
      'DP profit EUR',
      'HiGHS profit EUR',
      'rel. diff',
      'battery oracle warm ms',
    ],
    rows,
    json: agent ? { oracle: json, agent: agent.json } : json,
  };
}
