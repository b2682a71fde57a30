// Oracle benchmark (issue 4 §7): this project's slope-trick solver vs HiGHS (WebAssembly) vs javascript-lp-solver,
// on real prices tiled to 8,760, 35,040 and 350,400 steps. Warm = median of repeated runs after the first; cold = the
// first run in this process. A general solver is skipped where a small probe predicts more than 30 s (half the limit).
import { createRequire } from 'node:module';
import { resolveBattery } from '../src/core/battery/index.ts';
import { solveOracle } from '../src/core/oracle/oracle.ts';
import {
  batteryLp,
  solveWithHighs,
  solveWithJsLpSolver,
  type HighsLike,
  type JsLpSolverLike,
} from '../src/core/oracle/lp.ts';
import { loadPriceFile } from '../src/io/load.ts';

const DATA = new URL('../test-data/real/', import.meta.url).pathname;
const LIMIT_MS = 60_000;
// The extrapolation has run short by up to 1.8× (javascript-lp-solver at 8,760 steps: ~59 s predicted, 106 s
// measured; HiGHS at 350,400: 71 s), so a run is skipped when it is predicted past half the limit.
const SAFETY = 2;

function tile(src: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = src[i % src.length];
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** CPU time this process has used, ms (all threads: the JIT compiler's and the GC's too). */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Times `f`: first call (cold) and the median of `reps` more (warm), in wall time and in the process's CPU time. On a
 * machine shared with other work, wall time grows with the load; CPU time much less, so it compares runs made at
 * different loads.
 */
function time(f: () => number, reps: number): { coldMs: number; warmMs: number; warmCpuMs: number; value: number } {
  let t0 = performance.now();
  const value = f();
  const coldMs = performance.now() - t0;
  const xs: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = cpuMs();
    t0 = performance.now();
    f();
    xs.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
  }
  return { coldMs, warmMs: reps ? median(xs) : coldMs, warmCpuMs: reps ? median(cpu) : Number.NaN, value };
}

export async function bench(opts: { quick: boolean }) {
  const highs = (await (await import('highs')).default()) as unknown as HighsLike;
  const jsLp = createRequire(import.meta.url)('javascript-lp-solver') as JsLpSolverLike;
  const hourly = await loadPriceFile(DATA + 'de-lu-2023-hourly.csv');
  const q15 = await loadPriceFile(DATA + 'dk1-2025q4-15min-iso.csv');
  const battery = resolveBattery({});
  const cases = [
    { steps: 8760, dt: 1, prices: tile(hourly.pricesEurPerMWh, 8760), source: 'DE-LU 2023 hourly' },
    { steps: 35040, dt: 0.25, prices: tile(q15.pricesEurPerMWh, 35040), source: 'DK1 2025Q4 15-min, tiled' },
    { steps: 350400, dt: 0.25, prices: tile(q15.pricesEurPerMWh, 350400), source: 'DK1 2025Q4 15-min, tiled' },
  ];
  // Probes: time a general solver at two small sizes (after a warm-up) and extrapolate with the measured growth
  // exponent (at least linear), to skip runs predicted over the limit.
  const viaHighs = (p: Float64Array, dt: number) => solveWithHighs(highs, batteryLp(p, dt, battery)).objective;
  const viaJsLp = (p: Float64Array, dt: number) => solveWithJsLpSolver(jsLp, batteryLp(p, dt, battery)).objective;
  const probe = (solve: (p: Float64Array, dt: number) => number, minExponent: number) => {
    solve(hourly.pricesEurPerMWh.subarray(0, 50), 1);
    const ms = (n: number) => {
      const t0 = performance.now();
      solve(hourly.pricesEurPerMWh.subarray(0, n), 1);
      return performance.now() - t0;
    };
    const a = ms(250);
    const b = ms(1000);
    const pr = {
      ms250: a,
      ms1000: b,
      exponent: Math.min(3, Math.max(minExponent, Math.log(b / a) / Math.log(4))),
      refSteps: 1000,
      refMs: b,
      predict: (steps: number) => pr.refMs * (steps / pr.refSteps) ** pr.exponent,
      /** A measured size becomes the new reference; the growth exponent is re-estimated from the previous one. */
      measured: (steps: number, coldMs: number) => {
        pr.exponent = Math.min(3, Math.max(minExponent, Math.log(coldMs / pr.refMs) / Math.log(steps / pr.refSteps)));
        pr.refSteps = steps;
        pr.refMs = coldMs;
      },
    };
    return pr;
  };
  const highsProbe = probe(viaHighs, 1);
  // A dense simplex grows at least quadratically (DESIGN.md: 1.6 s at 2,160 steps, 34 s at 8,760); small probes understate it.
  const jsProbe = probe(viaJsLp, 2);
  const rows: (string | number)[][] = [];
  const json: unknown[] = [];
  const fmt = (x: number) => (x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0));
  // Ours first for every size, so its cold runs do not pay for the general solvers' garbage.
  const oursByCase = cases.map((c) =>
    time(
      () => solveOracle({ pricesEurPerMWh: c.prices, dtHours: c.dt, battery }).profitEur,
      opts.quick ? 5 : c.steps > 100_000 ? 10 : 30,
    ),
  );
  for (const [ci, c] of cases.entries()) {
    const ours = oursByCase[ci];
    const general = (
      name: string,
      pr: ReturnType<typeof probe>,
      solve: (p: Float64Array, dt: number) => number,
      reps: number,
    ) => {
      const predicted = pr.predict(c.steps);
      if (predicted * SAFETY > LIMIT_MS)
        return { name, skipped: `skipped (~${Math.round(predicted / 1000)} s predicted)` };
      const r = time(() => solve(c.prices, c.dt), reps);
      pr.measured(c.steps, r.coldMs);
      return { name, ...r, relDiff: Math.abs(r.value - ours.value) / Math.max(1, Math.abs(r.value)) };
    };
    const h = general('HiGHS', highsProbe, viaHighs, opts.quick || c.steps > 100_000 ? 0 : 2);
    const j = general('javascript-lp-solver', jsProbe, viaJsLp, 0);
    const cell = (g: ReturnType<typeof general>): string =>
      'warmMs' in g ? `${fmt(g.warmMs)} / ${fmt(g.coldMs)}` : (g.skipped ?? '—');
    const ratio = 'warmMs' in h ? `${Math.round(h.warmMs / ours.warmMs)}×` : '—';
    rows.push([
      c.steps,
      c.source,
      `${fmt(ours.warmMs)} / ${fmt(ours.coldMs)}`,
      fmt(ours.warmCpuMs),
      cell(h),
      cell(j),
      ratio,
      'relDiff' in h ? h.relDiff.toExponential(1) : '—',
    ]);
    json.push({
      steps: c.steps,
      dtHours: c.dt,
      source: c.source,
      ours,
      highs: h,
      jsLpSolver: j,
      profitEur: ours.value,
    });
  }
  return {
    title:
      'Oracle solve time, ms (warm median / first cold run), default battery; general solvers include building the LP',
    columns: [
      'steps',
      'prices',
      'this project',
      'ours, warm CPU ms',
      'HiGHS',
      'javascript-lp-solver',
      'HiGHS ÷ ours (warm)',
      '|ours − HiGHS| rel',
    ],
    rows,
    json: {
      probes: {
        highs: { ms250: highsProbe.ms250, ms1000: highsProbe.ms1000, exponent: highsProbe.exponent },
        jsLpSolver: { ms250: jsProbe.ms250, ms1000: jsProbe.ms1000, exponent: jsProbe.exponent },
      },
      cases: json,
    },
  };
}
