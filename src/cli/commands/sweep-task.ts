// `bess sweep-task SPEC [--index I] [--mlruns DIR]`: task I of a sweep (src/cli/sweep/run-task.ts), one MLflow run.
// The index comes from --index or the batch engine's variable (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX,
// CLOUD_RUN_TASK_INDEX, AWS_BATCH_JOB_ARRAY_INDEX). A finished task is not redone; a crashed one is retried.
import { defineCommand } from '../command.ts';
import { CliError } from '../args.ts';
import { keyValueTable } from '../format.ts';
import { taskCount } from '../../core/sweep/index.ts';
import { INDEX_VARIABLES, loadSweepSpec, runSweepTask, taskIndex } from '../sweep/run-task.ts';
import { engineRetryOf } from '../sweep/claim.ts';

export const command = defineCommand({
  summary: 'Run one task of a sweep spec (train + backtest + compare) into an MLflow store, once.',
  positionals: [{ name: 'SPEC', help: 'sweep spec JSON' }],
  options: {
    index: { type: 'number', integer: true, arg: 'I', help: `task index (default: ${INDEX_VARIABLES.join(', ')})` },
    mlruns: { type: 'string', default: 'mlruns', arg: 'DIR', help: 'MLflow file store to write the run into' },
    backend: {
      type: 'string',
      choices: ['wasm', 'cpu', 'auto'],
      default: 'wasm',
      help: 'tfjs backend (fixed by default: the same on every node)',
    },
    'stale-after': {
      type: 'number',
      default: 600,
      arg: 'S',
      help: "take over another host's RUNNING run after S seconds without its heartbeat",
    },
  },
  async run({ values, positionals: [specPath] }, io) {
    if (!(values['stale-after'] > 0)) throw new CliError('--stale-after must be > 0');
    const loaded = await loadSweepSpec(specPath);
    const { index } = taskIndex(values.index, process.env, taskCount(loaded.spec));
    let handler: ((signal: NodeJS.Signals) => void) | undefined;
    const onSignal = (kill: (() => Promise<void>) | undefined) => {
      if (handler) {
        process.removeListener('SIGTERM', handler);
        process.removeListener('SIGINT', handler);
        handler = undefined;
      }
      if (!kill) return;
      // scancel, a pod's deletion, Ctrl-C: mark the run KILLED so a retry need not wait for staleness.
      handler = (signal: NodeJS.Signals) => void kill().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
      process.once('SIGTERM', handler);
      process.once('SIGINT', handler);
    };
    const out = await runSweepTask({
      loaded,
      index,
      mlruns: values.mlruns,
      backend: values.backend,
      staleAfterS: values['stale-after'],
      engineRetry: engineRetryOf(process.env),
      heartbeatS: 30,
      log: io.log,
      onKillable: onSignal,
    });
    const json = { ...out, sweep: loaded.spec.name, tasks: taskCount(loaded.spec) };
    return {
      json,
      text: keyValueTable([
        ['task', `${out.index} of ${json.tasks} (${out.taskId})`],
        [
          'status',
          out.status === 'skipped'
            ? 'finished already, not redone'
            : out.retried
              ? `finished (retried after ${out.retried})`
              : 'finished',
        ],
        ['share of oracle', out.shareOfOracle === undefined ? '-' : `${(100 * out.shareOfOracle).toFixed(2)} %`],
        ['profit, EUR', out.profitEur ?? '-'],
        ['run', out.runDir],
      ]),
    };
  },
});
