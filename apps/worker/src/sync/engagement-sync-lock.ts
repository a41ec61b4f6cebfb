/** The few ioredis commands the lock needs (BullMQ's own client provides them). */
export interface LockRedis {
  set(key: string, value: string, ...options: (string | number)[]): Promise<string | null>;
  get(key: string): Promise<string | null>;
  eval(script: string, keys: number, ...args: (string | number)[]): Promise<unknown>;
}

// Only the holder may extend or release: compare-and-act in one atomic script.
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export const SYNC_LOCK_TTL_MS = 60_000;

export type LockResult =
  { acquired: true; release: () => Promise<void> } | { acquired: false; holder: string };

/**
 * One sync per engagement at a time, across every worker process: a Redis key holding the
 * job id that runs, with a TTL renewed while it runs, so a worker that dies frees it within
 * a minute. The same job (retried after a crash) may take over its own lock.
 */
export async function acquireEngagementSyncLock(
  redis: LockRedis,
  key: string,
  jobId: string,
  ttlMs = SYNC_LOCK_TTL_MS,
): Promise<LockResult> {
  const taken = await redis.set(key, jobId, 'PX', ttlMs, 'NX');
  if (taken !== 'OK') {
    const holder = await redis.get(key);
    if (holder !== null && holder !== jobId) return { acquired: false, holder };
    // Our own job's lock (a retry after a crash), or it expired just now: take it.
    await redis.set(key, jobId, 'PX', ttlMs);
  }
  const renew = setInterval(
    () => {
      void redis.eval(EXTEND, 1, key, jobId, ttlMs).catch(() => undefined);
    },
    Math.floor(ttlMs / 3),
  );
  renew.unref();
  return {
    acquired: true,
    release: async () => {
      clearInterval(renew);
      await redis.eval(RELEASE, 1, key, jobId).catch(() => undefined);
    },
  };
}
