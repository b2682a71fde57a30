// `bess`: the command line over the same core as the page. One JSON object on stdout with --json, a readable table
// otherwise; bad input exits non-zero with a one-line message on stderr.
import { CliError, parseArgs, type ParsedArgs, BATTERY_FLAGS_HELP } from './args.ts';
import { BatteryParamError } from '../core/battery/index.ts';
import { PriceFileError } from '../core/prices/types.ts';

/** A command: computes a JSON-able result and a table for humans. */
export interface Command {
  summary: string;
  usage: string;
  run(args: ParsedArgs): Promise<{ json: unknown; text: string }>;
}

const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  parse: () => import('./commands/parse.ts'),
  oracle: () => import('./commands/oracle.ts'),
  compare: () => import('./commands/compare.ts'),
  train: () => import('./commands/train.ts'),
  backtest: () => import('./commands/backtest.ts'),
  forecast: () => import('./commands/forecast.ts'),
};

function usage(): string {
  return `usage: bess <command> [options] [--json]

commands: ${Object.keys(COMMANDS).join(', ')}
  bess <command> --help   for a command's options

${BATTERY_FLAGS_HELP}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`bess: unknown command "${name}"\n${usage()}\n`);
    return 2;
  }
  const { command } = await load();
  const args = parseArgs(rest);
  if (args.flags.has('help')) {
    process.stdout.write(`${command.summary}\nusage: ${command.usage}\n\n${BATTERY_FLAGS_HELP}\n`);
    return 0;
  }
  const { json, text } = await command.run(args);
  process.stdout.write(args.flags.has('json') ? JSON.stringify(json) + '\n' : text + '\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof CliError || err instanceof BatteryParamError || err instanceof PriceFileError) {
      process.stderr.write(`bess: ${err.message}\n`);
      process.exit(2);
    }
    if (err instanceof Error && 'code' in err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`bess: no such file: ${(err as NodeJS.ErrnoException).path}\n`);
      process.exit(2);
    }
    process.stderr.write(`bess: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.BESS_DEBUG) console.error(err);
    process.exit(1);
  },
);
