// `bess`: the command line over the same core as the page. One JSON object on stdout with --json, a readable table
// otherwise. Exit codes: 0 success, 2 bad input (one line on stderr naming the flag, file or value), 1 an internal
// error. `runCli` is the whole CLI as a function of argv and its I/O (tests call it in-process); `main` binds it to
// the process and runs only when this file is the entry point (or bin/bess.mjs calls it).
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CliError, batteryFlagFor, commandHelp, parseCommandArgs, siteFlagFor } from './args.ts';
import type { Command } from './command.ts';
import { safeLine } from './format.ts';
import { BatteryParamError } from '../core/battery/index.ts';
import { SiteParamError } from '../core/site/site.ts';
import { PriceFileError } from '../core/prices/types.ts';

/** Every command, loaded on use (train and backtest pull in tfjs). Adding one: a line here, see command.ts. */
const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  parse: () => import('./commands/parse.ts'),
  oracle: () => import('./commands/oracle.ts'),
  compare: () => import('./commands/compare.ts'),
  train: () => import('./commands/train.ts'),
  backtest: () => import('./commands/backtest.ts'),
  size: () => import('./commands/size.ts'),
  forecast: () => import('./commands/forecast.ts'),
  sweep: () => import('./commands/sweep.ts'),
  'sweep-task': () => import('./commands/sweep-task.ts'),
  'sweep-report': () => import('./commands/sweep-report.ts'),
};

/** Every command's name, in the order `bess --help` lists them. */
export const COMMAND_NAMES = Object.keys(COMMANDS);

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_USAGE = 2;

/** Where the CLI writes. `stdout` resolves once the text is handed to the OS, so the caller may then exit. */
export interface CliIo {
  stdout(text: string): Promise<void>;
  stderr(text: string): void;
  nowMs(): number;
  /** Print stack traces of internal errors (BESS_DEBUG). */
  debug?: boolean;
}

function usage(): string {
  return `usage: bess <command> [options] [--json]

commands: ${Object.keys(COMMANDS).join(', ')}
  bess <command> --help   lists a command's flags; an undeclared flag is an error (exit 2)`;
}

/** Runs one `bess` invocation; resolves to its exit code after all its output is written. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const fail = (code: number, message: string): number => {
    io.stderr(safeLine(`bess: ${message}`) + '\n');
    return code;
  };
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      if (name === undefined)
        return fail(EXIT_USAGE, `a command is needed: ${Object.keys(COMMANDS).join(', ')} (bess --help)`);
      await io.stdout(usage() + '\n');
      return EXIT_OK;
    }
    const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!load)
      return fail(EXIT_USAGE, `unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(', ')}`);
    const { command } = await load();
    const end = rest.indexOf('--');
    if ((end < 0 ? rest : rest.slice(0, end)).some((a) => a === '--help' || a === '-h')) {
      await io.stdout(commandHelp(name, command) + '\n');
      return EXIT_OK;
    }
    const args = parseCommandArgs(name, command, rest);
    const { json, text } = await command.run(args, { log: (line) => io.stderr(line + '\n'), nowMs: io.nowMs });
    await io.stdout(args.values.json ? JSON.stringify(json) + '\n' : text + '\n');
    return EXIT_OK;
  } catch (err) {
    const user = userMessage(err);
    if (user !== undefined) return fail(EXIT_USAGE, user);
    if (io.debug && err instanceof Error && err.stack) io.stderr(err.stack + '\n');
    return fail(EXIT_INTERNAL, `internal error: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The message of an error caused by the user's input, or undefined for a bug. */
function userMessage(err: unknown): string | undefined {
  if (err instanceof CliError || err instanceof PriceFileError) return err.message;
  if (err instanceof BatteryParamError) {
    const flag = batteryFlagFor(err.field);
    return flag ? `${flag}: ${err.message}` : err.message;
  }
  if (err instanceof SiteParamError) {
    const flag = siteFlagFor(err.field);
    return flag ? `${flag}: ${err.message}` : err.message;
  }
  const e = err as NodeJS.ErrnoException;
  if (err instanceof Error && typeof e.code === 'string' && typeof e.path === 'string') {
    if (e.code === 'ENOENT') return `no such file: ${e.path}`;
    if (e.code === 'EACCES' || e.code === 'EPERM') return `permission denied: ${e.path}`;
    if (e.code === 'EISDIR') return `is a directory: ${e.path}`;
    if (e.code === 'ENOTDIR') return `not a directory: ${e.path}`;
  }
  return undefined;
}

/** Hands `text` to a stream and resolves when it has been written (a pipe reader may be slower than us). */
function writeAll(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (err) => (err ? reject(err) : resolve())));
}

/**
 * The process's CLI: runs argv, then sets process.exitCode and lets Node exit once stdout has drained
 * (process.exit() here cut piped output at 64 KiB). BESS_FIXED_CLOCK=1 reports every timing as 0 ms, for output
 * that is byte-for-byte reproducible.
 */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  // A reader that goes away (`bess … | head`) is not an error of ours: stop writing, exit quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  const fixedClock = Boolean(process.env.BESS_FIXED_CLOCK);
  const code = await runCli(argv, {
    stdout: (text) =>
      writeAll(process.stdout, text).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
      }),
    stderr: (text) => void process.stderr.write(text),
    nowMs: fixedClock ? () => 0 : () => performance.now(),
    debug: Boolean(process.env.BESS_DEBUG),
  });
  process.exitCode = code;
}

/** True when this module is the script node was started with (`tsx src/cli/bess.ts`), not an import. */
function isEntryPoint(): boolean {
  try {
    return (
      process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
    );
  } catch {
    return false;
  }
}

if (isEntryPoint()) void main();
