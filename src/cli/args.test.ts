import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BATTERY_OPTIONS, CliError, batteryFlagFor, batterySpec, commandHelp, parseCommandArgs } from './args.ts';
import { defineCommand } from './command.ts';

const demo = defineCommand({
  summary: 'A command for these tests.',
  positionals: [{ name: 'FILE', help: 'price CSV' }],
  options: {
    ...BATTERY_OPTIONS,
    seconds: { type: 'number', default: 120, help: 'budget' },
    seed: { type: 'number', integer: true, default: 1, help: 'seed' },
    backend: { type: 'string', choices: ['auto', 'cpu'], default: 'auto', help: 'backend' },
    out: { type: 'string', required: true, arg: 'DIR', help: 'where' },
    force: { type: 'boolean', help: 'overwrite' },
  },
  run: async () => ({ json: {}, text: '' }),
});

const parse = (...argv: string[]) => parseCommandArgs('demo', demo, argv);
const errorOf = (...argv: string[]): string => {
  try {
    parse(...argv);
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    return (err as Error).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
};

describe('parseCommandArgs(name, command, argv)', () => {
  it('reads declared flags as their types and fills defaults', () => {
    const { values, positionals } = parse('f.csv', '--out', 'd', '--seconds', '2.5', '--force', '--capacity-kwh=200');
    expect(positionals).toEqual(['f.csv']);
    expect(values).toMatchObject({
      out: 'd',
      seconds: 2.5,
      seed: 1,
      backend: 'auto',
      force: true,
      json: false,
      'capacity-kwh': 200,
    });
    expect(values['power-kw']).toBeUndefined();
  });

  it('rejects an undeclared flag, naming it and the nearest declared one', () => {
    expect(errorOf('f.csv', '--out', 'd', '--capacity', '200')).toBe(
      'unknown flag --capacity (did you mean --capacity-kwh?); bess demo --help lists its flags',
    );
    expect(errorOf('f.csv', '--out', 'd', '--sede', '2')).toMatch(/^unknown flag --sede \(did you mean --seed\?\)/);
    expect(errorOf('f.csv', '--out', 'd', '--zzzzzzzzzz')).toBe(
      'unknown flag --zzzzzzzzzz; bess demo --help lists its flags',
    );
    expect(errorOf('f.csv', '--out', 'd', '-x')).toMatch(/^unknown flag -x/);
  });

  it('rejects a missing value, a non-number, a fraction for an integer, a value outside the choices', () => {
    expect(errorOf('f.csv', '--out')).toBe('--out needs a value');
    expect(errorOf('f.csv', '--out', 'd', '--seconds')).toBe('--seconds needs a value');
    expect(errorOf('f.csv', '--out', '--force')).toMatch(/^--out needs a value, got the flag "--force"/);
    for (const bad of ['abc', '', '1,5', 'NaN', 'Infinity', '12kWh'])
      expect(errorOf('f.csv', '--out', 'd', `--seconds=${bad}`)).toBe(
        `--seconds must be a number, got ${JSON.stringify(bad)}`,
      );
    expect(errorOf('f.csv', '--out', 'd', '--seed', '1.5')).toBe('--seed must be a whole number, got 1.5');
    expect(errorOf('f.csv', '--out', 'd', '--backend', 'gpu')).toBe('--backend must be one of auto, cpu, got "gpu"');
    expect(errorOf('f.csv', '--out', 'd', '--force=yes')).toBe('--force takes no value');
  });

  it('reads a negative number as the value of a number flag, not as a flag', () => {
    expect(parse('f.csv', '--out', 'd', '--power-kw', '-5').values['power-kw']).toBe(-5);
    expect(parse('f.csv', '--out', 'd', '--seconds', '-.5').values.seconds).toBe(-0.5);
    expect(errorOf('f.csv', '--out', 'd', '--seconds', '-Infinity')).toBe(
      '--seconds must be a number, got "-Infinity"',
    );
  });

  it('rejects a flag given twice', () => {
    expect(errorOf('f.csv', '--out', 'd', '--seed', '1', '--seed', '2')).toBe('--seed is given twice');
  });

  it('rejects a missing required flag, a missing positional and an extra one', () => {
    expect(errorOf('f.csv')).toBe('demo needs --out DIR (where)');
    expect(errorOf('--out', 'd')).toBe('demo needs a FILE (price CSV)');
    expect(errorOf('f.csv', 'g.csv', '--out', 'd')).toBe('unexpected argument "g.csv": demo takes FILE');
  });

  it('takes what follows -- as positionals', () => {
    expect(parse('--out', 'd', '--', '--odd-name.csv').positionals).toEqual(['--odd-name.csv']);
  });
});

describe('parseCommandArgs: properties', () => {
  const declared = new Set([...Object.keys(demo.options), 'json', 'help']);
  const flagName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((n) => !declared.has(n));

  it('any undeclared flag, anywhere among valid arguments, is an error naming it', () => {
    fc.assert(
      fc.property(flagName, fc.nat(3), fc.boolean(), (name, at, withValue) => {
        const argv = ['f.csv', '--out', 'd', '--seed', '2'];
        argv.splice(at === 0 ? 0 : 2 * at - 1, 0, `--${name}`, ...(withValue ? ['7'] : []));
        expect(errorOf(...argv)).toMatch(new RegExp(`^unknown flag --${name}[ ;]`));
      }),
    );
  });

  it('a number flag takes exactly the finite numbers', () => {
    const value = fc.oneof(
      fc.double().map(String),
      fc.string({ maxLength: 12 }),
      fc.integer().map((n) => `${n}e2`),
    );
    fc.assert(
      fc.property(value, (v) => {
        const n = v.trim() === '' ? Number.NaN : Number(v);
        if (Number.isFinite(n)) expect(parse('f.csv', '--out', 'd', `--seconds=${v}`).values.seconds).toBe(n);
        else
          expect(errorOf('f.csv', '--out', 'd', `--seconds=${v}`)).toBe(
            `--seconds must be a number, got ${JSON.stringify(v)}`,
          );
      }),
    );
  });

  it('the order of the arguments does not matter', () => {
    const pieces = [['f.csv'], ['--out', 'd'], ['--seed', '5'], ['--force'], ['--power-kw', '-3'], ['--backend=cpu']];
    const expected = parse(...pieces.flat());
    fc.assert(
      fc.property(fc.shuffledSubarray(pieces, { minLength: pieces.length }), (order) => {
        expect(parse(...order.flat())).toEqual(expected);
      }),
    );
  });
});

describe('batterySpec(values)', () => {
  it('maps each battery flag to its BatterySpec field and leaves absent ones unset', () => {
    const { values } = parse(
      'f.csv',
      '--out',
      'd',
      '--capacity-kwh',
      '200',
      '--charge-efficiency',
      '0.95',
      '--independent-power-limits',
    );
    expect(batterySpec(values)).toEqual({ capacityKWh: 200, chargeEfficiency: 0.95, sharedPowerLimit: false });
    expect(batterySpec(parse('f.csv', '--out', 'd').values)).toEqual({});
  });

  it('names the flag of every field, for messages', () => {
    expect(batteryFlagFor('capacityKWh')).toBe('--capacity-kwh');
    expect(batteryFlagFor('degradationEurPerKWh')).toBe('--degradation-eur-per-kwh');
    expect(batteryFlagFor('sharedPowerLimit')).toBe('--independent-power-limits');
  });
});

describe('commandHelp(name, command)', () => {
  it('lists every declared option, the common ones, defaults and required flags', () => {
    const help = commandHelp('demo', demo);
    for (const flag of [...Object.keys(demo.options), 'json', 'help']) expect(help).toContain(`--${flag}`);
    expect(help).toContain('usage: bess demo --out DIR FILE [options]');
    expect(help).toMatch(/--seconds N\s+budget \(default 120\)/);
    expect(help).toMatch(/--out DIR\s+where \(required\)/);
    expect(help).toMatch(/--backend auto\|cpu/);
  });
});
