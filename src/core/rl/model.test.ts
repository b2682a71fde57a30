import { describe, expect, it } from 'vitest';
import { resolveBattery } from '../battery/index.ts';
import { horizonSteps, resolveEnvConfig } from '../env/config.ts';
import { obsLayout } from '../env/features.ts';
import { initPolicyWeights } from './mlp.ts';
import {
  MODEL_FORMAT,
  ModelFileError,
  type SavedModel,
  checkSavedModel,
  parseSavedModel,
  serializeSavedModel,
  toSavedModel,
} from './model.ts';
import { createRng } from './rng.ts';

/** A small valid model; with `site`, one trained on a site (its layout ends with the site features). */
function validModel(site?: Parameters<typeof toSavedModel>[1]['site']): SavedModel {
  const env = resolveEnvConfig({ horizonHours: 6 });
  const dim = obsLayout(horizonSteps(env, 1), 'known-24h', site !== undefined).dim;
  const weights = initPolicyWeights(dim, 3, 8, createRng(1));
  return toSavedModel(weights, {
    env,
    stats: { priceMeanEurPerMWh: 60, priceStdEurPerMWh: 25, rewardScaleEur: 1.25 },
    dtHours: 1,
    battery: resolveBattery({}),
    hiddenSize: 8,
    validationShare: 0.9,
    backend: 'wasm',
    ...(site ? { site } : {}),
  });
}

/** The JSON object of a valid model, to damage. */
const json = (): Record<string, any> => JSON.parse(serializeSavedModel(validModel()));
const load = (o: unknown) => parseSavedModel(JSON.stringify(o), 'm.json');

describe('saved model loader', () => {
  it('serializeSavedModel → parseSavedModel gives back the same weights, config and layout', () => {
    const m = validModel();
    const back = parseSavedModel(serializeSavedModel(m)).model;
    expect(back.format).toBe(MODEL_FORMAT);
    expect(back.config).toEqual(m.config);
    expect(back.weights.map((w) => Array.from(w.values))).toEqual(m.weights.map((w) => Array.from(w.values)));
    expect(back.config.layout.at(-1)).toMatchObject({ name: 'dischargeMargin' });
    // The in-memory form (Float32Array values, as stored in IndexedDB) passes the same loader.
    expect(checkSavedModel(m).model.config).toEqual(m.config);
  });

  it.each([
    [
      'a NaN weight (in memory)',
      () => {
        const m = validModel();
        m.weights[0].values[3] = Number.NaN;
        return m;
      },
      /weights\[0\]\.values\[3\] is NaN/,
    ],
    [
      'an infinite weight (in memory)',
      () => {
        const m = validModel();
        m.weights[2].values[0] = Infinity;
        return m;
      },
      /weights\[2\]\.values\[0\] is Infinity/,
    ],
  ])('%s is a ModelFileError naming the field', (_what, make, message) => {
    expect(() => checkSavedModel(make(), 'run')).toThrow(ModelFileError);
    expect(() => checkSavedModel(make(), 'run')).toThrow(message);
  });

  it.each([
    [
      'a null weight (NaN in JSON)',
      (o: Record<string, any>) => {
        o.weights[1].values[0] = null;
      },
      /weights\[1\]\.values/,
    ],
    [
      'a short weights array',
      (o: Record<string, any>) => {
        o.weights[0].values.pop();
      },
      /weights\[0\]\.values has \d+ numbers, shape \[\d+, 8\] needs/,
    ],
    [
      'a zero price std',
      (o: Record<string, any>) => {
        o.config.stats.priceStdEurPerMWh = 0;
      },
      /config\.stats\.priceStdEurPerMWh must be > 0/,
    ],
    [
      'a negative price std',
      (o: Record<string, any>) => {
        o.config.stats.priceStdEurPerMWh = -3;
      },
      /priceStdEurPerMWh must be > 0/,
    ],
    [
      'an unknown format version',
      (o: Record<string, any>) => {
        o.format = 'powerbidder-policy/9';
      },
      /unknown format "powerbidder-policy\/9"/,
    ],
    [
      'no format',
      (o: Record<string, any>) => {
        delete o.format;
      },
      /format/,
    ],
    [
      'missing stats',
      (o: Record<string, any>) => {
        delete o.config.stats;
      },
      /config\.stats/,
    ],
    [
      'missing weights',
      (o: Record<string, any>) => {
        delete o.weights;
      },
      /weights/,
    ],
    [
      'a missing env field',
      (o: Record<string, any>) => {
        delete o.config.env.numActions;
      },
      /config\.env\.numActions/,
    ],
    [
      'an unknown env field',
      (o: Record<string, any>) => {
        o.config.env.horizon = 24;
      },
      /horizon/,
    ],
    [
      'a string where a number belongs',
      (o: Record<string, any>) => {
        o.config.dtHours = '1';
      },
      /config\.dtHours/,
    ],
    [
      'another observation layout',
      (o: Record<string, any>) => {
        o.config.layout.reverse();
      },
      /not this version's observation layout/,
    ],
    [
      'a missing layout (format 2)',
      (o: Record<string, any>) => {
        delete o.config.layout;
      },
      /config\.layout is missing/,
    ],
    [
      'an actor that does not match numActions',
      (o: Record<string, any>) => {
        o.config.env.numActions = 5;
      },
      /actor has 3 outputs, config\.env\.numActions is 5/,
    ],
    [
      'layers that do not chain',
      (o: Record<string, any>) => {
        const k = o.weights.find((w: any) => w.name === 'actor/1/kernel');
        k.shape = [4, 8];
        k.values = k.values.slice(0, 32);
      },
      /actor\/1\/kernel takes 4 inputs, actor\/0 gives 8/,
    ],
    [
      'an input width other than the layout’s',
      (o: Record<string, any>) => {
        o.config.env.horizonHours = 12;
        o.config.layout = obsLayout(12).slots;
      },
      /takes \d+ inputs, the observation layout has/,
    ],
    [
      'a battery out of range',
      (o: Record<string, any>) => {
        o.config.battery.chargeEfficiency = 1.5;
      },
      /config\.battery: charge efficiency/,
    ],
    [
      'an unknown backend',
      (o: Record<string, any>) => {
        o.config.backend = 'tpu';
      },
      /config\.backend/,
    ],
  ])('%s is a ModelFileError naming the file and the field', (_what, damage, message) => {
    const o = json();
    damage(o);
    expect(() => load(o)).toThrow(ModelFileError);
    expect(() => load(o)).toThrow(/^m\.json: /);
    expect(() => load(o)).toThrow(message);
  });

  it('text that is not JSON, or not an object, is a ModelFileError', () => {
    expect(() => parseSavedModel('{"format":', 'm.json')).toThrow(/m\.json is not JSON/);
    expect(() => parseSavedModel('[1, 2]', 'm.json')).toThrow(/not a saved model/);
  });

  it('format 1 (no layout recorded) is read with this version’s layout', () => {
    const o = json();
    o.format = 'powerbidder-policy/1';
    delete o.config.layout;
    expect(load(o).model.config.layout).toEqual(validModel().config.layout);
  });

  it('any single non-finite weight, anywhere, is refused (200 random damages)', () => {
    const rng = createRng(11);
    const bad = [Number.NaN, Infinity, -Infinity];
    for (let k = 0; k < 200; k++) {
      const m = validModel();
      const w = m.weights[rng.int(m.weights.length)];
      const i = rng.int(w.values.length);
      w.values[i] = bad[rng.int(3)];
      expect(() => checkSavedModel(m)).toThrow(ModelFileError);
    }
  });
});

describe('saved model on a site', () => {
  const siteModel = (): SavedModel =>
    validModel({
      pvScale: 1,
      importLimitKW: null,
      exportLimitKW: 40,
      importFeeEurPerMWh: 10,
      exportFeeEurPerMWh: 0,
      chargeFromPvOnly: true,
      pvStdKW: 20,
      loadStdKW: 1,
    });

  it('records config.site and a layout that ends with the site features; it round-trips through JSON', () => {
    const m = siteModel();
    expect(m.config.layout.slice(-4).map((s) => s.name)).toEqual(['pv', 'load', 'nextPv', 'nextLoad']);
    const back = parseSavedModel(serializeSavedModel(m)).model;
    expect(back.config).toEqual(m.config);
  });

  it('an older model without the planner correction loads planning on the raw forecast; a newer one keeps its own', () => {
    const old = JSON.parse(serializeSavedModel(validModel()));
    delete old.config.env.plannerBiasWeight;
    delete old.config.env.plannerBiasDays;
    delete old.config.env.plannerLastDayWeight;
    expect(parseSavedModel(JSON.stringify(old)).model.config.env).toMatchObject({
      plannerBiasWeight: 0,
      plannerBiasDays: 14,
      plannerLastDayWeight: 0,
    });
    // Saved with the bias correction but before the last-day blend: it planned without the blend.
    const biasOnly = JSON.parse(serializeSavedModel(validModel()));
    biasOnly.config.env.plannerBiasWeight = 0.25;
    delete biasOnly.config.env.plannerLastDayWeight;
    expect(parseSavedModel(JSON.stringify(biasOnly)).model.config.env).toMatchObject({
      plannerBiasWeight: 0.25,
      plannerLastDayWeight: 0,
    });
    const own = JSON.parse(serializeSavedModel(validModel()));
    own.config.env.plannerBiasWeight = 0.4;
    own.config.env.plannerBiasDays = 21;
    own.config.env.plannerLastDayWeight = 0.2;
    expect(parseSavedModel(JSON.stringify(own)).model.config.env).toMatchObject({
      plannerBiasWeight: 0.4,
      plannerBiasDays: 21,
      plannerLastDayWeight: 0.2,
    });
    own.config.env.plannerLastDayWeight = -1;
    expect(() => parseSavedModel(JSON.stringify(own))).toThrow(/config\.env\.plannerLastDayWeight must be between/);
    own.config.env.plannerLastDayWeight = 0.2;
    own.config.env.plannerBiasDays = 2.5;
    expect(() => parseSavedModel(JSON.stringify(own))).toThrow(/config\.env\.plannerBiasDays must be a whole number/);
    own.config.env.plannerBiasDays = 14;
    own.config.env.plannerBiasWeight = 'a lot';
    expect(() => parseSavedModel(JSON.stringify(own))).toThrow(/config\.env\.plannerBiasWeight/);
  });

  it('an older model without config.site loads unchanged, with no site features', () => {
    const back = parseSavedModel(serializeSavedModel(validModel())).model;
    expect(back.config.site).toBeUndefined();
    expect(back.config.layout.some((s) => s.name === 'pv')).toBe(false);
  });

  it('refuses a site model whose weights miss the site features, and a site that makes no sense', () => {
    const o = JSON.parse(serializeSavedModel(validModel()));
    o.config.site = siteModel().config.site;
    expect(() => load(o)).toThrow(/config\.layout .* is not this version's observation layout/);
    const bad = JSON.parse(serializeSavedModel(siteModel()));
    bad.config.site.exportFeeEurPerMWh = -50;
    expect(() => load(bad)).toThrow(/config\.site\.exportFeeEurPerMWh/);
    const missing = JSON.parse(serializeSavedModel(siteModel()));
    delete missing.config.site.pvStdKW;
    expect(() => load(missing)).toThrow(/config\.site\.pvStdKW/);
  });
});
