// The real `bess` process: output through a pipe equals output redirected to a file, byte for byte (process.exit()
// once cut piped output at 64 KiB), exit codes, and that importing the CLI's modules runs nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './bess.ts';

const HOURLY = 'test-data/real/be-2023-hourly.csv';
const QUARTER = 'test-data/real/dk1-2025q4-15min-iso.csv';
const TINY = 'test-data/cli/be-2023-10days.csv';
// Every timing reads 0 ms, so two runs print the same bytes.
const ENV = { ...process.env, BESS_FIXED_CLOCK: '1' };
const NODE_ARGS = ['--import', 'tsx'];

interface Done {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs node with `args`; stdout through a pipe, or into the file `stdoutFile` when given. */
function run(args: string[], stdoutFile?: string): Promise<Done> {
  const fd = stdoutFile ? openSync(stdoutFile, 'w') : undefined;
  const child = spawn(process.execPath, args, { env: ENV, stdio: ['ignore', fd ?? 'pipe', 'pipe'] });
  if (fd !== undefined) closeSync(fd);
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout?.on('data', (b: Buffer) => out.push(b));
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', async (code) =>
      resolve({ code, stdout: stdoutFile ? await readFile(stdoutFile) : Buffer.concat(out), stderr }),
    );
  });
}
const bess = (argv: string[], stdoutFile?: string) => run([...NODE_ARGS, 'src/cli/bess.ts', ...argv], stdoutFile);

async function inProcess(argv: string[]): Promise<string> {
  let out = '';
  await runCli(argv, { stdout: async (t) => void (out += t), stderr: () => undefined, nowMs: () => 0 });
  return out;
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bess-spawn-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('bess as a process', () => {
  it('writes the same bytes to a pipe as to a file, for every command, large outputs included', async () => {
    const cases = [
      ['oracle', HOURLY, '--schedule', '--json'],
      ['oracle', QUARTER, '--schedule'],
      ['parse', TINY, '--json'],
      ['compare', TINY, '--json'],
    ];
    for (const [i, argv] of cases.entries()) {
      const [piped, filed] = await Promise.all([bess(argv), bess(argv, join(tmp, `out-${i}`))]);
      const what = argv.join(' ');
      expect(piped.code, `${what}: ${piped.stderr}`).toBe(0);
      expect(filed.code, what).toBe(0);
      expect(piped.stdout.length, what).toBe(filed.stdout.length);
      expect(piped.stdout.equals(filed.stdout), what).toBe(true);
      expect(piped.stdout.toString(), what).toBe(await inProcess(argv));
      if (i === 0) {
        expect(piped.stdout.length).toBeGreaterThan(4 * 131_072); // far above a pipe's buffer
        expect((JSON.parse(piped.stdout.toString()) as { schedule: unknown[] }).schedule).toHaveLength(8760);
      }
    }
  }, 600_000); // eight processes; a busy machine may take minutes, the result does not depend on it

  it('exits 0 on success, 2 with one stderr line for bad input', async () => {
    const bad = await bess(['oracle', HOURLY, '--capacity', '200', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.stdout.length).toBe(0);
    expect(bad.stderr).toBe(
      'bess: unknown flag --capacity (did you mean --capacity-kwh?); bess oracle --help lists its flags\n',
    );
    const missing = await bess(['parse', join(tmp, 'none.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`bess: no such file: ${join(tmp, 'none.csv')}\n`);
  });

  it('runs through bin/bess.mjs too', async () => {
    const r = await run(['bin/bess.mjs', 'parse', TINY, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.toString()).toBe(await inProcess(['parse', TINY, '--json']));
  });

  it('importing the CLI and its commands runs nothing', async () => {
    const script =
      "await import('./src/cli/bess.ts'); await import('./src/cli/commands/oracle.ts'); console.log('imported');";
    const r = await run([...NODE_ARGS, '--input-type=module', '-e', script, 'oracle', HOURLY]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe('imported\n');
  });
});
