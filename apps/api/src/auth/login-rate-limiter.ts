import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { RedisClient } from '../queue/redis.provider';

/**
 * Fixed-window limit on FAILED sign-ins, per account and (ten times looser) per client IP,
 * kept in Redis so it holds across API instances. While over the limit even the right
 * password is refused, so guessing cannot continue; the window then simply expires.
 */
@Injectable()
export class LoginRateLimiter {
  constructor(
    private readonly client: RedisClient,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  private keys(ip: string, email: string): [string, string] {
    const account = createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 32);
    const prefix = `${this.config.QUEUE_PREFIX}:login`;
    return [`${prefix}:account:${account}`, `${prefix}:ip:${ip}`];
  }

  async assertAllowed(ip: string, email: string): Promise<void> {
    const [accountKey, ipKey] = this.keys(ip, email);
    const [account, byIp] = (await this.client.redis.mget(accountKey, ipKey)).map((v) => Number(v ?? 0));
    const limit = this.config.LOGIN_RATE_LIMIT;
    if (account! >= limit || byIp! >= limit * 10) {
      const ttl = await this.client.redis.ttl(account! >= limit ? accountKey : ipKey);
      throw new HttpException(
        {
          statusCode: 429,
          error: 'Too Many Requests',
          message: `Too many failed sign-in attempts; try again in ${Math.max(ttl, 1)} s`,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  async recordFailure(ip: string, email: string): Promise<void> {
    const window = this.config.LOGIN_RATE_WINDOW_SECONDS;
    const tx = this.client.redis.multi();
    for (const key of this.keys(ip, email)) tx.incr(key).expire(key, window, 'NX');
    await tx.exec();
  }
}
