import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureExperiment, ensureStore, readStoreDir, registerModelVersion, writeRun } from './mlflow-dir.ts';
import { experimentIdForName } from '../core/mlflow/layout.ts';
import { trainingToMlflowRun } from '../core/mlflow/training.ts';

const dirs: string[] = [];
async function tempRoot(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'mlruns-'));
  dirs.push(d);
  return join(d, 'mlruns');
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const runOf = (exp: { experimentId: string; artifactLocation: string }, runId: string, i: number) =>
  trainingToMlflowRun({
    runId,
    experimentId: exp.experimentId,
    artifactLocation: exp.artifactLocation,
    runName: `r${i}`,
    sourceName: 'test',
    startTimeMs: 1700000000000 + i,
    endTimeMs: 1700000000001 + i,
    status: 'FINISHED',
    params: { i },
    history: [],
    evaluation: { profitEur: i, oracleProfitEur: 1, shareOfOracle: 0.5, equivalentCycles: 1 },
    labels: [],
    tags: {},
    modelJson: '{}',
  });
const hex = (i: number) => i.toString(16).padStart(32, 'a');

describe('an MLflow store in a folder', () => {
  it('ensureStore creates what FileStore.__init__ does: the Default experiment 0 with a file:// artifact location, and .trash', async () => {
    const root = await tempRoot();
    await ensureStore(root, 1700000000000);
    expect((await readdir(root)).sort()).toEqual(['.trash', '0']);
    const meta = await readFile(join(root, '0', 'meta.yaml'), 'utf8');
    expect(meta).toBe(
      `artifact_location: file://${root}/0\ncreation_time: 1700000000000\nexperiment_id: '0'\nlast_update_time: 1700000000000\nlifecycle_stage: active\nname: Default\n`,
    );
  });

  it("writes a run whole, with FileStore.create_run's empty folders, and finds it again", async () => {
    const root = await tempRoot();
    const exp = await ensureExperiment(root, 'PowerBidder', 1700000000000);
    expect(exp.experimentId).toBe(experimentIdForName('PowerBidder'));
    const run = runOf(exp, hex(1), 1);
    const dir = await writeRun(root, run);
    expect((await readdir(dir)).sort()).toEqual(['artifacts', 'meta.yaml', 'metrics', 'params', 'tags']);
    expect((await readdir(join(root, exp.experimentId))).sort()).toEqual([hex(1), 'meta.yaml']);
    const { store, skipped } = await readStoreDir(root);
    expect(skipped).toEqual([]);
    expect(store.runs.map((r) => r.runId)).toEqual([hex(1)]);
    expect((await ensureExperiment(root, 'PowerBidder', 1800000000000)).creationTimeMs).toBe(1700000000000);
    await expect(writeRun(root, run)).rejects.toThrow(/exists already/);
  });

  it('refuses to reuse the name of a deleted experiment', async () => {
    const root = await tempRoot();
    await ensureStore(root, 1);
    await writeFile(join(root, '.trash', 'meta.yaml'), '');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(root, '.trash', '77'));
    await writeFile(
      join(root, '.trash', '77', 'meta.yaml'),
      "artifact_location: x\nexperiment_id: '77'\nlifecycle_stage: deleted\nname: Gone\n",
    );
    await expect(ensureExperiment(root, 'Gone', 2)).rejects.toThrow(/'Gone' is deleted/);
  });

  it('numbers registry versions 1, 2, … and keeps the production alias on the newest', async () => {
    const root = await tempRoot();
    const exp = await ensureExperiment(root, 'PowerBidder', 1);
    for (let i = 1; i <= 3; i++) {
      await writeRun(root, runOf(exp, hex(i), i));
      const v = await registerModelVersion(root, {
        name: 'BatteryPPOModel',
        runId: hex(i),
        source: `x/${i}`,
        stage: i === 2 ? 'Staging' : 'Production',
        nowMs: 10 + i,
        userId: 'ada',
      });
      expect(v).toBe(i);
    }
    const { store } = await readStoreDir(root);
    const m = store.models[0];
    expect(m.versions.map((v) => [v.version, v.currentStage, v.runId])).toEqual([
      [1, 'Production', hex(1)],
      [2, 'Staging', hex(2)],
      [3, 'Production', hex(3)],
    ]);
    expect(m.aliases).toEqual({ production: 3, staging: 2 });
    expect(m.lastUpdatedTimestampMs).toBe(13);
  });

  it('several writers at once in one process never collide', async () => {
    const root = await tempRoot();
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const exp = await ensureExperiment(root, 'Parallel', 100 + i);
        await writeRun(root, runOf(exp, hex(i + 1), i));
        await registerModelVersion(root, {
          name: 'M',
          runId: hex(i + 1),
          source: 's',
          stage: 'None',
          nowMs: 100 + i,
          userId: null,
        });
      }),
    );
    const { store, skipped } = await readStoreDir(root);
    expect(skipped).toEqual([]);
    expect(store.experiments.map((e) => e.name).sort()).toEqual(['Default', 'Parallel']);
    expect(store.runs.length).toBe(8);
    expect(store.models[0].versions.map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(store.models[0].versions.map((v) => v.runId)).size).toBe(8);
  });

  it('several processes writing into one store at once leave it whole: one experiment, every run, distinct versions', async () => {
    const root = await tempRoot();
    const writers = 4;
    const runs = 3;
    await Promise.all(
      Array.from(
        { length: writers },
        (_, w) =>
          new Promise<void>((resolve, reject) => {
            const p = spawn(
              process.execPath,
              ['node_modules/tsx/dist/cli.mjs', 'src/io/testing/mlruns-writer.ts', root, String(w), String(runs)],
              { stdio: ['ignore', 'ignore', 'pipe'] },
            );
            let err = '';
            p.stderr.on('data', (d) => (err += d));
            p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${w} exited ${code}: ${err}`))));
          }),
      ),
    );
    const { store, skipped } = await readStoreDir(root);
    expect(skipped).toEqual([]);
    expect(store.experiments.filter((e) => e.name === 'Shared').length).toBe(1);
    expect(store.runs.length).toBe(writers * runs);
    expect(new Set(store.runs.map((r) => r.runName)).size).toBe(writers * runs);
    const versions = store.models.find((m) => m.name === 'Shared')!.versions;
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: writers * runs }, (_, i) => i + 1));
    expect(new Set(versions.map((v) => v.runId))).toEqual(new Set(store.runs.map((r) => r.runId)));
  });
});
