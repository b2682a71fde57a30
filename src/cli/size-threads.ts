// Worker-thread runners for `bess size` (and the Node benchmark): one thread per runner, each loaded once with the
// prices, each a CellRunner for core/sizing's pool.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CellRunner, CellSolve } from '../core/sizing/index.ts';
import type { SizeThreadData, SizeThreadReply } from './size-thread.ts';

/**
 * The thread's entry. As JavaScript (a build) it is size-thread.js itself. As TypeScript under tsx it is a tiny
 * module that registers tsx in the thread and then imports size-thread.ts: on Node 20 a worker thread does not
 * inherit the loader of `tsx` or of its API (bin/bess.mjs), nor honour `--import` in its execArgv (nodejs/node#47747,
 * privatenumber/tsx#354), and a bare `tsx` would resolve from the cwd rather than from here.
 */
function threadEntry(): URL {
  const file = new URL('./size-thread.ts', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return new URL('./size-thread.js', import.meta.url);
  const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(file.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}

/** Default thread count: one per core. */
export function defaultJobs(): number {
  return availableParallelism();
}

/** Starts `jobs` threads over the same problem; `ready` resolves when all have loaded, `close` ends them. */
export function startSizeThreads(
  data: SizeThreadData,
  jobs: number,
): { runners: CellRunner[]; ready: Promise<void>; close: () => Promise<void> } {
  const workers: Worker[] = [];
  const runners: CellRunner[] = [];
  const loaded: Promise<void>[] = [];
  for (let i = 0; i < jobs; i++) {
    const w = new Worker(threadEntry(), { workerData: data });
    workers.push(w);
    let nextId = 0;
    const pending = new Map<number, { resolve: (s: CellSolve[]) => void; reject: (e: Error) => void }>();
    const failAll = (e: Error) => {
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    };
    loaded.push(
      new Promise<void>((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', reject);
      }),
    );
    w.on('message', (r: SizeThreadReply) => {
      if (r.id === -1) return;
      const p = pending.get(r.id);
      pending.delete(r.id);
      if (r.ok) p?.resolve(r.solves);
      else p?.reject(new Error(r.message));
    });
    w.on('error', (e) => failAll(new Error(`size thread ${i} failed: ${e.message}`)));
    w.on('exit', (code) => failAll(new Error(`size thread ${i} exited (code ${code})`)));
    runners.push(
      (cells) =>
        new Promise<CellSolve[]>((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve, reject });
          w.postMessage({ id, cells });
        }),
    );
  }
  return {
    runners,
    ready: Promise.all(loaded).then(() => undefined),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
