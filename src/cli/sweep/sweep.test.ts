// Sweep tasks against a real MLflow folder: the claim protocol (one run per task through crashes and concurrent
// attempts), a killed `bess sweep-task` retried without a duplicate run, the index sources, the engines' scripts
// and manifests (the Kubernetes Job checked against the batch/v1 schema subset in k8s-job-schema.ts).
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../bess.ts';
import { OWNER_TAG, claimTaskRun, completeTaskRun, engineRetryOf, runStatus } from './claim.ts';
import { awsBatch, cloudRunJob, kubernetesJob, slurmScript } from './engines.ts';
import { checkSpecFiles, experimentName, loadSweepSpec, taskIndex, type LoadedSpec } from './run-task.ts';
import { validateJsonSchema, K8S_JOB_SCHEMA } from './k8s-job-schema.ts';
import { ensureExperiment, readStoreDir } from '../../io/mlflow-dir.ts';
import type { MlflowRun } from '../../core/mlflow/layout.ts';
import { sweepTask } from '../../core/sweep/index.ts';
import { taskRunOf } from '../../core/sweep/mlflow.ts';
import { KEPT_TAG } from '../../core/mlflow/training.ts';
import { keptSchema } from '../../ui/runs/schema.ts';

const SPEC = 'test-data/sweep/tiny.json';
let dir: string;
let loaded: LoadedSpec;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bess-sweep-'));
  loaded = await loadSweepSpec(SPEC);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const running = (expId: string, runId: string, owner: string): MlflowRun => ({
  runId,
  experimentId: expId,
  runName: 'r',
  userId: 'u',
  status: 'RUNNING',
  startTimeMs: 1,
  endTimeMs: null,
  lifecycleStage: 'active',
  artifactUri: `file:///x/${runId}/artifacts`,
  params: { seed: '1' },
  tags: { [OWNER_TAG]: owner },
  metrics: {},
  artifacts: [],
});

/** A pid that existed and is gone now (a child that has exited). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.on('close', r));
  return child.pid!;
}

describe('claiming a task run', () => {
  it('of many attempts at once exactly one claims; the others see it busy (its owner is alive)', async () => {
    const root = join(dir, 'claims');
    const exp = await ensureExperiment(root, 'c', 1);
    const expDir = join(root, exp.experimentId);
    const runId = 'a'.repeat(32);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        claimTaskRun({
          expDir,
          running: running(exp.experimentId, runId, `${hostname()}:${process.pid}:${i}`),
          nowMs: () => 0,
          staleAfterS: 600,
          log: () => {},
        }),
      ),
    );
    expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'busy')).toHaveLength(7);
    expect((await readdir(expDir)).filter((d) => !d.startsWith('.') && d !== 'meta.yaml')).toEqual([runId]);
  });

  it('a RUNNING run whose process is gone is moved aside and claimed afresh; a FINISHED one is never redone', async () => {
    const root = join(dir, 'stale');
    const exp = await ensureExperiment(root, 's', 1);
    const expDir = join(root, exp.experimentId);
    const runId = 'b'.repeat(32);
    const dead = `${hostname()}:${await deadPid()}:old`;
    expect(
      (
        await claimTaskRun({
          expDir,
          running: running(exp.experimentId, runId, dead),
          nowMs: () => 0,
          staleAfterS: 600,
          log: () => {},
        })
      ).kind,
    ).toBe('claimed');
    const logs: string[] = [];
    const mine = `${hostname()}:${process.pid}:new`;
    const again = await claimTaskRun({
      expDir,
      running: running(exp.experimentId, runId, mine),
      nowMs: () => 0,
      staleAfterS: 600,
      log: (l) => logs.push(l),
    });
    expect(again).toMatchObject({ kind: 'claimed', retried: 'RUNNING' });
    expect(logs.join('\n')).toMatch(/a RUNNING run is left behind \(its process \d+ on this host is gone\)/);
    await completeTaskRun(join(expDir, runId), mine, {
      ...running(exp.experimentId, runId, mine),
      status: 'FINISHED',
      endTimeMs: 2,
      metrics: { 'eval/profit_eur': [{ timestampMs: 2, value: 5, step: 0 }] },
    });
    expect(await runStatus(join(expDir, runId))).toBe('FINISHED');
    const third = await claimTaskRun({
      expDir,
      running: running(exp.experimentId, runId, `${hostname()}:${process.pid}:third`),
      nowMs: () => 0,
      staleAfterS: 600,
      log: () => {},
    });
    expect(third.kind).toBe('finished');
    // Another host's RUNNING run is taken over only after staleAfterS without a heartbeat.
    const other = 'c'.repeat(32);
    const foreign = {
      ...running(exp.experimentId, other, 'elsewhere:1:x'),
      tags: { [OWNER_TAG]: 'elsewhere:1:x', 'powerbidder.sweep.heartbeat': '1000' },
    };
    await claimTaskRun({ expDir, running: foreign, nowMs: () => 0, staleAfterS: 600, log: () => {} });
    const early = await claimTaskRun({
      expDir,
      running: running(exp.experimentId, other, mine),
      nowMs: () => 1000 + 599_000,
      staleAfterS: 600,
      log: () => {},
    });
    expect(early.kind).toBe('busy');
    const late = await claimTaskRun({
      expDir,
      running: running(exp.experimentId, other, mine),
      nowMs: () => 1000 + 601_000,
      staleAfterS: 600,
      log: () => {},
    });
    expect(late.kind).toBe('claimed');
    // … or at once when the engine says this attempt retries the index (its previous attempt is dead).
    const third3 = 'e'.repeat(32);
    await claimTaskRun({
      expDir,
      running: { ...foreign, runId: third3 },
      nowMs: () => 0,
      staleAfterS: 600,
      log: () => {},
    });
    const retry = await claimTaskRun({
      expDir,
      running: running(exp.experimentId, third3, mine),
      nowMs: () => 1000,
      staleAfterS: 600,
      engineRetry: engineRetryOf({ JOB_INDEX_FAILURE_COUNT: '1' }),
      log: () => {},
    });
    expect(retry).toMatchObject({ kind: 'claimed', retried: 'RUNNING' });
    const { store } = await readStoreDir(root);
    expect(store.runs.map((r) => r.runId).sort()).toEqual([runId, other, third3]);
  });

  it('a retry that took the task over makes the old attempt refuse to write its result', async () => {
    const root = join(dir, 'takeover');
    const exp = await ensureExperiment(root, 't', 1);
    const expDir = join(root, exp.experimentId);
    const runId = 'd'.repeat(32);
    await claimTaskRun({
      expDir,
      running: running(exp.experimentId, runId, 'h:1:first'),
      nowMs: () => 0,
      staleAfterS: 1,
      log: () => {},
    });
    await claimTaskRun({
      expDir,
      running: running(exp.experimentId, runId, 'h:1:second'),
      nowMs: () => 10_000,
      staleAfterS: 1,
      log: () => {},
    });
    await expect(
      completeTaskRun(join(expDir, runId), 'h:1:first', {
        ...running(exp.experimentId, runId, 'h:1:first'),
        status: 'FINISHED',
      }),
    ).rejects.toThrow(/another attempt took this task over/);
  });
});

describe('the task index', () => {
  it('an engine retry is recognised by its counter, a first attempt is not', () => {
    expect(engineRetryOf({})).toBeNull();
    expect(
      engineRetryOf({
        SLURM_RESTART_COUNT: '0',
        AWS_BATCH_JOB_ATTEMPT: '1',
        CLOUD_RUN_TASK_ATTEMPT: '0',
        JOB_INDEX_FAILURE_COUNT: '',
      }),
    ).toBeNull();
    expect(engineRetryOf({ SLURM_RESTART_COUNT: '2' })).toBe('SLURM_RESTART_COUNT=2');
    expect(engineRetryOf({ AWS_BATCH_JOB_ATTEMPT: '2' })).toBe('AWS_BATCH_JOB_ATTEMPT=2');
    expect(engineRetryOf({ CLOUD_RUN_TASK_ATTEMPT: '1' })).toBe('CLOUD_RUN_TASK_ATTEMPT=1');
  });

  it('comes from --index, else the first engine variable set, and is checked against the task count', () => {
    expect(taskIndex(3, {}, 4)).toEqual({ index: 3, from: '--index' });
    expect(taskIndex(undefined, { JOB_COMPLETION_INDEX: '2' }, 4)).toEqual({ index: 2, from: 'JOB_COMPLETION_INDEX' });
    expect(taskIndex(undefined, { AWS_BATCH_JOB_ARRAY_INDEX: '1', CLOUD_RUN_TASK_INDEX: '0' }, 4).from).toBe(
      'CLOUD_RUN_TASK_INDEX',
    );
    expect(taskIndex(undefined, { SLURM_ARRAY_TASK_ID: '0' }, 4).from).toBe('SLURM_ARRAY_TASK_ID');
    expect(() => taskIndex(undefined, {}, 4)).toThrow(
      /needs --index I or one of SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, CLOUD_RUN_TASK_INDEX, AWS_BATCH_JOB_ARRAY_INDEX \(this sweep has 4 tasks, 0–3\)/,
    );
    expect(() => taskIndex(undefined, { SLURM_ARRAY_TASK_ID: '4' }, 4)).toThrow(
      'SLURM_ARRAY_TASK_ID 4 is out of range: this sweep has 4 tasks (0–3)',
    );
    expect(() => taskIndex(undefined, { JOB_COMPLETION_INDEX: 'x1' }, 4)).toThrow(
      /JOB_COMPLETION_INDEX="x1" is not a task index/,
    );
    expect(() => taskIndex(9, {}, 4)).toThrow('--index 9 is out of range');
  });

  it('bess sweep-task names a bad spec field and an out-of-range index (exit 2)', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ files: ['a.csv'], seeds: [1], battery: { capacityKWh: [100, 'big'] } }));
    const err: string[] = [];
    const io = { stdout: async () => {}, stderr: (t: string) => void err.push(t), nowMs: () => 0 };
    expect(await runCli(['sweep-task', bad, '--index', '0'], io)).toBe(2);
    expect(err.join('')).toContain(`${bad}: battery.capacityKWh[1]: must be a finite number, got "big"`);
    expect(await runCli(['sweep-task', SPEC, '--index', '4', '--mlruns', join(dir, 'none')], io)).toBe(2);
    expect(err.join('')).toContain('--index 4 is out of range: this sweep has 4 tasks (0–3)');
    expect(await runCli(['sweep', SPEC, '--engine', 'k8s'], io)).toBe(2);
    expect(err.join('')).toContain('--engine k8s needs --emit DIR');
  });
});

describe('a killed bess sweep-task', () => {
  it('leaves a RUNNING run that the next attempt retries: one FINISHED run for the task, nothing else', async () => {
    const mlruns = join(dir, 'killed');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bess.ts', 'sweep-task', SPEC, '--index', '1', '--mlruns', mlruns],
      { stdio: 'ignore' },
    );
    const task = sweepTask(loaded.spec, 1);
    const exp = await ensureExperiment(mlruns, experimentName(loaded.spec), 1);
    const runDir = join(mlruns, exp.experimentId, task.runId);
    // Wait (by polling the store, not by a clock) until the child has claimed the task, then kill it outright.
    while ((await runStatus(runDir)) !== 'RUNNING') {
      if (child.exitCode !== null) throw new Error('bess sweep-task ended before it claimed the task');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(await runStatus(runDir)).toBe('RUNNING');

    const out: string[] = [];
    const err: string[] = [];
    const io = {
      stdout: async (t: string) => void out.push(t),
      stderr: (t: string) => void err.push(t),
      nowMs: () => 0,
    };
    expect(await runCli(['sweep-task', SPEC, '--index', '1', '--mlruns', mlruns, '--json'], io)).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ status: 'finished', retried: 'RUNNING', runId: task.runId });
    expect(err.join('')).toMatch(/left behind \(its process \d+ on this host is gone\); retrying the task/);
    expect(await runStatus(runDir)).toBe('FINISHED');

    const { store } = await readStoreDir(mlruns);
    const runs = store.runs.filter((r) => r.experimentId === exp.experimentId);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ runId: task.runId, status: 'FINISHED' });
    expect(runs[0].tags['powerbidder.sweep.task']).toBe(task.taskId);
    expect(runs[0].params['task.battery.capacityKWh']).toBe('100');
    expect(runs[0].params.seed).toBe('2');
    expect(runs[0].metrics['eval/share_of_oracle'][0].value).toBeGreaterThan(0);
    expect(runs[0].metrics['compare/oracle/share_of_oracle'][0].value).toBe(1);
    expect(runs[0].artifacts.map((a) => a.path)).toContain('model/model.json');
    expect((await readdir(join(mlruns, exp.experimentId))).filter((d) => d.startsWith('.'))).toEqual([]);

    // Run again: finished, not redone.
    out.length = 0;
    expect(await runCli(['sweep-task', SPEC, '--index', '1', '--mlruns', mlruns, '--json'], io)).toBe(0);
    expect(JSON.parse(out.join('')).status).toBe('skipped');
  }, 300_000);
});

describe('a day-ahead sweep task', () => {
  it('trains the agent on the task’s forecaster and compares it with the day-ahead baselines on the same span', async () => {
    const spec = join(dir, 'day-ahead.json');
    await writeFile(
      spec,
      JSON.stringify({
        name: 'day-ahead',
        files: [join(process.cwd(), 'test-data/cli/be-2023-10days.csv')],
        seeds: [1],
        information: ['day-ahead'],
        forecast: ['naive-d1'],
        ppo: { totalTimesteps: [256] },
        clone: { epochs: [1] },
      }),
    );
    const mlruns = join(dir, 'day-ahead-mlruns');
    const out: string[] = [];
    const io = { stdout: async (t: string) => void out.push(t), stderr: () => {}, nowMs: () => 0 };
    expect(await runCli(['sweep-task', spec, '--index', '0', '--mlruns', mlruns, '--json'], io)).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ status: 'finished' });
    const { store } = await readStoreDir(mlruns);
    const run = store.runs.find((r) => r.tags['powerbidder.sweep.name'] === 'day-ahead')!;
    expect(run.status).toBe('FINISHED');
    expect(run.params['sweep.information']).toBe('day-ahead');
    expect(run.params['sweep.forecast']).toBe('naive-d1');
    // The model records what it observed, so backtest/compare --model apply the same information.
    const model = JSON.parse(
      new TextDecoder().decode(run.artifacts.find((a) => a.path === 'model/model.json')!.bytes),
    ) as { config: { information?: { mode: string; forecast: string } } };
    expect(model.config.information).toEqual({ mode: 'day-ahead', forecast: 'naive-d1' });
    // The kept policy's tag is the page's format (its import reads it) and the report reads its source.
    const kept = keptSchema.parse(JSON.parse(run.tags[KEPT_TAG]));
    expect(kept.validationShare).toBeTypeOf('number');
    expect(taskRunOf(run)!.kept).toBe(kept.source);
    // The baselines are bess compare --information day-ahead's, on the agent's test span: the same oracle.
    const compared = Object.keys(run.metrics)
      .filter((k) => k.endsWith('/share_of_oracle') && k.startsWith('compare/'))
      .sort();
    expect(compared).toEqual([
      'compare/hold/share_of_oracle',
      'compare/oracle/share_of_oracle',
      'compare/plan_on_forecast/share_of_oracle',
      'compare/rolling_horizon/share_of_oracle',
      'compare/threshold/share_of_oracle',
    ]);
    const lastOf = (k: string) => run.metrics[k].at(-1)!.value;
    expect(lastOf('compare/oracle/profit_eur')).toBeCloseTo(lastOf('eval/oracle_profit_eur'), 9);
    expect(lastOf('compare/oracle/profit_eur')).toBeGreaterThan(0);
  }, 300_000);
});

describe('a lear sweep task with the spec’s exogenous file', () => {
  // 124 days of DE-LU 2023 and the SMARD generation forecasts of the same year: lear first issues on day 84, which
  // leaves a few training days before the test split; one clone epoch and no PPO iteration keep it to seconds.
  const SMARD = resolve('test-data/exogenous/de-lu-2023-generation-forecast-hourly.csv');
  let sub: string;
  let prices: string;
  beforeAll(async () => {
    sub = join(dir, 'lear');
    await mkdir(sub, { recursive: true });
    prices = join(sub, 'de-lu-124d.csv');
    const lines = (await readFile('test-data/real/de-lu-2023-hourly.csv', 'utf8')).split('\n');
    await writeFile(prices, lines.slice(0, 1 + 124 * 24).join('\n') + '\n');
  });
  const learSpec = (exogenous: string) => ({
    name: 'lear',
    files: ['de-lu-124d.csv'],
    seeds: [3],
    information: ['day-ahead'],
    forecast: ['lear'],
    exogenous: { 'de-lu-124d.csv': exogenous },
    ppo: { totalTimesteps: [256] },
    clone: { epochs: [1] },
  });
  const cli = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      stdout: async (t: string) => void out.push(t),
      stderr: (t: string) => void err.push(t),
      nowMs: () => 0,
    };
    const code = await runCli(argv, io);
    return { code, out: out.join(''), err: err.join('') };
  };

  it('trains and compares exactly as bess train and bess compare with --exogenous FILE, and records the file', async () => {
    // The path is relative to the spec's folder, as files are.
    const exogenous = relative(sub, SMARD);
    const spec = join(sub, 'lear.json');
    await writeFile(spec, JSON.stringify(learSpec(exogenous)));
    const mlruns = join(sub, 'mlruns');
    const task = await cli(['sweep-task', spec, '--index', '0', '--mlruns', mlruns, '--json']);
    expect(task.err).not.toMatch(/bess:/);
    expect(task.code).toBe(0);
    expect(JSON.parse(task.out)).toMatchObject({ status: 'finished' });
    const { store } = await readStoreDir(mlruns);
    const run = store.runs.find((r) => r.tags['powerbidder.sweep.name'] === 'lear')!;
    expect(run.status).toBe('FINISHED');
    expect(run.params['sweep.forecast']).toBe('lear');
    expect(run.params['task.exogenous']).toBe(exogenous);
    expect(run.params['task.file']).toBe('de-lu-124d.csv');
    const model = JSON.parse(
      new TextDecoder().decode(run.artifacts.find((a) => a.path === 'model/model.json')!.bytes),
    ) as { config: { information?: { mode: string; forecast: string } } };
    expect(model.config.information).toEqual({ mode: 'day-ahead', forecast: 'lear' });
    const lastOf = (k: string) => run.metrics[k].at(-1)!.value;

    // The same training by bess train (same budget, seed and backend): the same kept policy on the same test split.
    const train = await cli([
      'train',
      '--train',
      prices,
      '--information',
      'day-ahead',
      '--forecast',
      'lear',
      '--exogenous',
      SMARD,
      '--clone-epochs',
      '1',
      '--total-timesteps',
      '256',
      '--seed',
      '3',
      '--backend',
      'wasm',
      '--out',
      join(sub, 'model'),
      '--quiet',
      '--json',
    ]);
    expect(train.code).toBe(0);
    const trained = JSON.parse(train.out) as { shareOfOracle: number; profitEur: number; forecast: string };
    expect(trained.forecast).toBe('lear');
    expect(lastOf('eval/profit_eur')).toBe(trained.profitEur);
    expect(lastOf('eval/share_of_oracle')).toBe(trained.shareOfOracle);

    // The baselines are bess compare --information day-ahead --forecast lear --exogenous's.
    const compare = await cli([
      'compare',
      prices,
      '--information',
      'day-ahead',
      '--forecast',
      'lear',
      '--exogenous',
      SMARD,
      '--json',
    ]);
    expect(compare.code).toBe(0);
    const strategies = (JSON.parse(compare.out) as { strategies: { name: string; profitEur: number }[] }).strategies;
    const slug = (name: string) =>
      name
        .split(' (')[0]
        .replace(/[^\w]+/g, '_')
        .replace(/^_|_$/g, '');
    expect(strategies.map((s) => slug(s.name))).toContain('plan_on_forecast');
    for (const s of strategies) expect(lastOf(`compare/${slug(s.name)}/profit_eur`)).toBe(s.profitEur);
  }, 300_000);

  it('a missing exogenous file is named by its field, before bess sweep starts any task and in bess sweep-task', async () => {
    const spec = join(sub, 'missing-exo.json');
    await writeFile(spec, JSON.stringify({ ...learSpec('no-such-smard.csv'), name: 'missing-exo' }));
    const mlruns = join(sub, 'missing-exo-mlruns');
    const message = `${spec}: exogenous."de-lu-124d.csv": no such file: ${join(sub, 'no-such-smard.csv')}`;
    const sweep = await cli(['sweep', spec, '--engine', 'local', '--mlruns', mlruns]);
    expect(sweep.code).toBe(2);
    expect(sweep.err).toContain(message);
    expect(sweep.err).not.toContain('[task 0]');
    const task = await cli(['sweep-task', spec, '--index', '0', '--mlruns', mlruns]);
    expect(task.code).toBe(2);
    expect(task.err).toContain(message);
    const { store } = await readStoreDir(mlruns);
    expect(store.runs.map((r) => r.status)).toEqual(['FAILED']);
    // So is a missing price file.
    const noPrices = join(sub, 'missing-prices.json');
    await writeFile(noPrices, JSON.stringify({ name: 'missing-prices', files: ['a.csv', 'no-such.csv'], seeds: [1] }));
    await writeFile(join(sub, 'a.csv'), 'timestamp,price_eur_mwh\n');
    const none = await cli(['sweep', noPrices, '--engine', 'slurm', '--mlruns', mlruns]);
    expect(none.code).toBe(2);
    expect(none.err).toContain(`${noPrices}: files[1]: no such file: ${join(sub, 'no-such.csv')}`);
    // The README's lear example names files that are there, relative to its folder.
    await expect(checkSpecFiles(await loadSweepSpec('test-data/sweep/de-lu-lear.json'))).resolves.toBeUndefined();
  }, 60_000);
});

describe('a terminated bess sweep-task (scancel, a deleted pod)', () => {
  it('marks its run KILLED; the retry reports it and leaves one FINISHED run', async () => {
    const mlruns = join(dir, 'terminated');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bess.ts', 'sweep-task', SPEC, '--index', '2', '--mlruns', mlruns],
      { stdio: 'ignore' },
    );
    const task = sweepTask(loaded.spec, 2);
    const exp = await ensureExperiment(mlruns, experimentName(loaded.spec), 1);
    const runDir = join(mlruns, exp.experimentId, task.runId);
    while ((await runStatus(runDir)) !== 'RUNNING') {
      if (child.exitCode !== null) throw new Error('bess sweep-task ended before it claimed the task');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.on('close', (c) => r(c)));
    expect(code).toBe(143);
    expect(await runStatus(runDir)).toBe('KILLED');
    const out: string[] = [];
    const io = { stdout: async (t: string) => void out.push(t), stderr: () => {}, nowMs: () => 0 };
    expect(await runCli(['sweep-task', SPEC, '--index', '2', '--mlruns', mlruns, '--json'], io)).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ status: 'finished', retried: 'KILLED' });
    const { store } = await readStoreDir(mlruns);
    expect(store.runs.filter((r) => r.experimentId === exp.experimentId).map((r) => [r.runId, r.status])).toEqual([
      [task.runId, 'FINISHED'],
    ]);
  }, 300_000);
});

describe('engines', () => {
  it('local: tasks that fail are reported by index, their runs FAILED, the sweep exits 2', async () => {
    // A file that exists (bess sweep checks that first) but that no task can read.
    await writeFile(join(dir, 'not-prices.csv'), 'timestamp,price_eur_mwh\n2023-01-01T00:00:00Z,cheap\n');
    const spec = join(dir, 'missing.json');
    await writeFile(spec, JSON.stringify({ name: 'missing', files: ['not-prices.csv'], seeds: [1, 2] }));
    const mlruns = join(dir, 'missing-mlruns');
    const err: string[] = [];
    const io = { stdout: async () => {}, stderr: (t: string) => void err.push(t), nowMs: () => 0 };
    expect(await runCli(['sweep', spec, '--engine', 'local', '--jobs', '2', '--mlruns', mlruns], io)).toBe(2);
    expect(err.join('')).toContain(
      'bess: 2 of 2 tasks did not finish: indices 0,1 (rerun the same command: finished tasks are not redone)',
    );
    expect(err.join('')).toMatch(/\[task 1\] bess: not-prices.csv: too few rows/);
    const { store } = await readStoreDir(mlruns);
    expect(store.runs.map((r) => r.status)).toEqual(['FAILED', 'FAILED']);
  }, 120_000);

  const emit = {
    image: 'registry.example/powerbidder-bess:1',
    mount: '/sweep',
    jobs: 50,
    retries: 3,
    backend: 'wasm',
    volume: 'sweep-pvc',
  };

  it('the sbatch script runs one array element per task with the store and spec given', () => {
    const s = slurmScript({
      name: 'tiny',
      tasks: 4,
      maxParallel: 2,
      logDir: '/l',
      cwd: '/w',
      specPath: '/s/tiny.json',
      mlruns: '/m',
      backend: 'wasm',
      node: '/usr/bin/node',
      bin: '/b/bess.mjs',
      extra: ['--partition=cpu'],
    });
    expect(s).toContain('#SBATCH --array=0-3%2');
    expect(s).toContain('#SBATCH --output=/l/task-%a.out');
    expect(s).toContain('#SBATCH --partition=cpu');
    expect(s.trim().split('\n').at(-1)).toBe(
      "exec '/usr/bin/node' '/b/bess.mjs' 'sweep-task' '/s/tiny.json' '--mlruns' '/m' '--backend' 'wasm' '--json'",
    );
  });

  it('the Kubernetes manifest is a valid batch/v1 Indexed Job with one completion per task', async () => {
    const job = kubernetesJob(loaded, emit);
    expect(validateJsonSchema(K8S_JOB_SCHEMA, job)).toEqual([]);
    expect(job).toMatchObject({
      apiVersion: 'batch/v1',
      kind: 'Job',
      spec: { completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimitPerIndex: 3 },
    });
    // The schema catches what kubectl --validate=strict would.
    const broken = JSON.parse(JSON.stringify(job));
    broken.spec.completionMode = 'indexed';
    broken.spec.template.spec.restartPolicy = 'Always';
    broken.spec.template.spec.containers[0].imagePullPolcy = 'Always';
    delete broken.spec.template.spec.containers[0].name;
    expect(validateJsonSchema(K8S_JOB_SCHEMA, broken)).toEqual([
      'spec.backoffLimitPerIndex: needs the pod restartPolicy Never',
      'spec.backoffLimitPerIndex: only for completionMode Indexed',
      'spec.completionMode: must be one of NonIndexed, Indexed, got "indexed"',
      'spec.template.spec.containers[0].imagePullPolcy: unknown field',
      'spec.template.spec.containers[0].name: is required',
      'spec.template.spec.restartPolicy: must be one of OnFailure, Never, got "Always"',
    ]);
    // The emitted YAML reads back as the same object.
    const out = join(dir, 'k8s');
    expect(
      await runCli(
        [
          'sweep',
          SPEC,
          '--engine',
          'k8s',
          '--emit',
          out,
          '--volume',
          'sweep-pvc',
          '--image',
          emit.image,
          '--jobs',
          '50',
        ],
        { stdout: async () => {}, stderr: () => {}, nowMs: () => 0 },
      ),
    ).toBe(0);
    expect(parse(await readFile(join(out, 'job.yaml'), 'utf8'))).toEqual(job);
  });

  it('Cloud Run and AWS Batch manifests carry the task count and the same task command', () => {
    const cr = cloudRunJob(loaded, emit) as {
      spec: { template: { spec: { taskCount: number; template: { spec: { containers: { args: string[] }[] } } } } };
    };
    expect(cr.spec.template.spec.taskCount).toBe(4);
    expect(cr.spec.template.spec.template.spec.containers[0].args).toEqual([
      'sweep-task',
      '/sweep/tiny.json',
      '--mlruns',
      '/sweep/mlruns',
      '--backend',
      'wasm',
      '--json',
    ]);
    const aws = awsBatch(loaded, emit);
    expect(aws.submitJob).toMatchObject({ arrayProperties: { size: 4 } });
    expect((aws.jobDefinition.containerProperties as { command: string[] }).command).toEqual(
      cr.spec.template.spec.template.spec.containers[0].args,
    );
  });
});

describe('a site sweep task', () => {
  it('trains, backtests and compares on the task’s site (the file’s PV with the site axis’ fields)', async () => {
    const spec = join(dir, 'site.json');
    await writeFile(
      spec,
      JSON.stringify({
        name: 'site',
        files: [join(process.cwd(), 'test-data/site/de-lu-2023-06-pv100-21d.csv')],
        seeds: [1],
        site: { exportLimitKW: [40] },
        ppo: { totalTimesteps: [256] },
        clone: { epochs: [1] },
      }),
    );
    const mlruns = join(dir, 'site-mlruns');
    const io = { stdout: async () => {}, stderr: () => {}, nowMs: () => 0 };
    expect(await runCli(['sweep-task', spec, '--index', '0', '--mlruns', mlruns, '--json'], io)).toBe(0);
    const { store } = await readStoreDir(mlruns);
    const run = store.runs.find((r) => r.tags['powerbidder.sweep.name'] === 'site')!;
    expect(run.status).toBe('FINISHED');
    expect(run.params['task.site.exportLimitKW']).toBe('40');
    const model = JSON.parse(
      new TextDecoder().decode(run.artifacts.find((a) => a.path === 'model/model.json')!.bytes),
    ) as { config: { site?: { exportLimitKW: number | null } } };
    expect(model.config.site?.exportLimitKW).toBe(40);
    // The baselines ran on the same site and test split: their oracle is the agent's (the site optimum).
    const lastOf = (k: string) => run.metrics[k].at(-1)!.value;
    expect(lastOf('compare/oracle/profit_eur')).toBeCloseTo(lastOf('eval/oracle_profit_eur'), 9);
    expect(lastOf('compare/hold/profit_eur')).toBeGreaterThan(0); // the PV alone earns on the site
    expect(lastOf('eval/profit_eur')).toBeLessThanOrEqual(lastOf('eval/oracle_profit_eur') + 1e-9);
  }, 300_000);

  it('a site field the file cannot take is an error naming the task', async () => {
    const spec = join(dir, 'site-bad.json');
    await writeFile(
      spec,
      JSON.stringify({
        name: 'site-bad',
        files: [join(process.cwd(), 'test-data/cli/be-2023-10days.csv')],
        seeds: [1],
        site: { pvScale: [2] },
      }),
    );
    let err = '';
    const io = { stdout: async () => {}, stderr: (t: string) => void (err += t), nowMs: () => 0 };
    expect(await runCli(['sweep-task', spec, '--index', '0', '--mlruns', join(dir, 'bad-mlruns')], io)).toBe(2);
    expect(err).toMatch(/task 0 \(site \{"pvScale":2\}\): --pv-scale: be-2023-10days.csv has no pv_kw column/);
  });
});
