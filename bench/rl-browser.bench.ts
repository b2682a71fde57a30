// RL benchmark (issue 5 §7) in headless Chromium: builds bench/browser/ (a page and the real trainer worker) with
// Vite, serves it on 127.0.0.1, and per dev market-year measures rollout env-steps/s, PPO SPS end to end and the
// time to 80/90/95% of the oracle on the validation slice, with the wasm backend and with WebGPU (SwiftShader here).
// The same numbers as rl.bench.ts (same split, seed and rl-measure.ts code), in a browser instead of Node.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Browser } from '@playwright/test';
import type { BackendName } from '../workers/trainer-api.ts';
import { ARGS, openBenchPage, startBenchHost } from './browser-host.ts';
import type { BrowserRunRequest, BrowserRunResult } from './browser/main.ts';
import { secondsCell } from './rl-measure.ts';

const DATA = fileURLToPath(new URL('../test-data/real/', import.meta.url));
const HOURLY = [
  'be-2023-hourly.csv',
  'de-lu-2023-hourly.csv',
  'dk1-2023-hourly.csv',
  'fr-2022-hourly.csv',
  'fi-2020-hourly.csv',
  'pt-2023-hourly.csv',
  'be-2022-hourly-iso.csv',
];

interface Planned {
  backend: BackendName;
  /** Warm start by cloning the teacher (the app's default). */
  clone: boolean;
  files: string[];
  seconds: number;
  /** Seconds past the budget before a run counts as hung. */
  graceS: number;
}

/**
 * What runs. WebGPU on SwiftShader is 30–40× slower per PPO iteration than wasm and its first cloning epoch overruns
 * any budget (README "rl-browser"), so it gets one market-year with the app's defaults and a PPO-only run (no
 * cloning) whose iterations honour the budget and give its PPO SPS.
 */
function plan(quick: boolean): Planned[] {
  const be = HOURLY.slice(0, 1);
  const all: Planned[] = quick
    ? [
        { backend: 'wasm', clone: true, files: be, seconds: 30, graceS: 180 },
        { backend: 'webgpu', clone: true, files: be, seconds: 30, graceS: 600 },
        { backend: 'webgpu', clone: false, files: be, seconds: 30, graceS: 300 },
      ]
    : [
        { backend: 'wasm', clone: true, files: HOURLY, seconds: 120, graceS: 180 },
        { backend: 'webgpu', clone: true, files: be, seconds: 60, graceS: 600 },
        { backend: 'webgpu', clone: false, files: HOURLY.slice(0, 2), seconds: 60, graceS: 300 },
      ];
  // BENCH_RL_BROWSER_PPO_ONLY=1: wasm runs without cloning (PPO from scratch for the whole budget: its SPS).
  if (process.env.BENCH_RL_BROWSER_PPO_ONLY === '1')
    return [{ backend: 'wasm', clone: false, files: quick ? be : HOURLY, seconds: quick ? 30 : 120, graceS: 180 }];
  // BENCH_RL_BROWSER_BACKENDS=webgpu (comma-separated) keeps only those backends' runs.
  const only = process.env.BENCH_RL_BROWSER_BACKENDS?.split(',').map((b) => b.trim());
  return only ? all.filter((p) => only.includes(p.backend)) : all;
}

/** One training run in a fresh browser context (fresh page, worker and tfjs). */
async function runOne(
  browser: Browser,
  url: string,
  req: BrowserRunRequest,
  graceS: number,
): Promise<BrowserRunResult | { error: string }> {
  const context = await browser.newContext();
  try {
    const page = await openBenchPage(context, url);
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<{ error: string }>((ok) => {
      timer = setTimeout(
        () => ok({ error: `no result ${req.seconds + graceS} s after the start` }),
        (req.seconds + graceS) * 1000,
      );
    });
    try {
      return await Promise.race([page.evaluate((r) => window.powerbidderBench(r), req), hung]);
    } finally {
      clearTimeout(timer);
    }
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0] };
  } finally {
    await context.close();
  }
}

/** Runs the benchmark; quick mode: BE 2023 only, 30 s per backend. */
export async function bench(opts: {
  quick: boolean;
}): Promise<{ title: string; columns: string[]; rows: (string | number)[][]; json: unknown }> {
  const { browser, url, buildS, version, close } = await startBenchHost();
  const rows: (string | number)[][] = [];
  const json: Record<string, unknown>[] = [];
  try {
    for (const { backend, clone, files, seconds, graceS } of plan(opts.quick)) {
      const start = clone ? 'clone' : 'none';
      for (const fileName of files) {
        process.stderr.write(`rl-browser: ${fileName}, ${backend}, warm start ${start}, ${seconds} s ...\n`);
        const csvText = await readFile(DATA + fileName, 'utf8');
        const req: BrowserRunRequest = {
          fileName,
          csvText,
          backend,
          clone,
          seconds,
          seed: 1,
          rolloutSteps: opts.quick ? 2000 : 10000,
        };
        const r = await runOne(browser, url, req, graceS);
        const head = [fileName, backend, start, seconds];
        if ('error' in r || r.unavailable !== undefined) {
          const why = 'error' in r ? `failed: ${r.error}` : `unavailable: ${r.unavailable}`;
          rows.push([...head, '—', '—', '—', '—', '—', '—', '—', why]);
          json.push({ file: fileName, requested: backend, clone, seconds, error: why });
          continue;
        }
        const used = r.backend === backend ? backend : `${r.backend} (asked ${backend}: fell back)`;
        const share = r.testShareOfOracle === null ? '—' : Number((100 * r.testShareOfOracle).toFixed(2));
        const sps = r.ppoSps > 0 ? Math.round(r.ppoSps) : '—';
        rows.push([
          ...head,
          Number(r.wallS.toFixed(1)),
          Math.round(r.rolloutEnvStepsPerS),
          sps,
          secondsCell(r.secondsTo[0.8]),
          secondsCell(r.secondsTo[0.9]),
          secondsCell(r.secondsTo[0.95]),
          share,
          used + (r.adapter ? ` [${r.adapter}]` : ''),
        ]);
        json.push({ ...r, clone, seconds });
      }
    }
  } finally {
    await close();
  }
  return {
    title: `RL (headless Chromium ${version}, trainer worker, seed 1; time to X% is on the validation slice, share on the test split; page build ${buildS.toFixed(1)} s)`,
    columns: [
      'market-year',
      'asked',
      'warm start',
      'budget s',
      'wall s',
      'rollout env-steps/s',
      'PPO SPS',
      's to 80%',
      's to 90%',
      's to 95%',
      'test share %',
      'backend used',
    ],
    rows,
    json: { chromium: version, args: ARGS, buildS, runs: json },
  };
}
