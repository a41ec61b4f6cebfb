/**
 * Coalesces reads that must be at least as new as the request asking: a caller only ever shares
 * a read that started after it called. While a key's read runs, the calls that arrive wait
 * for the next one, which starts as soon as it ends and answers them all — under load, any
 * number of concurrent callers cost two reads in a row instead of one each, and a change
 * committed before a call is always seen by it.
 */
export class FreshReads<T> {
  private readonly running = new Map<string, Promise<T>>();
  private readonly queued = new Map<string, Promise<T>>();

  constructor(private readonly read: (key: string) => Promise<T>) {}

  get(key: string): Promise<T> {
    const queued = this.queued.get(key);
    if (queued) return queued; // not started yet: it will start after this call
    const running = this.running.get(key);
    if (!running) return this.start(key);
    const next = running
      .then(
        () => undefined,
        () => undefined, // that read's callers get its error; these get a read of their own
      )
      .then(() => {
        this.queued.delete(key);
        return this.start(key);
      });
    this.queued.set(key, next);
    return next;
  }

  private start(key: string): Promise<T> {
    const read = this.read(key).finally(() => {
      if (this.running.get(key) === read) this.running.delete(key);
    });
    this.running.set(key, read);
    return read;
  }
}
