import { describe, expect, it } from 'vitest';
import { WorkerBox, WorkerCallAborted } from './worker-box.ts';

// A stand-in for a browser Worker that never answers: enough for Comlink to send, and for us to crash it.
class FakeWorker extends EventTarget {
  terminated = false;
  sent = 0;
  postMessage(): void {
    this.sent++;
  }
  terminate(): void {
    this.terminated = true;
  }
  crash(message: string): void {
    const ev = new Event('error', { cancelable: true }) as Event & { message: string };
    ev.message = message;
    this.dispatchEvent(ev);
  }
}

interface Api {
  work(): Promise<number>;
}

function setup() {
  const made: FakeWorker[] = [];
  const crashes: string[] = [];
  const box = new WorkerBox<Api>(() => {
    const w = new FakeWorker();
    made.push(w);
    return w as unknown as Worker;
  }, (m) => crashes.push(m));
  return { box, made, crashes };
}

describe('WorkerBox', () => {
  it('a crash rejects the pending call, reports a message and the next call gets a fresh worker', async () => {
    const { box, made, crashes } = setup();
    const pending = box.call((w) => w.work());
    expect(made).toHaveLength(1);
    made[0].crash('out of memory');
    await expect(pending).rejects.toMatchObject({ name: 'WorkerCallAborted', reason: 'crashed' });
    expect(crashes[0]).toMatch(/out of memory.*restarted/);
    expect(made[0].terminated).toBe(true);
    void box.call((w) => w.work()).catch(() => undefined);
    expect(made).toHaveLength(2);
    expect(made[1].sent).toBeGreaterThan(0);
  });

  it('cancel() ends the worker and rejects pending calls as cancelled', async () => {
    const { box, made, crashes } = setup();
    const pending = box.call((w) => w.work());
    box.cancel();
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerCallAborted);
    expect((err as WorkerCallAborted).reason).toBe('cancelled');
    expect(made[0].terminated).toBe(true);
    expect(crashes).toEqual([]);
  });

  it('creates the worker lazily, once', () => {
    const { box, made } = setup();
    expect(made).toHaveLength(0);
    void box.call((w) => w.work()).catch(() => undefined);
    void box.call((w) => w.work()).catch(() => undefined);
    expect(made).toHaveLength(1);
    box.dispose();
  });
});
