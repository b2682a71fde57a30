// Where the tasks of a sweep run. Every engine runs the same thing: `bess sweep-task SPEC --mlruns DIR` with the
// task index from the engine (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, CLOUD_RUN_TASK_INDEX,
// AWS_BATCH_JOB_ARRAY_INDEX) or --index; the store is the one place results meet, and the one truth about which
// tasks finished (a task is done when its run is FINISHED, whatever the engine says).
// - local: a pool of child processes on this machine;
// - slurm: an `sbatch --array=0-(N-1)` script, submitted, waited for (squeue), then checked in the store;
// - k8s, cloud-run, aws-batch: manifests written to --emit DIR, for the user to apply (README "Sweeps").

import { spawn, execFile } from 'node:child_process';
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { CliError } from '../args.ts';
import { taskCount, sweepTasks, type SweepSpec } from '../../core/sweep/index.ts';
import { ensureExperiment } from '../../io/mlflow-dir.ts';
import { runStatus } from './claim.ts';
import { experimentName, type LoadedSpec } from './run-task.ts';

const exec = promisify(execFile);

/** bin/bess.mjs of this checkout: what children and batch scripts run. */
export const BESS_BIN = fileURLToPath(new URL('../../../bin/bess.mjs', import.meta.url));

/** Each task's run status in the store (null: no run yet), in index order. */
export async function taskStatuses(spec: SweepSpec, mlruns: string): Promise<(string | null)[]> {
  const exp = await ensureExperiment(mlruns, experimentName(spec), Date.now());
  const out: (string | null)[] = [];
  for (const t of sweepTasks(spec)) out.push(await runStatus(join(mlruns, exp.experimentId, t.runId)));
  return out;
}

export interface EngineResult {
  engine: string;
  tasks: number;
  finished: number;
  failedIndices: number[];
  /** Slurm: the job id. */
  jobId?: string;
  /** Where scripts or manifests were written. */
  files?: string[];
}

async function summarise(
  engine: string,
  spec: SweepSpec,
  mlruns: string,
  extra: Partial<EngineResult> = {},
): Promise<EngineResult> {
  const statuses = await taskStatuses(spec, mlruns);
  const failedIndices = statuses.flatMap((s, i) => (s === 'FINISHED' ? [] : [i]));
  return { engine, tasks: statuses.length, finished: statuses.length - failedIndices.length, failedIndices, ...extra };
}

/** The task command line (after `bess`). */
function taskArgs(specPath: string, mlruns: string, backend: string): string[] {
  return ['sweep-task', specPath, '--mlruns', mlruns, '--backend', backend, '--json'];
}

/** local: `jobs` child processes at a time, each `bess sweep-task SPEC --index I`; their stderr prefixed with the index. */
export async function runLocal(
  loaded: LoadedSpec,
  o: { mlruns: string; jobs: number; backend: string; log: (l: string) => void },
): Promise<EngineResult> {
  const n = taskCount(loaded.spec);
  const specPath = resolve(loaded.path);
  const mlruns = resolve(o.mlruns);
  let next = 0;
  const children = new Set<ReturnType<typeof spawn>>();
  const stop = () => {
    for (const c of children) c.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await new Promise<void>((done) => {
        const child = spawn(
          process.execPath,
          [BESS_BIN, ...taskArgs(specPath, mlruns, o.backend), '--index', String(i)],
          { stdio: ['ignore', 'ignore', 'pipe'] },
        );
        children.add(child);
        let buf = '';
        child.stderr!.setEncoding('utf8').on('data', (d: string) => {
          buf += d;
          const lines = buf.split('\n');
          buf = lines.pop()!;
          for (const l of lines) if (l) o.log(`[task ${i}] ${l}`);
        });
        child.on('close', (codeOrNull) => {
          children.delete(child);
          if (buf) o.log(`[task ${i}] ${buf}`);
          o.log(`[task ${i}] ${codeOrNull === 0 ? 'done' : `exited ${codeOrNull}`}`);
          done();
        });
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(o.jobs, n)) }, worker));
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
  return summarise('local', loaded.spec, mlruns);
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The sbatch script of a sweep: one array element per task, each running bess sweep-task on its index. */
export function slurmScript(o: {
  name: string;
  tasks: number;
  maxParallel: number;
  logDir: string;
  cwd: string;
  specPath: string;
  mlruns: string;
  backend: string;
  node: string;
  bin: string;
  extra: string[];
}): string {
  const throttle = o.maxParallel > 0 ? `%${o.maxParallel}` : '';
  return [
    '#!/bin/bash',
    `#SBATCH --job-name=bess-${o.name}`,
    `#SBATCH --array=0-${o.tasks - 1}${throttle}`,
    `#SBATCH --output=${o.logDir}/task-%a.out`,
    '#SBATCH --cpus-per-task=1',
    '#SBATCH --requeue',
    ...o.extra.map((a) => `#SBATCH ${a}`),
    '# Written by `bess sweep --engine slurm`. Each array element runs one task; its index is SLURM_ARRAY_TASK_ID.',
    '# A task already FINISHED in the store exits at once, so resubmitting this script only runs what is missing.',
    'set -euo pipefail',
    `cd ${shellQuote(o.cwd)}`,
    `exec ${shellQuote(o.node)} ${shellQuote(o.bin)} ${taskArgs(o.specPath, o.mlruns, o.backend).map(shellQuote).join(' ')}`,
    '',
  ].join('\n');
}

/** slurm: writes the script, submits it with sbatch, waits until squeue no longer lists the job, checks the store. */
export async function runSlurm(
  loaded: LoadedSpec,
  o: {
    mlruns: string;
    jobs: number;
    backend: string;
    work: string;
    pollS: number;
    sbatchArgs: string[];
    log: (l: string) => void;
    sleep: (ms: number) => Promise<void>;
  },
): Promise<EngineResult> {
  const n = taskCount(loaded.spec);
  const work = resolve(o.work);
  const logDir = join(work, 'logs');
  await mkdir(logDir, { recursive: true });
  const mlruns = resolve(o.mlruns);
  await ensureExperiment(mlruns, experimentName(loaded.spec), Date.now());
  const scriptPath = join(work, 'sweep.sbatch');
  await writeFile(
    scriptPath,
    slurmScript({
      name: loaded.spec.name,
      tasks: n,
      maxParallel: o.jobs,
      logDir,
      cwd: process.cwd(),
      specPath: resolve(loaded.path),
      mlruns,
      backend: o.backend,
      node: process.execPath,
      bin: BESS_BIN,
      extra: o.sbatchArgs,
    }),
  );
  await chmod(scriptPath, 0o755);
  let jobId: string;
  try {
    const { stdout } = await exec('sbatch', ['--parsable', scriptPath], { encoding: 'utf8' });
    jobId = stdout.trim().split(';')[0];
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new CliError('--engine slurm needs sbatch on PATH (Slurm is not installed here)');
    throw new CliError(`sbatch ${scriptPath} failed: ${(err.stderr ?? err.message).trim()}`);
  }
  o.log(`submitted Slurm job ${jobId}: ${n} tasks (script ${scriptPath}, logs ${logDir})`);
  const cancel = () => void exec('scancel', [jobId]).catch(() => {});
  process.once('SIGINT', cancel);
  try {
    for (;;) {
      let listed: string;
      try {
        listed = (await exec('squeue', ['-h', '-j', jobId, '-o', '%i %T'], { encoding: 'utf8' })).stdout.trim();
      } catch (e) {
        const text = String((e as { stderr?: string }).stderr ?? '');
        if (/Invalid job id/i.test(text)) break; // purged: long finished
        throw new CliError(`squeue -j ${jobId} failed: ${text.trim() || (e as Error).message}`);
      }
      if (!listed) break;
      await o.sleep(o.pollS * 1000);
    }
  } finally {
    process.removeListener('SIGINT', cancel);
  }
  const result = await summarise('slurm', loaded.spec, mlruns, { jobId, files: [scriptPath] });
  for (const i of result.failedIndices) {
    const tail = await readFile(join(logDir, `task-${i}.out`), 'utf8').then(
      (t) => t.trim().split('\n').slice(-1)[0],
      () => '(no log)',
    );
    o.log(`task ${i} did not finish: ${tail}`);
  }
  return result;
}

export interface EmitOptions {
  /** Container image with this CLI (deploy/bess.Dockerfile). */
  image: string;
  /** Where spec, data and mlruns are inside the container (a shared volume). */
  mount: string;
  jobs: number;
  retries: number;
  backend: string;
  /** k8s: a ReadWriteMany PersistentVolumeClaim; cloud-run: an NFS share SERVER:/PATH (Filestore); aws-batch: EFS file system id. */
  volume: string;
  /** The spec's path inside the container (default `<mount>/<spec file name>`); its data paths resolve against its folder. */
  containerSpec?: string;
}

/** The container's command for every engine: the CLI with the spec and store on the shared volume. */
function containerArgs(loaded: LoadedSpec, o: EmitOptions): string[] {
  return taskArgs(o.containerSpec ?? `${o.mount}/${basename(loaded.path)}`, `${o.mount}/mlruns`, o.backend);
}

/** Kubernetes: an Indexed Job (completionMode: Indexed), one completion per task, JOB_COMPLETION_INDEX per pod. */
export function kubernetesJob(loaded: LoadedSpec, o: EmitOptions): Record<string, unknown> {
  const n = taskCount(loaded.spec);
  const name = `bess-sweep-${loaded.spec.name}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63)
    .replace(/-+$/, '');
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels: { app: 'powerbidder', 'powerbidder/sweep': name.slice(0, 63) } },
    spec: {
      completionMode: 'Indexed',
      completions: n,
      parallelism: Math.max(1, Math.min(o.jobs, n)),
      backoffLimitPerIndex: o.retries,
      maxFailedIndexes: n,
      // A failed pod's replacement starts once it has fully terminated: one attempt per index at a time.
      podReplacementPolicy: 'Failed',
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels: { app: 'powerbidder' } },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'bess',
              image: o.image,
              args: containerArgs(loaded, o),
              // The retry counter of this index: a retry takes over the RUNNING run its dead predecessor left.
              env: [
                {
                  name: 'JOB_INDEX_FAILURE_COUNT',
                  valueFrom: {
                    fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-index-failure-count']" },
                  },
                },
              ],
              resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '4Gi' } },
              volumeMounts: [{ name: 'sweep', mountPath: o.mount }],
            },
          ],
          volumes: [{ name: 'sweep', persistentVolumeClaim: { claimName: o.volume } }],
        },
      },
    },
  };
}

/** Cloud Run jobs (`gcloud run jobs replace`): taskCount tasks, CLOUD_RUN_TASK_INDEX per task, an NFS volume. */
export function cloudRunJob(loaded: LoadedSpec, o: EmitOptions): Record<string, unknown> {
  const n = taskCount(loaded.spec);
  const [nfsServer, nfsPath] = o.volume.includes(':')
    ? [o.volume.slice(0, o.volume.indexOf(':')), o.volume.slice(o.volume.indexOf(':') + 1)]
    : [o.volume, '/'];
  const name = `bess-sweep-${loaded.spec.name}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 49)
    .replace(/-+$/, '');
  return {
    apiVersion: 'run.googleapis.com/v1',
    kind: 'Job',
    metadata: { name, annotations: { 'run.googleapis.com/launch-stage': 'GA' } },
    spec: {
      template: {
        // NFS volumes need the second-generation execution environment (the default of jobs; stated to be sure).
        metadata: { annotations: { 'run.googleapis.com/execution-environment': 'gen2' } },
        spec: {
          taskCount: n,
          parallelism: Math.max(1, Math.min(o.jobs, n)),
          template: {
            spec: {
              maxRetries: o.retries,
              timeoutSeconds: 86400,
              containers: [
                {
                  image: o.image,
                  args: containerArgs(loaded, o),
                  resources: { limits: { cpu: '1', memory: '4Gi' } },
                  volumeMounts: [{ name: 'sweep', mountPath: o.mount }],
                },
              ],
              // NFS (Filestore): claims rely on rename(2) being atomic, which a Cloud Storage FUSE mount is not.
              volumes: [{ name: 'sweep', nfs: { server: nfsServer, path: nfsPath || '/' } }],
            },
          },
        },
      },
    },
  };
}

/** AWS Batch: a job definition (EFS volume) and a submit-job request with arrayProperties.size = tasks. */
export function awsBatch(
  loaded: LoadedSpec,
  o: EmitOptions,
): { jobDefinition: Record<string, unknown>; submitJob: Record<string, unknown> } {
  const n = taskCount(loaded.spec);
  const name = `bess-sweep-${loaded.spec.name}`.replace(/[^\w-]/g, '-').slice(0, 128);
  // An array job has 2–10,000 children; a one-task sweep is a plain job given --index 0.
  const args = [...containerArgs(loaded, o), ...(n === 1 ? ['--index', '0'] : [])];
  const jobDefinition = {
    jobDefinitionName: name,
    type: 'container',
    platformCapabilities: ['FARGATE'],
    retryStrategy: { attempts: Math.min(10, o.retries + 1) },
    containerProperties: {
      image: o.image,
      command: args,
      resourceRequirements: [
        { type: 'VCPU', value: '1' },
        { type: 'MEMORY', value: '4096' },
      ],
      volumes: [{ name: 'sweep', efsVolumeConfiguration: { fileSystemId: o.volume, transitEncryption: 'ENABLED' } }],
      mountPoints: [{ sourceVolume: 'sweep', containerPath: o.mount }],
      networkConfiguration: { assignPublicIp: 'ENABLED' },
      executionRoleArn: 'arn:aws:iam::ACCOUNT_ID:role/ecsTaskExecutionRole',
    },
  };
  const submitJob = {
    jobName: name,
    jobQueue: 'JOB_QUEUE',
    jobDefinition: name,
    ...(n > 1 ? { arrayProperties: { size: n } } : {}),
  };
  return { jobDefinition, submitJob };
}

/** Writes the manifests of an engine into dir; returns their paths. */
export async function emitManifests(
  engine: 'k8s' | 'cloud-run' | 'aws-batch',
  loaded: LoadedSpec,
  dir: string,
  o: EmitOptions,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] =
    engine === 'k8s'
      ? [['job.yaml', stringify(kubernetesJob(loaded, o), { lineWidth: 0 })]]
      : engine === 'cloud-run'
        ? [['job.yaml', stringify(cloudRunJob(loaded, o), { lineWidth: 0 })]]
        : (() => {
            const { jobDefinition, submitJob } = awsBatch(loaded, o);
            return [
              ['job-definition.json', JSON.stringify(jobDefinition, null, 2) + '\n'],
              ['submit-job.json', JSON.stringify(submitJob, null, 2) + '\n'],
            ] as [string, string][];
          })();
  const out: string[] = [];
  for (const [name, text] of files) {
    const p = join(dir, name);
    await writeFile(p, text);
    out.push(p);
  }
  return out;
}
