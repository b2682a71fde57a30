// The files of an `mlruns` folder as the browser hands them over: from <input webkitdirectory> (each File knows its
// path under the chosen folder) or from a drop (a folder entry walked with the File and Directory Entries API, where
// the browser offers it). Run artifacts are not read (isRunArtifact), so a large store's models cost nothing.

import type { FileEntry } from '../../core/mlflow/layout.ts';
import { isRunArtifact } from './import.ts';

export interface PickedFile {
  path: string;
  file: File;
}

/** The files of a directory input, with their paths under the chosen folder. */
export function pickedFiles(list: FileList | File[]): PickedFile[] {
  return [...list].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** The bytes of the files the report reads. */
export async function readPicked(files: PickedFile[]): Promise<FileEntry[]> {
  const wanted = files.filter((f) => !isRunArtifact(f.path));
  return Promise.all(wanted.map(async (f) => ({ path: f.path, bytes: new Uint8Array(await f.file.arrayBuffer()) })));
}

/** What was dropped: one zip file, or the files of one or more folders; null when it was neither. */
export type Dropped = { kind: 'zip'; file: File } | { kind: 'folder'; name: string; files: PickedFile[] } | null;

const fileOf = (e: FileSystemFileEntry) => new Promise<File>((resolve, reject) => e.file(resolve, reject));

async function walk(dir: FileSystemDirectoryEntry, prefix: string, out: PickedFile[]): Promise<void> {
  const reader = dir.createReader();
  // readEntries returns the folder in batches (100 in Chromium) until an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) return;
    for (const e of batch) {
      const path = `${prefix}${e.name}`;
      if (e.isDirectory) await walk(e as FileSystemDirectoryEntry, `${path}/`, out);
      else if (!isRunArtifact(path)) out.push({ path, file: await fileOf(e as FileSystemFileEntry) });
    }
  }
}

/** Sorts out a drop: a folder is walked where the browser offers entries (webkitGetAsEntry), a zip file is a zip. */
export async function droppedItems(dt: DataTransfer): Promise<Dropped> {
  const entries = [...dt.items]
    .filter((i) => i.kind === 'file')
    .map((i) => i.webkitGetAsEntry?.() ?? null)
    .filter((e): e is FileSystemEntry => e !== null);
  const dirs = entries.filter((e) => e.isDirectory) as FileSystemDirectoryEntry[];
  if (dirs.length) {
    const files: PickedFile[] = [];
    for (const d of dirs) await walk(d, `${d.name}/`, files);
    return { kind: 'folder', name: dirs.map((d) => d.name).join(', '), files };
  }
  const file = dt.files[0];
  return file ? { kind: 'zip', file } : null;
}
