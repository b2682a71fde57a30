// A Comlink-wrapped worker that survives crashes and cancellation. State classes own one each (STYLE.md: "a class
// owns its worker"); the `new Worker(new URL(...))` stays literal in the state class so Vite bundles the worker.

import * as Comlink from 'comlink';

/** Raised for a call that was cancelled or whose worker died; `reason` tells which. */
export class WorkerCallAborted extends Error {
  constructor(readonly reason: 'cancelled' | 'crashed', message: string) {
    super(message);
    this.name = 'WorkerCallAborted';
  }
}

/** One worker, created lazily, recreated after a crash or a cancel; pending calls then reject. */
export class WorkerBox<T> {
  #create: () => Worker;
  #onCrash: (message: string) => void;
  #worker: Worker | null = null;
  #remote: Comlink.Remote<T> | null = null;
  #pending = new Set<(e: WorkerCallAborted) => void>();

  constructor(create: () => Worker, onCrash: (message: string) => void) {
    this.#create = create;
    this.#onCrash = onCrash;
  }

  /** Runs `fn` against the worker; rejects with WorkerCallAborted if the worker crashes or is cancelled meanwhile. */
  call<R>(fn: (remote: Comlink.Remote<T>) => Promise<R>): Promise<R> {
    const remote = this.#ensure();
    return new Promise<R>((resolve, reject) => {
      const abort = (e: WorkerCallAborted) => reject(e);
      this.#pending.add(abort);
      fn(remote).then(resolve, reject).finally(() => this.#pending.delete(abort));
    });
  }

  /** Ends the worker now (the only way to interrupt synchronous work in it); the next call starts a fresh one. */
  cancel(): void {
    this.#reset(new WorkerCallAborted('cancelled', 'cancelled'));
  }

  /** Ends the worker for good (page teardown). */
  dispose(): void {
    this.cancel();
  }

  #ensure(): Comlink.Remote<T> {
    if (this.#remote) return this.#remote;
    const w = this.#create();
    w.addEventListener('error', (ev) => {
      ev.preventDefault();
      const message = `The ${ev.message ? `worker failed: ${ev.message}` : 'worker stopped unexpectedly'}. It has been restarted; your data and settings are kept.`;
      if (this.#worker === w) this.#reset(new WorkerCallAborted('crashed', message));
      this.#onCrash(message);
    });
    w.addEventListener('messageerror', () => this.#onCrash('A message from the worker could not be read.'));
    this.#worker = w;
    this.#remote = Comlink.wrap<T>(w);
    return this.#remote;
  }

  #reset(reason: WorkerCallAborted): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#remote = null;
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const abort of pending) abort(reason);
  }
}
