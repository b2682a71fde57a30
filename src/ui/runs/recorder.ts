// Keeps the record of a run that is training up to date in the store, so a reload or a crash mid-run leaves an
// "interrupted" run with its inputs, curve so far and best policy so far. Writes are coalesced: at most one is in
// flight, and the latest snapshot is always the one written last (no timers: the pace is the store's).
//
// Usage: const rec = new RunRecorder(store.put, meta); rec.update(snapshot) per progress; await rec.finish(done).

import type { RunRecord } from './schema.ts';

export class RunRecorder {
  #put: (run: RunRecord) => Promise<void>;
  #next: RunRecord | null = null;
  #writing: Promise<void> | null = null;
  #closed = false;
  /** The last write's error (e.g. storage full), or null; the run goes on either way. */
  lastError: Error | null = null;
  /** Called after each failed write (the caller shows it) and after a later write succeeds again (null). */
  onError: (e: Error | null) => void = () => undefined;

  constructor(put: (run: RunRecord) => Promise<void>) {
    this.#put = put;
  }

  /** Queues the run's current state; returns at once. */
  update(run: RunRecord): void {
    if (this.#closed) return;
    this.#next = run;
    if (!this.#writing) this.#writing = this.#drain();
  }

  /** Writes the final record after any queued one; rejects if that last write fails. Later updates are ignored. */
  async finish(run: RunRecord): Promise<void> {
    this.#closed = true;
    this.#next = null;
    await this.#writing;
    await this.#put(run);
  }

  /** Resolves when every queued snapshot has been written (or failed). */
  async settled(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async #drain(): Promise<void> {
    while (this.#next) {
      const run = this.#next;
      this.#next = null;
      try {
        await this.#put(run);
        if (this.lastError) this.onError(null);
        this.lastError = null;
      } catch (e) {
        this.lastError = e as Error;
        this.onError(this.lastError);
      }
    }
    this.#writing = null;
  }
}
