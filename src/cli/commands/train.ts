// `bess train`: the trainer of the page (workers/trainer.ts → src/core/rl/run.ts), in Node. Writes params.json,
// metrics.json and model.json to --out and prints the final metrics. The run's work is its budget
// (--clone-epochs, --total-timesteps); --seconds only caps it, and the stop reason says when it did.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineCommand } from '../command.ts';
import { BATTERY_OPTIONS, CliError, SITE_OPTIONS, batterySpec, siteSpec } from '../args.ts';
import { siteInputs, siteText } from '../site.ts';
import type { SiteSeries } from '../../core/site/site.ts';
import { prepareOutDir } from '../out-dir.ts';
import { keyValueTable } from '../format.ts';
import { DEFAULT_CLONE_CONFIG, DEFAULT_PPO_CONFIG } from '../../core/rl/config.ts';
import { DEFAULT_ENV_CONFIG, resolveEnvConfig } from '../../core/env/config.ts';
import { serializeSavedModel } from '../../core/rl/model.ts';
import { splitTrainSite } from '../../core/rl/site-split.ts';
import { STOP_REASON_TEXT } from '../../core/rl/types.ts';
import { createTrainer } from '../../../workers/trainer.ts';
import type { TrainProgress } from '../../../workers/trainer-api.ts';
import { loadPriceFile, selectNodeBackend } from './rl-node.ts';
import { MLFLOW_TRAIN_OPTIONS, logTrainingToMlruns, mlflowTrainFlags } from '../mlflow.ts';
import { CLONE_TEACHERS } from '../../core/rl/config.ts';
import { FORECAST_MODELS, ForecastError, UNCORRECTED_FORECASTS } from '../../core/forecast/index.ts';
import { testSpan } from '../../core/information/index.ts';
import { dayAheadInputsFor } from './forecast-inputs.ts';

/** Share of a file's rows used for training when no --test file is given (the rest is the test split). */
const TRAIN_SHARE = 0.75;

export const command = defineCommand({
  summary: 'Train the PPO agent (teacher cloning + PPO) on a price file and backtest it on the test split.',
  positionals: [],
  options: {
    train: { type: 'string', required: true, arg: 'FILE', help: 'price CSV to train on' },
    test: { type: 'string', arg: 'FILE', help: 'price CSV to backtest on (default: the last 25% of --train)' },
    out: {
      type: 'string',
      arg: 'DIR',
      help: 'folder for params.json, metrics.json, model.json (required without --mlruns)',
    },
    force: { type: 'boolean', help: 'overwrite a run already in --out' },
    'clone-epochs': {
      type: 'number',
      integer: true,
      arg: 'N',
      help: `teacher-cloning epochs (default ${DEFAULT_CLONE_CONFIG.epochs})`,
    },
    'total-timesteps': {
      type: 'number',
      integer: true,
      arg: 'N',
      help: `PPO environment steps (default ${DEFAULT_PPO_CONFIG.totalTimesteps})`,
    },
    seconds: { type: 'number', arg: 'S', help: 'time cap: ends the run early and says so (default: none)' },
    seed: { type: 'number', integer: true, default: 1, help: 'random seed' },
    'no-clone': { type: 'boolean', help: 'skip cloning the teacher: PPO alone' },
    backend: {
      type: 'string',
      choices: ['auto', 'wasm', 'cpu'],
      default: 'auto',
      help: 'tfjs backend (auto: the faster by measurement)',
    },
    quiet: { type: 'boolean', help: 'no progress lines on stderr' },
    information: {
      type: 'string',
      choices: ['known-24h', 'day-ahead'],
      default: 'known-24h',
      arg: 'MODE',
      help: 'what the agent observes: the next 24 h of actual prices, or the forecast issued at gate closure',
    },
    forecast: {
      type: 'string',
      choices: FORECAST_MODELS,
      arg: 'M',
      help: 'the day-ahead forecaster (default: lear with --exogenous, else ridge)',
    },
    exogenous: {
      type: 'string',
      arg: 'FILE',
      help: 'day-ahead exogenous forecasts for lear (SMARD export or timestamp,<name>,… CSV)',
    },
    teacher: {
      type: 'string',
      choices: CLONE_TEACHERS,
      arg: 'T',
      help: 'whom cloning imitates: hindsight (optimum on actual prices), planner (DP on the forecast; day-ahead), auto',
    },
    'planner-bias-weight': {
      type: 'number',
      arg: 'W',
      help: `day-ahead: the planner the agent sees and clones plans on the forecast + W × its recent error per hour of day, 0 to 1 (default ${DEFAULT_ENV_CONFIG.plannerBiasWeight}; 0: the raw forecast)`,
    },
    'planner-bias-days': {
      type: 'number',
      integer: true,
      arg: 'N',
      help: `day-ahead: days of past errors that correction averages (default ${DEFAULT_ENV_CONFIG.plannerBiasDays})`,
    },
    'planner-last-day-weight': {
      type: 'number',
      arg: 'A',
      help: `day-ahead: that planner plans on (1 − A) × the forecast + A × D−1's actual prices at the same hour, 0 to 1 (default ${DEFAULT_ENV_CONFIG.plannerLastDayWeight}; 0: the forecast alone)`,
    },
    ...MLFLOW_TRAIN_OPTIONS,
    ...BATTERY_OPTIONS,
    ...SITE_OPTIONS,
  },
  async run({ values }, io) {
    const { train: trainPath, out: outDir, test: testPath, seconds, seed, backend } = values;
    const { 'clone-epochs': cloneEpochs, 'total-timesteps': totalTimesteps } = values;
    const mlflow = mlflowTrainFlags(values);
    if (!outDir && !mlflow) throw new CliError('--out DIR is required (or --mlruns DIR)');
    if (seconds !== undefined && !(seconds > 0)) throw new CliError('--seconds (the time cap) must be > 0');
    if (cloneEpochs !== undefined && cloneEpochs < 0) throw new CliError('--clone-epochs must be a whole number ≥ 0');
    if (totalTimesteps !== undefined && totalTimesteps < 0)
      throw new CliError('--total-timesteps must be a whole number ≥ 0');
    const battery = batterySpec(values);
    const dayAhead = values.information === 'day-ahead';
    if (!dayAhead && (values.forecast !== undefined || values.exogenous !== undefined))
      throw new CliError(`--${values.forecast !== undefined ? 'forecast' : 'exogenous'} needs --information day-ahead`);
    const plannerBias = {
      ...(values['planner-bias-weight'] === undefined ? {} : { plannerBiasWeight: values['planner-bias-weight'] }),
      ...(values['planner-bias-days'] === undefined ? {} : { plannerBiasDays: values['planner-bias-days'] }),
      ...(values['planner-last-day-weight'] === undefined
        ? {}
        : { plannerLastDayWeight: values['planner-last-day-weight'] }),
    };
    for (const [flag, key] of [
      ['planner-bias-weight', 'plannerBiasWeight'],
      ['planner-bias-days', 'plannerBiasDays'],
      ['planner-last-day-weight', 'plannerLastDayWeight'],
    ] as const) {
      if (plannerBias[key] === undefined) continue;
      if (!dayAhead) throw new CliError(`--${flag} needs --information day-ahead (it corrects the forecast's planner)`);
      if (values.forecast !== undefined && UNCORRECTED_FORECASTS.includes(values.forecast))
        throw new CliError(
          `--${flag}: forecaster ${values.forecast} is never corrected (its recent errors do not persist); choose ridge, lear, nn or column`,
        );
      try {
        resolveEnvConfig({ [key]: plannerBias[key] });
      } catch (e) {
        throw new CliError(`--${flag}: ${(e as Error).message.replace(/^env\.\w+ /, '')}`);
      }
    }
    if (!dayAhead && values.teacher === 'planner')
      throw new CliError('--teacher planner needs --information day-ahead (the planner plans on the forecast)');

    const trainFile = await loadPriceFile(trainPath);
    // The site: the file's pv_kw/load_kw columns with the site flags (as bess oracle and compare read them).
    const trainSite = siteInputs(values, trainFile);
    let siteSeries: { train: SiteSeries; test: SiteSeries };
    let train = { timesUtcMs: trainFile.timesUtcMs, pricesEurPerMWh: trainFile.pricesEurPerMWh };
    let test;
    if (testPath) {
      const testFile = await loadPriceFile(testPath);
      if (Math.abs(testFile.dtHours - trainFile.dtHours) > 1e-9)
        throw new CliError(`--test has ${testFile.dtHours} h steps, --train has ${trainFile.dtHours} h`);
      test = { timesUtcMs: testFile.timesUtcMs, pricesEurPerMWh: testFile.pricesEurPerMWh };
      const testSite = siteInputs(values, testFile);
      for (const [column, key] of [
        ['pv_kw', 'pvKW'],
        ['load_kw', 'loadKW'],
      ] as const)
        if ((trainSite.series[key] === null) !== (testSite.series[key] === null))
          throw new CliError(
            `--test: ${column} is in ${trainSite.series[key] ? trainPath : testPath} only; the site needs it in both files or neither`,
          );
      siteSeries = { train: trainSite.series, test: testSite.series };
    } else {
      const n = trainFile.pricesEurPerMWh.length;
      // Day-ahead decisions are per delivery day: the test split starts at the first day start after the share, as
      // `bess compare --information day-ahead` scores its baselines on.
      const cut = dayAhead
        ? testSpan(trainFile.timesUtcMs, trainFile.dtHours, TRAIN_SHARE).from
        : Math.floor(n * TRAIN_SHARE);
      test = { timesUtcMs: train.timesUtcMs.slice(cut), pricesEurPerMWh: train.pricesEurPerMWh.slice(cut) };
      train = { timesUtcMs: train.timesUtcMs.slice(0, cut), pricesEurPerMWh: train.pricesEurPerMWh.slice(0, cut) };
      const { train: trainPart, test: testPart } = splitTrainSite({}, trainSite.series, 0, cut);
      siteSeries = { train: trainPart, test: testPart };
    }
    const site = { site: siteSpec(values), ...siteSeries };
    const minSteps = Math.ceil(48 / trainFile.dtHours);
    if (train.pricesEurPerMWh.length < minSteps || test.pricesEurPerMWh.length < 1)
      throw new CliError(
        `${trainPath}: too short to train (needs at least 48 hours of training data and a test split)`,
      );

    const forecast = values.forecast ?? (values.exogenous ? 'lear' : 'ridge');
    const information = dayAhead
      ? {
          mode: 'day-ahead' as const,
          forecast,
          ...(await dayAheadInputsFor(
            [
              { path: trainPath, times: train.timesUtcMs },
              ...(testPath
                ? [{ path: testPath, times: test.timesUtcMs }]
                : [{ path: trainPath, times: test.timesUtcMs }]),
            ],
            trainFile.dtHours,
            forecast,
            values.exogenous,
          )),
        }
      : undefined;

    const prepared = outDir ? await prepareOutDir(outDir, { force: values.force }) : null;
    const quiet = values.quiet || values.json;
    const startMs = Date.now();
    const trainer = createTrainer({ selectBackend: selectNodeBackend });
    const onProgress = (p: TrainProgress) => {
      // Progress within a phase (every cloning minibatch) is for the page's progress bar.
      if (quiet || p.live) return;
      if (p.message || p.phase === 'clone' || p.iteration % 10 === 0) {
        const what = p.phase === 'eval' ? 'test-split share' : 'validation share';
        const share = p.shareOfOracle !== undefined ? ` ${what} ${(100 * p.shareOfOracle).toFixed(2)}%` : '';
        io.log(`[${p.elapsedS.toFixed(1)} s] ${p.phase} ${p.iteration}${share}${p.message ? ' ' + p.message : ''}`);
      }
    };
    let result;
    try {
      result = await trainer.start(
        {
          train,
          test,
          dtHours: trainFile.dtHours,
          battery,
          seconds,
          seed,
          backend,
          clone: !values['no-clone'],
          cloneOptions: {
            ...(cloneEpochs === undefined ? {} : { epochs: cloneEpochs }),
            ...(values.teacher === undefined ? {} : { teacher: values.teacher }),
          },
          ...(information ? { information } : {}),
          ...(Object.keys(plannerBias).length ? { env: plannerBias } : {}),
          site,
          ppo: totalTimesteps === undefined ? {} : { totalTimesteps },
        },
        onProgress,
      );
    } catch (err) {
      await prepared?.removeIfUnused();
      // What the data cannot give a day-ahead run (too little history for the forecaster, a split off a day start).
      if (err instanceof ForecastError || (err instanceof RangeError && /^information day-ahead/.test(err.message)))
        throw new CliError(`${trainPath}: ${err.message}`);
      throw err;
    }

    const ppoIters = result.history.filter((h) => h.phase === 'ppo' && h.metrics['charts/SPS'] !== undefined);
    const lastPpo = ppoIters[ppoIters.length - 1];
    const elapsedS = result.history[result.history.length - 1]?.elapsedS ?? 0;
    const summary = {
      profitEur: result.backtest.profitEur,
      oracleProfitEur: result.backtest.oracleProfitEur,
      shareOfOracle: result.backtest.shareOfOracle,
      equivalentCycles: result.backtest.equivalentCycles,
      validationShare: result.model.config.validationShare,
      kept: result.kept.source,
      confirm: result.kept.confirm ?? null,
      backend: result.backend,
      stopReason: result.stopReason,
      elapsedS,
      cloneEpochs: result.work.cloneEpochs,
      ppoIterations: result.work.ppoIterations,
      ppoGlobalStep: result.work.ppoTimesteps,
      budgetCloneEpochs: result.params.cloneConfig.epochs,
      budgetTotalTimesteps: result.params.ppo.totalTimesteps,
      ppoSps: lastPpo?.metrics['charts/SPS'] ?? 0,
      information: result.params.information.mode,
      forecast: result.params.information.forecast,
      site: result.params.site ?? null,
      trainSteps: train.pricesEurPerMWh.length,
      testSteps: test.pricesEurPerMWh.length,
      out: outDir ?? null,
      mlflow: mlflow
        ? await logTrainingToMlruns(mlflow, {
            result,
            trainPath,
            testPath,
            trainPrices: train.pricesEurPerMWh,
            dtHours: trainFile.dtHours,
            startMs,
            endMs: Date.now(),
          })
        : null,
    };
    if (outDir) {
      await writeFile(
        join(outDir, 'params.json'),
        JSON.stringify(
          { ...result.params, trainFile: trainPath, testFile: testPath ?? `${trainPath} (last 25%)` },
          null,
          2,
        ),
      );
      await writeFile(
        join(outDir, 'metrics.json'),
        JSON.stringify({ final: summary, history: result.history }, null, 1),
      );
      await writeFile(join(outDir, 'model.json'), serializeSavedModel(result.model));
    }
    return {
      json: summary,
      text: keyValueTable([
        ['test profit, EUR', summary.profitEur],
        ['oracle profit, EUR', summary.oracleProfitEur],
        ['share of oracle', `${(100 * summary.shareOfOracle).toFixed(2)} %`],
        ['validation share', `${(100 * summary.validationShare).toFixed(2)} %`],
        ['equivalent cycles', summary.equivalentCycles],
        ['site', siteText(summary.site)],
        ['backend', summary.backend],
        ['kept policy', summary.kept],
        ...(summary.confirm
          ? [
              [
                'held-out check',
                `fine-tuned ${(100 * summary.confirm.ppoShare).toFixed(2)} % vs clone ${(100 * summary.confirm.cloneShare).toFixed(2)} % over ${summary.confirm.days} days, per-day t ${summary.confirm.tStat?.toFixed(2)} (needs ${result.params.run.confirmMinT})`,
              ] as [string, string],
            ]
          : []),
        ['ended', `${summary.stopReason} (${STOP_REASON_TEXT[summary.stopReason]})`],
        ['elapsed, s', summary.elapsedS],
        ['clone epochs', `${summary.cloneEpochs} of ${summary.budgetCloneEpochs}`],
        [
          'PPO timesteps',
          `${summary.ppoGlobalStep} of ${summary.budgetTotalTimesteps} (${summary.ppoIterations} iterations)`,
        ],
        [
          'written to',
          [
            outDir,
            summary.mlflow &&
              `${summary.mlflow.runDir}${summary.mlflow.modelVersion ? ` (version ${summary.mlflow.modelVersion})` : ''}`,
          ]
            .filter(Boolean)
            .join(', '),
        ],
      ]),
    };
  },
});
