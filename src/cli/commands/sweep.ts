// `bess sweep SPEC --engine local|slurm [--mlruns DIR] [--jobs N]` runs every task of a sweep and reports the
// indices that did not finish; `--engine k8s|cloud-run|aws-batch --emit DIR` writes the manifests that run them
// there (src/cli/sweep/engines.ts, README "Sweeps").
import { availableParallelism } from 'node:os';
import { defineCommand } from '../command.ts';
import { CliError } from '../args.ts';
import { keyValueTable } from '../format.ts';
import { taskCount } from '../../core/sweep/index.ts';
import { emitManifests, runLocal, runSlurm, type EngineResult } from '../sweep/engines.ts';
import { checkSpecFiles, loadSweepSpec } from '../sweep/run-task.ts';

const ENGINES = ['local', 'slurm', 'k8s', 'cloud-run', 'aws-batch'] as const;
const DEFAULT_VOLUME: Record<string, string> = {
  k8s: 'powerbidder-sweep',
  'cloud-run': 'FILESTORE_IP:/sweep',
  'aws-batch': 'fs-EFS_ID',
};

export const command = defineCommand({
  summary:
    'Run a sweep spec: every task (train + backtest + compare) as one MLflow run, locally, on Slurm, or as manifests for Kubernetes, Cloud Run, AWS Batch.',
  positionals: [{ name: 'SPEC', help: 'sweep spec JSON' }],
  options: {
    engine: { type: 'string', choices: ENGINES, default: 'local', help: 'where the tasks run' },
    mlruns: {
      type: 'string',
      default: 'mlruns',
      arg: 'DIR',
      help: 'MLflow file store the runs go to (shared by all tasks)',
    },
    jobs: {
      type: 'number',
      integer: true,
      arg: 'N',
      help: 'tasks at once (default: half the cores locally; slurm, k8s, cloud-run: no throttle / all)',
    },
    backend: { type: 'string', choices: ['wasm', 'cpu', 'auto'], default: 'wasm', help: 'tfjs backend of every task' },
    work: {
      type: 'string',
      arg: 'DIR',
      help: 'slurm: folder for the sbatch script and logs (default .bess-sweep/<name>)',
    },
    poll: { type: 'number', default: 5, arg: 'S', help: 'slurm: seconds between squeue polls' },
    'sbatch-args': {
      type: 'string',
      arg: 'ARGS',
      help: 'slurm: more #SBATCH lines, separated by spaces (e.g. "--partition=cpu --time=01:00:00")',
    },
    emit: { type: 'string', arg: 'DIR', help: 'k8s, cloud-run, aws-batch: folder to write the manifests to' },
    image: {
      type: 'string',
      default: 'powerbidder-bess:latest',
      arg: 'IMAGE',
      help: 'k8s, cloud-run, aws-batch: image built from deploy/bess.Dockerfile',
    },
    mount: {
      type: 'string',
      default: '/sweep',
      arg: 'PATH',
      help: 'k8s, cloud-run, aws-batch: where the shared volume (spec, data, mlruns) is mounted',
    },
    'container-spec': {
      type: 'string',
      arg: 'PATH',
      help: "k8s, cloud-run, aws-batch: the spec's path in the container (default <mount>/<spec file name>)",
    },
    volume: {
      type: 'string',
      arg: 'NAME',
      help: 'k8s: a ReadWriteMany PVC; cloud-run: an NFS share SERVER:/PATH (Filestore); aws-batch: an EFS file system id',
    },
    retries: {
      type: 'number',
      integer: true,
      default: 3,
      arg: 'N',
      help: 'k8s, cloud-run, aws-batch: retries per task',
    },
  },
  async run({ values, positionals: [specPath] }, io) {
    const loaded = await loadSweepSpec(specPath);
    const n = taskCount(loaded.spec);
    const engine = values.engine;
    if (values.jobs !== undefined && values.jobs < 1) throw new CliError('--jobs must be ≥ 1');
    if (!(values.poll > 0)) throw new CliError('--poll must be > 0');
    const remote = engine === 'k8s' || engine === 'cloud-run' || engine === 'aws-batch';
    if (remote && !values.emit)
      throw new CliError(
        `--engine ${engine} needs --emit DIR (the manifests are written there; README "Sweeps" says how to apply them)`,
      );
    if (!remote && values.emit)
      throw new CliError(`--emit is for --engine k8s, cloud-run or aws-batch; --engine ${engine} runs the sweep`);
    if (engine !== 'slurm' && (values.work || values['sbatch-args']))
      throw new CliError(`--${values.work ? 'work' : 'sbatch-args'} is for --engine slurm`);

    // Local and Slurm tasks read the data where this command runs (a shared file system): a missing file fails here,
    // once, rather than in every task. Remote manifests are written where the data may not be.
    if (!remote) await checkSpecFiles(loaded);
    let result: EngineResult;
    if (remote) {
      if (values['container-spec'] && !values['container-spec'].startsWith('/'))
        throw new CliError('--container-spec must be an absolute path in the container');
      if (!/^\/[^\s]*$/.test(values.mount))
        throw new CliError(`--mount must be an absolute path, got ${JSON.stringify(values.mount)}`);
      const files = await emitManifests(engine, loaded, values.emit!, {
        image: values.image,
        mount: values.mount.replace(/\/+$/, ''),
        jobs: values.jobs ?? n,
        retries: values.retries,
        backend: values.backend,
        volume: values.volume ?? DEFAULT_VOLUME[engine],
        containerSpec: values['container-spec'],
      });
      return {
        json: { engine, tasks: n, files },
        text: keyValueTable([
          ['engine', engine],
          ['tasks', n],
          ['written', files.join(', ')],
          ['next', 'README "Sweeps" shows how to apply them'],
        ]),
      };
    }
    if (engine === 'local') {
      const jobs = values.jobs ?? Math.max(1, Math.floor(availableParallelism() / 2));
      io.log(`running ${n} tasks, ${Math.min(jobs, n)} at once, into ${values.mlruns}`);
      result = await runLocal(loaded, { mlruns: values.mlruns, jobs, backend: values.backend, log: io.log });
    } else {
      result = await runSlurm(loaded, {
        mlruns: values.mlruns,
        jobs: values.jobs ?? 0,
        backend: values.backend,
        work: values.work ?? `.bess-sweep/${loaded.spec.name}`,
        pollS: values.poll,
        sbatchArgs: (values['sbatch-args'] ?? '').split(/\s+/).filter(Boolean),
        log: io.log,
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      });
    }
    if (result.failedIndices.length) {
      throw new CliError(
        `${result.failedIndices.length} of ${n} tasks did not finish: indices ${result.failedIndices.join(',')} (rerun the same command: finished tasks are not redone)`,
      );
    }
    return {
      json: { ...result, mlruns: values.mlruns },
      text: keyValueTable([
        ['engine', engine],
        ['tasks', n],
        ['finished', result.finished],
        ...(result.jobId ? [['slurm job', result.jobId] as [string, string]] : []),
        ['runs in', values.mlruns],
        ['report', `bess sweep-report --mlruns ${values.mlruns}`],
      ]),
    };
  },
});
