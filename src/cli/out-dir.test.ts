import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './args.ts';
import { prepareOutDir } from './out-dir.ts';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'out-dir-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const messageOf = async (p: Promise<unknown>): Promise<string> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CliError);
  return (err as Error).message;
};

describe('prepareOutDir(dir, {force})', () => {
  it('creates a missing folder and its parents, and removes them again when unused', async () => {
    const dir = join(tmp, 'a', 'b');
    const prepared = await prepareOutDir(dir, { force: false });
    expect((await stat(dir)).isDirectory()).toBe(true);
    expect(prepared.created).toEqual([join(tmp, 'a'), dir]);
    expect(await readdir(dir)).toEqual([]);
    await prepared.removeIfUnused();
    expect(await readdir(tmp)).toEqual([]);
  });

  it('keeps a created folder that the job wrote into', async () => {
    const dir = join(tmp, 'run');
    const prepared = await prepareOutDir(dir, { force: false });
    await writeFile(join(dir, 'model.json'), '{}');
    await prepared.removeIfUnused();
    expect(await readdir(dir)).toEqual(['model.json']);
  });

  it('accepts an existing empty folder or one without a run', async () => {
    await writeFile(join(tmp, 'notes.txt'), 'x');
    const prepared = await prepareOutDir(tmp, { force: false });
    expect(prepared.created).toEqual([]);
    expect(await readdir(tmp)).toEqual(['notes.txt']);
  });

  it('refuses a file', async () => {
    const file = join(tmp, 'f');
    await writeFile(file, 'keep me');
    expect(await messageOf(prepareOutDir(file, { force: true }))).toBe(`--out ${file} is a file, not a folder`);
    expect(await readFile(file, 'utf8')).toBe('keep me');
  });

  it('refuses a path under a file, naming the file', async () => {
    const file = join(tmp, 'f');
    await writeFile(file, '');
    expect(await messageOf(prepareOutDir(join(file, 'x', 'y'), { force: false }))).toBe(
      `--out ${join(file, 'x', 'y')}: ${file} is a file, not a folder`,
    );
  });

  it('refuses a folder that holds a run unless forced, and leaves it as it was', async () => {
    for (const runFile of ['params.json', 'metrics.json', 'model.json']) {
      const dir = join(tmp, runFile);
      await mkdir(dir);
      await writeFile(join(dir, runFile), 'old');
      expect(await messageOf(prepareOutDir(dir, { force: false }))).toBe(
        `--out ${dir} already holds a run (${runFile}); pass --force to overwrite it, or choose another folder`,
      );
      expect(await readdir(dir)).toEqual([runFile]);
      await prepareOutDir(dir, { force: true });
      expect(await readdir(dir)).toEqual([runFile]);
    }
  });

  it('fails at once where no folder can be made (/proc), naming the folder', async () => {
    // Node's own mkdir(…, {recursive: true}) never settles for this path.
    expect(await messageOf(prepareOutDir('/proc/bess-no-such/run', { force: false }))).toBe(
      '--out /proc/bess-no-such/run: cannot create the folder /proc/bess-no-such: the file system does not allow it (ENOENT)',
    );
  });
});
