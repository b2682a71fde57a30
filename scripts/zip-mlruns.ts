// Zips an MLflow store folder as `mlruns/…` without run artifacts (models, traces): what the page's sweep report
// reads, small enough to commit. test-data/sweep/tiny-mlruns.zip was made with
//   npx tsx src/cli/bess.ts sweep test-data/sweep/tiny.json --engine local --jobs 1 --mlruns /tmp/sweepui-m
//   npx tsx scripts/zip-mlruns.ts /tmp/sweepui-m test-data/sweep/tiny-mlruns.zip
import { writeFile } from 'node:fs/promises';
import { zipSync, type Zippable } from 'fflate';
import { readEntries } from '../src/io/mlflow-dir.ts';
import { isRunArtifact } from '../src/ui/sweep/import.ts';

const [dir, out] = process.argv.slice(2);
if (!dir || !out) {
  process.stderr.write('usage: tsx scripts/zip-mlruns.ts MLRUNS_DIR OUT.zip\n');
  process.exit(2);
}
const tree: Zippable = {};
for (const e of (await readEntries(dir)).sort((a, b) => (a.path < b.path ? -1 : 1)))
  if (!isRunArtifact(e.path) && !e.path.split('/').some((p) => p.startsWith('.'))) tree[`mlruns/${e.path}`] = e.bytes;
// A fixed date: the same store gives the same bytes.
await writeFile(out, zipSync(tree, { level: 9, mtime: new Date(Date.UTC(2026, 0, 1)) }));
process.stdout.write(`${out}: ${Object.keys(tree).length} files\n`);
