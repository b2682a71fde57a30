// Checks an output folder before a long job writes to it (`bess train --out DIR`): a clear error at once for a file,
// an existing run or an unwritable place, instead of failing (or hanging) after the work is done.
import { mkdir, readdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CliError } from './args.ts';

/** The files that make a folder a run of `bess train`; one of them present means the folder holds a run. */
export const RUN_FILES = ['params.json', 'metrics.json', 'model.json'] as const;

export interface PreparedDir {
  /** Folders this call created, outermost first. */
  created: string[];
  /** Removes the created folders again if they are still empty (the job failed before writing). */
  removeIfUnused(): Promise<void>;
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ENOENT: 'the file system does not allow it',
  ENOTDIR: 'a part of the path is a file',
  EEXIST: 'exists and is not a folder',
};
const reason = (err: unknown): string => {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return REASONS[code] ? `${REASONS[code]} (${code})` : err instanceof Error ? err.message : String(err);
};

/**
 * Makes `dir` ready for a run: creates it (and missing parents) if absent, refuses a file, refuses a folder that
 * already holds a run unless `force`, and proves it writable by writing and removing a probe file. Throws CliError
 * naming `flag`. Creates folders one level at a time: Node's recursive mkdir never settles under /proc.
 */
export async function prepareOutDir(
  dir: string,
  { force, flag = '--out' }: { force: boolean; flag?: string },
): Promise<PreparedDir> {
  const target = resolve(dir);
  const created: string[] = [];
  const missing: string[] = [];
  for (let p = target; ; p = dirname(p)) {
    const kind = await kindOf(p);
    if (kind === 'dir') break;
    if (kind === 'other') {
      throw new CliError(
        p === target ? `${flag} ${dir} is a file, not a folder` : `${flag} ${dir}: ${p} is a file, not a folder`,
      );
    }
    missing.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing) {
    try {
      await mkdir(p);
    } catch (err) {
      await removeEmpty(created);
      throw new CliError(`${flag} ${dir}: cannot create the folder ${p}: ${reason(err)}`);
    }
    created.push(p);
  }
  if (missing.length === 0 && !force) {
    const entries = new Set(await readdir(target));
    const run = RUN_FILES.filter((f) => entries.has(f));
    if (run.length)
      throw new CliError(
        `${flag} ${dir} already holds a run (${run.join(', ')}); pass --force to overwrite it, or choose another folder`,
      );
  }
  const probe = join(target, `.bess-write-check-${process.pid}`);
  try {
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (err) {
    await removeEmpty(created);
    throw new CliError(`${flag} ${dir} is not writable: ${reason(err)}`);
  }
  return { created, removeIfUnused: () => removeEmpty(created) };
}

/** 'dir', 'other' (a file, a device…) or 'absent'; a path under a file counts as absent so its parent is judged. */
async function kindOf(p: string): Promise<'dir' | 'other' | 'absent'> {
  try {
    return (await stat(p)).isDirectory() ? 'dir' : 'other';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'absent';
    throw new CliError(`cannot inspect ${p}: ${reason(err)}`);
  }
}

async function removeEmpty(created: readonly string[]): Promise<void> {
  for (const p of [...created].reverse()) await rmdir(p).catch(() => undefined);
}
