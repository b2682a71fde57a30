// The whole CLI in-process through runCli: every command's JSON keys (DESIGN.md "Contracts"), exit codes and the
// messages for bad input. bess.spawn.test.ts runs the real process for piping and exit codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMAND_NAMES, runCli } from './bess.ts';
import { cliRunner } from './run-in-process.ts';
import { MAX_MESSAGE_CHARS } from './format.ts';
import type { Command } from './command.ts';

const HOURLY = 'test-data/real/be-2023-hourly.csv';
const QUARTER = 'test-data/real/dk1-2025q4-15min-iso.csv';
/** Ten days of BE 2023 (240 hours): enough for a short training run (48 h train minimum) and a test split. */
const TINY = 'test-data/cli/be-2023-10days.csv';

const cli = cliRunner<Record<string, unknown>>();

/** Exit 2 and exactly one line on stderr, nothing on stdout; returns that line. */
async function usageError(...argv: string[]): Promise<string> {
  const r = await cli(...argv);
  expect(r.code, `${argv.join(' ')}: ${r.err}`).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.endsWith('\n')).toBe(true);
  const lines = r.err.slice(0, -1).split('\n');
  expect(lines, r.err).toHaveLength(1);
  expect(lines[0]).toMatch(/^bess: /);
  return lines[0];
}

let tmp: string;
let runDir: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bess-cli-'));
  runDir = join(tmp, 'run');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A valid invocation of every command (train and backtest use the run that the train test writes). */
const valid = (): Record<string, string[]> => ({
  parse: [HOURLY],
  oracle: [HOURLY],
  compare: [HOURLY],
  train: ['--train', TINY, '--seconds', '2', '--backend', 'cpu', '--out', join(tmp, 'never-written')],
  backtest: ['--model', runDir, TINY],
});
const NAMES = ['parse', 'oracle', 'compare', 'train', 'backtest'];

describe('bess parse', () => {
  it('--json prints the summary keys of the contract', async () => {
    const r = await cli('parse', HOURLY, '--json');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const o = r.json();
    expect(Object.keys(o).sort()).toEqual([
      'end',
      'maxPrice',
      'meanPrice',
      'minPrice',
      'negativeCount',
      'rows',
      'start',
      'stepMinutes',
      'warnings',
    ]);
    expect(o).toMatchObject({ rows: 8760, stepMinutes: 60, start: '2022-12-31T23:00:00Z', warnings: [] });
    expect((await cli('parse', QUARTER, '--json')).json().stepMinutes).toBe(15);
  });

  it('prints a table without --json', async () => {
    const r = await cli('parse', HOURLY);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^rows\s+8760$/m);
  });
});

describe('bess oracle', () => {
  it('--json prints the keys of the contract; --schedule adds one row per step', async () => {
    const o = (await cli('oracle', HOURLY, '--json')).json();
    expect(Object.keys(o).sort()).toEqual(['chargedKWh', 'dischargedKWh', 'equivalentCycles', 'profitEur', 'solveMs']);
    for (const v of Object.values(o)) expect(typeof v).toBe('number');
    const s = (await cli('oracle', HOURLY, '--schedule', '--json')).json();
    const schedule = s.schedule as Record<string, unknown>[];
    expect(schedule).toHaveLength(8760);
    expect(Object.keys(schedule[0]).sort()).toEqual(['chargeKWh', 'dischargeKWh', 'price', 'socKWh', 'time']);
    expect(s.profitEur).toBe(o.profitEur);
  });

  it('applies the battery flags', async () => {
    const base = (await cli('oracle', HOURLY, '--json')).json();
    const big = (await cli('oracle', HOURLY, '--capacity-kwh', '200', '--json')).json();
    expect(big.profitEur as number).toBeGreaterThan(base.profitEur as number);
    const slow = (await cli('oracle', HOURLY, '--power-kw=10', '--json')).json();
    expect(slow.profitEur as number).toBeLessThan(base.profitEur as number);
  });

  it('takes its clock from the I/O, so timings are reproducible', async () => {
    expect((await cli('oracle', HOURLY, '--json')).json().solveMs).toBe(0);
  });
});

describe('bess compare', () => {
  it('--json prints {strategies: [{name, profitEur, shareOfOracle, ms}]}, the oracle first', async () => {
    const o = (await cli('compare', HOURLY, '--json')).json();
    expect(Object.keys(o)).toEqual(['strategies']);
    const strategies = o.strategies as Record<string, unknown>[];
    expect(strategies.length).toBeGreaterThanOrEqual(3);
    for (const s of strategies) {
      expect(typeof s.name).toBe('string');
      for (const k of ['profitEur', 'shareOfOracle', 'ms'])
        expect(typeof s[k], `${String(s.name)}.${k}`).toBe('number');
    }
    expect(strategies[0].shareOfOracle).toBe(1);
    const oracle = (await cli('oracle', HOURLY, '--json')).json();
    expect(strategies[0].profitEur).toBeCloseTo(oracle.profitEur as number, 6);
    expect(strategies.find((s) => s.name === 'hold')?.profitEur).toBe(0);
  });
});

describe('bess train and bess backtest', () => {
  it('train writes the run and prints its final metrics; backtest reads it back', async () => {
    const r = await cli(
      'train',
      '--train',
      TINY,
      '--seconds',
      '2',
      '--seed',
      '3',
      '--backend',
      'cpu',
      '--out',
      runDir,
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe(''); // --json implies --quiet
    const o = r.json();
    for (const k of [
      'profitEur',
      'oracleProfitEur',
      'shareOfOracle',
      'equivalentCycles',
      'validationShare',
      'elapsedS',
      'trainSteps',
      'testSteps',
    ])
      expect(typeof o[k], k).toBe('number');
    expect(o).toMatchObject({ backend: 'cpu', trainSteps: 180, testSteps: 60, out: runDir });
    expect((await readdir(runDir)).sort()).toEqual(['metrics.json', 'model.json', 'params.json']);
    expect(JSON.parse(await readFile(join(runDir, 'params.json'), 'utf8'))).toMatchObject({ trainFile: TINY });

    const b = await cli('backtest', '--model', runDir, TINY, '--json');
    expect(b.code, b.err).toBe(0);
    const bt = b.json();
    for (const k of ['profitEur', 'oracleProfitEur', 'shareOfOracle', 'equivalentCycles', 'steps', 'finalSocKWh'])
      expect(typeof bt[k], k).toBe('number');
    expect(bt).toMatchObject({ steps: 240, file: TINY, model: runDir });
    const oracle = (await cli('oracle', TINY, '--json')).json();
    expect(bt.oracleProfitEur).toBeCloseTo(oracle.profitEur as number, 6);
  });

  it('train refuses an existing run before training unless --force, and leaves it as it was', async () => {
    const before = await readFile(join(runDir, 'model.json'), 'utf8');
    const line = await usageError('train', '--train', TINY, '--seconds', '2', '--backend', 'cpu', '--out', runDir);
    expect(line).toBe(
      `bess: --out ${runDir} already holds a run (params.json, metrics.json, model.json); pass --force to overwrite it, or choose another folder`,
    );
    expect(await readFile(join(runDir, 'model.json'), 'utf8')).toBe(before);
  });

  it("train's planner-correction flags: day-ahead only, and checked, before any work", async () => {
    const base = ['train', '--train', TINY, '--backend', 'cpu', '--out', join(tmp, 'never')];
    expect(await usageError(...base, '--planner-bias-weight', '0.3')).toBe(
      "bess: --planner-bias-weight needs --information day-ahead (it corrects the forecast's planner)",
    );
    expect(
      await usageError(...base, '--information', 'day-ahead', '--forecast', 'naive-d1', '--planner-bias-days', '7'),
    ).toBe(
      'bess: --planner-bias-days: forecaster naive-d1 is never corrected (its recent errors do not persist); choose ridge, lear, nn or column',
    );
    const dayAhead = [...base, '--information', 'day-ahead', '--forecast', 'ridge'];
    expect(await usageError(...dayAhead, '--planner-bias-weight', '2')).toBe(
      'bess: --planner-bias-weight: must be between 0 and 1',
    );
    expect(await usageError(...dayAhead, '--planner-bias-days', '0')).toBe(
      'bess: --planner-bias-days: must be a whole number of days from 1 to 365',
    );
    expect(await usageError(...dayAhead, '--planner-last-day-weight', '-0.5')).toBe(
      'bess: --planner-last-day-weight: must be between 0 and 1',
    );
    expect(await usageError(...base, '--planner-last-day-weight', '0.2')).toBe(
      "bess: --planner-last-day-weight needs --information day-ahead (it corrects the forecast's planner)",
    );
    await expect(stat(join(tmp, 'never'))).rejects.toThrow();
  });

  it('train --force overwrites an existing run', async () => {
    const mtime = (await stat(join(runDir, 'model.json'))).mtimeMs;
    const r = await cli(
      'train',
      '--train',
      TINY,
      '--seconds',
      '2',
      '--seed',
      '4',
      '--backend',
      'cpu',
      '--out',
      runDir,
      '--force',
      '--quiet',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^written to\s+/m);
    expect((await stat(join(runDir, 'model.json'))).mtimeMs).toBeGreaterThan(mtime);
    expect(JSON.parse(await readFile(join(runDir, 'params.json'), 'utf8'))).toMatchObject({ seed: 4 });
  });

  it('train --out onto a file, under a file or where no folder can be made: an error at once', async () => {
    const file = join(tmp, 'a-file');
    await writeFile(file, 'keep');
    const args = ['train', '--train', TINY, '--seconds', '2', '--backend', 'cpu', '--out'];
    expect(await usageError(...args, file)).toBe(`bess: --out ${file} is a file, not a folder`);
    expect(await usageError(...args, join(file, 'run'))).toBe(
      `bess: --out ${join(file, 'run')}: ${file} is a file, not a folder`,
    );
    expect(await usageError(...args, '/proc/bess-x/run')).toMatch(
      /^bess: --out \/proc\/bess-x\/run: cannot create the folder \/proc\/bess-x/,
    );
    expect(await readFile(file, 'utf8')).toBe('keep');
  });

  it('train: a bad training file leaves no folder behind', async () => {
    const out = join(tmp, 'not-made');
    expect(await usageError('train', '--train', join(tmp, 'missing.csv'), '--out', out)).toMatch(/no such file/);
    await expect(stat(out)).rejects.toThrow();
  });

  it('backtest: a folder without a model, or a damaged model, is an error naming it', async () => {
    await mkdir(join(tmp, 'empty'));
    expect(await usageError('backtest', '--model', join(tmp, 'empty'), TINY)).toMatch(
      new RegExp(`^bess: ${join(tmp, 'empty')}: no model.json`),
    );
    await mkdir(join(tmp, 'damaged'));
    await writeFile(join(tmp, 'damaged', 'model.json'), '{"format": 1');
    expect(await usageError('backtest', '--model', join(tmp, 'damaged'), TINY)).toMatch(/damaged\/model\.json/);
  });

  it('train: --seconds must be positive', async () => {
    expect(await usageError('train', '--train', TINY, '--out', join(tmp, 'x'), '--seconds', '0')).toBe(
      'bess: --seconds (the time cap) must be > 0',
    );
  });
});

describe('every command', () => {
  it('exits 2 naming an unknown or misspelt flag', async () => {
    for (const name of NAMES) {
      const hint = name === 'parse' ? '' : ' (did you mean --capacity-kwh?)'; // parse has no battery flags
      expect(await usageError(name, ...valid()[name], '--capacity', '200')).toBe(
        `bess: unknown flag --capacity${hint}; bess ${name} --help lists its flags`,
      );
      expect(await usageError(name, ...valid()[name], '--jsno')).toMatch(
        /^bess: unknown flag --jsno \(did you mean --json\?\)/,
      );
    }
  });

  it('exits 2 for a missing value, a bad number, a flag given twice and an extra argument', async () => {
    for (const name of NAMES) {
      expect(await usageError(name, ...valid()[name], '--json', '--json')).toBe('bess: --json is given twice');
      expect(await usageError(name, ...valid()[name], 'extra.csv')).toMatch(/^bess: unexpected argument "extra.csv"/);
      if (name === 'parse') continue;
      expect(await usageError(name, ...valid()[name], '--capacity-kwh', 'lots')).toBe(
        'bess: --capacity-kwh must be a number, got "lots"',
      );
      expect(await usageError(name, ...valid()[name], '--power-kw')).toBe('bess: --power-kw needs a value');
    }
  });

  it('exits 2 naming a missing file', async () => {
    const missing = join(tmp, 'no-such.csv');
    for (const name of ['parse', 'oracle', 'compare'])
      expect(await usageError(name, missing)).toBe(`bess: no such file: ${missing}`);
    expect(await usageError('train', '--train', missing, '--out', join(tmp, 'x'))).toBe(
      `bess: no such file: ${missing}`,
    );
  });

  it('exits 2 naming the flag of a battery value that makes no sense', async () => {
    for (const name of ['oracle', 'compare']) {
      expect(await usageError(name, HOURLY, '--capacity-kwh', '-5')).toBe(
        'bess: --capacity-kwh: capacity (kWh) must be within [0, 1000000000] kWh, got -5',
      );
      expect(await usageError(name, HOURLY, '--charge-efficiency', '1.5')).toBe(
        'bess: --charge-efficiency: charge efficiency must be within [0.01, 1], got 1.5',
      );
      expect(await usageError(name, HOURLY, '--initial-soc-kwh=500')).toMatch(/^bess: --initial-soc-kwh: /);
    }
  });

  it('--help lists exactly its declared flags and exits 0', async () => {
    for (const name of COMMAND_NAMES) {
      const { command } = (await import(`./commands/${name}.ts`)) as { command: Command };
      const r = await cli(name, '--help');
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      const listed = [...r.out.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]).sort();
      expect(listed).toEqual([...Object.keys(command.options), 'json', 'help'].sort());
    }
  });

  it('prints a bad file as one bounded line without its raw bytes', async () => {
    const binary = join(tmp, 'binary.csv');
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) % 256;
    await writeFile(binary, Buffer.concat([Buffer.from('timestamp,price\n2023-01-01T00:00Z,\u001b[31m'), bytes]));
    for (const name of ['parse', 'oracle', 'compare']) {
      const line = await usageError(name, binary);
      expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      expect(Array.from(line).length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    }
  });
});

describe('price files that are not files', () => {
  it('a folder, or a device that never ends (/dev/zero), is an error, not a hang', async () => {
    expect(await usageError('parse', 'src')).toBe('bess: src is a folder, not a price file');
    expect(await usageError('parse', '/dev/zero')).toMatch(
      /^bess: \/dev\/zero is not a regular file and gives more than/,
    );
  });
});

describe('bess itself', () => {
  it("exits 1 with one line for an error that is not the input's (here: stdout fails)", async () => {
    let err = '';
    const code = await runCli(['parse', TINY], {
      stdout: () => Promise.reject(new Error('disk full\n\u001b[2J')),
      stderr: (t) => void (err += t),
      nowMs: () => 0,
    });
    expect(code).toBe(1);
    expect(err).toBe('bess: internal error: disk full \\x1b[2J\n');
  });

  it('exits 2 for an unknown command or none, 0 for --help', async () => {
    expect(await usageError('orcale', HOURLY)).toBe(
      `bess: unknown command "orcale"; commands: ${COMMAND_NAMES.join(', ')}`,
    );
    expect(COMMAND_NAMES).toEqual(
      expect.arrayContaining([...NAMES, 'forecast', 'size', 'sweep', 'sweep-task', 'sweep-report']),
    );
    expect(await usageError()).toMatch(/^bess: a command is needed/);
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const name of NAMES) expect(help.out).toContain(name);
  });
});
