// Strict argument parsing for `bess`: Node's util.parseArgs against a command's declared options (command.ts), then
// each value checked against its declaration. Every mistake is a CliError naming the flag: an undeclared or misspelt
// flag, a flag given twice, a missing value, a value that is not a number (or not one of the choices), a missing or
// unexpected positional.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BATTERY_LIMITS, DEFAULT_BATTERY, type BatterySpec } from '../core/battery/index.ts';
import type { SiteSpec } from '../core/site/site.ts';
import {
  COMMON_OPTIONS,
  type Command,
  type CommandArgs,
  type OptionSpec,
  type OptionSpecs,
  type OptionValues,
} from './command.ts';

/** A user error: printed as one line on stderr, exit code 2, no stack trace. */
export class CliError extends Error {
  override name = 'CliError';
}

/** A flag that sets one field of a spec (BatterySpec, SiteSpec): a number flag its value, a boolean flag `set`. */
type FieldFlag<S> = OptionSpec & { field: keyof S & string; set?: unknown };

/** The options of a FieldFlag table, as a command declares them (without `field` and `set`). */
type FieldFlagOptions<T> = { readonly [K in keyof T]: Omit<T[K], 'field' | 'set'> };

/**
 * One table of flags that each set a field of `S`: the options to spread into a command, the spec the given flags
 * make (absent flags stay undefined, an unset boolean flag leaves its field out) and the flag behind a field.
 */
function fieldFlags<S extends object>() {
  return <const T extends Record<string, FieldFlag<S>>>(table: T) => {
    const rows = Object.entries(table) as [keyof T & string, FieldFlag<S>][];
    const options = Object.fromEntries(
      rows.map(([flag, { field: _field, set: _set, ...option }]) => [flag, option]),
    ) as FieldFlagOptions<T>;
    const spec = (values: Partial<Record<keyof T, unknown>>): S => {
      const out: Record<string, unknown> = {};
      for (const [flag, { type, field, set }] of rows) {
        const v = values[flag];
        if (type === 'boolean') {
          if (v) out[field] = set;
        } else if (v !== undefined) out[field] = v;
      }
      return out as S;
    };
    const flagFor = (field: string): string | undefined => {
      const hit = rows.find(([, f]) => f.field === field);
      return hit ? `--${hit[0]}` : undefined;
    };
    return { options, spec, flagFor };
  };
}

/** The battery flags of DESIGN.md, each with the BatterySpec field it sets. Unset flags keep the model's defaults. */
const BATTERY_FLAGS = fieldFlags<BatterySpec>()({
  'capacity-kwh': {
    field: 'capacityKWh',
    type: 'number',
    arg: 'KWH',
    help: `usable capacity (default ${DEFAULT_BATTERY.capacityKWh})`,
  },
  'power-kw': {
    field: 'powerKW',
    type: 'number',
    arg: 'KW',
    help: `power limit, both directions (default ${DEFAULT_BATTERY.chargePowerKW})`,
  },
  'charge-power-kw': {
    field: 'chargePowerKW',
    type: 'number',
    arg: 'KW',
    help: 'charge power limit (default --power-kw)',
  },
  'discharge-power-kw': {
    field: 'dischargePowerKW',
    type: 'number',
    arg: 'KW',
    help: 'discharge power limit (default --power-kw)',
  },
  'charge-efficiency': {
    field: 'chargeEfficiency',
    type: 'number',
    arg: 'X',
    help: `share of grid energy reaching the cell, [${BATTERY_LIMITS.minEfficiency}, 1] (default ${DEFAULT_BATTERY.chargeEfficiency})`,
  },
  'discharge-efficiency': {
    field: 'dischargeEfficiency',
    type: 'number',
    arg: 'X',
    help: `share of cell energy reaching the grid, [${BATTERY_LIMITS.minEfficiency}, 1] (default ${DEFAULT_BATTERY.dischargeEfficiency})`,
  },
  'degradation-eur-per-kwh': {
    field: 'degradationEurPerKWh',
    type: 'number',
    arg: 'EUR',
    help: `wear cost per kWh of throughput (default ${DEFAULT_BATTERY.degradationEurPerKWh})`,
  },
  'initial-soc-kwh': {
    field: 'initialSocKWh',
    type: 'number',
    arg: 'KWH',
    help: 'SOC at the start (default --min-soc-kwh)',
  },
  'min-soc-kwh': { field: 'minSocKWh', type: 'number', arg: 'KWH', help: 'lowest SOC (default 0)' },
  'max-soc-kwh': { field: 'maxSocKWh', type: 'number', arg: 'KWH', help: 'highest SOC (default --capacity-kwh)' },
  'terminal-soc-kwh': {
    field: 'terminalSocKWh',
    type: 'number',
    arg: 'KWH',
    help: 'SOC the horizon must end with at least (default free)',
  },
  'independent-power-limits': {
    field: 'sharedPowerLimit',
    set: false,
    type: 'boolean',
    help: 'charge and discharge may each use full power in one step (original system)',
  },
});

/** The site flags of DESIGN.md "Site", each with the SiteSpec field it sets. */
const SITE_FLAGS = fieldFlags<SiteSpec>()({
  'pv-scale': { field: 'pvScale', type: 'number', arg: 'X', help: "multiplies the file's pv_kw column (default 1)" },
  'import-limit-kw': {
    field: 'importLimitKW',
    type: 'number',
    arg: 'KW',
    help: 'largest power drawn from the grid (default unlimited)',
  },
  'export-limit-kw': {
    field: 'exportLimitKW',
    type: 'number',
    arg: 'KW',
    help: 'largest power fed into the grid (default unlimited)',
  },
  'import-fee-eur-per-mwh': {
    field: 'importFeeEurPerMWh',
    type: 'number',
    arg: 'EUR',
    help: 'added to the price of energy bought (default 0)',
  },
  'export-fee-eur-per-mwh': {
    field: 'exportFeeEurPerMWh',
    type: 'number',
    arg: 'EUR',
    help: 'taken off the price of energy sold (default 0; the two fees must sum to ≥ 0)',
  },
  'charge-from-pv-only': {
    field: 'chargeFromPvOnly',
    set: true,
    type: 'boolean',
    help: 'the battery charges only from PV surplus over the load, never from the grid',
  },
});

/** The battery flags of DESIGN.md; spread into a command's options. Unset flags keep the battery model's defaults. */
export const BATTERY_OPTIONS = BATTERY_FLAGS.options satisfies OptionSpecs;

/** The battery flags given, as a BatterySpec (resolveBattery validates it); absent flags stay undefined. */
export function batterySpec(values: OptionValues<typeof BATTERY_OPTIONS>): BatterySpec {
  return BATTERY_FLAGS.spec(values);
}

/** The flag that sets a BatterySpec field (`sharedPowerLimit` → --independent-power-limits), for error messages. */
export function batteryFlagFor(field: keyof BatterySpec): string | undefined {
  return BATTERY_FLAGS.flagFor(field);
}

/** The site flags of DESIGN.md "Site"; spread into a command's options beside BATTERY_OPTIONS. */
export const SITE_OPTIONS = SITE_FLAGS.options satisfies OptionSpecs;

/** The site flags given, as a SiteSpec (resolveSite validates it); absent flags stay undefined. */
export function siteSpec(values: OptionValues<typeof SITE_OPTIONS>): SiteSpec {
  return SITE_FLAGS.spec(values);
}

/** The flag that sets a SiteSpec field, for error messages; undefined for a file column (pv_kw, load_kw). */
export function siteFlagFor(field: string): string | undefined {
  return SITE_FLAGS.flagFor(field);
}

/** Parses `argv` (after the command's name) against the command's declared options; throws CliError on any mistake. */
export function parseCommandArgs<O extends OptionSpecs>(
  name: string,
  command: Command<O>,
  argv: readonly string[],
): CommandArgs<O> {
  const specs: OptionSpecs = { ...command.options, ...COMMON_OPTIONS };
  const config: NonNullable<ParseArgsConfig['options']> = {};
  for (const [flag, spec] of Object.entries(specs))
    config[flag] = { type: spec.type === 'boolean' ? 'boolean' : 'string' };
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeNumbers(argv, specs),
      options: config,
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
  } catch (err) {
    throw translateParseError(err, name, specs, argv);
  }

  const seen = new Set<string>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind !== 'option') continue;
    if (seen.has(t.name)) throw new CliError(`--${t.name} is given twice`);
    seen.add(t.name);
  }

  const values: Record<string, unknown> = {};
  for (const [flag, spec] of Object.entries(specs)) {
    const raw = (parsed.values as Record<string, string | boolean | undefined>)[flag];
    values[flag] = raw === undefined ? absentValue(name, flag, spec) : checkedValue(flag, spec, raw);
  }

  const positionals = parsed.positionals;
  const declared = command.positionals;
  if (positionals.length > declared.length) {
    const extra = positionals[declared.length];
    const takes = declared.length
      ? `takes ${declared.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(' ')}`
      : 'takes no positional arguments';
    throw new CliError(`unexpected argument ${JSON.stringify(extra)}: ${name} ${takes}`);
  }
  const missing = declared.slice(positionals.length).find((p) => !p.optional);
  if (missing) throw new CliError(`${name} needs a ${missing.name} (${missing.help})`);
  return { values: values as CommandArgs<O>['values'], positionals };
}

function absentValue(name: string, flag: string, spec: OptionSpec): unknown {
  if (spec.required) throw new CliError(`${name} needs --${flag} ${placeholder(spec)} (${spec.help})`);
  if (spec.default !== undefined) return spec.default;
  return spec.type === 'boolean' ? false : undefined;
}

function checkedValue(flag: string, spec: OptionSpec, raw: string | boolean): unknown {
  if (spec.type === 'boolean') return raw;
  const s = String(raw);
  if (spec.type === 'number') {
    const n = s.trim() === '' ? Number.NaN : Number(s);
    if (!Number.isFinite(n)) throw new CliError(`--${flag} must be a number, got ${JSON.stringify(s)}`);
    if (spec.integer && !Number.isInteger(n)) throw new CliError(`--${flag} must be a whole number, got ${s}`);
    return n;
  }
  if (spec.choices && !spec.choices.includes(s))
    throw new CliError(`--${flag} must be one of ${spec.choices.join(', ')}, got ${JSON.stringify(s)}`);
  return s;
}

/** `--power-kw -5` → `--power-kw=-5`: parseArgs would otherwise read `-5` as a flag; the value check then judges it. */
function joinNegativeNumbers(argv: readonly string[], specs: OptionSpecs): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    const spec = a.startsWith('--') ? specs[a.slice(2)] : undefined;
    if (spec?.type === 'number' && next !== undefined && /^-(\d|\.\d|Infinity)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** parseArgs' errors, reworded to name the flag in one line (its own messages span lines and talk about `--`). */
function translateParseError(err: unknown, name: string, specs: OptionSpecs, argv: readonly string[]): Error {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  const flag = /'(-[^' ]*)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
    const near = nearestFlag(flag.replace(/^-+/, '').split('=')[0], Object.keys(specs));
    return new CliError(
      `unknown flag ${flag}${near ? ` (did you mean --${near}?)` : ''}; bess ${name} --help lists its flags`,
    );
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    if (/does not take an argument/.test(message)) return new CliError(`${flag} takes no value`);
    if (/ambiguous/.test(message)) {
      const next = argv[argv.indexOf(flag) + 1];
      return new CliError(
        `${flag} needs a value, got the flag ${JSON.stringify(next)} (write ${flag}=VALUE for a value that starts with "-")`,
      );
    }
    return new CliError(`${flag} needs a value`);
  }
  return new CliError(message.split('\n')[0]);
}

/** The declared flag closest to a misspelt one (edit distance ≤ 3, or one is a prefix of the other), if any. */
function nearestFlag(typed: string, declared: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const d of declared) {
    const distance = d.startsWith(typed) || typed.startsWith(d) ? 1 : editDistance(typed, d);
    if (distance < bestDistance) [best, bestDistance] = [d, distance];
  }
  return bestDistance <= 3 ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

function placeholder(spec: OptionSpec): string {
  return spec.arg ?? (spec.choices ? spec.choices.join('|') : spec.type === 'number' ? 'N' : 'VALUE');
}

/** `bess NAME --help`: the summary, usage and every declared option with its default. */
export function commandHelp(name: string, command: Command): string {
  const specs: OptionSpecs = { ...command.options, ...COMMON_OPTIONS };
  const positionals = command.positionals.map((p) => (p.optional ? `[${p.name}]` : p.name));
  const required = Object.entries(specs)
    .filter(([, s]) => s.required)
    .map(([f, s]) => `--${f} ${placeholder(s)}`);
  const rows: [string, string][] = [
    ...command.positionals.map((p): [string, string] => [p.name, p.help]),
    ...Object.entries(specs).map(([flag, s]): [string, string] => [
      s.type === 'boolean' ? `--${flag}` : `--${flag} ${placeholder(s)}`,
      s.help + (s.required ? ' (required)' : s.default !== undefined ? ` (default ${s.default})` : ''),
    ]),
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return [
    command.summary,
    `usage: bess ${[name, ...required, ...positionals, '[options]'].join(' ')}`,
    '',
    ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`),
  ].join('\n');
}
