import { describe, expect, it } from 'vitest';
import { hash128, stableJson } from './hash.ts';
import { SweepSpecError, parseSweepSpec, sweepId, sweepTask, sweepTasks, taskCount } from './spec.ts';

// Hand-checked: 2 files × 1 information × 2 capacities × 2 sellAboveAvgBonusCoef × 3 seeds = 24 tasks; seeds vary
// fastest, then env, then battery, then files.
const SPEC = {
  name: 'hand',
  files: ['a.csv', 'b.csv'],
  seeds: [1, 2, 3],
  battery: { capacityKWh: [100, 200] },
  env: { sellAboveAvgBonusCoef: [0, 0.1] },
  ppo: { totalTimesteps: [2048] },
};

describe('sweep spec expansion', () => {
  const spec = parseSweepSpec(SPEC, 'hand.json');
  it('expands into the cartesian product in the stable order, seeds fastest', () => {
    expect(taskCount(spec)).toBe(24);
    const tasks = sweepTasks(spec);
    const row = (i: number) => [
      tasks[i].file,
      tasks[i].battery.capacityKWh,
      tasks[i].env.sellAboveAvgBonusCoef,
      tasks[i].seed,
    ];
    expect(row(0)).toEqual(['a.csv', 100, 0, 1]);
    expect(row(1)).toEqual(['a.csv', 100, 0, 2]);
    expect(row(3)).toEqual(['a.csv', 100, 0.1, 1]);
    expect(row(6)).toEqual(['a.csv', 200, 0, 1]);
    expect(row(11)).toEqual(['a.csv', 200, 0.1, 3]);
    expect(row(12)).toEqual(['b.csv', 100, 0, 1]);
    expect(row(23)).toEqual(['b.csv', 200, 0.1, 3]);
    expect(tasks.every((t) => t.information === 'known-24h' && t.ppo.totalTimesteps === 2048)).toBe(true);
    expect(tasks.map((t) => t.index)).toEqual([...Array(24).keys()]);
  });

  it('gives each task a distinct stable id, shared config ids across seeds only', () => {
    const tasks = sweepTasks(spec);
    expect(new Set(tasks.map((t) => t.taskId)).size).toBe(24);
    expect(new Set(tasks.map((t) => t.runId)).size).toBe(24);
    expect(new Set(tasks.map((t) => t.configId)).size).toBe(8);
    expect(tasks[0].configId).toBe(tasks[2].configId);
    expect(tasks.every((t) => /^[0-9a-f]{32}$/.test(t.runId))).toBe(true);
  });

  it('ids depend on the configuration, not on its index or the JSON key order', () => {
    // A third capacity shifts indices, but the tasks that were there keep their ids.
    const wider = parseSweepSpec({ ...SPEC, battery: { capacityKWh: [50, 100, 200] } }, 'w.json');
    const before = new Map(sweepTasks(spec).map((t) => [t.taskId, t]));
    const after = sweepTasks(wider);
    expect(after.filter((t) => before.has(t.taskId)).length).toBe(24);
    expect(after.find((t) => t.taskId === sweepTask(spec, 6).taskId)?.index).not.toBe(6);
    const reordered = parseSweepSpec(
      { ppo: SPEC.ppo, env: SPEC.env, battery: SPEC.battery, seeds: SPEC.seeds, files: SPEC.files, name: 'hand' },
      'r.json',
    );
    expect(sweepTasks(reordered).map((t) => t.runId)).toEqual(sweepTasks(spec).map((t) => t.runId));
    expect(sweepId(reordered)).toBe(sweepId(spec));
    // The same task in another sweep (another name) is another MLflow run.
    expect(sweepTask(parseSweepSpec({ ...SPEC, name: 'other' }), 0).runId).not.toBe(sweepTask(spec, 0).runId);
    expect(sweepTask(parseSweepSpec({ ...SPEC, name: 'other' }), 0).taskId).toBe(sweepTask(spec, 0).taskId);
  });

  it('refuses an index out of range, naming the range', () => {
    expect(() => sweepTask(spec, 24)).toThrow('task index 24 is out of range: this sweep has 24 tasks (0–23)');
    expect(() => sweepTask(spec, -1)).toThrow(/out of range/);
    expect(() => sweepTask(spec, 1.5)).toThrow(/out of range/);
  });

  it('uses the default name and known-24h when they are absent', () => {
    const s = parseSweepSpec({ files: ['x.csv'], seeds: [7] }, 'x.json', 'x');
    expect(s.name).toBe('x');
    expect(taskCount(s)).toBe(1);
    expect(sweepTask(s, 0)).toMatchObject({
      file: 'x.csv',
      seed: 7,
      information: 'known-24h',
      seconds: null,
      cloneWarmStart: true,
    });
  });
});

describe('bad specs name the field path', () => {
  const bad = (spec: unknown) => () => parseSweepSpec(spec, 'bad.json');
  it.each([
    [[1, 2], /bad.json: \(top level\): a sweep spec is a JSON object/],
    [{ seeds: [1] }, /bad.json: files: is required/],
    [{ files: [], seeds: [1] }, /files: must not be empty/],
    [{ files: ['a', 3], seeds: [1] }, /files\[1\]: must be a path/],
    [{ files: ['a'], seeds: [1, 1.5] }, /seeds\[1\]: must be a whole number, got 1.5/],
    [{ files: ['a'], seeds: [1, 1] }, /seeds\[1\]: 1 is listed twice/],
    [{ files: ['a'], seeds: [1], seconds: 0 }, /seconds: must be a number > 0/],
    [{ files: ['a'], seeds: [1], sedes: [1] }, /sedes: unknown field/],
    [
      { files: ['a'], seeds: [1], battery: { capacity: [1] } },
      /battery.capacity: unknown field \(battery fields: capacityKWh/,
    ],
    [{ files: ['a'], seeds: [1], battery: { capacityKWh: 100 } }, /battery.capacityKWh: must be a list, got 100/],
    [
      { files: ['a'], seeds: [1], battery: { capacityKWh: [100, '200'] } },
      /battery.capacityKWh\[1\]: must be a finite number, got "200"/,
    ],
    [
      { files: ['a'], seeds: [1], battery: { capacityKWh: [100, -5] } },
      /bad.json: battery: \{"capacityKWh":-5\}: .*capacity \(kWh\)/,
    ],
    [
      { files: ['a'], seeds: [1], env: { numActions: [4] } },
      /env: \{"numActions":4\}: env.numActions must be an odd integer/,
    ],
    [{ files: ['a'], seeds: [1], env: { randomStartSoc: [1] } }, /env.randomStartSoc\[0\]: must be a boolean, got 1/],
    [
      { files: ['a'], seeds: [1], ppo: { totalTimesteps: [-1] } },
      /ppo: \{"totalTimesteps":-1\}: ppo.totalTimesteps must be an integer ≥ 0/,
    ],
    [
      { files: ['a'], seeds: [1], information: ['tomorrow'] },
      /information\[0\]: must be one of perfect, known-24h, day-ahead/,
    ],
    [
      { files: ['a'], seeds: [1], information: ['perfect'] },
      /information\[0\]: "perfect": this build's trainer runs known-24h, day-ahead only/,
    ],
    [
      { files: ['a'], seeds: [1], forecast: ['ridge'] },
      /forecast: applies to information day-ahead only, but information\[0\] is "known-24h"/,
    ],
    [
      { files: ['a'], seeds: [1], information: ['day-ahead', 'known-24h'], forecast: ['ridge'] },
      /forecast: applies to information day-ahead only, but information\[1\] is "known-24h"/,
    ],
    [
      { files: ['a'], seeds: [1], information: ['day-ahead'], forecast: ['lear'] },
      /forecast\[0\]: "lear" needs exogenous day-ahead forecasts \(bess train --exogenous\) for every file, but files\[0\] "a" has none in exogenous/,
    ],
    [
      { files: ['a', 'b'], seeds: [1], information: ['day-ahead'], forecast: ['ridge', 'lear'], exogenous: { a: 'x' } },
      /forecast\[1\]: "lear" needs .* but files\[1\] "b" has none in exogenous \(add "exogenous": \{"b": "<exogenous file>"\}\)/,
    ],
    [
      { files: ['a'], seeds: [1], information: ['day-ahead'], exogenous: { 'c.csv': 'x' } },
      /bad.json: exogenous."c.csv": is not in files \(the keys are files entries as written there: "a"\)/,
    ],
    [
      { files: ['a'], seeds: [1], information: ['day-ahead'], exogenous: { a: 3 } },
      /exogenous."a": must be the exogenous file's path \(a string\), got 3/,
    ],
    [{ files: ['a'], seeds: [1], information: ['day-ahead'], exogenous: ['x'] }, /exogenous: must be a path/],
    [{ files: ['a'], seeds: [1], information: ['day-ahead'], exogenous: '' }, /exogenous: must be a path/],
    [
      { files: ['a'], seeds: [1], exogenous: 'x' },
      /exogenous: applies to information day-ahead only \(as bess train --exogenous\), but information is \["known-24h"\]/,
    ],
    [
      { files: ['a'], seeds: [1], information: ['day-ahead'], forecast: ['ridge', 'arima'] },
      /forecast\[1\]: must be one of naive-d1, naive-d7, ridge, (.+, )?noisy-truth, column, got "arima"/,
    ],
    [{ files: ['a'], seeds: [1], site: { pvScal: [1] } }, /site.pvScal: unknown field \(site fields: pvScale, /],
    [
      { files: ['a'], seeds: [1], site: { exportLimitKW: [10, -1] } },
      /site.exportLimitKW\[1\]: export limit \(kW\) must be within/,
    ],
    [
      { files: ['a'], seeds: [1], site: { chargeFromPvOnly: ['yes'] } },
      /site.chargeFromPvOnly\[0\]: must be a boolean/,
    ],
    [{ files: ['a'], seeds: [1], name: 'a b' }, /name: must be 1–100 letters/],
    [{ files: ['a'], seeds: [1], cloneWarmStart: 'yes' }, /cloneWarmStart: must be true or false/],
  ])('%j', (spec, message) => {
    expect(bad(spec)).toThrow(SweepSpecError);
    expect(bad(spec)).toThrow(message);
  });
});

describe('information and forecast axes', () => {
  it('day-ahead × forecasters expand in the contract order (information, then forecast, before battery)', () => {
    const spec = parseSweepSpec(
      {
        files: ['a.csv'],
        seeds: [1, 2],
        information: ['day-ahead'],
        forecast: ['naive-d7', 'ridge'],
        battery: { capacityKWh: [100, 200] },
      },
      'x.json',
    );
    expect(taskCount(spec)).toBe(8);
    const tasks = sweepTasks(spec);
    expect(tasks.map((t) => `${t.forecast}/${t.battery.capacityKWh}/${t.seed}`)).toEqual([
      'naive-d7/100/1',
      'naive-d7/100/2',
      'naive-d7/200/1',
      'naive-d7/200/2',
      'ridge/100/1',
      'ridge/100/2',
      'ridge/200/1',
      'ridge/200/2',
    ]);
    expect(tasks.every((t) => t.information === 'day-ahead')).toBe(true);
    // A forecaster is part of the configuration: the two forecasters' tasks are different configurations.
    expect(tasks[0].configId).toBe(tasks[1].configId);
    expect(tasks[0].configId).not.toBe(tasks[4].configId);
  });

  it('day-ahead without a forecast axis trains on ridge; known-24h tasks keep forecast null and their ids', () => {
    const da = sweepTask(parseSweepSpec({ files: ['a.csv'], seeds: [1], information: ['day-ahead'] }), 0);
    expect(da.forecast).toBe('ridge');
    const both = sweepTasks(parseSweepSpec({ files: ['a.csv'], seeds: [1], information: ['known-24h', 'day-ahead'] }));
    expect(both.map((t) => [t.information, t.forecast])).toEqual([
      ['known-24h', null],
      ['day-ahead', 'ridge'],
    ]);
    // Adding the day-ahead mode does not change the known-24h task's id (its finished run is recognised).
    const alone = sweepTask(parseSweepSpec({ files: ['a.csv'], seeds: [1] }), 0);
    expect(both[0].taskId).toBe(alone.taskId);
    expect(both[1].taskId).not.toBe(alone.taskId);
  });
});

describe('exogenous files', () => {
  const base = { files: ['de.csv', 'be.csv'], seeds: [1, 2], information: ['day-ahead'] };
  it('go with their price file: day-ahead tasks carry them, lear is then the default, the task count is unchanged', () => {
    const spec = parseSweepSpec({ ...base, exogenous: { 'de.csv': '../exo/de-smard.csv' } }, 'x.json');
    expect(spec.exogenous).toEqual({ 'de.csv': '../exo/de-smard.csv' });
    expect(sweepTasks(spec).map((t) => [t.file, t.forecast, t.exogenous, t.seed])).toEqual([
      ['de.csv', 'lear', '../exo/de-smard.csv', 1],
      ['de.csv', 'lear', '../exo/de-smard.csv', 2],
      ['be.csv', 'ridge', null, 1],
      ['be.csv', 'ridge', null, 2],
    ]);
    // A file without an exogenous file keeps the tasks (and ids) it had in a spec without the field.
    const without = sweepTasks(parseSweepSpec(base, 'x.json'));
    expect(sweepTask(spec, 2).taskId).toBe(without[2].taskId);
    expect(sweepTask(spec, 0).taskId).not.toBe(without[0].taskId);
    expect(sweepTask(spec, 0).configId).toBe(sweepTask(spec, 1).configId);
    expect(sweepId(spec)).not.toBe(sweepId(parseSweepSpec(base, 'x.json')));
  });

  it('one path is every file’s; with a forecast axis every forecaster of the file gets it (as --exogenous does)', () => {
    const spec = parseSweepSpec({ ...base, seeds: [1], forecast: ['ridge', 'lear'], exogenous: 'smard.csv' }, 'x.json');
    expect(spec.exogenous).toEqual({ 'de.csv': 'smard.csv', 'be.csv': 'smard.csv' });
    expect(sweepTasks(spec).map((t) => `${t.file}/${t.forecast}/${t.exogenous}`)).toEqual([
      'de.csv/ridge/smard.csv',
      'de.csv/lear/smard.csv',
      'be.csv/ridge/smard.csv',
      'be.csv/lear/smard.csv',
    ]);
    // The same file under another exogenous file is another configuration.
    const other = parseSweepSpec(
      { ...base, seeds: [1], forecast: ['ridge', 'lear'], exogenous: 'other.csv' },
      'x.json',
    );
    expect(sweepTask(other, 1).configId).not.toBe(sweepTask(spec, 1).configId);
  });

  it('known-24h tasks of a mixed spec carry none and keep their ids; an empty object is no exogenous', () => {
    const mixed = parseSweepSpec(
      { files: ['de.csv'], seeds: [1], information: ['known-24h', 'day-ahead'], exogenous: { 'de.csv': 'x.csv' } },
      'x.json',
    );
    const [k, d] = sweepTasks(mixed);
    expect([k.information, k.forecast, k.exogenous]).toEqual(['known-24h', null, null]);
    expect([d.information, d.forecast, d.exogenous]).toEqual(['day-ahead', 'lear', 'x.csv']);
    expect(k.taskId).toBe(sweepTask(parseSweepSpec({ files: ['de.csv'], seeds: [1] }), 0).taskId);
    const empty = parseSweepSpec({ ...base, exogenous: {} }, 'x.json');
    expect(sweepTasks(empty).map((t) => t.runId)).toEqual(
      sweepTasks(parseSweepSpec(base, 'x.json')).map((t) => t.runId),
    );
    expect(sweepId(empty)).toBe(sweepId(parseSweepSpec(base, 'x.json')));
  });

  it('a file named like an Object property is a key like any other', () => {
    const odd = { files: ['toString', '__proto__'], seeds: [1], information: ['day-ahead'] };
    expect(() => parseSweepSpec({ ...odd, forecast: ['lear'] }, 'x.json')).toThrow(/files\[0\] "toString" has none/);
    const spec = parseSweepSpec({ ...odd, exogenous: JSON.parse('{"__proto__": "p.csv"}') as unknown }, 'x.json');
    expect(sweepTasks(spec).map((t) => [t.file, t.exogenous, t.forecast])).toEqual([
      ['toString', null, 'ridge'],
      ['__proto__', 'p.csv', 'lear'],
    ]);
  });
});

// Specs written before the exogenous field expand into the same tasks, ids and order, and the same sweep id: these
// digests were taken on the code before the field existed (commit f3b08c9), over `index:taskId:configId:runId`.
describe('backwards compatibility', () => {
  const digest = (raw: unknown, name: string) => {
    const spec = parseSweepSpec(raw, `${name}.json`, name);
    const lines = sweepTasks(spec).map((t) => `${t.index}:${t.taskId}:${t.configId}:${t.runId}`);
    return [lines.length, sweepId(spec), hash128(lines.join('\n'))];
  };
  it.each([
    ['tiny', 'test-data/sweep/tiny.json', 4, 'adb870b150809dfdf41f21fca982596d', 'd6c70bc60b87db0f4e0668382fe159c2'],
    [
      'example-1000',
      'test-data/sweep/example-1000.json',
      1000,
      '95278180d2d60af81c3da62a5efe07ae',
      '2c4a516ced5da76bcdfaa7c194fdfc86',
    ],
  ])('%s', async (name, path, n, id, tasks) => {
    const { readFile } = await import('node:fs/promises');
    expect(digest(JSON.parse(await readFile(path, 'utf8')), name)).toEqual([n, id, tasks]);
  });
  it('day-ahead specs (with and without a forecast axis)', () => {
    const da = {
      name: 'da',
      files: ['a.csv', 'b.csv'],
      seeds: [1, 2],
      information: ['known-24h', 'day-ahead'],
      battery: { capacityKWh: [100, 200] },
    };
    expect(digest(da, 'day-ahead')).toEqual([
      16,
      '12d02d2dc43e13fc055079fb5ff620fb',
      '6e769b8138cafd9215b90c304b4ac934',
    ]);
    const fc = {
      name: 'fc',
      files: ['a.csv'],
      seeds: [1, 2],
      information: ['day-ahead'],
      forecast: ['naive-d1', 'ridge'],
    };
    expect(digest(fc, 'forecasts')).toEqual([
      4,
      'e976ee207c5a93d94a6fe6c3afc95b6b',
      '89b438bdf537a80856aa8293d3da8375',
    ]);
  });
});

describe('stable ids', () => {
  it('stableJson sorts keys at every level and keeps array order', () => {
    expect(stableJson({ b: 1, a: { d: [2, 1], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });
  it('hash128 is 32 hex digits, deterministic, and differs for near inputs', () => {
    expect(hash128('abc')).toMatch(/^[0-9a-f]{32}$/);
    expect(hash128('abc')).toBe(hash128('abc'));
    const many = new Set(Array.from({ length: 2000 }, (_, i) => hash128(`task ${i}`)));
    expect(many.size).toBe(2000);
    expect(hash128('')).not.toBe(hash128('\u0000'));
  });
});

describe("the README's 1,000-task example", () => {
  it('test-data/sweep/example-1000.json expands into 1,000 tasks, the last one the last of every axis', async () => {
    const { readFile } = await import('node:fs/promises');
    const spec = parseSweepSpec(
      JSON.parse(await readFile('test-data/sweep/example-1000.json', 'utf8')),
      'example-1000.json',
    );
    expect(taskCount(spec)).toBe(1000);
    expect(sweepTask(spec, 999)).toMatchObject({
      file: '../real/fr-2022-hourly.csv',
      battery: { capacityKWh: 200, powerKW: 100 },
      env: { sellAboveAvgBonusCoef: 0.3 },
      seed: 10,
      seconds: 3600,
    });
    expect(new Set(sweepTasks(spec).map((t) => t.runId)).size).toBe(1000);
  });

  it('test-data/sweep/de-lu-lear.json: ridge and lear on DE-LU 2023 with the SMARD forecasts, 12 tasks', async () => {
    const { readFile } = await import('node:fs/promises');
    const spec = parseSweepSpec(
      JSON.parse(await readFile('test-data/sweep/de-lu-lear.json', 'utf8')),
      'de-lu-lear.json',
    );
    const tasks = sweepTasks(spec);
    expect(tasks.length).toBe(12);
    expect(new Set(tasks.map((t) => t.exogenous))).toEqual(
      new Set(['../exogenous/de-lu-2023-generation-forecast-hourly.csv']),
    );
    expect(tasks.map((t) => t.forecast)).toEqual([...Array(6).fill('ridge'), ...Array(6).fill('lear')]);
  });

  it("the README's day-ahead shaping sweep: one coefficient at a time, the two specs' runs distinct", async () => {
    const { readFile } = await import('node:fs/promises');
    const load = async (name: string) =>
      sweepTasks(parseSweepSpec(JSON.parse(await readFile(`test-data/sweep/${name}`, 'utf8')), name));
    const bonus = await load('shaping-day-ahead-bonus.json');
    const penalty = await load('shaping-day-ahead-penalty.json');
    expect(bonus.map((t) => t.env.sellAboveAvgBonusCoef)).toEqual([0, 0, 0, 0.1, 0.1, 0.1, 0.3, 0.3, 0.3]);
    expect(penalty.map((t) => t.env.buyAboveAvgPenaltyEurPerKWh)).toEqual([0, 0, 0, 0.2, 0.2, 0.2]);
    for (const t of [...bonus, ...penalty]) expect([t.information, t.forecast]).toEqual(['day-ahead', 'ridge']);
    // Both specs share the sweep's name, so they meet in one experiment: their run ids must not collide.
    expect(new Set([...bonus, ...penalty].map((t) => t.runId)).size).toBe(15);
  });
});

describe('the site axis', () => {
  it('expands site fields like any axis (after battery, before env) and puts them in task.site', () => {
    const spec = parseSweepSpec({
      files: ['pv.csv'],
      seeds: [1],
      battery: { capacityKWh: [100, 200] },
      site: { exportLimitKW: [20, 50], chargeFromPvOnly: [false, true] },
    });
    expect(taskCount(spec)).toBe(8);
    expect(sweepTask(spec, 0).site).toEqual({ chargeFromPvOnly: false, exportLimitKW: 20 });
    expect(sweepTask(spec, 1).site).toEqual({ chargeFromPvOnly: false, exportLimitKW: 50 });
    expect(sweepTask(spec, 2).site).toEqual({ chargeFromPvOnly: true, exportLimitKW: 20 });
    expect(sweepTask(spec, 4).battery).toEqual({ capacityKWh: 200 });
    expect(new Set(Array.from({ length: 8 }, (_, i) => sweepTask(spec, i).configId)).size).toBe(8);
  });
});
