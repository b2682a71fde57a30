// The CLI run in-process for tests: its exit code, what it wrote to stdout and stderr, and stdout read as JSON.
// The clock reads 0, so timings in its output are stable.
import { runCli } from './bess.ts';

export interface CliRun<J> {
  code: number;
  out: string;
  err: string;
  json: () => J;
}

/** A runner of `bess ARGV…` whose `json()` is typed as J (each test file says what it reads). */
export function cliRunner<J = Record<string, unknown>>(): (...argv: string[]) => Promise<CliRun<J>> {
  return async (...argv) => {
    let out = '';
    let err = '';
    const code = await runCli(argv, {
      stdout: async (t) => void (out += t),
      stderr: (t) => void (err += t),
      nowMs: () => 0,
    });
    return { code, out, err, json: () => JSON.parse(out) as J };
  };
}
