// One MLflow run per sweep task, whatever crashes, retries and concurrent attempts happen (Node, node:fs).
//
// The task's run id is fixed (core/sweep: hash of sweep name and task id), so its folder `<exp>/<runId>` can exist
// once. The protocol on that folder:
// - claim: a RUNNING run (meta.yaml, params, tags incl. the owner `host:pid:attempt`) is staged in a hidden folder
//   of the experiment and renamed onto `<exp>/<runId>`. rename(2) onto an existing, non-empty folder fails, so of
//   two attempts at once exactly one claims the task;
// - a FINISHED run is never redone (the attempt reports it and exits 0);
// - a FAILED or KILLED run, or a RUNNING one whose owner is dead (same host: its pid is gone; another host: no
//   heartbeat for `staleAfterS`), is moved aside by renaming it to a unique hidden name (again, only one attempt
//   wins that rename) and removed; then the attempt claims afresh;
// - a RUNNING run whose owner is alive is refused (exit 2: "is running now");
// - finishing writes metrics and artifacts into the claimed folder and replaces meta.yaml last, atomically, with
//   status FINISHED, after checking the owner tag is still this attempt's. A reader sees RUNNING or FINISHED, never
//   a half-written meta.yaml, and never two runs of one task.
// Hidden folders (`.claim-*`, `.stale-*`) are skipped by MLflow and by core/mlflow's reader.

import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { RUN_STATUS, runFiles, type MlflowRun, type RunStatusName } from '../../core/mlflow/layout.ts';
import { writeFileAtomic } from '../../io/mlflow-dir.ts';

export const OWNER_TAG = 'powerbidder.sweep.owner';
export const HEARTBEAT_TAG = 'powerbidder.sweep.heartbeat';

const code = (e: unknown) => (e as NodeJS.ErrnoException)?.code;

/** Status of a run folder's meta.yaml, or null when there is no (readable) run. */
export async function runStatus(runDir: string): Promise<RunStatusName | null> {
  let text: string;
  try {
    text = await readFile(join(runDir, 'meta.yaml'), 'utf8');
  } catch (e) {
    if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') return null;
    throw e;
  }
  const meta = parseDocument(text, { version: '1.1' }).toJS() as { status?: number } | null;
  const hit = Object.entries(RUN_STATUS).find(([, n]) => n === meta?.status);
  return hit ? (hit[0] as RunStatusName) : null;
}

async function readTag(runDir: string, key: string): Promise<string | null> {
  try {
    return await readFile(join(runDir, 'tags', key), 'utf8');
  } catch {
    return null;
  }
}

/** Whether a process of this host is alive (signal 0 probes without signalling). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return code(e) === 'EPERM';
  }
}

export interface ClaimOptions {
  /** The experiment folder (`<mlruns>/<experiment id>`), which exists. */
  expDir: string;
  /** The RUNNING run to claim with: meta, params and tags; no metrics or artifacts yet. */
  running: MlflowRun;
  /** Wall-clock ms (heartbeats). */
  nowMs: () => number;
  /** A RUNNING run of another host with no heartbeat for this long is taken over. */
  staleAfterS: number;
  /**
   * Set when the batch engine says this attempt is a retry of the task's index (attemptOfEngine): engines run one
   * attempt of an index at a time, so a RUNNING run of another host is the dead previous attempt's.
   */
  engineRetry?: string | null;
  log: (line: string) => void;
}

export type ClaimResult =
  | { kind: 'finished'; runDir: string }
  | { kind: 'busy'; runDir: string; owner: string }
  | { kind: 'claimed'; runDir: string; owner: string; retried: RunStatusName | null };

/** This process's owner string: host, pid and a fresh attempt id. */
export function newOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID()}`;
}

/** The engine's retry counter when this attempt is a retry (Slurm requeue, Kubernetes, Cloud Run, AWS Batch). */
export function engineRetryOf(env: NodeJS.ProcessEnv): string | null {
  const counters: [string, number][] = [
    ['SLURM_RESTART_COUNT', 0],
    ['JOB_INDEX_FAILURE_COUNT', 0],
    ['CLOUD_RUN_TASK_ATTEMPT', 0],
    ['AWS_BATCH_JOB_ATTEMPT', 1],
  ];
  for (const [name, first] of counters) {
    const n = Number(env[name]);
    if (env[name] !== undefined && Number.isInteger(n) && n > first) return `${name}=${n}`;
  }
  return null;
}

/** Why a RUNNING run may be taken over, or null if its owner may still be at work. */
async function staleReason(
  runDir: string,
  nowMs: number,
  staleAfterS: number,
  engineRetry: string | null,
): Promise<string | null> {
  const owner = (await readTag(runDir, OWNER_TAG)) ?? '';
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host === hostname() && Number.isInteger(pid) && pid > 0)
    return pidAlive(pid) ? null : `its process ${pid} on this host is gone`;
  if (engineRetry) return `the engine retries this task (${engineRetry}), so ${owner || 'its owner'} is gone`;
  const beat = Number(await readTag(runDir, HEARTBEAT_TAG));
  if (!Number.isFinite(beat) || nowMs - beat > staleAfterS * 1000)
    return `no heartbeat from ${owner || 'its owner'} for over ${staleAfterS} s`;
  return null;
}

/** Moves a run folder aside (atomically: one attempt wins) and removes it; false if another attempt moved it first. */
async function discard(expDir: string, runDir: string): Promise<boolean> {
  const aside = join(expDir, `.stale-${runDir.split(/[\\/]/).pop()}-${randomUUID()}`);
  try {
    await rename(runDir, aside);
  } catch (e) {
    if (code(e) === 'ENOENT') return false;
    throw e;
  }
  await rm(aside, { recursive: true, force: true });
  return true;
}

/** Stages the RUNNING run and renames it into place; false when the folder exists already. */
async function tryClaim(expDir: string, run: MlflowRun): Promise<boolean> {
  const prefix = `${run.experimentId}/${run.runId}/`;
  const staging = join(expDir, `.claim-${run.runId}-${randomUUID()}`);
  try {
    for (const f of runFiles(run)) {
      const p = join(staging, f.path.slice(prefix.length));
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, f.bytes);
    }
    for (const d of ['metrics', 'params', 'artifacts', 'tags']) await mkdir(join(staging, d), { recursive: true });
    await rename(staging, join(expDir, run.runId));
    return true;
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    if (code(e) === 'ENOTEMPTY' || code(e) === 'EEXIST') return false;
    throw e;
  }
}

/** Claims the task's run folder, or says it is finished or busy. */
export async function claimTaskRun(o: ClaimOptions): Promise<ClaimResult> {
  const runDir = join(o.expDir, o.running.runId);
  const owner = o.running.tags[OWNER_TAG];
  let retried: RunStatusName | null = null;
  for (let attempt = 0; attempt < 20; attempt++) {
    if (await tryClaim(o.expDir, o.running)) return { kind: 'claimed', runDir, owner, retried };
    const status = await runStatus(runDir);
    if (status === 'FINISHED') return { kind: 'finished', runDir };
    if (status === 'RUNNING' || status === 'SCHEDULED') {
      const why = await staleReason(runDir, o.nowMs(), o.staleAfterS, o.engineRetry ?? null);
      if (!why) return { kind: 'busy', runDir, owner: (await readTag(runDir, OWNER_TAG)) ?? '?' };
      o.log(`${runDir}: a ${status} run is left behind (${why}); retrying the task`);
    } else if (status === null) {
      // A folder without a readable meta.yaml: claimed a moment ago by another attempt still writing, or debris.
      // Claims are renamed in whole, so it is debris unless it appeared just now; look once more before removing.
      if (attempt === 0) continue;
      o.log(`${runDir}: a run folder without meta.yaml; removing it`);
    } else o.log(`${runDir}: the last attempt ended ${status}; retrying the task`);
    retried = status ?? retried;
    await discard(o.expDir, runDir);
  }
  throw new Error(`${runDir}: could not claim the task's run after 20 attempts (attempts keep colliding)`);
}

/** Writes the heartbeat tag (a RUNNING run shows it is alive). */
export async function heartbeat(runDir: string, nowMs: number): Promise<void> {
  await writeFileAtomic(join(runDir, 'tags', HEARTBEAT_TAG), String(Math.round(nowMs)));
}

/** True while the run folder is still this attempt's (not taken over by a retry that judged it stale). */
export async function stillOwned(runDir: string, owner: string): Promise<boolean> {
  return (await readTag(runDir, OWNER_TAG)) === owner;
}

/**
 * Completes the claimed run with `finished` (same run id; status FINISHED or FAILED): every file but meta.yaml
 * first, each written atomically, then meta.yaml. Throws if another attempt has taken the task over meanwhile.
 */
export async function completeTaskRun(runDir: string, owner: string, finished: MlflowRun): Promise<void> {
  if (!(await stillOwned(runDir, owner)))
    throw new Error(`${runDir}: another attempt took this task over; not writing this one`);
  const prefix = `${finished.experimentId}/${finished.runId}/`;
  const files = runFiles({ ...finished, tags: { ...finished.tags, [OWNER_TAG]: owner } });
  const meta = files.find((f) => f.path === prefix + 'meta.yaml')!;
  for (const f of files) if (f !== meta) await writeFileAtomic(join(runDir, f.path.slice(prefix.length)), f.bytes);
  await writeFileAtomic(join(runDir, 'meta.yaml'), meta.bytes);
}

/** Marks the claimed run FAILED or KILLED (meta.yaml only, atomically), if it is still this attempt's. */
export async function markTaskRun(
  runDir: string,
  owner: string,
  running: MlflowRun,
  status: 'FAILED' | 'KILLED',
  endMs: number,
): Promise<void> {
  if (!(await stillOwned(runDir, owner))) return;
  const prefix = `${running.experimentId}/${running.runId}/`;
  const meta = runFiles({ ...running, status, endTimeMs: endMs }).find((f) => f.path === prefix + 'meta.yaml')!;
  await writeFileAtomic(join(runDir, 'meta.yaml'), meta.bytes);
}
