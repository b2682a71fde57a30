// Agent quality (issue 5 §6): `bess train` with default settings on every market file in test-data/real, first 75%
// of the rows for training and the last 25% as the test split, the default budget, seeds 1-3; the share of the
// oracle on the test split and its median per file. Runs go through the CLI, exactly as a user would reproduce them:
//   npm run bess -- train --train test-data/real/FILE --seed S --out DIR --json
// The budget fixes the work, so the shares do not depend on the machine's load (only the times do).
// Flags: --quick (BE 2023 and FI 2020, one seed), --jobs N (N runs at once), --seconds N (a time cap: then the
// shares do depend on the load).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';

const DATA = new URL('../test-data/real/', import.meta.url).pathname;
const HOURLY = [
  'be-2023-hourly.csv',
  'de-lu-2023-hourly.csv',
  'dk1-2023-hourly.csv',
  'fr-2022-hourly.csv',
  'fi-2020-hourly.csv',
  'pt-2023-hourly.csv',
  'be-2022-hourly-iso.csv',
];
const QUARTER_HOURLY = ['dk1-2025q4-15min-iso.csv', 'pt-2026jan-apr-15min-iso.csv'];

interface Run {
  file: string;
  seed: number;
  share: number;
  validationShare: number;
  cloneEpochs: number;
  ppoIterations: number;
  elapsedS: number;
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function train(file: string, seed: number, seconds: number | undefined, out: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const cap = seconds === undefined ? [] : ['--seconds', String(seconds)];
    const args = [
      'run',
      '-s',
      'bess',
      '--',
      'train',
      '--train',
      DATA + file,
      ...cap,
      '--seed',
      String(seed),
      '--out',
      out,
      '--json',
    ];
    const child = spawn('npm', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      if (code !== 0)
        return reject(new Error(`bess train ${file} seed ${seed}: exit ${code}: ${stderr.trim().split('\n').pop()}`));
      const r = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
      resolve({
        file,
        seed,
        share: r.shareOfOracle,
        validationShare: r.validationShare,
        cloneEpochs: r.cloneEpochs,
        ppoIterations: r.ppoIterations,
        elapsedS: r.elapsedS,
      });
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function bench(opts: { quick: boolean }) {
  const seconds = flag('seconds') === undefined ? undefined : Number(flag('seconds'));
  const jobs = Math.max(1, Math.min(cpus().length, Number(flag('jobs') ?? 1)));
  const plan: { file: string; seed: number }[] = [];
  const files = opts.quick ? ['be-2023-hourly.csv', 'fi-2020-hourly.csv'] : [...HOURLY, ...QUARTER_HOURLY];
  for (const file of files) for (const seed of opts.quick ? [1] : [1, 2, 3]) plan.push({ file, seed });
  const dir = mkdtempSync(join(tmpdir(), 'powerbidder-quality-'));
  const runs: Run[] = [];
  let next = 0;
  const worker = async () => {
    while (next < plan.length) {
      const { file, seed } = plan[next++];
      const r = await train(file, seed, seconds, join(dir, `${file}-${seed}`));
      console.log(
        `  ${file} seed ${seed}: ${(100 * r.share).toFixed(2)}% of the oracle (${r.cloneEpochs} clone epochs, ${r.ppoIterations} PPO iterations)`,
      );
      runs.push(r);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  const rows = files.map((file) => {
    const mine = runs.filter((r) => r.file === file).sort((a, b) => a.seed - b.seed);
    const shares = mine.map((r) => 100 * r.share);
    return [
      file,
      ...[1, 2, 3].map((s) => {
        const r = mine.find((x) => x.seed === s);
        return r ? Number((100 * r.share).toFixed(2)) : '–';
      }),
      Number(median(shares).toFixed(2)),
    ];
  });
  return {
    title: `Agent quality: share of the oracle on the test split (last 25%), default settings and budget${seconds === undefined ? '' : `, capped at ${seconds} s`}, ${jobs} run(s) at a time`,
    columns: ['market file', 'seed 1 %', 'seed 2 %', 'seed 3 %', 'median %'],
    rows,
    json: { seconds: seconds ?? null, jobs, runs },
  };
}
