// Argument parsing for `bess`: positional arguments, `--flag value` and boolean `--flag`.
import { type BatterySpec } from '../core/battery/index.ts';

/** A user error: printed as one line on stderr, exit code 2, no stack trace. */
export class CliError extends Error {}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** Flags that take no value. */
const BOOLEAN_FLAGS = new Set(['json', 'schedule', 'help', 'no-clone', 'independent-power-limits', 'quiet']);

export function parseArgs(argv: string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) flags.set(name, a.slice(eq + 1));
      else if (BOOLEAN_FLAGS.has(name)) flags.set(name, true);
      else {
        const v = argv[i + 1];
        if (v === undefined || (v.startsWith('--') && !/^--?\d/.test(v))) throw new CliError(`--${name} needs a value`);
        flags.set(name, v);
        i++;
      }
    } else positional.push(a);
  }
  return { positional, flags };
}

/** A numeric flag, or undefined when absent; a clear error when it is not a number. */
export function numberFlag(args: ParsedArgs, name: string): number | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  const n = typeof v === 'string' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) throw new CliError(`--${name} must be a number, got ${JSON.stringify(v)}`);
  return n;
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  if (v === true) throw new CliError(`--${name} needs a value`);
  return v;
}

export function requiredString(args: ParsedArgs, name: string): string {
  const v = stringFlag(args, name);
  if (v === undefined) throw new CliError(`--${name} is required`);
  return v;
}

/** The battery flags of DESIGN.md, as a BatterySpec (resolveBattery validates it). */
export function batteryFlags(args: ParsedArgs): BatterySpec {
  const spec: BatterySpec = {
    capacityKWh: numberFlag(args, 'capacity-kwh'),
    powerKW: numberFlag(args, 'power-kw'),
    chargePowerKW: numberFlag(args, 'charge-power-kw'),
    dischargePowerKW: numberFlag(args, 'discharge-power-kw'),
    chargeEfficiency: numberFlag(args, 'charge-efficiency'),
    dischargeEfficiency: numberFlag(args, 'discharge-efficiency'),
    degradationEurPerKWh: numberFlag(args, 'degradation-eur-per-kwh'),
    initialSocKWh: numberFlag(args, 'initial-soc-kwh'),
    minSocKWh: numberFlag(args, 'min-soc-kwh'),
    maxSocKWh: numberFlag(args, 'max-soc-kwh'),
    terminalSocKWh: numberFlag(args, 'terminal-soc-kwh'),
  };
  if (args.flags.has('independent-power-limits')) spec.sharedPowerLimit = false;
  return spec;
}

export const BATTERY_FLAGS_HELP = `Battery flags (defaults as in DESIGN.md):
  --capacity-kwh N (100)  --power-kw N (50)  --charge-power-kw N  --discharge-power-kw N
  --charge-efficiency N (0.9)  --discharge-efficiency N (1.0)  --degradation-eur-per-kwh N (0.01)
  --initial-soc-kwh N (0)  --min-soc-kwh N  --max-soc-kwh N  --terminal-soc-kwh N
  --independent-power-limits   charge and discharge may each use full power in the same step (original system)`;
