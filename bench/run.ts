// `npm run bench [-- NAME...]`: runs the bench modules (all, or those named), prints each table and writes
// bench/results/<name>.json with machine info. A module exports `bench({ quick })` → { title, columns, rows, json }.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, platform, arch } from 'node:os';
import { table } from '../src/cli/format.ts';

export interface BenchResult {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  json: unknown;
  /** Further tables the module measured (printed after the first; their json is in `json`). */
  more?: { title: string; columns: string[]; rows: (string | number)[][] }[];
}

/** Bench modules by name; a module whose file is absent is skipped with a note. */
const MODULES = [
  'oracle',
  'oracle-cold',
  'rl',
  'rl-sps',
  'rl-browser',
  'quality',
  'size',
  'forecast',
  'site',
  'uncertain',
  'plan-corrections',
];
/** Run only when named: the agent-quality table trains 27 times for 120 s (about an hour at --jobs 1). */
const OPT_IN = new Set(['quality', 'uncertain', 'plan-corrections']);

const here = new URL('.', import.meta.url);
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const wanted = args.filter((a) => MODULES.includes(a));
const outDir = new URL('results/', here);
mkdirSync(outDir, { recursive: true });

for (const name of MODULES) {
  if (wanted.length ? !wanted.includes(name) : OPT_IN.has(name)) continue;
  const file = new URL(`${name}.bench.ts`, here);
  if (!existsSync(file)) {
    console.log(`(bench ${name}: ${file.pathname} not present, skipped)`);
    continue;
  }
  const mod = (await import(file.href)) as { bench: (o: { quick: boolean }) => Promise<BenchResult> };
  const r = await mod.bench({ quick });
  console.log(`\n## ${r.title}\n`);
  console.log(table(r.columns, r.rows));
  for (const m of r.more ?? []) console.log(`\n## ${m.title}\n\n${table(m.columns, m.rows)}`);
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: platform(),
    arch: arch(),
    node: process.version,
  };
  writeFileSync(
    new URL(`${name}.json`, outDir),
    JSON.stringify(
      {
        name,
        date: new Date().toISOString(),
        machine,
        title: r.title,
        columns: r.columns,
        rows: r.rows,
        result: r.json,
      },
      null,
      2,
    ) + '\n',
  );
}
