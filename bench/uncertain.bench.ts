// The agent under day-ahead information (issue 11): per dev market-year, `bess train --information day-ahead` with
// the default settings and budget (the work of ~120 s on an idle 2-core machine), seeds 1-3, its share of the
// perfect-foresight oracle on the test split (from the first delivery day after 75% of the rows), beside every
// baseline of `bess compare --information day-ahead` with the same forecast on the same span. Runs go through the
// CLI, as a user would reproduce them:
//   npm run bess -- train --clone-epochs 4 --train FILE --information day-ahead --forecast M [--exogenous X] --seed S
//     --out DIR --json
//   npm run bess -- compare FILE --information day-ahead --forecast M [--exogenous X] --json
// The budget fixes the work, so shares do not depend on the machine's load; the CPU seconds of each run are
// measured (process user + system time) and reported beside them.
// Flags: --quick (BE 2023 and FI 2020, seed 1), --jobs N (N runs at once), --files a,b (a subset), --seeds 1,2,
// --clone-epochs N.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const DATA = new URL('../test-data/real/', import.meta.url).pathname;
const EXO = new URL('../test-data/exogenous/', import.meta.url).pathname;
/** Files, their forecaster (lear where an exogenous file exists, else ridge) and exogenous file. */
export const FILES: { file: string; forecast: string; exogenous?: string }[] = [
  { file: 'be-2022-hourly-iso.csv', forecast: 'ridge' },
  { file: 'be-2023-hourly.csv', forecast: 'ridge' },
  { file: 'de-lu-2023-hourly.csv', forecast: 'lear', exogenous: 'de-lu-2023-generation-forecast-hourly.csv' },
  { file: 'dk1-2023-hourly.csv', forecast: 'ridge' },
  { file: 'fi-2020-hourly.csv', forecast: 'ridge' },
  { file: 'fr-2022-hourly.csv', forecast: 'ridge' },
  { file: 'pt-2023-hourly.csv', forecast: 'ridge' },
  // 15-minute: four months or one quarter hold too little history for ridge's 63 days and a training split.
  { file: 'dk1-2025q4-15min-iso.csv', forecast: 'naive-d1' },
  { file: 'pt-2026jan-apr-15min-iso.csv', forecast: 'naive-d1' },
];
const BASELINES = ['plan-on-forecast', 'rolling-horizon', 'threshold', 'hold'];
/**
 * Cloning epochs of the day-ahead budget: the planner teacher (the default) is learnt in a few epochs (BE 2023,
 * seed 1: 75.08% of the oracle after 4, 75.09% after 12), so the budget goes to PPO's default 122,880 steps.
 */
const CLONE_EPOCHS = 4;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Runs `npm run -s bess -- ARGS`, returns the last JSON line of stdout and the child's CPU seconds. */
function bess(args: string[]): Promise<{ json: Record<string, unknown>; cpuS: number; wallS: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // `time -f` is not portable: measure the child tree's CPU with /usr/bin/env bash's `times`.
    const script = `npm run -s bess -- ${args.map((a) => `'${a}'`).join(' ')}; rc=$?; times >&2; exit $rc`;
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bess ${args.join(' ')}: exit ${code}: ${stderr.trim().split('\n')[0]}`));
      // `times` prints the shell's and its children's user/system times; the second line is the children's.
      const lines = stderr.trim().split('\n');
      const child = lines[lines.length - 1].match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/);
      const cpuS = child ? Number(child[1]) * 60 + Number(child[2]) + Number(child[3]) * 60 + Number(child[4]) : NaN;
      resolve({
        json: JSON.parse(stdout.trim().split('\n').pop() ?? '{}'),
        cpuS,
        wallS: (performance.now() - t0) / 1000,
      });
    });
  });
}

const median = (xs: number[]) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface AgentRun {
  file: string;
  seed: number;
  share: number;
  validationShare: number;
  kept: string;
  /** Day-ahead: the held-out check of a fine-tuned policy against its clone, when selection kept one. */
  confirm: unknown;
  cloneEpochs: number;
  ppoIterations: number;
  cpuS: number;
  wallS: number;
}

export async function bench(opts: { quick: boolean }) {
  const jobs = Math.max(1, Math.min(cpus().length, Number(flag('jobs') ?? 1)));
  const only = flag('files')?.split(',');
  const files = FILES.filter((f) =>
    only ? only.some((o) => f.file.startsWith(o)) : opts.quick ? /^(be-2023|fi-2020)/.test(f.file) : true,
  );
  const seeds = (flag('seeds') ?? (opts.quick ? '1' : '1,2,3')).split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'powerbidder-uncertain-'));
  const inputs = (f: (typeof FILES)[number]) => [
    '--information',
    'day-ahead',
    '--forecast',
    f.forecast,
    ...(f.exogenous ? ['--exogenous', EXO + f.exogenous] : []),
  ];
  // Baselines first (seconds each), then the agent runs seed by seed, so a cut-short run has every file once.
  const baselines = new Map<string, Record<string, number>>();
  for (const f of files) {
    const r = await bess(['compare', DATA + f.file, ...inputs(f), '--json']);
    const strategies = r.json.strategies as { name: string; shareOfOracle: number }[];
    baselines.set(f.file, Object.fromEntries(strategies.map((s) => [s.name, s.shareOfOracle])));
    console.log(`  ${f.file}: plan-on-forecast ${(100 * baselines.get(f.file)!['plan-on-forecast']).toFixed(2)}%`);
  }
  const plan = seeds.flatMap((seed) => files.map((f) => ({ f, seed })));
  const runs: AgentRun[] = [];
  let next = 0;
  const worker = async () => {
    while (next < plan.length) {
      const { f, seed } = plan[next++];
      const out = join(dir, `${f.file}-${seed}`);
      const r = await bess([
        'train',
        '--clone-epochs',
        String(flag('clone-epochs') ?? CLONE_EPOCHS),
        '--train',
        DATA + f.file,
        ...inputs(f),
        '--seed',
        String(seed),
        '--out',
        out,
        '--json',
      ]);
      const j = r.json as Record<string, number | string>;
      const run: AgentRun = {
        file: f.file,
        seed,
        share: Number(j.shareOfOracle),
        validationShare: Number(j.validationShare),
        kept: String(j.kept),
        confirm: j.confirm ?? null,
        cloneEpochs: Number(j.cloneEpochs),
        ppoIterations: Number(j.ppoIterations),
        cpuS: r.cpuS,
        wallS: r.wallS,
      };
      console.log(
        `  ${f.file} seed ${seed}: agent ${(100 * run.share).toFixed(2)}% (kept ${run.kept}${run.confirm ? ` confirm ${JSON.stringify(run.confirm)}` : ''}, ${run.cpuS.toFixed(0)} s CPU, ${run.wallS.toFixed(0)} s wall)`,
      );
      runs.push(run);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  const pct = (x: number) => (Number.isFinite(x) ? Number((100 * x).toFixed(2)) : '–');
  const rows = files.map((f) => {
    const mine = runs.filter((r) => r.file === f.file);
    const agent = median(mine.map((r) => r.share));
    const b = baselines.get(f.file)!;
    return [
      f.file,
      f.forecast,
      mine.length,
      pct(agent),
      ...BASELINES.map((name) => pct(b[name])),
      pct(agent - b['plan-on-forecast']),
      mine.map((r) => r.kept).join(','),
      Number(median(mine.map((r) => r.cpuS)).toFixed(0)),
    ];
  });
  return {
    title: `Agent under day-ahead information: share of the oracle on the test split, median of ${seeds.length} seed(s), default settings and budget, ${jobs} run(s) at a time`,
    columns: [
      'market file',
      'forecast',
      'seeds',
      'agent %',
      ...BASELINES.map((b) => `${b} %`),
      'agent − plan pts',
      'kept',
      'CPU s',
    ],
    rows,
    json: { jobs, seeds, files, baselines: Object.fromEntries(baselines), runs },
  };
}
