import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import IORedis, { type Redis } from 'ioredis';
import { redisOptionsFrom } from '@pulse/db';
import { API_CONFIG, type ApiConfig } from '../config/api-config';

/** One shared ioredis client for health checks, rate limits and metrics (not for BullMQ). */
@Injectable()
export class RedisClient implements OnApplicationShutdown {
  readonly redis: Redis;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.redis = new IORedis({
      ...redisOptionsFrom(config.REDIS_URL),
      maxRetriesPerRequest: 2,
      lazyConnect: false,
    });
    // Errors surface through /health; without a listener ioredis would print them raw.
    this.redis.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
