import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/bess.ts';
import { taskParams } from '../../cli/sweep/run-task.ts';
import type { MlflowRun, RunStatusName } from '../../core/mlflow/layout.ts';
import { flattenParams } from '../../core/mlflow/training.ts';
import { SWEEP_TAGS, parseSweepSpec, reportCsv, sweepId, sweepTask, type SweepSpec } from '../../core/sweep/index.ts';
import { ensureExperiment, readEntries, writeRun } from '../../io/mlflow-dir.ts';
import { commonSettings, configName, varyingKeys } from './columns.ts';
import { decodeImport, encodeImport, isRunArtifact, sweepFromEntries, sweepFromZip } from './import.ts';

// The page's sweep report must be `bess sweep-report`'s: the same store, read by the CLI from its folder and by the
// page from a zip of it (and from the folder's files), gives the same JSON and the same CSV.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sweep-ui-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const spec: SweepSpec = parseSweepSpec(
  { name: 'ui', files: ['prices.csv'], seeds: [1, 2, 3], battery: { capacityKWh: [100, 200] } },
  'ui.json',
);

/** A sweep task's run as bess sweep-task writes it (params, tags, final metrics), with made-up results. */
function taskRun(expId: string, index: number, status: RunStatusName, share: number): MlflowRun {
  const task = sweepTask(spec, index);
  const m = (value: number) => [{ timestampMs: 1000 + index, value, step: 0 }];
  const oracle = 40 + 10 * index;
  return {
    runId: task.runId,
    experimentId: expId,
    runName: `ui #${index}`,
    userId: 'test',
    status,
    startTimeMs: 1000,
    endTimeMs: 2000,
    lifecycleStage: 'active',
    artifactUri: `./mlruns/${expId}/${task.runId}/artifacts`,
    params: flattenParams(taskParams(spec, task)),
    tags: {
      [SWEEP_TAGS.sweep]: sweepId(spec),
      [SWEEP_TAGS.name]: spec.name,
      [SWEEP_TAGS.task]: task.taskId,
      [SWEEP_TAGS.config]: task.configId,
      [SWEEP_TAGS.index]: String(index),
    },
    metrics:
      status === 'FINISHED'
        ? {
            'eval/share_of_oracle': m(share),
            'eval/profit_eur': m(share * oracle),
            'eval/oracle_profit_eur': m(oracle),
            'compare/oracle/share_of_oracle': m(1),
            'compare/rolling_horizon_24_h/share_of_oracle': m(0.9 + index / 100),
          }
        : {},
    artifacts: [{ path: 'model/model.json', bytes: new TextEncoder().encode('{"not":"read"}') }],
  };
}

async function makeStore(root: string): Promise<void> {
  const exp = await ensureExperiment(root, `sweep-${spec.name}`, 1000);
  const shares = [0.61, 0.55, 0.72, 0.8, 0.79, 0];
  for (let i = 0; i < 6; i++)
    await writeRun(root, taskRun(exp.experimentId, i, i === 5 ? 'FAILED' : 'FINISHED', shares[i]));
  // A run of no sweep in another experiment: not in the report.
  const other = await ensureExperiment(root, 'PowerBidder', 1000);
  await writeRun(root, { ...taskRun(other.experimentId, 0, 'FINISHED', 0.5), runId: 'f'.repeat(32), tags: {} });
}

async function zipDir(root: string): Promise<Uint8Array> {
  const tree: Zippable = {};
  for (const e of await readEntries(root)) tree[`mlruns/${e.path}`] = e.bytes;
  return zipSync(tree);
}

async function cliReport(root: string, extra: string[] = []): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['sweep-report', '--mlruns', root, '--json', ...extra], {
    stdout: async (t: string) => void out.push(t),
    stderr: (t: string) => void err.push(t),
    nowMs: () => 0,
  });
  expect(err.join(''), 'bess sweep-report stderr').toBe('');
  expect(code).toBe(0);
  return out.join('');
}

/** As JSON prints it (NaN → null), for comparison with the CLI's output. */
const asJson = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

describe('the page’s sweep report', () => {
  it('equals bess sweep-report --json (and its --csv) on the same store, from a zip and from the folder', async () => {
    const root = join(dir, 'generated');
    await makeStore(root);
    const csvPath = join(dir, 'generated.csv');
    const cli = JSON.parse(await cliReport(root, ['--csv', csvPath]));
    const page = sweepFromZip(await zipDir(root), 'mlruns.zip');
    expect(asJson(page.report)).toEqual(cli);
    expect(reportCsv(page.report.configurations)).toBe(await readFile(csvPath, 'utf8'));
    // What it says, so the equality is not of two empty tables.
    expect(page.report.runs).toBe(6);
    expect(page.sweeps).toEqual(['ui']);
    const [c100, c200] = page.report.configurations;
    expect(c100.config['task.battery.capacityKWh']).toBe('100');
    expect(c100.seeds).toEqual([1, 2, 3]);
    expect(c100.shareOfOracle).toMatchObject({ median: 0.61, min: 0.55, max: 0.72 });
    expect(c200.seeds).toEqual([1, 2]);
    expect(c200.unfinished).toBe(1);
    expect(c200.shareOfOracle.median).toBeCloseTo(0.795, 12);
    // A folder's files (as a directory picker gives them, under the folder's name) read the same.
    const folder = (await readEntries(root)).map((e) => ({ path: `my-sweep/${e.path}`, bytes: e.bytes }));
    expect(asJson(sweepFromEntries(folder, 'my-sweep').report)).toEqual(cli);
  });

  it('equals bess sweep-report --json on the committed fixture (a real tiny sweep, test-data/sweep/tiny-mlruns.zip)', async () => {
    const bytes = new Uint8Array(await readFile('test-data/sweep/tiny-mlruns.zip'));
    const root = join(dir, 'fixture');
    for (const [path, b] of Object.entries(unzipSync(bytes))) {
      if (path.endsWith('/')) continue;
      const to = join(root, path.replace(/^mlruns\//, ''));
      await mkdir(dirname(to), { recursive: true });
      await writeFile(to, b);
    }
    const cli = JSON.parse(await cliReport(root));
    const page = sweepFromZip(bytes, 'tiny-mlruns.zip');
    expect(asJson(page.report)).toEqual(cli);
    expect(page.report.configurations).toHaveLength(2);
    expect(page.report.configurations.every((r) => r.seeds.length === 2)).toBe(true);
  });

  it('names the file or the entry that is wrong', async () => {
    expect(() => sweepFromZip(new TextEncoder().encode('not a zip'), 'prices.csv')).toThrow(
      /^prices\.csv is not a readable zip file \(/,
    );
    const root = join(dir, 'generated');
    const files = unzipSync(await zipDir(root));
    const meta = Object.keys(files).find(
      (p) => /^mlruns\/\d+\/[0-9a-f]{32}\/meta\.yaml$/.test(p) && !p.includes('f'.repeat(32)),
    )!;
    const damaged = { ...files, [meta]: new TextEncoder().encode('run_id: [unclosed\n') };
    expect(() => sweepFromZip(zipSync(damaged), 'mlruns.zip')).toThrow(`mlruns.zip: ${meta}: is not valid YAML`);
    const metric = Object.keys(files).find((p) => p.endsWith('/metrics/eval/share_of_oracle'))!;
    const badMetric = { ...files, [metric]: new TextEncoder().encode('1000 zero 0\n') };
    expect(() => sweepFromZip(zipSync(badMetric), 'mlruns.zip')).toThrow(
      `mlruns.zip: ${metric}: line 1 "1000 zero 0": value "zero" is not a number`,
    );
    expect(() => sweepFromZip(zipSync({ 'notes/readme.txt': new Uint8Array(1) }), 'other.zip')).toThrow(
      'other.zip is not an MLflow store: no experiment (<id>/meta.yaml); first entry notes/readme.txt',
    );
    expect(() => sweepFromZip(zipSync({}), 'empty.zip')).toThrow('empty.zip is empty');
    const noSweep = Object.fromEntries(Object.entries(files).filter(([p]) => !p.includes('/tags/powerbidder.sweep.')));
    expect(() => sweepFromZip(zipSync(noSweep), 'runs.zip')).toThrow(
      'runs.zip: no sweep runs (runs tagged powerbidder.sweep.name, which bess sweep writes) among its 7 runs in 3 experiments',
    );
  });

  it('does not read run artifacts; a metric named artifacts/… is still a metric', () => {
    expect(isRunArtifact('mlruns/1/abc/artifacts/model/model.json')).toBe(true);
    expect(isRunArtifact('1/abc/artifacts/backtest/trace.csv')).toBe(true);
    expect(isRunArtifact('1/abc/metrics/artifacts/x')).toBe(false);
    expect(isRunArtifact('1/abc/params/artifacts')).toBe(false);
    expect(isRunArtifact('1/meta.yaml')).toBe(false);
  });

  it('kept across reloads as text that brings NaN back; anything else reads as nothing', async () => {
    const page = sweepFromZip(await zipDir(join(dir, 'generated')), 'mlruns.zip');
    const withNaN = {
      ...page,
      report: { ...page.report, configurations: [{ ...page.report.configurations[0], oracleProfitEur: NaN }] },
    };
    const back = decodeImport(encodeImport(withNaN))!;
    expect(back.report.configurations[0].oracleProfitEur).toBeNaN();
    expect(back.report.configurations[0].shareOfOracle).toEqual(page.report.configurations[0].shareOfOracle);
    expect(back.source).toBe('mlruns.zip');
    expect(decodeImport('{"source": 3}')).toBeNull();
    expect(decodeImport('not json')).toBeNull();
    expect(decodeImport(null)).toBeNull();
  });

  it('names configurations by the settings that vary, and says the rest once', async () => {
    const { configurations: rows } = sweepFromZip(await zipDir(join(dir, 'generated')), 'mlruns.zip').report;
    const varying = varyingKeys(rows);
    expect(varying).toEqual(['task.battery.capacityKWh']);
    expect(rows.map((r) => configName(r, varying))).toEqual(['battery.capacityKWh=100', 'battery.capacityKWh=200']);
    expect(commonSettings(rows)).toContain('file=prices.csv');
    expect(configName(rows[0], [])).toBe('all runs');
  });
});
