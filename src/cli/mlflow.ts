// `bess train --mlruns DIR [--experiment NAME] [--register NAME [--stage STAGE]]` and `bess backtest --model
// models:/NAME/STAGE|runs:/RUN_ID --mlruns DIR`: the CLI side of the MLflow file store (src/core/mlflow, written
// and read by src/io/mlflow-dir.ts).
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from './args.ts';
import type { OptionSpecs } from './command.ts';
import { MODEL_STAGES, isValidModelName, type ModelStage } from '../core/mlflow/layout.ts';
import { resolveModelUri } from '../core/mlflow/read.ts';
import { MODEL_ARTIFACT, dataFingerprint, trainingToMlflowRun, type TrainingRun } from '../core/mlflow/training.ts';
import { utf8 } from '../core/mlflow/text.ts';
import { ensureExperiment, readStoreDir, registerModelVersion, writeRun } from '../io/mlflow-dir.ts';
import { serializeSavedModel } from '../core/rl/model.ts';
import type { TrainResult } from '../../workers/trainer-api.ts';

/** The default experiment name for `bess train --mlruns`. */
export const DEFAULT_EXPERIMENT = 'PowerBidder';

export const MLFLOW_FLAGS_HELP = `MLflow flags:
  --mlruns DIR          also write the run into the MLflow file store DIR (created if needed; --out is then optional)
  --experiment NAME     experiment to log into (${DEFAULT_EXPERIMENT})
  --register NAME       register the run's model as the next version of NAME
  --stage STAGE         that version's stage: ${MODEL_STAGES.join(', ')} (None)`;

export interface MlflowTrainFlags {
  mlruns: string;
  experiment: string;
  register?: string;
  stage: ModelStage;
}

/** The MLflow options of `bess train`, declared once for the strict parser. */
export const MLFLOW_TRAIN_OPTIONS = {
  mlruns: {
    type: 'string',
    arg: 'DIR',
    help: 'also write the run into the MLflow file store DIR (--out is then optional)',
  },
  experiment: { type: 'string', arg: 'NAME', help: `experiment to log into (${DEFAULT_EXPERIMENT})` },
  register: { type: 'string', arg: 'NAME', help: "register the run's model as the next version of NAME" },
  stage: { type: 'string', arg: 'STAGE', help: `that version's stage: ${MODEL_STAGES.join(', ')} (None)` },
} as const satisfies OptionSpecs;

/** The MLflow flags of `bess train`, or null without --mlruns (then --experiment, --register, --stage are errors). */
export function mlflowTrainFlags(values: {
  mlruns?: string;
  experiment?: string;
  register?: string;
  stage?: string;
}): MlflowTrainFlags | null {
  const { mlruns, experiment, register, stage } = values;
  if (!mlruns) {
    const stray = [experiment && '--experiment', register && '--register', stage && '--stage'].find(Boolean);
    if (stray) throw new CliError(`${stray} needs --mlruns DIR`);
    return null;
  }
  if (stage !== undefined && !register) throw new CliError('--stage needs --register NAME');
  const canonical = stage === undefined ? 'None' : MODEL_STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (!canonical) throw new CliError(`--stage must be one of ${MODEL_STAGES.join(', ')}, got ${JSON.stringify(stage)}`);
  if (register !== undefined && !isValidModelName(register))
    throw new CliError(`--register ${JSON.stringify(register)}: a model name may not contain / \\ or %`);
  if (experiment !== undefined && !experiment.trim()) throw new CliError('--experiment needs a name');
  return { mlruns, experiment: experiment ?? DEFAULT_EXPERIMENT, register, stage: canonical };
}

function currentUser(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    return undefined;
  }
}

/** Writes a finished `bess train` into the store; returns where it went. */
export async function logTrainingToMlruns(
  flags: MlflowTrainFlags,
  t: {
    result: TrainResult;
    trainPath: string;
    testPath?: string;
    trainPrices: Float64Array;
    dtHours: number;
    startMs: number;
    endMs: number;
  },
): Promise<{ runId: string; experimentId: string; runDir: string; modelVersion: number | null }> {
  const exp = await ensureExperiment(flags.mlruns, flags.experiment, t.startMs);
  const runId = randomUUID().replace(/-/g, '');
  const user = currentUser();
  const params = t.result.params as Record<string, unknown>;
  const training: TrainingRun = {
    runId,
    experimentId: exp.experimentId,
    artifactLocation: exp.artifactLocation,
    runName: `${t.trainPath.split(/[\\/]/).pop()} seed ${String(params.seed)}`,
    userId: user,
    sourceName: 'bess train',
    startTimeMs: t.startMs,
    endTimeMs: t.endMs,
    status: t.result.stopReason === 'diverged' ? 'FAILED' : 'FINISHED',
    params: {
      ...params,
      data: {
        ...(params.data as Record<string, unknown>),
        file: t.trainPath,
        testFile: t.testPath ?? `${t.trainPath} (last 25%)`,
        fingerprint: dataFingerprint(t.trainPrices, t.dtHours),
      },
    },
    history: t.result.history,
    evaluation: t.result.backtest,
    labels: [],
    tags: { 'powerbidder.stopReason': t.result.stopReason },
    modelJson: serializeSavedModel(t.result.model),
    trace: t.result.backtest.trace,
  };
  const run = trainingToMlflowRun(training);
  const runDir = await writeRun(flags.mlruns, run);
  const modelVersion = flags.register
    ? await registerModelVersion(flags.mlruns, {
        name: flags.register,
        runId,
        source: `${run.artifactUri}/model`,
        stage: flags.stage,
        nowMs: t.endMs,
        userId: user ?? null,
      })
    : null;
  return { runId, experimentId: exp.experimentId, runDir, modelVersion };
}

/** True for `models:/…` and `runs:/…` model URIs. */
export function isModelUri(spec: string): boolean {
  return spec.startsWith('models:/') || spec.startsWith('runs:/');
}

/** model.json text for `models:/NAME/STAGE|VERSION|@ALIAS` or `runs:/RUN_ID[/PATH]` in the store at mlruns. */
export async function loadModelFromMlruns(
  spec: string,
  mlruns: string | undefined,
): Promise<{ text: string; where: string }> {
  if (!mlruns) throw new CliError(`--model ${spec} needs --mlruns DIR (the MLflow store to look in)`);
  let store;
  try {
    ({ store } = await readStoreDir(mlruns));
  } catch (e) {
    throw new CliError(`--mlruns ${mlruns}: ${(e as Error).message}`);
  }
  let runId: string | null;
  let path = 'model';
  let source: string | null = null;
  if (spec.startsWith('runs:/')) {
    const m = /^runs:\/([0-9a-f]{32})(?:\/(.+))?$/.exec(spec);
    if (!m) throw new CliError(`--model ${spec}: expected runs:/<32-hex run id>[/path]`);
    runId = m[1];
    path = m[2]?.replace(/\/+$/, '') || 'model';
  } else {
    let version;
    try {
      version = resolveModelUri(store, spec);
    } catch (e) {
      throw new CliError(`--model ${(e as Error).message} in ${mlruns}`);
    }
    runId = version.runId;
    source = version.source;
  }
  const artifact = path.endsWith('.json') ? path : `${path}/model.json`;
  const run = runId ? store.runs.find((r) => r.runId === runId) : undefined;
  const file = run?.artifacts.find((a) => a.path === artifact);
  if (file) return { text: utf8.decode(file.bytes), where: `${spec} (run ${run!.runId}, artifacts/${artifact})` };
  if (source) {
    // The version's source outside this store: a file:// URI or a path.
    const dir = source.startsWith('file:') ? fileURLToPath(source) : resolve(source);
    try {
      return { text: await readFile(join(dir, 'model.json'), 'utf8'), where: `${spec} (${join(dir, 'model.json')})` };
    } catch {
      throw new CliError(
        `--model ${spec}: the version's run ${runId ?? '(none)'} is not in ${mlruns} and ${join(dir, 'model.json')} cannot be read`,
      );
    }
  }
  if (!run) throw new CliError(`--model ${spec}: no run ${runId} in ${mlruns}`);
  throw new CliError(
    `--model ${spec}: run ${runId} has no artifacts/${artifact}${artifact === MODEL_ARTIFACT ? ' (not a PowerBidder training)' : ''}`,
  );
}
