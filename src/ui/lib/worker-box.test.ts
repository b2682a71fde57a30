import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Comlink from 'comlink';
import { WorkerBox, WorkerCallAborted } from './worker-box.ts';

// A stand-in for a browser Worker that never answers: enough for Comlink to send, and for us to crash it.
class FakeWorker extends EventTarget {
  terminated = false;
  sent = 0;
  /** Answers liveness pings the way Comlink's expose() answers a GET, while alive and not terminated. */
  answersPings = false;
  postMessage(data?: { id?: string; type?: string }): void {
    this.sent++;
    if (
      this.answersPings &&
      !this.terminated &&
      data?.type === 'GET' &&
      String(data.id).startsWith('powerbidder-liveness-')
    ) {
      queueMicrotask(() =>
        this.dispatchEvent(new MessageEvent('message', { data: { id: data.id, type: 'RAW', value: undefined } })),
      );
    }
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

function setup(liveness: { pingMs: number; timeoutMs: number } | null = null, answersPings = false) {
  const made: FakeWorker[] = [];
  const crashes: string[] = [];
  const box = new WorkerBox<Api>(
    () => {
      const w = new FakeWorker();
      w.answersPings = answersPings;
      made.push(w);
      return w as unknown as Worker;
    },
    (m) => crashes.push(m),
    liveness,
  );
  return { box, made, crashes };
}

afterEach(() => {
  vi.useRealTimers();
});

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

  it('a messageerror rejects the pending call as a crash (its answer may be the lost message)', async () => {
    const { box, made, crashes } = setup();
    const pending = box.call((w) => w.work());
    made[0].dispatchEvent(new Event('messageerror'));
    await expect(pending).rejects.toMatchObject({ reason: 'crashed' });
    expect(crashes[0]).toMatch(/could not be read/);
  });
});

describe('WorkerBox liveness', () => {
  it('a worker that dies without an event (terminated, no answers) is detected, its call rejected, and replaced', async () => {
    vi.useFakeTimers();
    const { box, made, crashes } = setup({ pingMs: 100, timeoutMs: 1000 }, true);
    const pending = box.call((w) => w.work());
    const outcome = pending.then(
      () => 'resolved',
      (e: WorkerCallAborted) => e.reason,
    );
    await vi.advanceTimersByTimeAsync(5000);
    expect(crashes).toEqual([]);
    box.killSilently();
    await vi.advanceTimersByTimeAsync(1200);
    expect(await outcome).toBe('crashed');
    expect(crashes[0]).toMatch(/stopped answering \(nothing for 1 s\).*restarted/);
    void box.call((w) => w.work()).catch(() => undefined);
    expect(made).toHaveLength(2);
    box.dispose();
  });

  it('a worker that answers its pings is never taken for dead, however long the call runs', async () => {
    vi.useFakeTimers();
    const { box, crashes } = setup({ pingMs: 100, timeoutMs: 300 }, true);
    let settled = false;
    void box
      .call((w) => w.work())
      .catch(() => undefined)
      .finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(crashes).toEqual([]);
    expect(settled).toBe(false);
    box.dispose();
  });

  it('pings only while a call is pending', async () => {
    vi.useFakeTimers();
    const { box, made } = setup({ pingMs: 100, timeoutMs: 300 }, true);
    void box.call((w) => w.work()).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(1000);
    const sent = made[0].sent;
    expect(sent).toBeGreaterThan(5);
    box.cancel();
    await vi.advanceTimersByTimeAsync(1000);
    expect(made[0].sent).toBe(sent);
  });
});

// A real Comlink pair over a MessageChannel, as between the page and a worker: the worker sends its last progress
// message and returns; the reply and the progress travel on different ports.
describe('progress of a call that has settled', () => {
  interface ProgressApi {
    run(onProgress: (p: string) => void): Promise<string>;
    fail(onProgress: (p: string) => void): Promise<string>;
  }
  /** The worker side over one end of a real MessageChannel: two progress messages, then the reply (or a refusal). */
  function exposeProgress(port: MessagePort) {
    Comlink.expose(
      {
        async run(onProgress: (p: string) => void) {
          void onProgress('starting');
          void onProgress('done');
          return 'reply';
        },
        async fail(onProgress: (p: string) => void) {
          void onProgress('done');
          throw new Error('refused');
        },
      },
      port,
    );
  }
  function pair() {
    const { port1, port2 } = new MessageChannel();
    exposeProgress(port1);
    return { remote: Comlink.wrap<ProgressApi>(port2), close: () => (port1.close(), port2.close()) };
  }
  /** Lets every message in flight arrive. */
  const drain = () => new Promise((r) => setTimeout(r, 50));

  it('can arrive after the reply: the hazard the gate is for', async () => {
    const { remote, close } = pair();
    const seen: string[] = [];
    await remote.run(Comlink.proxy((p: string) => void seen.push(p)));
    seen.push('reply');
    await drain();
    close();
    // Sent before the reply, yet delivered after it.
    expect(seen.indexOf('done')).toBeGreaterThan(seen.indexOf('reply'));
  });

  /** A WorkerBox over a real MessageChannel (its port stands in for the Worker). */
  function box() {
    const { port1, port2 } = new MessageChannel();
    exposeProgress(port1);
    const worker = Object.assign(port2, { terminate: () => port2.close() }) as unknown as Worker;
    return {
      box: new WorkerBox<ProgressApi>(
        () => worker,
        () => {},
      ),
      close: () => (port1.close(), port2.close()),
    };
  }

  it("is dropped once the box's call has settled: a state cleared when the call returns stays cleared", async () => {
    const { box: b, close } = box();
    const state: { progress: string | null } = { progress: null };
    await b.call((w, quiet) => w.run(quiet((p: string) => (state.progress = p))));
    state.progress = null;
    await drain();
    // And after a call that rejects: the callback is quiet before the caller's catch runs.
    await expect(b.call((w, quiet) => w.fail(quiet((p: string) => (state.progress = p))))).rejects.toThrow(/refused/);
    state.progress = null;
    await drain();
    close();
    expect(state.progress).toBeNull();
  });

  it('passes everything on while the call is pending, and nothing once it is cancelled', async () => {
    const { box: b, close } = box();
    const got: number[] = [];
    let cb: ((a: number, b: number) => void) | null = null;
    const pending = b.call(async (_w, quiet) => {
      cb = quiet((x: number, y: number) => got.push(x + y));
      cb(1, 2);
      cb(3, 4);
      return new Promise<string>(() => {});
    });
    b.cancel();
    await expect(pending).rejects.toBeInstanceOf(WorkerCallAborted);
    cb!(5, 6);
    close();
    expect(got).toEqual([3, 7]);
  });
});
