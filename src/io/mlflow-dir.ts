// An MLflow file store in a real folder (Node): the layout of src/core/mlflow written and read with node:fs, safe
// for several writers at once (several `bess train --mlruns DIR` in parallel never leave it inconsistent):
// - a run is written whole into a hidden staging folder of its experiment and renamed into place, so a reader sees
//   all of it or none of it (MLflow skips a folder without meta.yaml, and so do we);
// - files that change (meta.yaml of a registered model, aliases) are replaced by writing a temporary file and
//   renaming it over the old one;
// - an experiment's folder is claimed with an exclusive mkdir, and its id derives from its name, so two writers
//   creating the same experiment at once pick the same folder;
// - a model version is staged with its meta.yaml and renamed to `version-<N>`; a rename onto an existing version
//   fails, and the writer tries N + 1.
//
// Usage: const exp = await ensureExperiment(root, 'PowerBidder', Date.now()); await writeRun(root, run);

import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type FileEntry,
  type MlflowExperiment,
  type MlflowModelVersion,
  type MlflowRegisteredModel,
  type MlflowRun,
  type ModelStage,
  experimentFiles,
  experimentIdForName,
  isValidModelName,
  modelVersionMeta,
  dumpYaml,
  registeredModelMeta,
  runFiles,
} from '../core/mlflow/layout.ts';
import { readStore, type ReadResult } from '../core/mlflow/read.ts';
import { parseDocument } from 'yaml';

const code = (e: unknown) => (e as NodeJS.ErrnoException)?.code;

/** path_to_local_file_uri: the folder as a file:// URI. */
export function fileUri(path: string): string {
  return pathToFileURL(resolve(path)).href;
}

/** Writes a file by writing a temporary sibling and renaming it over the target (readers never see half a file). */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${randomUUID()}.tmp`);
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Every file under root as entries, paths relative to root with `/`. */
export async function readEntries(root: string): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  async function walk(rel: string): Promise<void> {
    let list;
    try {
      list = await readdir(join(root, rel), { withFileTypes: true });
    } catch (e) {
      if (rel && code(e) === 'ENOENT') return; // a staging folder renamed into place while we walked
      throw e;
    }
    for (const d of list) {
      const p = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) await walk(p);
      else if (d.isFile()) {
        try {
          out.push({ path: p, bytes: new Uint8Array(await readFile(join(root, p))) });
        } catch (e) {
          if (code(e) !== 'ENOENT') throw e; // a temporary file renamed away while we walked
        }
      }
    }
  }
  await walk('');
  return out;
}

/** Reads the store in a folder. */
export async function readStoreDir(root: string): Promise<ReadResult> {
  if (!(await exists(root))) throw new Error(`${root}: no such folder (an MLflow store is a folder such as ./mlruns)`);
  return readStore(await readEntries(root));
}

async function writeExperimentMeta(root: string, e: MlflowExperiment): Promise<void> {
  for (const f of experimentFiles(e)) await writeFileAtomic(join(root, f.path), f.bytes);
}

function experimentFor(root: string, id: string, name: string, nowMs: number): MlflowExperiment {
  return {
    experimentId: id,
    name,
    artifactLocation: `${fileUri(root)}/${id}`,
    lifecycleStage: 'active',
    creationTimeMs: nowMs,
    lastUpdateTimeMs: nowMs,
    tags: {},
  };
}

/** Claims `root/<id>` for an experiment; true when this writer created it. */
async function claimDir(path: string): Promise<boolean> {
  try {
    await mkdir(path);
    return true;
  } catch (e) {
    if (code(e) === 'EEXIST') return false;
    throw e;
  }
}

async function readYaml(path: string): Promise<Record<string, unknown> | null> {
  try {
    const v = parseDocument(await readFile(path, 'utf8'), { version: '1.1' }).toJS() as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch (e) {
    if (code(e) === 'ENOENT') return null;
    throw e;
  }
}

/** Creates the store as FileStore.__init__ does (root, Default experiment '0', .trash) when it is not there yet. */
export async function ensureStore(root: string, nowMs: number): Promise<void> {
  await mkdir(root, { recursive: true });
  await mkdir(join(root, '.trash'), { recursive: true });
  const defaultDir = join(root, '0');
  if ((await claimDir(defaultDir)) || !(await exists(join(defaultDir, 'meta.yaml'))))
    await writeExperimentMeta(root, experimentFor(root, '0', 'Default', nowMs));
}

/** The active experiment with this name, created when there is none; a deleted one (in .trash) is an error. */
export async function ensureExperiment(root: string, name: string, nowMs: number): Promise<MlflowExperiment> {
  await ensureStore(root, nowMs);
  const metas: FileEntry[] = [];
  for (const d of await readdir(root, { withFileTypes: true })) {
    if (!d.isDirectory() || d.name.startsWith('.') || d.name === 'models') continue;
    const bytes = await readFile(join(root, d.name, 'meta.yaml')).catch(() => null);
    if (bytes) metas.push({ path: `${d.name}/meta.yaml`, bytes: new Uint8Array(bytes) });
  }
  const { store } = readStore(metas);
  const found = store.experiments.find((e) => e.name === name && e.lifecycleStage === 'active');
  if (found) return found;
  const deleted = await findDeletedExperiment(root, name);
  if (deleted)
    throw new Error(
      `${root}: experiment '${name}' is deleted (${join(root, '.trash', deleted)}); restore it or choose another --experiment`,
    );
  for (let attempt = 0; attempt < 8; attempt++) {
    const id = attempt === 0 ? experimentIdForName(name) : experimentIdForName(`${name}\u0000${randomUUID()}`);
    const dir = join(root, id);
    const mine = await claimDir(dir);
    const meta = await readYaml(join(dir, 'meta.yaml'));
    if (mine || !meta) {
      // Ours, or claimed by a writer that has not written meta.yaml yet: both write the same experiment.
      const exp = experimentFor(root, id, name, nowMs);
      if (!meta) await writeExperimentMeta(root, exp);
      return exp;
    }
    if (meta.name === name)
      return {
        ...experimentFor(root, id, name, Number(meta.creation_time) || nowMs),
        artifactLocation: String(meta.artifact_location),
      };
    // Another experiment holds that id: take a fresh one.
  }
  throw new Error(`${root}: could not create experiment '${name}'`);
}

async function findDeletedExperiment(root: string, name: string): Promise<string | null> {
  let dirs: string[];
  try {
    dirs = await readdir(join(root, '.trash'));
  } catch {
    return null;
  }
  for (const d of dirs) if ((await readYaml(join(root, '.trash', d, 'meta.yaml')))?.name === name) return d;
  return null;
}

/** Writes a whole run into its experiment (staged, then renamed into place). Returns the run's folder. */
export async function writeRun(root: string, run: MlflowRun): Promise<string> {
  const files = runFiles(run);
  const prefix = `${run.experimentId}/${run.runId}/`;
  const expDir = join(root, run.experimentId);
  if (!(await exists(join(expDir, 'meta.yaml')))) throw new Error(`${root}: no experiment ${run.experimentId}`);
  const staging = join(expDir, `.tmp-${run.runId}-${randomUUID()}`);
  const final = join(expDir, run.runId);
  try {
    for (const f of files) {
      if (f.path.endsWith('/meta.yaml') && f.path === prefix + 'meta.yaml') continue;
      const p = join(staging, f.path.slice(prefix.length));
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, f.bytes);
    }
    // FileStore.create_run makes these three even when empty.
    for (const d of ['metrics', 'params', 'artifacts']) await mkdir(join(staging, d), { recursive: true });
    await writeFile(join(staging, 'meta.yaml'), files.find((f) => f.path === prefix + 'meta.yaml')!.bytes);
    await rename(staging, final);
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    if (code(e) === 'ENOTEMPTY' || code(e) === 'EEXIST')
      throw new Error(`${final}: a run with id ${run.runId} exists already`, { cause: e });
    throw e;
  }
  return final;
}

/** Registers a run's model as the next version of `name` (created if needed), in `stage`; returns the version. */
export async function registerModelVersion(
  root: string,
  opts: { name: string; runId: string; source: string; stage: ModelStage; nowMs: number; userId: string | null },
): Promise<number> {
  if (!isValidModelName(opts.name))
    throw new Error(`--register ${JSON.stringify(opts.name)}: a model name may not contain / \\ or %`);
  const modelDir = join(root, 'models', opts.name);
  await mkdir(join(root, 'models'), { recursive: true });
  const model: MlflowRegisteredModel = {
    name: opts.name,
    creationTimestampMs: opts.nowMs,
    lastUpdatedTimestampMs: opts.nowMs,
    description: null,
    tags: {},
    aliases: {},
    versions: [],
  };
  const metaPath = join(modelDir, 'meta.yaml');
  if ((await claimDir(modelDir)) || !(await readYaml(metaPath)))
    await writeFileAtomic(metaPath, dumpYaml(registeredModelMeta(model)));

  const version: MlflowModelVersion = {
    name: opts.name,
    version: 0,
    creationTimestampMs: opts.nowMs,
    lastUpdatedTimestampMs: opts.nowMs,
    currentStage: opts.stage,
    source: opts.source,
    runId: opts.runId,
    status: 'READY',
    description: null,
    userId: opts.userId,
    runLink: null,
    tags: {},
  };
  let n = 0;
  for (let attempt = 0; ; attempt++) {
    const taken = (await readdir(modelDir))
      .map((d) => /^version-(\d+)$/.exec(d)?.[1])
      .filter((x): x is string => !!x)
      .map(Number);
    n = Math.max(n, 0, ...taken) + 1;
    const staging = join(modelDir, `.tmp-version-${randomUUID()}`);
    await mkdir(staging);
    await writeFile(join(staging, 'meta.yaml'), dumpYaml(modelVersionMeta({ ...version, version: n })));
    try {
      await rename(staging, join(modelDir, `version-${n}`));
      break;
    } catch (e) {
      await rm(staging, { recursive: true, force: true });
      if ((code(e) !== 'ENOTEMPTY' && code(e) !== 'EEXIST') || attempt > 1000) throw e;
    }
  }

  // The registered model's last update, and an alias per active stage (models:/NAME@production).
  const meta = (await readYaml(metaPath)) ?? registeredModelMeta(model);
  const aliases = { ...((meta.aliases as Record<string, string> | undefined) ?? {}) };
  if (opts.stage === 'Staging' || opts.stage === 'Production') {
    const alias = opts.stage.toLowerCase();
    const aliasPath = join(modelDir, 'aliases', alias);
    const current = Number((await readFile(aliasPath, 'utf8').catch(() => '0')).trim());
    if (!(current > n)) {
      await writeFileAtomic(aliasPath, String(n));
      aliases[alias] = String(n);
    }
  }
  await writeFileAtomic(metaPath, dumpYaml({ ...meta, aliases, last_updated_timestamp: opts.nowMs }));
  return n;
}
