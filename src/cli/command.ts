// What a `bess` command is. A command declares its positionals and options (type, default, help) in one place; the
// runner (bess.ts) parses argv strictly against that declaration, so an undeclared flag is an error, `--help`
// lists exactly what is declared, and `run` receives typed values.
//
// Adding a command:
//   1. src/cli/commands/NAME.ts:
//        export const command = defineCommand({
//          summary: 'One line for --help.',
//          positionals: [{ name: 'FILE', help: 'price CSV' }],
//          options: {
//            ...BATTERY_OPTIONS,                                   // from args.ts, when it takes battery flags
//            seconds: { type: 'number', default: 120, arg: 'N', help: 'training budget, s' },
//            engine: { type: 'string', choices: ['local', 'slurm'], default: 'local', help: 'where tasks run' },
//            force: { type: 'boolean', help: 'overwrite' },
//          },
//          async run({ values, positionals }, io) {
//            // values.seconds: number, values.engine: 'local' | 'slurm', values.force: boolean, values.json: boolean
//            return { json: {...}, text: '...' };                   // the runner prints one of the two
//          },
//        });
//   2. one line in COMMANDS in src/cli/bess.ts.
// Throw CliError (args.ts) for bad input: the runner prints it as one line and exits 2.

/** How a flag's value is read. `number` flags must be finite numbers (`integer: true`: whole numbers). */
export type OptionType = 'string' | 'number' | 'boolean';

export interface OptionSpec {
  type: OptionType;
  /** One line for --help. */
  help: string;
  /** The value's placeholder in --help (FILE, DIR, N); defaults to N for numbers and VALUE for strings. */
  arg?: string;
  /** Applied when the flag is absent. Booleans default to false. */
  default?: string | number | boolean;
  /** Absent is an error naming the flag. */
  required?: boolean;
  /** For numbers: only whole numbers. */
  integer?: boolean;
  /** For strings: the allowed values. */
  choices?: readonly string[];
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface PositionalSpec {
  /** Shown in usage and in the "needs a FILE" message. */
  name: string;
  help: string;
  optional?: boolean;
}

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['type'] extends 'number'
    ? number
    : S extends { choices: readonly (infer C)[] }
      ? C
      : string;

/** The parsed values of declared options: present when defaulted, required or boolean, else possibly undefined. */
export type OptionValues<O extends OptionSpecs> = {
  -readonly [K in keyof O]: O[K]['type'] extends 'boolean'
    ? boolean
    : O[K] extends { default: unknown } | { required: true }
      ? ValueOf<O[K]>
      : ValueOf<O[K]> | undefined;
};

/** Options every command has; the runner adds them. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean', help: 'print one JSON object instead of a table' },
  help: { type: 'boolean', help: "this command's options" },
} as const satisfies OptionSpecs;

export interface CommandArgs<O extends OptionSpecs> {
  values: OptionValues<O & typeof COMMON_OPTIONS>;
  /** As many as declared (required ones present); extra positionals were an error. */
  positionals: string[];
}

/** What a command may use besides its arguments; injected so tests run commands in-process. */
export interface CommandIo {
  /** A line of progress for humans (stderr). Results go in the returned output, never here. */
  log(line: string): void;
  /** Milliseconds on a monotonic clock, for the timings a command reports. */
  nowMs(): number;
}

/** A command's result: the runner prints `json` (with --json) or `text`. */
export interface CommandOutput {
  json: unknown;
  text: string;
}

export interface Command<O extends OptionSpecs = OptionSpecs> {
  summary: string;
  positionals: readonly PositionalSpec[];
  options: O;
  run(args: CommandArgs<O>, io: CommandIo): Promise<CommandOutput>;
}

/** Identity with inference: `options`' literal types give `run` typed values. */
export function defineCommand<const O extends OptionSpecs>(command: Command<O>): Command<O> {
  return command;
}
