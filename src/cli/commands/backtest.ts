// `bess backtest`: the greedy agent of a trained model on a whole price file, against the oracle on the same file
// and battery. Without battery flags the battery the model was trained with is used.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineCommand } from '../command.ts';
import { BATTERY_OPTIONS, CliError, SITE_OPTIONS, batterySpec, siteSpec } from '../args.ts';
import { modelSiteInputs, siteText } from '../site.ts';
import { keyValueTable } from '../format.ts';
import { type BatterySpec } from '../../core/battery/index.ts';
import { ModelFileError, parseSavedModel } from '../../core/rl/model.ts';
import { createTrainer } from '../../../workers/trainer.ts';
import { loadPriceFile } from './rl-node.ts';
import { dayAheadInputsFor } from './forecast-inputs.ts';
import { ForecastError } from '../../core/forecast/index.ts';
import { isModelUri, loadModelFromMlruns } from '../mlflow.ts';

export const command = defineCommand({
  summary: 'Backtest a trained model (bess train --out DIR) greedily on a price file, against the oracle.',
  positionals: [{ name: 'FILE', help: 'price CSV' }],
  options: {
    model: {
      type: 'string',
      required: true,
      arg: 'DIR|URI',
      help: 'a run folder written by bess train --out, or models:/NAME/STAGE, runs:/RUN_ID',
    },
    mlruns: { type: 'string', arg: 'DIR', help: 'the MLflow file store that models:/ and runs:/ URIs resolve in' },
    exogenous: {
      type: 'string',
      arg: 'FILE',
      help: 'day-ahead exogenous forecasts, for a model trained with --information day-ahead --forecast lear',
    },
    ...BATTERY_OPTIONS,
    ...SITE_OPTIONS,
  },
  async run({ values, positionals: [file] }) {
    const dir = values.model;
    let text: string;
    let where = join(dir, 'model.json');
    if (isModelUri(dir)) ({ text, where } = await loadModelFromMlruns(dir, values.mlruns));
    else {
      try {
        text = await readFile(where, 'utf8');
      } catch {
        throw new CliError(`${dir}: no model.json (train one with bess train --out ${dir})`);
      }
    }
    let model;
    try {
      // One loader validates the whole model (damaged weights, a zero price std, an unknown format ...).
      model = parseSavedModel(text, where).model;
    } catch (err) {
      if (err instanceof ModelFileError) throw new CliError(err.message);
      throw err;
    }
    const flags = batterySpec(values);
    const anyFlag = Object.values(flags).some((v) => v !== undefined);
    const { terminalSocKWh, ...trained } = model.config.battery;
    const battery: BatterySpec = anyFlag ? flags : { ...trained, terminalSocKWh: terminalSocKWh ?? undefined };
    const series = await loadPriceFile(file);
    // A site model is scored on its site (site flags override its fields) around the file's pv_kw/load_kw.
    const site = modelSiteInputs(model, where, values, series);
    const info = model.config.information;
    if (!info && values.exogenous !== undefined)
      throw new CliError('--exogenous: this model observes actual prices (known-24h), not a forecast');
    const inputs = info
      ? await dayAheadInputsFor(
          [{ path: file, times: series.timesUtcMs }],
          series.dtHours,
          info.forecast,
          values.exogenous,
        )
      : undefined;
    // The greedy backtest runs the plain-TypeScript forward pass: no tfjs backend is needed.
    const trainer = createTrainer();
    let bt;
    try {
      bt = await trainer.backtest(
        model,
        { timesUtcMs: series.timesUtcMs, pricesEurPerMWh: series.pricesEurPerMWh },
        series.dtHours,
        battery,
        inputs,
        site ? { site: { series: site.series, site: siteSpec(values) } } : {},
      );
    } catch (err) {
      if (err instanceof ForecastError) throw new CliError(`${file}: ${err.message}`);
      if (err instanceof Error && /^model /.test(err.message))
        throw new CliError(`${join(dir, 'model.json')}: ${err.message}`);
      throw err;
    }
    const actions = bt.trace.actions;
    const json = {
      profitEur: bt.profitEur,
      oracleProfitEur: bt.oracleProfitEur,
      shareOfOracle: bt.shareOfOracle,
      equivalentCycles: bt.equivalentCycles,
      steps: actions.length,
      information: info?.mode ?? 'known-24h',
      forecast: info?.forecast ?? null,
      site: model.config.site ? { ...model.config.site, ...siteSpec(values) } : null,
      finalSocKWh: bt.trace.socAfterKWh[actions.length - 1] ?? 0,
      file,
      model: dir,
    };
    return {
      json,
      text: keyValueTable([
        ['agent profit, EUR', json.profitEur],
        ['oracle profit, EUR', json.oracleProfitEur],
        ['share of oracle', `${(100 * json.shareOfOracle).toFixed(2)} %`],
        ['equivalent cycles', json.equivalentCycles],
        ['steps', json.steps],
        ['site', model.config.site ? siteText({ ...model.config.site, ...siteSpec(values) }) : siteText(null)],
      ]),
    };
  },
});
