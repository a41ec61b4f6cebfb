import { FreshReads } from './fresh-reads';

/** A read the test finishes by hand; `value` is what the store held when the read started. */
function manualStore() {
  let value = 0;
  const started: { key: string; value: number; finish: (fail?: Error) => void }[] = [];
  const reads = new FreshReads<number>(
    (key) =>
      new Promise<number>((resolve, reject) => {
        const seen = value;
        started.push({ key, value: seen, finish: (fail) => (fail ? reject(fail) : resolve(seen)) });
      }),
  );
  return {
    reads,
    started,
    write: () => (value += 1),
    // lets the promise chains between reads run
    settle: () => new Promise((r) => setImmediate(r)),
  };
}

describe('FreshReads', () => {
  it('answers the calls that arrive during a read with one next read, started after it', async () => {
    const s = manualStore();
    const first = s.reads.get('e1');
    const later = Array.from({ length: 10 }, () => s.reads.get('e1'));
    expect(s.started).toHaveLength(1);
    s.started[0]!.finish();
    expect(await first).toBe(0);
    await s.settle();
    expect(s.started).toHaveLength(2);
    s.started[1]!.finish();
    expect(await Promise.all(later)).toEqual(Array(10).fill(0));
    expect(s.started).toHaveLength(2);
  });

  it('never answers a call with a read that started before it: a change made before is seen', async () => {
    const s = manualStore();
    const before = s.reads.get('e1'); // its read starts at value 0
    s.write(); // committed before the next call
    const after = s.reads.get('e1');
    s.started[0]!.finish();
    expect(await before).toBe(0);
    await s.settle();
    s.started[1]!.finish();
    expect(await after).toBe(1);
  });

  it('keeps keys apart and reads again once nothing runs', async () => {
    const s = manualStore();
    const a = s.reads.get('e1');
    const b = s.reads.get('e2');
    expect(s.started.map((r) => r.key)).toEqual(['e1', 'e2']);
    s.started[0]!.finish();
    s.started[1]!.finish();
    await Promise.all([a, b]);
    s.write();
    const c = s.reads.get('e1');
    expect(s.started).toHaveLength(3); // nothing was running: a read of its own, at once
    s.started[2]!.finish();
    expect(await c).toBe(1);
  });

  it('gives a failed read’s error to its callers only; the calls waiting get a read of their own', async () => {
    const s = manualStore();
    const failing = s.reads.get('e1');
    const waiting = s.reads.get('e1');
    s.started[0]!.finish(new Error('connection lost'));
    await expect(failing).rejects.toThrow('connection lost');
    await s.settle();
    s.started[1]!.finish();
    expect(await waiting).toBe(0);
  });
});
