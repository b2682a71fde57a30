// `bess sweep-task`'s work: task I of a sweep spec trained (the trainer of `bess train`), backtested on the test
// split, compared with the strategies of `bess compare` on the same split, and logged as ONE MLflow run whose id
// is fixed by the task (claim.ts keeps it one run through crashes, retries and concurrent attempts).

import { readFile, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { CliError, type SITE_OPTIONS, siteFlagFor } from '../args.ts';
import type { OptionValues } from '../command.ts';
import { type SiteInputs, siteInputs } from '../site.ts';
import { type SiteSpec, SiteParamError, isPlainSite } from '../../core/site/site.ts';
import type { PriceSeries } from '../../core/prices/types.ts';
import { STRATEGIES } from '../commands/compare.ts';
import { compareWithInformation } from '../commands/compare-information.ts';
import { dayAheadInputsFor } from '../commands/forecast-inputs.ts';
import { testSpan } from '../../core/information/index.ts';
import type { TrainInformation } from '../../core/rl/run.ts';
import { splitTrainSite } from '../../core/rl/site-split.ts';
import { loadPriceFile, selectNodeBackend } from '../commands/rl-node.ts';
import { resolveBattery } from '../../core/battery/index.ts';
import { type MlflowRun } from '../../core/mlflow/layout.ts';
import { KEPT_TAG, dataFingerprint, flattenParams, trainingToMlflowRun } from '../../core/mlflow/training.ts';
import { serializeSavedModel } from '../../core/rl/model.ts';
import {
  SWEEP_TAGS,
  SweepSpecError,
  parseSweepSpec,
  sweepId,
  sweepTask,
  type SweepSpec,
  type SweepTask,
} from '../../core/sweep/index.ts';
import { ensureExperiment } from '../../io/mlflow-dir.ts';
import { createTrainer } from '../../../workers/trainer.ts';
import type { TrainResult } from '../../../workers/trainer-api.ts';
import { HEARTBEAT_TAG, OWNER_TAG, claimTaskRun, completeTaskRun, heartbeat, markTaskRun, newOwner } from './claim.ts';

/** Share of a file's rows used for training (as bess train without --test); the rest is the test split. */
export const TRAIN_SHARE = 0.75;

/** The environment variables batch engines put the array index in, in the order they are read. */
export const INDEX_VARIABLES = [
  'SLURM_ARRAY_TASK_ID',
  'JOB_COMPLETION_INDEX',
  'CLOUD_RUN_TASK_INDEX',
  'AWS_BATCH_JOB_ARRAY_INDEX',
] as const;

/** Tags every sweep run carries (defined in core/sweep, where the report reads them). */
export { SWEEP_TAGS };

/** The MLflow experiment of a sweep. */
export const experimentName = (spec: SweepSpec) => `sweep-${spec.name}`;

export interface LoadedSpec {
  spec: SweepSpec;
  path: string;
  /** Data paths resolve against the spec's folder. */
  baseDir: string;
}

/** Reads and validates a sweep spec file; errors name the file and field. */
export async function loadSweepSpec(path: string): Promise<LoadedSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const c = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      c === 'ENOENT' ? `no such sweep spec: ${path}` : `${path}: cannot read (${c ?? (e as Error).message})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${path}: not JSON (${(e as Error).message})`);
  }
  try {
    return {
      spec: parseSweepSpec(
        raw,
        path,
        basename(path)
          .replace(/\.json$/i, '')
          .replace(/[^\w.-]/g, '_') || 'sweep',
      ),
      path,
      baseDir: dirname(resolve(path)),
    };
  } catch (e) {
    if (e instanceof SweepSpecError) throw new CliError(e.message);
    throw e;
  }
}

/** The task index: --index, else the first of INDEX_VARIABLES set; a clear error when none is or it is out of range. */
export function taskIndex(
  flag: number | undefined,
  env: NodeJS.ProcessEnv,
  count: number,
): { index: number; from: string } {
  let index: number;
  let from: string;
  if (flag !== undefined) [index, from] = [flag, '--index'];
  else {
    const name = INDEX_VARIABLES.find((v) => env[v] !== undefined && env[v] !== '');
    if (!name)
      throw new CliError(
        `sweep-task needs --index I or one of ${INDEX_VARIABLES.join(', ')} (this sweep has ${count} tasks, 0–${count - 1})`,
      );
    const text = String(env[name]).trim();
    if (!/^\d+$/.test(text))
      throw new CliError(`${name}=${JSON.stringify(env[name])} is not a task index (a whole number ≥ 0)`);
    [index, from] = [Number(text), name];
  }
  if (!Number.isInteger(index) || index < 0 || index >= count)
    throw new CliError(`${from} ${index} is out of range: this sweep has ${count} tasks (0–${count - 1})`);
  return { index, from };
}

export interface TaskOutcome {
  status: 'finished' | 'skipped';
  index: number;
  taskId: string;
  runId: string;
  runDir: string;
  /** Set when this attempt replaced a crashed one (its status then). */
  retried: string | null;
  profitEur?: number;
  shareOfOracle?: number;
}

export interface RunTaskOptions {
  loaded: LoadedSpec;
  index: number;
  mlruns: string;
  backend: 'auto' | 'wasm' | 'cpu';
  staleAfterS: number;
  /** engineRetryOf(process.env): this attempt is the engine's retry of the index. */
  engineRetry?: string | null;
  heartbeatS: number;
  log: (line: string) => void;
  /** Called with a function that marks the claimed run KILLED (for a signal handler); undefined once done. */
  onKillable?: (kill: (() => Promise<void>) | undefined) => void;
}

/** The task's site over `series`: its site fields resolved; a bad one, or PV/load it cannot take, names the task. */
function taskSite(task: SweepTask, series: PriceSeries): SiteInputs {
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(task.site)) {
    const flag = siteFlagFor(k)?.slice(2);
    if (flag) values[flag] = v;
  }
  try {
    return siteInputs(values as OptionValues<typeof SITE_OPTIONS>, series);
  } catch (e) {
    if (e instanceof SiteParamError || e instanceof CliError)
      throw new CliError(`task ${task.index} (site ${JSON.stringify(task.site)}): ${e.message}`);
    throw e;
  }
}

function dataPath(loaded: LoadedSpec, file: string): string {
  return isAbsolute(file) ? file : resolve(loaded.baseDir, file);
}

/** The data files a spec (or one task of it) names, with their field paths: `files[1]`, `exogenous."de.csv"`. */
function namedFiles(spec: SweepSpec, task?: SweepTask): [string, string][] {
  const files = spec.files.flatMap((f, i): [string, string][] =>
    !task || f === task.file ? [[`files[${i}]`, f]] : [],
  );
  const exogenous = Object.entries(spec.exogenous).flatMap(([f, p]): [string, string][] =>
    !task || (f === task.file && task.exogenous) ? [[`exogenous.${JSON.stringify(f)}`, p]] : [],
  );
  return [...files, ...exogenous];
}

/**
 * Every data file the spec names (or, given a task, the ones it reads) exists: a missing one is a CLI error naming
 * the spec, the field and the resolved path. `bess sweep --engine local|slurm` checks all before submitting;
 * `bess sweep-task` its own (the manifests of remote engines are written where the data may not be).
 */
export async function checkSpecFiles(loaded: LoadedSpec, task?: SweepTask): Promise<void> {
  for (const [field, p] of namedFiles(loaded.spec, task)) {
    const path = dataPath(loaded, p);
    const s = await stat(path).catch((e: NodeJS.ErrnoException) => e);
    if (s instanceof Error || !s.isFile())
      throw new CliError(
        `${loaded.path}: ${field}: ${s instanceof Error && s.code === 'ENOENT' ? 'no such file' : 'not a readable file'}: ${path}` +
          " (paths resolve against the spec file's folder)",
      );
  }
}

/** The params a task's run carries from the start (RUNNING), so a crashed attempt says what it was. */
export function taskParams(spec: SweepSpec, task: SweepTask): Record<string, unknown> {
  return {
    sweep: { name: spec.name, index: task.index, information: task.information, forecast: task.forecast },
    task: {
      file: task.file,
      ...(task.exogenous ? { exogenous: task.exogenous } : {}),
      battery: task.battery,
      env: task.env,
      ppo: task.ppo,
      clone: task.clone,
      cloneWarmStart: task.cloneWarmStart,
      // Only when the spec has a site axis, so runs of specs without one keep their params.
      ...(Object.keys(task.site).length ? { site: task.site } : {}),
    },
    seed: task.seed,
    seconds: task.seconds,
  };
}

const currentUser = () => {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
};

/** Runs task `index` into the store; returns what happened. */
export async function runSweepTask(o: RunTaskOptions): Promise<TaskOutcome> {
  const { spec } = o.loaded;
  const task = sweepTask(spec, o.index);
  const exp = await ensureExperiment(o.mlruns, experimentName(spec), Date.now());
  const expDir = resolve(o.mlruns, exp.experimentId);
  const owner = newOwner();
  const startMs = Date.now();
  const tags: Record<string, string> = {
    [SWEEP_TAGS.sweep]: sweepId(spec),
    [SWEEP_TAGS.name]: spec.name,
    [SWEEP_TAGS.task]: task.taskId,
    [SWEEP_TAGS.config]: task.configId,
    [SWEEP_TAGS.index]: String(task.index),
    [OWNER_TAG]: owner,
    [HEARTBEAT_TAG]: String(startMs),
    'mlflow.runName': `${spec.name} #${task.index}`,
    'mlflow.source.name': 'bess sweep-task',
    'mlflow.source.type': 'LOCAL',
    'mlflow.user': currentUser(),
  };
  const running: MlflowRun = {
    runId: task.runId,
    experimentId: exp.experimentId,
    runName: `${spec.name} #${task.index}`,
    userId: currentUser(),
    status: 'RUNNING',
    startTimeMs: startMs,
    endTimeMs: null,
    lifecycleStage: 'active',
    artifactUri: `${exp.artifactLocation.replace(/\/+$/, '')}/${task.runId}/artifacts`,
    params: flattenParams(taskParams(spec, task)),
    tags,
    metrics: {},
    artifacts: [],
  };
  const claim = await claimTaskRun({
    expDir,
    running,
    nowMs: () => Date.now(),
    staleAfterS: o.staleAfterS,
    engineRetry: o.engineRetry,
    log: o.log,
  });
  const base = { index: task.index, taskId: task.taskId, runId: task.runId, runDir: claim.runDir };
  if (claim.kind === 'finished') {
    o.log(`task ${task.index} (${task.taskId}) is finished already: ${claim.runDir}`);
    return { ...base, status: 'skipped', retried: null };
  }
  if (claim.kind === 'busy')
    throw new CliError(`task ${task.index} is running now (${claim.owner}) in ${claim.runDir}; not starting it twice`);

  const kill = () => markTaskRun(claim.runDir, owner, running, 'KILLED', Date.now());
  o.onKillable?.(kill);
  const beat = setInterval(() => void heartbeat(claim.runDir, Date.now()).catch(() => {}), o.heartbeatS * 1000);
  beat.unref();
  try {
    await checkSpecFiles(o.loaded, task);
    const file = dataPath(o.loaded, task.file);
    const exogenous = task.exogenous ? dataPath(o.loaded, task.exogenous) : undefined;
    const series = await loadPriceFile(file);
    const n = series.pricesEurPerMWh.length;
    // Day-ahead decisions are per delivery day: the test split starts at the first day start after the share, as
    // `bess train --information day-ahead` and `bess compare --information day-ahead` cut it.
    const dayAhead = task.information === 'day-ahead';
    const cut = dayAhead ? testSpan(series.timesUtcMs, series.dtHours, TRAIN_SHARE).from : Math.floor(n * TRAIN_SHARE);
    const train = {
      timesUtcMs: series.timesUtcMs.slice(0, cut),
      pricesEurPerMWh: series.pricesEurPerMWh.slice(0, cut),
    };
    const test = { timesUtcMs: series.timesUtcMs.slice(cut), pricesEurPerMWh: series.pricesEurPerMWh.slice(cut) };
    if (cut < Math.ceil(48 / series.dtHours) || test.pricesEurPerMWh.length < 1)
      throw new CliError(
        `${task.file}: too short to train (needs at least 48 hours of training data and a test split)`,
      );

    // The site: the file's pv_kw/load_kw with the task's site fields, as `bess train FILE [site flags]` reads it.
    const siteSpec = task.site as SiteSpec;
    const site = taskSite(task, series);
    const { train: siteTrain, test: siteTest } = splitTrainSite(siteSpec, site.series, 0, cut);
    const siteSplit = { train: siteTrain, test: siteTest };

    const information: TrainInformation | undefined = dayAhead
      ? {
          mode: 'day-ahead',
          forecast: task.forecast!,
          ...(await dayAheadInputsFor(
            [
              { path: file, times: train.timesUtcMs },
              { path: file, times: test.timesUtcMs },
            ],
            series.dtHours,
            task.forecast!,
            exogenous,
          )),
        }
      : undefined;

    const trainer = createTrainer({ selectBackend: selectNodeBackend });
    const result: TrainResult = await trainer.start(
      {
        train,
        test,
        dtHours: series.dtHours,
        battery: task.battery,
        env: task.env,
        ppo: task.ppo,
        clone: task.cloneWarmStart,
        cloneOptions: task.clone,
        seconds: task.seconds ?? undefined,
        seed: task.seed,
        backend: o.backend,
        ...(information ? { information } : {}),
        site: { site: siteSpec, ...siteSplit },
      },
      (p) => {
        if (p.message) o.log(`task ${task.index}: ${p.phase} ${p.message}`);
      },
    );

    // The strategies of `bess compare` on the same test split and battery (the oracle first: the yardstick); under
    // day-ahead those of `bess compare --information day-ahead` with the task's forecaster, which know what the
    // agent knew.
    const battery = resolveBattery(task.battery);
    const testSeries = { ...series, timesUtcMs: test.timesUtcMs, pricesEurPerMWh: test.pricesEurPerMWh, warnings: [] };
    const compare: Record<string, number> = {};
    const slugOf = (name: string) =>
      name
        .split(' (')[0]
        .replace(/[^\w]+/g, '_')
        .replace(/^_|_$/g, '');
    let oracleEur = Number.NaN;
    if (dayAhead) {
      const { json } = await compareWithInformation(
        file,
        { information: 'day-ahead', forecast: task.forecast!, exogenous, 'train-share': TRAIN_SHARE },
        battery,
        site.plain ? undefined : site,
      );
      for (const r of (json as { strategies: { name: string; profitEur: number; shareOfOracle: number }[] })
        .strategies) {
        compare[`compare/${slugOf(r.name)}/profit_eur`] = r.profitEur;
        compare[`compare/${slugOf(r.name)}/share_of_oracle`] = r.shareOfOracle;
      }
    }
    for (const s of dayAhead ? [] : STRATEGIES) {
      if (s.note) continue; // an estimate (the original heuristic), not a replayed schedule: no share to report
      const ctx = {
        series: testSeries,
        battery,
        values: {} as never,
        site: { site: site.site, series: siteSplit.test, plain: isPlainSite(site.site, siteSplit.test) },
      };
      if (s.applies && !s.applies(ctx)) continue;
      const eur = await s.profitEur(ctx);
      if (Number.isNaN(oracleEur)) oracleEur = eur;
      const slug = slugOf(s.name);
      compare[`compare/${slug}/profit_eur`] = eur;
      compare[`compare/${slug}/share_of_oracle`] = oracleEur !== 0 ? eur / oracleEur : eur === 0 ? 1 : 0;
    }

    const endMs = Date.now();
    const params = result.params as Record<string, unknown>;
    const finished = trainingToMlflowRun({
      runId: task.runId,
      experimentId: exp.experimentId,
      artifactLocation: exp.artifactLocation,
      runName: running.runName,
      userId: running.userId,
      sourceName: 'bess sweep-task',
      startTimeMs: startMs,
      endTimeMs: endMs,
      status: result.stopReason === 'diverged' ? 'FAILED' : 'FINISHED',
      params: {
        ...params,
        ...taskParams(spec, task),
        data: {
          ...(params.data as Record<string, unknown>),
          file: task.file,
          fingerprint: dataFingerprint(train.pricesEurPerMWh, series.dtHours),
        },
      },
      history: result.history,
      evaluation: result.backtest,
      labels: [],
      tags: {
        ...tags,
        [HEARTBEAT_TAG]: String(endMs),
        'powerbidder.stopReason': result.stopReason,
        [KEPT_TAG]: JSON.stringify(result.kept),
      },
      modelJson: serializeSavedModel(result.model),
      trace: result.backtest.trace,
    });
    for (const [k, v] of Object.entries(compare)) finished.metrics[k] = [{ timestampMs: endMs, value: v, step: 0 }];
    clearInterval(beat);
    await completeTaskRun(claim.runDir, owner, finished);
    o.onKillable?.(undefined);
    if (finished.status === 'FAILED')
      throw new Error(`task ${task.index}: training diverged (run ${claim.runDir} is FAILED; a retry trains it again)`);
    return {
      ...base,
      status: 'finished',
      retried: claim.kind === 'claimed' ? claim.retried : null,
      profitEur: result.backtest.profitEur,
      shareOfOracle: result.backtest.shareOfOracle,
    };
  } catch (e) {
    clearInterval(beat);
    o.onKillable?.(undefined);
    await markTaskRun(claim.runDir, owner, running, 'FAILED', Date.now()).catch(() => {});
    throw e;
  }
}
