import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QUEUE_DIGEST, QUEUE_ROLLUP, QUEUE_SYNC, type ApiErrorBody } from '@pulse/contracts';

/** How long a request may wait for Redis before it answers 503 (BullMQ itself would wait ~20 s). */
export const REDIS_OPERATION_TIMEOUT_MS = 5_000;

export class RedisUnavailableError extends ServiceUnavailableException {
  constructor(reason: string) {
    const body: ApiErrorBody = {
      statusCode: 503,
      error: 'Service Unavailable',
      message: `Redis is unreachable: ${reason}; nothing was changed, try again in a moment`,
    };
    super(body);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RedisUnavailableError(`${what} got no answer in ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Every API call that needs Redis goes through here: while Redis is down it answers 503 at
 * once (or after a short deadline) instead of letting BullMQ's offline queue hold the request
 * for ~20 s and then fail with a 500.
 */
@Injectable()
export class RedisGate {
  private lastError: string | null = null;

  constructor(
    @InjectQueue(QUEUE_SYNC) sync: Queue,
    @InjectQueue(QUEUE_ROLLUP) rollup: Queue,
    @InjectQueue(QUEUE_DIGEST) digest: Queue,
  ) {
    for (const queue of [sync, rollup, digest]) {
      // Remember why the connection broke so the 503 can say it; without a listener
      // BullMQ would print every reconnect failure.
      queue.on('error', (e: Error) => {
        this.lastError = e.message;
      });
    }
  }

  private client(queue: Queue) {
    return withTimeout(queue.getBackend().connection.client, REDIS_OPERATION_TIMEOUT_MS, 'connecting');
  }

  /** Throws a 503 unless `queue`'s connection is up right now. */
  async ensureUp(queue: Queue): Promise<void> {
    const client = await this.client(queue);
    if (client.status !== 'ready')
      throw new RedisUnavailableError(this.lastError ?? `the connection is ${client.status}`);
  }

  /** Runs `op` when Redis is up, with a deadline; a connection failure becomes a 503. */
  async run<T>(queue: Queue, what: string, op: () => Promise<T>): Promise<T> {
    await this.ensureUp(queue);
    try {
      return await withTimeout(op(), REDIS_OPERATION_TIMEOUT_MS, what);
    } catch (e) {
      if (e instanceof RedisUnavailableError) throw e;
      const client = await this.client(queue);
      if (client.status !== 'ready')
        throw new RedisUnavailableError(this.lastError ?? `the connection is ${client.status}`);
      throw e;
    }
  }
}
