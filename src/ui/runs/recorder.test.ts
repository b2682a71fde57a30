import { describe, expect, it } from 'vitest';
import { RunRecorder } from './recorder.ts';
import { partialRun, type RunRecord } from './store.ts';

const meta = { id: 'r', createdAt: 1, name: 'Run 1', dataFile: 'x.csv', dataFingerprint: 'f', seconds: 5 };
const at = (n: number) =>
  partialRun(meta, {
    history: Array.from({ length: n }, (_, i) => ({ phase: 'ppo', iteration: i, elapsedS: i, metrics: {} })),
  });

/** A store whose writes finish only when the test says so. */
function slowStore() {
  const written: RunRecord[] = [];
  const waiting: (() => void)[] = [];
  let fail: Error | null = null;
  const put = (run: RunRecord) =>
    new Promise<void>((resolve, reject) => {
      waiting.push(() => {
        if (fail) return reject(fail);
        written.push(run);
        resolve();
      });
    });
  const release = async () => {
    while (waiting.length) {
      waiting.shift()!();
      await new Promise((r) => setTimeout(r, 0));
    }
  };
  return { put, written, waiting, release, failWith: (e: Error | null) => (fail = e) };
}

describe('RunRecorder', () => {
  it('coalesces: one write in flight, and the latest snapshot is the one written last', async () => {
    const s = slowStore();
    const rec = new RunRecorder(s.put);
    for (let n = 1; n <= 5; n++) rec.update(at(n));
    expect(s.waiting).toHaveLength(1);
    await s.release();
    await rec.settled();
    expect(s.written.map((r) => r.history.length)).toEqual([1, 5]);
  });

  it('finish() writes the final record after the queued one, and ignores later updates', async () => {
    const s = slowStore();
    const rec = new RunRecorder(s.put);
    rec.update(at(1));
    rec.update(at(2));
    const done = rec.finish({ ...at(3), stopReason: 'abandoned' });
    rec.update(at(9));
    await s.release();
    await done;
    await s.release();
    expect(s.written.map((r) => [r.history.length, r.stopReason])).toEqual([
      [1, 'interrupted'],
      [3, 'abandoned'],
    ]);
  });

  it('a failed write is reported and the next snapshot is still written (the run goes on)', async () => {
    const s = slowStore();
    const rec = new RunRecorder(s.put);
    const errors: (string | null)[] = [];
    rec.onError = (e) => errors.push(e?.message ?? null);
    s.failWith(new Error('storage is full'));
    rec.update(at(1));
    await s.release();
    await rec.settled();
    s.failWith(null);
    rec.update(at(2));
    await s.release();
    await rec.settled();
    expect(errors).toEqual(['storage is full', null]);
    expect(s.written.map((r) => r.history.length)).toEqual([2]);
  });
});
