// A sweep: a JSON spec whose every list is one axis; its tasks are the cartesian product of the axes in a stable
// order (DESIGN.md "Contracts added": files, information, forecast, battery, site, env, then this build's ppo and
// clone, then seeds; within battery, site, env, ppo and clone the fields in alphabetical order). Seeds vary
// fastest. Task I is decoded from I directly (mixed radix), so a task of a 100,000-task sweep costs nothing to find.
//
// `exogenous` is no axis: it names, per price file, the day-ahead exogenous forecasts (wind, solar, load) that
// file's day-ahead tasks give their forecaster, as `bess train --exogenous FILE` does; lear needs one.
//
// Every task has a stable id: a hash of its whole configuration (not of its index), so the same configuration in
// an edited spec keeps its id, and a finished task is recognised whatever the order. Its run id in MLflow is the
// hash of (sweep name, task id): one run per task, ever.
//
// Pure: no file system. The CLI reads the file, resolves paths, and calls parseSweepSpec / sweepTask.
//
// Usage: const spec = parseSweepSpec(JSON.parse(text), 'sweep.json'); const task = sweepTask(spec, 3);

import { resolveBattery, type BatterySpec } from '../battery/index.ts';
import { DEFAULT_ENV_CONFIG, resolveEnvConfig, type EnvConfig } from '../env/config.ts';
import {
  DEFAULT_CLONE_CONFIG,
  DEFAULT_PPO_CONFIG,
  resolveCloneConfig,
  resolvePpoConfig,
  type CloneConfig,
  type PpoConfig,
} from '../rl/config.ts';
import { FORECAST_MODELS } from '../forecast/registry.ts';
import { hash128, stableJson } from './hash.ts';
import { SITE_FIELD_LABELS, SiteParamError, resolveSite } from '../site/site.ts';

/** DESIGN.md "Information". */
export const INFORMATION_MODES = ['perfect', 'known-24h', 'day-ahead'] as const;
export type InformationMode = (typeof INFORMATION_MODES)[number];

/** What this build's trainer can run (bess train --information): the next 24 h of actual prices, or day-ahead. */
export const RUNNABLE_INFORMATION: readonly InformationMode[] = ['known-24h', 'day-ahead'];

/** Forecasters a sweep may train day-ahead agents on (bess train --forecast); lear needs the spec's `exogenous`
 * file for every price file. */
export const SWEEP_FORECASTS: readonly string[] = FORECAST_MODELS;

/** The forecaster of a day-ahead task when the spec has no forecast axis (bess train's default without exogenous). */
export const DEFAULT_SWEEP_FORECAST = 'ridge';
/** ... and when the task's file has an exogenous file (bess train's default with --exogenous). */
export const DEFAULT_SWEEP_FORECAST_EXOGENOUS = 'lear';

/** Battery fields a sweep may vary (BatterySpec, without the derived powerKW alias' twins resolved). */
const BATTERY_FIELDS = [
  'capacityKWh',
  'powerKW',
  'chargePowerKW',
  'dischargePowerKW',
  'chargeEfficiency',
  'dischargeEfficiency',
  'degradationEurPerKWh',
  'initialSocKWh',
  'minSocKWh',
  'maxSocKWh',
  'terminalSocKWh',
  'sharedPowerLimit',
] as const satisfies readonly (keyof BatterySpec)[];

type Scalar = number | boolean | string;

/** A validated spec, with every optional part filled in. */
export interface SweepSpec {
  /** Names the sweep (the MLflow experiment is `sweep <name>`); default: the spec file's name without .json. */
  name: string;
  files: string[];
  /** Optional wall-clock cap per training, seconds (the work is the budget: ppo.totalTimesteps, clone.epochs). */
  seconds: number | null;
  seeds: number[];
  information: InformationMode[];
  forecast: string[];
  /** The exogenous file of each price file that has one: `files` entry → path (both as written, relative to the
   * spec's folder); empty when the spec names none. */
  exogenous: Record<string, string>;
  battery: Record<string, Scalar[]>;
  site: Record<string, Scalar[]>;
  env: Record<string, Scalar[]>;
  ppo: Record<string, Scalar[]>;
  clone: Record<string, Scalar[]>;
  /** Warm start by cloning the teacher (default true). */
  cloneWarmStart: boolean;
}

/** One task of a sweep: everything a training needs, and its identity. */
export interface SweepTask {
  index: number;
  /** 32 hex digits: hash of the configuration below (seed included). */
  taskId: string;
  /** 32 hex digits: hash of the configuration without the seed; tasks that differ only in seed share it. */
  configId: string;
  /** 32 hex digits: the MLflow run id of this task in this sweep. */
  runId: string;
  file: string;
  information: InformationMode;
  forecast: string | null;
  /** The exogenous file (as the spec wrote it) of a day-ahead task whose file has one; null otherwise. */
  exogenous: string | null;
  battery: BatterySpec;
  site: Record<string, Scalar>;
  env: Partial<EnvConfig>;
  ppo: Partial<PpoConfig>;
  clone: Partial<CloneConfig>;
  cloneWarmStart: boolean;
  seed: number;
  seconds: number | null;
}

/** A spec that cannot be run: the message names the field path (`battery.capacityKWh[1]`) and the file. */
export class SweepSpecError extends Error {
  override name = 'SweepSpecError';
}

const TOP_FIELDS = [
  'name',
  'files',
  'seconds',
  'seeds',
  'information',
  'forecast',
  'exogenous',
  'battery',
  'site',
  'env',
  'ppo',
  'clone',
  'cloneWarmStart',
];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v)));

/** Checks a parsed spec (JSON.parse of the file) and fills defaults; throws SweepSpecError naming the field. */
export function parseSweepSpec(raw: unknown, source = 'sweep spec', defaultName = 'sweep'): SweepSpec {
  const fail = (path: string, message: string): never => {
    throw new SweepSpecError(`${source}: ${path}: ${message}`);
  };
  if (!isObject(raw)) fail('(top level)', 'a sweep spec is a JSON object {files, seeds, ...}');
  const spec = raw as Record<string, unknown>;
  for (const k of Object.keys(spec))
    if (!TOP_FIELDS.includes(k)) fail(k, `unknown field (a spec has ${TOP_FIELDS.join(', ')})`);

  const list = (path: string, v: unknown, required: boolean): unknown[] => {
    if (v === undefined) return required ? fail(path, 'is required (a list)') : [];
    if (!Array.isArray(v)) return fail(path, `must be a list, got ${show(v)}`);
    if (required && v.length === 0) fail(path, 'must not be empty');
    const seen = new Set<string>();
    v.forEach((x, i) => {
      const key = stableJson(x);
      if (seen.has(key)) fail(`${path}[${i}]`, `${show(x)} is listed twice (an axis has distinct values)`);
      seen.add(key);
    });
    return v;
  };

  let name = defaultName;
  if (spec.name !== undefined) {
    if (typeof spec.name !== 'string' || !/^[\w.-]{1,100}$/.test(spec.name))
      fail('name', `must be 1–100 letters, digits, _ . -, got ${show(spec.name)}`);
    name = spec.name as string;
  }

  const files = list('files', spec.files, true).map((f, i) => {
    if (typeof f !== 'string' || !f.trim()) fail(`files[${i}]`, `must be a path (a string), got ${show(f)}`);
    return f as string;
  });

  let seconds: number | null = null;
  if (spec.seconds !== undefined && spec.seconds !== null) {
    if (typeof spec.seconds !== 'number' || !(spec.seconds > 0) || !Number.isFinite(spec.seconds))
      fail('seconds', `must be a number > 0 (the time cap of one training), got ${show(spec.seconds)}`);
    seconds = spec.seconds as number;
  }

  const seeds = list('seeds', spec.seeds, true).map((s, i) => {
    if (typeof s !== 'number' || !Number.isSafeInteger(s))
      fail(`seeds[${i}]`, `must be a whole number, got ${show(s)}`);
    return s as number;
  });

  const informationRaw = list('information', spec.information, false);
  const information = (informationRaw.length ? informationRaw : ['known-24h']).map((m, i) => {
    if (!INFORMATION_MODES.includes(m as InformationMode))
      fail(`information[${i}]`, `must be one of ${INFORMATION_MODES.join(', ')}, got ${show(m)}`);
    if (!RUNNABLE_INFORMATION.includes(m as InformationMode))
      fail(
        `information[${i}]`,
        `${show(m)}: this build's trainer runs ${RUNNABLE_INFORMATION.join(', ')} only (bess train --information)`,
      );
    return m as InformationMode;
  });

  const forecast = list('forecast', spec.forecast, false).map((f, i) => {
    if (typeof f !== 'string') fail(`forecast[${i}]`, `must be a forecast model name, got ${show(f)}`);
    if (!SWEEP_FORECASTS.includes(f as string))
      fail(`forecast[${i}]`, `must be one of ${SWEEP_FORECASTS.join(', ')}, got ${show(f)}`);
    return f as string;
  });
  // A forecast axis multiplies every information mode; under known-24h it would repeat the same training.
  const notDayAhead = information.findIndex((m) => m !== 'day-ahead');
  if (forecast.length && notDayAhead >= 0)
    fail(
      'forecast',
      `applies to information day-ahead only, but information[${notDayAhead}] is ${show(information[notDayAhead])} ` +
        '(sweep known-24h in a spec of its own)',
    );
  const exogenous = parseExogenous(spec.exogenous, files, information, fail);
  const learAt = forecast.indexOf('lear');
  const bare = files.findIndex((f) => !Object.hasOwn(exogenous, f));
  if (learAt >= 0 && bare >= 0)
    fail(
      `forecast[${learAt}]`,
      `"lear" needs exogenous day-ahead forecasts (bess train --exogenous) for every file, but files[${bare}] ` +
        `${show(files[bare])} has none in exogenous (add "exogenous": {${show(files[bare])}: "<exogenous file>"})`,
    );

  const group = (
    field: string,
    allowed: Readonly<Record<string, unknown>> | readonly string[],
    types: (k: string) => string,
  ): Record<string, Scalar[]> => {
    const v = spec[field];
    if (v === undefined) return {};
    if (!isObject(v)) return fail(field, `must be an object {<field>: [values]}, got ${show(v)}`);
    const names = Array.isArray(allowed) ? (allowed as readonly string[]) : Object.keys(allowed);
    const out: Record<string, Scalar[]> = {};
    for (const k of Object.keys(v).sort()) {
      if (!names.includes(k)) fail(`${field}.${k}`, `unknown field (${field} fields: ${names.join(', ')})`);
      const values = list(`${field}.${k}`, v[k], true);
      const type = types(k);
      values.forEach((x, i) => {
        if (typeof x !== type || (type === 'number' && !Number.isFinite(x as number)))
          fail(`${field}.${k}[${i}]`, `must be a ${type === 'number' ? 'finite number' : type}, got ${show(x)}`);
      });
      out[k] = values as Scalar[];
    }
    return out;
  };
  const typeOf = (defaults: Readonly<Record<string, unknown>>) => (k: string) => typeof defaults[k];

  const battery = group('battery', BATTERY_FIELDS, (k) => (k === 'sharedPowerLimit' ? 'boolean' : 'number'));
  // Site fields (SiteSpec; a limit left out is no limit), each value checked alone by the site model.
  const site = group('site', Object.keys(SITE_FIELD_LABELS), (k) => (k === 'chargeFromPvOnly' ? 'boolean' : 'number'));
  for (const [k, values] of Object.entries(site))
    values.forEach((x, i) => {
      try {
        resolveSite({ [k]: x });
      } catch (e) {
        if (e instanceof SiteParamError) fail(`site.${k}[${i}]`, e.message);
        throw e;
      }
    });
  const env = group(
    'env',
    DEFAULT_ENV_CONFIG as unknown as Record<string, unknown>,
    typeOf(DEFAULT_ENV_CONFIG as unknown as Record<string, unknown>),
  );
  const ppo = group(
    'ppo',
    DEFAULT_PPO_CONFIG as unknown as Record<string, unknown>,
    typeOf(DEFAULT_PPO_CONFIG as unknown as Record<string, unknown>),
  );
  const clone = group(
    'clone',
    DEFAULT_CLONE_CONFIG as unknown as Record<string, unknown>,
    typeOf(DEFAULT_CLONE_CONFIG as unknown as Record<string, unknown>),
  );

  let cloneWarmStart = true;
  if (spec.cloneWarmStart !== undefined) {
    if (typeof spec.cloneWarmStart !== 'boolean')
      fail('cloneWarmStart', `must be true or false, got ${show(spec.cloneWarmStart)}`);
    cloneWarmStart = spec.cloneWarmStart as boolean;
  }

  const result: SweepSpec = {
    name,
    files,
    seconds,
    seeds,
    information,
    forecast,
    exogenous,
    battery,
    site,
    env,
    ppo,
    clone,
    cloneWarmStart,
  };
  checkCombinations(result, fail);
  return result;
}

/** `exogenous`: one path for every file, or {"<files entry>": "<path>"}; for day-ahead information only. */
function parseExogenous(
  v: unknown,
  files: readonly string[],
  information: readonly InformationMode[],
  fail: (path: string, message: string) => never,
): Record<string, string> {
  if (v === undefined) return {};
  const form = 'a path (every file\'s) or an object {"<file in files>": "<exogenous file>"}';
  const entries: [string, string][] = [];
  if (typeof v === 'string') {
    if (!v.trim()) fail('exogenous', `must be ${form}, got ""`);
    for (const f of files) entries.push([f, v]);
  } else if (isObject(v)) {
    for (const [k, p] of Object.entries(v)) {
      if (!files.includes(k))
        fail(
          `exogenous.${show(k)}`,
          `is not in files (the keys are files entries as written there: ${files.map(show).join(', ')})`,
        );
      if (typeof p !== 'string' || !p.trim())
        fail(`exogenous.${show(k)}`, `must be the exogenous file's path (a string), got ${show(p)}`);
      entries.push([k, p as string]);
    }
  } else return fail('exogenous', `must be ${form}, got ${show(v)}`);
  // fromEntries defines own properties whatever the file is called (even "__proto__"); lookups use Object.hasOwn.
  const out: Record<string, string> = Object.fromEntries(entries);
  if (entries.length && !information.includes('day-ahead'))
    fail(
      'exogenous',
      `applies to information day-ahead only (as bess train --exogenous), but information is ${show(information)}`,
    );
  return out;
}

/** The axes in their stable order: [path, values]. */
function axes(spec: SweepSpec): [string, readonly unknown[]][] {
  const out: [string, readonly unknown[]][] = [
    ['files', spec.files],
    ['information', spec.information],
  ];
  if (spec.forecast.length) out.push(['forecast', spec.forecast]);
  for (const g of ['battery', 'site', 'env', 'ppo', 'clone'] as const)
    for (const [k, v] of Object.entries(spec[g])) out.push([`${g}.${k}`, v]);
  out.push(['seeds', spec.seeds]);
  return out;
}

/** How many tasks the spec expands into. */
export function taskCount(spec: SweepSpec): number {
  return axes(spec).reduce((n, [, v]) => n * v.length, 1);
}

/** The axes' values of task `index` (mixed radix, the last axis fastest). */
function pick(spec: SweepSpec, index: number): Map<string, unknown> {
  const ax = axes(spec);
  const chosen = new Map<string, unknown>();
  let rest = index;
  for (let a = ax.length - 1; a >= 0; a--) {
    const [path, values] = ax[a];
    chosen.set(path, values[rest % values.length]);
    rest = Math.floor(rest / values.length);
  }
  return chosen;
}

function groupOf(chosen: Map<string, unknown>, g: string): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const [path, v] of chosen) if (path.startsWith(g + '.')) out[path.slice(g.length + 1)] = v as Scalar;
  return out;
}

/** The sweep's id: a hash of its normalised spec (a spec without exogenous files hashes as before the field was). */
export function sweepId(spec: SweepSpec): string {
  return hash128(stableJson(Object.keys(spec.exogenous).length ? spec : { ...spec, exogenous: undefined }));
}

/** Task `index` (0 ≤ index < taskCount). */
export function sweepTask(spec: SweepSpec, index: number): SweepTask {
  const n = taskCount(spec);
  if (!Number.isInteger(index) || index < 0 || index >= n)
    throw new RangeError(`task index ${index} is out of range: this sweep has ${n} tasks (0–${n - 1})`);
  const chosen = pick(spec, index);
  const information = chosen.get('information') as InformationMode;
  const file = chosen.get('files') as string;
  // Known-24h tasks see no forecast: they carry no exogenous file (and keep the ids they had without one).
  const exogenous = information === 'day-ahead' && Object.hasOwn(spec.exogenous, file) ? spec.exogenous[file] : null;
  const forecast = spec.forecast.length
    ? (chosen.get('forecast') as string)
    : information === 'day-ahead'
      ? exogenous
        ? DEFAULT_SWEEP_FORECAST_EXOGENOUS
        : DEFAULT_SWEEP_FORECAST
      : null;
  const config = {
    file,
    information,
    forecast,
    // Left out of the hashed configuration when null, so tasks without one keep the ids they had before the field.
    exogenous: exogenous ?? undefined,
    battery: groupOf(chosen, 'battery') as BatterySpec,
    site: groupOf(chosen, 'site'),
    env: groupOf(chosen, 'env') as Partial<EnvConfig>,
    ppo: groupOf(chosen, 'ppo') as Partial<PpoConfig>,
    clone: groupOf(chosen, 'clone') as Partial<CloneConfig>,
    cloneWarmStart: spec.cloneWarmStart,
    seconds: spec.seconds,
  };
  const seed = chosen.get('seeds') as number;
  const configId = hash128(stableJson(config));
  const taskId = hash128(stableJson({ ...config, seed }));
  return {
    index,
    taskId,
    configId,
    runId: hash128(`${spec.name}\u0000${taskId}`),
    ...config,
    exogenous,
    seed,
  };
}

/** Every task, in index order (small sweeps, tests, the report). */
export function sweepTasks(spec: SweepSpec): SweepTask[] {
  return Array.from({ length: taskCount(spec) }, (_, i) => sweepTask(spec, i));
}

/** Resolves every distinct battery/env/ppo/clone combination once, so a bad value fails before any task runs. */
function checkCombinations(spec: SweepSpec, fail: (path: string, message: string) => never): void {
  const n = taskCount(spec);
  if (n > 1_000_000) fail('(axes)', `the sweep expands into ${n} tasks; more than 1,000,000 is surely a mistake`);
  const check = (g: 'battery' | 'env' | 'ppo' | 'clone', resolve: (v: Record<string, Scalar>) => unknown) => {
    const fields = Object.entries(spec[g]);
    const count = fields.reduce((m, [, v]) => m * v.length, 1);
    if (count > 100_000) return; // too many to try each; tasks then fail one by one with the same message
    for (let i = 0; i < count; i++) {
      const combo: Record<string, Scalar> = {};
      let rest = i;
      for (let f = fields.length - 1; f >= 0; f--) {
        combo[fields[f][0]] = fields[f][1][rest % fields[f][1].length];
        rest = Math.floor(rest / fields[f][1].length);
      }
      try {
        resolve(combo);
      } catch (e) {
        fail(g, `${stableJson(combo)}: ${(e as Error).message}`);
      }
    }
  };
  check('battery', (v) => resolveBattery(v as BatterySpec));
  check('env', (v) => resolveEnvConfig(v as Partial<EnvConfig>));
  check('ppo', (v) => resolvePpoConfig(v as Partial<PpoConfig>));
  check('clone', (v) => resolveCloneConfig(v as Partial<CloneConfig>));
}
