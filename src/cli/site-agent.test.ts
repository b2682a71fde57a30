// The agent on a site through the CLI (issue 14 §3): bess train FILE with site flags trains on the file's PV,
// bess backtest and bess compare --model apply the model's site (site flags override its fields), and compare's
// agent row is the money simulateSite gives its actions, as a share of the site oracle of the test span.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliRunner } from './run-in-process.ts';
import { loadPriceFile } from '../io/load.ts';
import { testSpan } from '../core/information/index.ts';
import { requestForPowerFraction, resolveBattery } from '../core/battery/index.ts';
import { actionLevels, horizonSteps, resolveEnvConfig } from '../core/env/config.ts';
import { obsLayout } from '../core/env/features.ts';
import { resolveSite } from '../core/site/site.ts';
import { simulateSite } from '../core/site/simulate.ts';
import { solveSiteOracle } from '../core/oracle/site-oracle.ts';
import { parseSavedModel, serializeSavedModel, toSavedModel } from '../core/rl/model.ts';
import { initPolicyWeights } from '../core/rl/mlp.ts';
import { createRng } from '../core/rl/rng.ts';
import { createTrainer } from '../../workers/trainer.ts';

const PV = 'test-data/site/de-lu-2023-06-pv100-21d.csv';

const cli = cliRunner<Record<string, any>>();

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bess-site-agent-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const SITE = ['--export-limit-kw', '40', '--import-fee-eur-per-mwh', '15', '--export-fee-eur-per-mwh', '3'];

describe('the agent on a site, through the CLI', { timeout: 600_000 }, () => {
  it('train records the site; compare --model scores the agent on it as simulateSite of its actions', async () => {
    const dir = join(tmp, 'site');
    const t = await cli('train', '--train', PV, ...SITE, '--clone-epochs', '2', '--total-timesteps', '512');
    expect(t.code).toBe(2); // --out is required
    const r = await cli(
      ...['train', '--train', PV, ...SITE, '--clone-epochs', '2', '--total-timesteps', '512', '--seed', '2'],
      ...['--backend', 'wasm', '--out', dir, '--json'],
    );
    expect(r.code, r.err).toBe(0);
    const summary = r.json();
    expect(summary.site).toMatchObject({ exportLimitKW: 40, importLimitKW: null, importFeeEurPerMWh: 15 });
    const model = parseSavedModel(await readFile(join(dir, 'model.json'), 'utf8')).model;
    expect(model.config.site).toEqual(summary.site);

    const c = await cli('compare', PV, '--information', 'known-24h', '--model', dir, '--json');
    expect(c.code, c.err).toBe(0);
    const rows = c.json().strategies as { name: string; profitEur: number; shareOfOracle: number }[];
    expect(rows.map((s) => s.name)).toEqual([
      'oracle',
      'plan-on-forecast',
      'rolling-horizon',
      'threshold',
      'hold',
      'agent',
    ]);
    const agent = rows.find((s) => s.name === 'agent')!;
    // The same span, battery and site: the agent's actions replayed by simulateSite, against the site optimum.
    const series = await loadPriceFile(PV);
    const span = testSpan(series.timesUtcMs, series.dtHours, 0.75);
    const cut = (xs: ArrayLike<number>) => Float64Array.from(xs).slice(span.from, span.to);
    const battery = resolveBattery({});
    const input = {
      pricesEurPerMWh: cut(series.pricesEurPerMWh),
      dtHours: 1,
      battery,
      site: resolveSite({ exportLimitKW: 40, importFeeEurPerMWh: 15, exportFeeEurPerMWh: 3 }),
      series: { pvKW: cut(series.pvKW!), loadKW: null },
    };
    const bt = await createTrainer().backtest(
      model,
      { timesUtcMs: series.timesUtcMs.slice(span.from, span.to), pricesEurPerMWh: input.pricesEurPerMWh },
      1,
      {},
      undefined,
      { site: { series: input.series } },
    );
    const levels = actionLevels(3);
    const reqs = Array.from(bt.trace.actions, (a) => requestForPowerFraction(battery, levels[a], 1));
    const sim = simulateSite(input, {
      chargeKWh: Float64Array.from(reqs, (q) => q.chargeKWh),
      dischargeKWh: Float64Array.from(reqs, (q) => q.dischargeKWh),
    });
    expect(agent.profitEur).toBe(sim.profitEur);
    const oracle = solveSiteOracle(input).profitEur;
    expect(rows[0].profitEur).toBeCloseTo(oracle, 6);
    expect(agent.shareOfOracle).toBe(agent.profitEur / rows[0].profitEur);
    expect(agent.profitEur).toBeLessThanOrEqual(rows[0].profitEur + 1e-9);

    // backtest applies the model's site; a site flag overrides its field.
    const b = (await cli('backtest', '--model', dir, PV, '--json')).json();
    expect(b.site).toMatchObject({ exportLimitKW: 40 });
    const tighter = (await cli('backtest', '--model', dir, PV, '--export-limit-kw', '10', '--json')).json();
    expect(tighter.site).toMatchObject({ exportLimitKW: 10 });
    expect(tighter.oracleProfitEur).toBeLessThan(b.oracleProfitEur);
  });

  it('a model trained on the battery alone refuses site flags and a site file, naming the flag or the file', async () => {
    const dir = join(tmp, 'plain');
    await mkdir(dir);
    const env = resolveEnvConfig({});
    const m = toSavedModel(initPolicyWeights(obsLayout(horizonSteps(env, 1)).dim, 3, 64, createRng(1)), {
      env,
      stats: { priceMeanEurPerMWh: 90, priceStdEurPerMWh: 40, rewardScaleEur: 2 },
      dtHours: 1,
      battery: resolveBattery({}),
      hiddenSize: 64,
      validationShare: 0,
      backend: 'cpu',
    });
    await writeFile(join(dir, 'model.json'), serializeSavedModel(m));
    const flag = await cli('backtest', '--model', dir, PV, '--export-limit-kw', '40');
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/^bess: --export-limit-kw: the model in .* was trained on the battery alone/);
    const file = await cli('compare', PV, '--information', 'known-24h', '--model', dir);
    expect(file.code).toBe(2);
    expect(file.err).toMatch(/--model: .* was trained on the battery alone, and de-lu-2023-06-pv100-21d.csv is a site/);
    // Without site flags, backtest scores it on the battery alone, as before.
    const alone = await cli('backtest', '--model', dir, PV, '--json');
    expect(alone.code, alone.err).toBe(0);
    expect(alone.json().site).toBeNull();
  });
});
