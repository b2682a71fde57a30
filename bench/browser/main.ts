// The RL browser bench page: parses a price file with the app's parser, times a plain-TS rollout on this thread,
// then trains through the real trainer worker (workers/trainer.worker.ts, over Comlink as the app does) and
// returns the numbers. bench/rl-browser.bench.ts calls window.powerbidderBench through Playwright.
import * as Comlink from 'comlink';
import { parsePriceCsv } from '../../src/io/csv.ts';
import type { BackendName, TrainerApi, TrainProgress } from '../../workers/trainer-api.ts';
import type { OracleApi } from '../../workers/oracle-api.ts';
import { benchSplit, progressTracker, rolloutSps } from '../rl-measure.ts';
import './sizing.ts';

export interface BrowserRunRequest {
  fileName: string;
  csvText: string;
  backend: BackendName;
  /** Warm start by cloning the teacher (TrainRequest.clone). */
  clone: boolean;
  seconds: number;
  seed: number;
  rolloutSteps: number;
}

export interface BrowserRunResult {
  fileName: string;
  requested: BackendName;
  /** The backend the trainer really used (tf.getBackend() in the worker); null when training did not start. */
  backend: BackendName | null;
  /** Set when the requested backend cannot run here; nothing was trained then. */
  unavailable?: string;
  /** WebGPU adapter as the page sees it (vendor, architecture, description), for webgpu runs. */
  adapter?: string;
  rolloutEnvStepsPerS: number;
  ppoSps: number;
  secondsTo: Record<number, number | null>;
  testShareOfOracle: number | null;
  stopReason: string | null;
  /** Seconds from trainer.start() to its result (the budget is `seconds`; an overrun shows here). */
  wallS: number;
  /** Validation share per progress message: [elapsed s, phase, share]. */
  curve: [number, TrainProgress['phase'], number][];
  userAgent: string;
}

export interface OracleRunRequest {
  pricesEurPerMWh: number[];
  dtHours: number;
  /** Solves after the first (warm). */
  reps: number;
}

export interface OracleRunResult {
  /** solveMs of the worker's first solve (V8 has not yet compiled the solver's loops). */
  coldSolveMs: number;
  /** The page's wall time of that first call: worker start, module load, transfers and solve. */
  coldCallMs: number;
  /** solveMs of the later solves. */
  warmSolveMs: number[];
  profitEur: number;
}

declare global {
  interface Window {
    powerbidderBench: (req: BrowserRunRequest) => Promise<BrowserRunResult>;
    powerbidderOracleBench: (req: OracleRunRequest) => Promise<OracleRunResult>;
    /** Set by the bench (Playwright's exposeFunction) to log progress in the terminal while a run goes. */
    powerbidderBenchLog?: (line: string) => void;
  }
}

/** A WebGPU adapter's description, or why there is none. */
async function webgpuAdapter(): Promise<{ ok: true; adapter: string } | { ok: false; why: string }> {
  if (!('gpu' in navigator) || !navigator.gpu)
    return { ok: false, why: 'navigator.gpu is absent (WebGPU not enabled in this browser)' };
  const a = await navigator.gpu.requestAdapter();
  if (!a) return { ok: false, why: 'navigator.gpu.requestAdapter() returned null' };
  const i = a.info;
  return {
    ok: true,
    adapter: [i.vendor, i.architecture, i.description].filter(Boolean).join(' / ') || '(no adapter info)',
  };
}

async function run(req: BrowserRunRequest): Promise<BrowserRunResult> {
  const series = parsePriceCsv(req.csvText, req.fileName);
  const base = {
    fileName: req.fileName,
    requested: req.backend,
    userAgent: navigator.userAgent,
    curve: [] as BrowserRunResult['curve'],
  };
  let adapter: string | undefined;
  if (req.backend === 'webgpu') {
    const gpu = await webgpuAdapter();
    if (!gpu.ok)
      return {
        ...base,
        backend: null,
        unavailable: gpu.why,
        rolloutEnvStepsPerS: 0,
        ppoSps: 0,
        secondsTo: {},
        testShareOfOracle: null,
        stopReason: null,
        wallS: 0,
      };
    adapter = gpu.adapter;
  }
  const rollout = rolloutSps(series, req.rolloutSteps);

  const worker = new Worker(new URL('../../workers/trainer.worker.ts', import.meta.url), { type: 'module' });
  const crashed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) => reject(new Error(`trainer worker crashed: ${e.message}`)));
  });
  const trainer = Comlink.wrap<TrainerApi>(worker);
  const track = progressTracker();
  const curve = base.curve;
  let lastPhase = '';
  let lastLogS = -Infinity;
  const onProgress = (p: TrainProgress) => {
    track.onProgress(p);
    // A line per phase change or message, else at most one per 10 s: a sign of life on long runs.
    if (p.phase !== lastPhase || p.message || p.elapsedS - lastLogS >= 10) {
      lastPhase = p.phase;
      lastLogS = p.elapsedS;
      const share = p.shareOfOracle === undefined ? '' : ` share ${(100 * p.shareOfOracle).toFixed(1)}%`;
      window.powerbidderBenchLog?.(
        `${p.elapsedS.toFixed(1)} s ${p.phase} ${p.iteration}${share}${p.message ? ` ${p.message}` : ''}`,
      );
    }
    if (p.shareOfOracle !== undefined && p.phase !== 'eval') curve.push([p.elapsedS, p.phase, p.shareOfOracle]);
  };
  try {
    const tTrain = performance.now();
    const res = await Promise.race([
      trainer.start(
        {
          ...benchSplit(series),
          battery: {},
          clone: req.clone,
          seconds: req.seconds,
          seed: req.seed,
          backend: req.backend,
        },
        Comlink.proxy(onProgress),
      ),
      crashed,
    ]);
    return {
      ...base,
      backend: res.backend,
      adapter,
      rolloutEnvStepsPerS: rollout,
      ppoSps: track.sps(),
      secondsTo: track.reached,
      testShareOfOracle: res.backtest.shareOfOracle,
      stopReason: res.stopReason,
      wallS: (performance.now() - tTrain) / 1000,
    };
  } finally {
    trainer[Comlink.releaseProxy]();
    worker.terminate();
  }
}

/** Solves through a fresh oracle worker (workers/oracle.worker.ts, as the app does): the first solve, then `reps` more. */
async function oracleRun(req: OracleRunRequest): Promise<OracleRunResult> {
  const worker = new Worker(new URL('../../workers/oracle.worker.ts', import.meta.url), { type: 'module' });
  const oracle = Comlink.wrap<OracleApi>(worker);
  try {
    const solve = async () => {
      const r = await oracle.solve({
        pricesEurPerMWh: Float64Array.from(req.pricesEurPerMWh),
        dtHours: req.dtHours,
        battery: {},
      });
      if (!r.ok) throw new Error(r.message);
      return r.result;
    };
    const t0 = performance.now();
    const first = await solve();
    const coldCallMs = performance.now() - t0;
    const warmSolveMs: number[] = [];
    for (let i = 0; i < req.reps; i++) warmSolveMs.push((await solve()).solveMs);
    return { coldSolveMs: first.solveMs, coldCallMs, warmSolveMs, profitEur: first.profitEur };
  } finally {
    oracle[Comlink.releaseProxy]();
    worker.terminate();
  }
}

window.powerbidderBench = run;
window.powerbidderOracleBench = oracleRun;
