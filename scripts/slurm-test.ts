// A real Slurm in the tests (npm run test:slurm, part of npm test): a one-node cluster on this machine, a small
// sweep through `bess sweep --engine slurm`, the same sweep through `--engine local`, and the two MLflow stores
// compared. Needs root (munged, slurmctld and slurmd run as root here); installs slurm-wlm and munge with apt-get
// when they are missing (CI is a fresh machine). Everything lives in a temporary folder: the munge key and socket,
// slurm.conf (this host the only node, ProctrackType=proctrack/linuxproc, TaskPlugin=task/none), state and spool
// folders, logs, both stores. The daemons it started are stopped at the end, whatever happened.
//
// Training is deterministic by budget (trainer: ppo.totalTimesteps, clone.epochs; backend wasm), so the stores must
// agree exactly: the same runs (ids fixed by the tasks), params, tags but the owner/heartbeat/user ones, and every
// metric value at every step except the clock's (charts/SPS); timestamps differ.
//
// Usage: npx tsx scripts/slurm-test.ts [--keep]   (--keep leaves the temporary folder for a look)

import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readStoreDir } from '../src/io/mlflow-dir.ts';
import type { MlflowRun } from '../src/core/mlflow/layout.ts';
import { CLOCK_METRICS } from '../src/core/rl/types.ts';

const SPEC = 'test-data/sweep/tiny.json';
const BESS = ['node_modules/tsx/dist/cli.mjs', 'src/cli/bess.ts'];
const keep = process.argv.includes('--keep');

function say(line: string): void {
  process.stdout.write(`slurm-test: ${line}\n`);
}

if (process.platform !== 'linux' || process.getuid?.() !== 0) {
  say(
    `SKIPPED: needs root on Linux (munged, slurmctld and slurmd run as root for the one-node cluster); running as uid ${process.getuid?.() ?? '?'} on ${process.platform}. Run it as root: sudo npx tsx scripts/slurm-test.ts`,
  );
  process.exit(0);
}

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
if (!['sbatch', 'slurmctld', 'slurmd', 'munged'].every(has)) {
  say('installing slurm-wlm and munge (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'slurm-wlm', 'munge'], { stdio: 'inherit', env })
      .status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    if (!install()) throw new Error('apt-get install slurm-wlm munge failed');
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'bess-slurm-'));
const daemons: ChildProcess[] = [];
let mungePid: number | null = null;

function stopAll(): void {
  for (const d of daemons.reverse()) if (d.exitCode === null) d.kill('SIGTERM');
  if (mungePid) {
    try {
      process.kill(mungePid, 'SIGTERM');
    } catch {
      /* gone already */
    }
  }
}
/** Stops the daemons and waits until they have exited (slurmctld saves its state on the way out), then cleans up. */
async function shutdown(): Promise<void> {
  const exited = daemons.map((d) =>
    d.exitCode !== null || d.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => d.once('exit', () => r())),
  );
  stopAll();
  await Promise.all(exited);
  for (let i = 0; mungePid && i < 100; i++) {
    try {
      process.kill(mungePid, 0);
    } catch {
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  mungePid = null;
  if (!keep) rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
}
// Last resort on an unexpected exit: signal what is still running; the folder may then stay behind.
process.on('exit', stopAll);
for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => void shutdown().finally(() => process.exit(130)));

async function waitFor(what: string, ok: () => boolean, tries = 300): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; logs in ${tmp}`);
}

async function startCluster(): Promise<NodeJS.ProcessEnv> {
  // munge: our own key, socket and pid file (never the system's munged).
  const key = join(tmp, 'munge.key');
  writeFileSync(key, randomBytes(1024));
  chmodSync(key, 0o400);
  const socket = join(tmp, 'munge.socket');
  execFileSync(
    'munged',
    [
      `--key-file=${key}`,
      `--socket=${socket}`,
      `--pid-file=${join(tmp, 'munged.pid')}`,
      `--log-file=${join(tmp, 'munged.log')}`,
      `--seed-file=${join(tmp, 'munged.seed')}`,
      '--force',
    ],
    { stdio: 'inherit' },
  );
  await waitFor('munged', () => existsSync(join(tmp, 'munged.pid')));
  mungePid = Number(readFileSync(join(tmp, 'munged.pid'), 'utf8'));

  const host = hostname().split('.')[0];
  const node = execFileSync('slurmd', ['-C'], { encoding: 'utf8' })
    .split('\n')[0]
    .replace(/^NodeName=\S+/, `NodeName=${host} NodeAddr=127.0.0.1`)
    .replace(/RealMemory=(\d+)/, (_, m) => `RealMemory=${Math.max(1, Math.floor(Number(m) * 0.9))}`);
  const port = 20000 + (process.pid % 20000);
  for (const d of ['state', 'spool']) mkdirSync(join(tmp, d));
  const conf = join(tmp, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=bess-test',
      `SlurmctldHost=${host}(127.0.0.1)`,
      `SlurmctldPort=${port}`,
      `SlurmdPort=${port + 1}`,
      'SlurmUser=root',
      'SlurmdUser=root',
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${socket}`,
      `StateSaveLocation=${join(tmp, 'state')}`,
      `SlurmdSpoolDir=${join(tmp, 'spool')}`,
      `SlurmctldPidFile=${join(tmp, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(tmp, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(tmp, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(tmp, 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SchedulerType=sched/builtin',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'ReturnToService=2',
      'MpiDefault=none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'SlurmctldTimeout=30',
      'SlurmdTimeout=30',
      'MinJobAge=600',
      `${node} State=UNKNOWN`,
      `PartitionName=test Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const daemon = (cmd: string, args: string[]) => {
    const d = spawn(cmd, args, { env, stdio: 'ignore' }); // they log to files in tmp (shown on failure)
    daemons.push(d);
    return d;
  };
  daemon('slurmctld', ['-D', '-i', '-f', conf]);
  await waitFor('slurmctld', () =>
    spawnSync('scontrol', ['ping'], { env, encoding: 'utf8' }).stdout?.includes('is UP'),
  );
  daemon('slurmd', ['-D', '-f', conf]);
  await waitFor('the node to be idle', () =>
    /idle/.test(spawnSync('sinfo', ['-h', '-o', '%T'], { env, encoding: 'utf8' }).stdout ?? ''),
  );
  say(`one-node cluster up: ${node.split(' ').slice(0, 3).join(' ')} (slurm.conf ${conf})`);
  return env;
}

function bess(args: string[], env: NodeJS.ProcessEnv): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...BESS, ...args], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const VOLATILE_TAGS = new Set(['powerbidder.sweep.owner', 'powerbidder.sweep.heartbeat', 'mlflow.user']);

/** What must agree between two stores' runs: the run, params, tags, metric values by step (not the clock's). */
function comparable(r: MlflowRun) {
  return {
    runId: r.runId,
    status: r.status,
    params: r.params,
    tags: Object.fromEntries(Object.entries(r.tags).filter(([k]) => !VOLATILE_TAGS.has(k))),
    metrics: Object.fromEntries(
      Object.entries(r.metrics)
        .filter(([k]) => !CLOCK_METRICS.includes(k))
        .map(([k, pts]) => [k, pts.map((p) => [p.step, p.value])]),
    ),
    artifacts: r.artifacts.map((a) => a.path).sort(),
  };
}

async function sweepRuns(mlruns: string) {
  const { store } = await readStoreDir(mlruns);
  return store.runs.filter((r) => r.tags['powerbidder.sweep.name']).sort((a, b) => a.runId.localeCompare(b.runId));
}

function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return `${path}: ${JSON.stringify(a)?.slice(0, 200)} ≠ ${JSON.stringify(b)?.slice(0, 200)}`;
}

async function main(): Promise<void> {
  const env = await startCluster();
  const slurmStore = join(tmp, 'mlruns-slurm');
  const localStore = join(tmp, 'mlruns-local');

  say(`bess sweep ${SPEC} --engine slurm`);
  const s = bess(
    [
      'sweep',
      SPEC,
      '--engine',
      'slurm',
      '--mlruns',
      slurmStore,
      '--work',
      join(tmp, 'work'),
      '--poll',
      '1',
      '--jobs',
      '2',
      '--json',
    ],
    env,
  );
  if (s.code !== 0)
    throw new Error(
      `bess sweep --engine slurm exited ${s.code}: ${s.stderr.trim().split('\n').slice(-5).join(' | ')}; logs in ${join(tmp, 'work', 'logs')}`,
    );
  const slurm = JSON.parse(s.stdout) as { jobId: string; tasks: number; finished: number; failedIndices: number[] };
  say(`slurm job ${slurm.jobId}: ${slurm.finished} of ${slurm.tasks} tasks finished`);
  const logs = readFileSync(join(tmp, 'work', 'logs', 'task-0.out'), 'utf8');
  if (!logs.includes('"status":"finished"'))
    throw new Error(`task 0's Slurm log does not show a finished task: ${logs.slice(-300)}`);

  say(`bess sweep ${SPEC} --engine local`);
  const l = bess(['sweep', SPEC, '--engine', 'local', '--mlruns', localStore, '--jobs', '2', '--json'], env);
  if (l.code !== 0)
    throw new Error(`bess sweep --engine local exited ${l.code}: ${l.stderr.trim().split('\n').slice(-5).join(' | ')}`);

  const a = await sweepRuns(slurmStore);
  const b = await sweepRuns(localStore);
  if (a.length !== slurm.tasks || b.length !== slurm.tasks)
    throw new Error(`expected ${slurm.tasks} runs in each store, got slurm ${a.length}, local ${b.length}`);
  for (let i = 0; i < a.length; i++) {
    const d = firstDifference(comparable(a[i]), comparable(b[i]), `run ${a[i].runId}`);
    if (d) throw new Error(`the Slurm and local stores differ: ${d}`);
  }
  say(`the Slurm and local stores agree: ${a.length} runs, same ids, params, tags and every metric but the clock's`);

  // Resubmitting the finished sweep runs nothing again: every task exits "finished already".
  const again = bess(
    ['sweep', SPEC, '--engine', 'slurm', '--mlruns', slurmStore, '--work', join(tmp, 'work2'), '--poll', '1', '--json'],
    env,
  );
  if (again.code !== 0) throw new Error(`the resubmitted sweep exited ${again.code}: ${again.stderr.trim()}`);
  const after = await sweepRuns(slurmStore);
  const relog = readFileSync(join(tmp, 'work2', 'logs', 'task-0.out'), 'utf8');
  if (after.length !== a.length || !relog.includes('"status":"skipped"'))
    throw new Error('resubmitting the finished sweep redid tasks');
  say('resubmitted: every task was finished already, no run added');

  const report = bess(['sweep-report', '--mlruns', slurmStore], env);
  if (report.code !== 0) throw new Error(`bess sweep-report exited ${report.code}: ${report.stderr}`);
  process.stdout.write(report.stdout);
  say(`PASS (${tmp}${keep ? ', kept' : ''})`);
}

main().then(
  () => shutdown().then(() => process.exit(0)),
  async (e: unknown) => {
    say(`FAIL: ${e instanceof Error ? e.message : String(e)}`);
    for (const f of ['slurmctld.log', 'slurmd.log']) {
      const p = join(tmp, f);
      if (existsSync(p))
        process.stdout.write(`--- ${f} (last lines)\n${readFileSync(p, 'utf8').split('\n').slice(-15).join('\n')}\n`);
    }
    await shutdown().catch(() => {});
    process.exit(1);
  },
);
