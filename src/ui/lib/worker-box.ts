// A Comlink-wrapped worker that survives crashes and cancellation. State classes own one each (STYLE.md: "a class
// owns its worker"); the `new Worker(new URL(...))` stays literal in the state class so Vite bundles the worker.

import * as Comlink from 'comlink';

/** Raised for a call that was cancelled or whose worker died; `reason` tells which. */
export class WorkerCallAborted extends Error {
  constructor(
    readonly reason: 'cancelled' | 'crashed',
    message: string,
  ) {
    super(message);
    this.name = 'WorkerCallAborted';
  }
}

/**
 * How a busy worker is watched: while a call is pending it is pinged every `pingMs`, and one that has not answered
 * anything for `timeoutMs` is taken for dead (terminated, hung, or killed without an 'error' event). A worker
 * answers between its own tasks, so `timeoutMs` must exceed the longest stretch of synchronous work it does.
 */
export interface Liveness {
  pingMs: number;
  timeoutMs: number;
}

/** Comlink ignores a GET answer whose id it did not send, so a ping needs no code in the worker. */
const PING_PREFIX = 'powerbidder-liveness-';

/**
 * Makes a callback the worker may call during one call (progress, checkpoints): proxied, and quiet once that call
 * has settled. Comlink sends a proxied callback's messages on a port of their own, not the one the reply comes on,
 * and nothing orders two ports: a last progress message the worker sent just before returning can arrive after the
 * reply. Unguarded, it brought a finished run's progress back, and with it a disabled button, for good.
 */
export type QuietCallback = <A extends unknown[]>(
  fn: (...args: A) => void,
) => ((...args: A) => void) & Comlink.ProxyMarked;

/** One worker, created lazily, recreated after a crash or a cancel; pending calls then reject. */
export class WorkerBox<T> {
  #create: () => Worker;
  #onCrash: (message: string) => void;
  #liveness: Liveness | null;
  #worker: Worker | null = null;
  #remote: Comlink.Remote<T> | null = null;
  #pending = new Set<(e: WorkerCallAborted) => void>();
  #timer: ReturnType<typeof setInterval> | null = null;
  #silentTicks = 0;
  #pings = 0;

  constructor(create: () => Worker, onCrash: (message: string) => void, liveness: Liveness | null = null) {
    this.#create = create;
    this.#onCrash = onCrash;
    this.#liveness = liveness;
  }

  /**
   * Runs `fn` against the worker; rejects with WorkerCallAborted if the worker crashes or is cancelled meanwhile.
   * Callbacks for the worker go through `quiet`: they are silenced before the call resolves or rejects (or is
   * cancelled, or its worker crashes), so none runs after the caller has seen the call end.
   */
  call<R>(fn: (remote: Comlink.Remote<T>, quiet: QuietCallback) => Promise<R>): Promise<R> {
    const remote = this.#ensure();
    return new Promise<R>((resolve, reject) => {
      let open = true;
      const quiet: QuietCallback = (cb) =>
        Comlink.proxy((...args: Parameters<typeof cb>) => {
          if (open) cb(...args);
        });
      const abort = (e: WorkerCallAborted) => {
        open = false;
        reject(e);
      };
      this.#pending.add(abort);
      this.#watch();
      fn(remote, quiet)
        .then(
          (value) => {
            open = false;
            resolve(value);
          },
          (e: unknown) => {
            open = false;
            reject(e);
          },
        )
        .finally(() => {
          this.#pending.delete(abort);
          if (this.#pending.size === 0) this.#unwatch();
        });
    });
  }

  /** Test hook: the worker dies without any event (as when the browser kills it); only liveness can tell. */
  killSilently(): void {
    this.#worker?.terminate();
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
    w.addEventListener('messageerror', () => {
      // The lost message may have been a call's answer: the call would wait for ever, so restart.
      const message =
        'A message from the worker could not be read. It has been restarted; your data and settings are kept.';
      if (this.#worker === w) this.#reset(new WorkerCallAborted('crashed', message));
      this.#onCrash(message);
    });
    w.addEventListener('message', () => {
      if (this.#worker === w) this.#silentTicks = 0;
    });
    this.#worker = w;
    this.#remote = Comlink.wrap<T>(w);
    return this.#remote;
  }

  #watch(): void {
    if (!this.#liveness || this.#timer) return;
    const { pingMs, timeoutMs } = this.#liveness;
    this.#silentTicks = 0;
    this.#timer = setInterval(() => {
      const w = this.#worker;
      if (!w) return;
      // Counted in ticks, not clock readings: the same answers give the same verdict on any machine.
      if (++this.#silentTicks * pingMs > timeoutMs) {
        const message = `The worker stopped answering (nothing for ${Math.round(timeoutMs / 1000)} s). It has been restarted; your data and settings are kept.`;
        this.#reset(new WorkerCallAborted('crashed', message));
        this.#onCrash(message);
        return;
      }
      w.postMessage({ id: `${PING_PREFIX}${++this.#pings}`, type: 'GET', path: ['__liveness'] });
    }, pingMs);
  }

  #unwatch(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #reset(reason: WorkerCallAborted): void {
    this.#unwatch();
    this.#worker?.terminate();
    this.#worker = null;
    this.#remote = null;
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const abort of pending) abort(reason);
  }
}
