import { HttpException, HttpStatus } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** Fixed-window counter in Redis; throws a 429 naming the wait once `limit` is exceeded. */
export async function consumeRateLimit(
  redis: Redis,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<void> {
  const [[, count], , [, ttl]] = ((await redis
    .multi()
    .incr(key)
    .expire(key, windowSeconds, 'NX')
    .ttl(key)
    .exec()) ?? []) as [[unknown, number], unknown, [unknown, number]];
  if (count > limit) {
    throw new HttpException(
      {
        statusCode: 429,
        error: 'Too Many Requests',
        message: `Too many requests; try again in ${Math.max(ttl, 1)} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
