import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { RedisClient } from '../queue/redis.provider';

/** A sign-in may go ahead; report its outcome with `succeeded()` or leave it counted as a failure. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
}

/** Thrown as 429; the controller turns `retryAfterSeconds` into a Retry-After header. */
export class LoginThrottledException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        statusCode: 429,
        error: 'Too Many Requests',
        message: `Too many failed sign-in attempts; try again in ${retryAfterSeconds} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

// Reserve one attempt atomically, BEFORE the password is checked, so that parallel guesses
// cannot all slip past a check-then-count. Every reserved attempt counts as a failure until
// the caller reports a success.
//
// Per account: LOGIN_RATE_LIMIT attempts run freely; from then on each attempt must wait a
// delay that doubles with every further failure (base … max). Nothing is locked hard: the
// right password works again as soon as the current delay has passed, and resets the count.
// From an IP the account has signed in from recently, the delays are counted for that
// (account, IP) pair alone: guessing elsewhere cannot keep the owner out of their account.
//
// Per client IP: a much looser cap on failures in the window (password spraying across
// accounts). It never holds back an account that has signed in from that IP recently, so one
// attacker behind a shared proxy cannot lock out the colleagues behind it.
//
// KEYS: account, ip, ip-known-accounts set, account-at-ip.
// ARGV: accountId, limit, baseMs, maxMs, windowMs, ipLimit.
// Returns { 1, 0 } when allowed, { 0, waitMs } when refused.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, baseMs, maxMs, windowMs, ipLimit =
  tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])

local known = redis.call('SISMEMBER', KEYS[3], ARGV[1]) == 1
local state = known and KEYS[4] or KEYS[1]
local n = tonumber(redis.call('HGET', state, 'n') or '0')
local nextAt = tonumber(redis.call('HGET', state, 'next') or '0')
if n >= limit and now < nextAt then return { 0, nextAt - now } end

local ipFailures = tonumber(redis.call('GET', KEYS[2]) or '0')
if not known and ipFailures >= ipLimit then
  return { 0, math.max(redis.call('PTTL', KEYS[2]), 1000) }
end

n = n + 1
redis.call('HSET', state, 'n', n)
if n >= limit then
  local delay = math.min(baseMs * 2 ^ (n - limit), maxMs)
  redis.call('HSET', state, 'next', now + delay)
end
redis.call('PEXPIRE', state, windowMs + maxMs)
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], windowMs, 'NX')
return { 1, 0 }
`;

// KEYS: account, ip, ip-known-accounts set, account-at-ip. ARGV: accountId, knownTtlMs.
const SUCCEEDED = `
redis.call('DEL', KEYS[1], KEYS[4])
local ipFailures = tonumber(redis.call('GET', KEYS[2]) or '0')
if ipFailures > 0 then redis.call('DECR', KEYS[2]) end
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[2]))
return 1
`;

// An account that signed in from an IP stays exempt from that IP's spray cap this long.
const KNOWN_ACCOUNT_TTL_MS = 30 * 24 * 3600 * 1000;

/**
 * Limits sign-in guessing in Redis (so it holds across API instances) with growing delays per
 * account and a loose per-IP cap, without ever locking an account out for good.
 */
@Injectable()
export class LoginRateLimiter {
  constructor(
    private readonly client: RedisClient,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  private keys(ip: string, email: string): { account: string; keys: [string, string, string, string] } {
    const account = createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 32);
    const prefix = `${this.config.QUEUE_PREFIX}:login`;
    return {
      account,
      keys: [
        `${prefix}:account:${account}`,
        `${prefix}:ip:${ip}`,
        `${prefix}:ip-known:${ip}`,
        `${prefix}:account-at-ip:${account}:${ip}`,
      ],
    };
  }

  /** Reserves one attempt or throws LoginThrottledException (429). */
  async reserve(ip: string, email: string): Promise<LoginAttempt> {
    const { account, keys } = this.keys(ip, email);
    const windowMs = this.config.LOGIN_RATE_WINDOW_SECONDS * 1000;
    const [allowed, waitMs] = (await this.client.redis.eval(
      RESERVE,
      keys.length,
      ...keys,
      account,
      this.config.LOGIN_RATE_LIMIT,
      this.config.LOGIN_BACKOFF_BASE_MS,
      this.config.LOGIN_BACKOFF_MAX_SECONDS * 1000,
      windowMs,
      this.config.LOGIN_IP_RATE_LIMIT,
    )) as [number, number];
    if (allowed !== 1) throw new LoginThrottledException(Math.max(1, Math.ceil(waitMs / 1000)));
    return {
      succeeded: async () => {
        await this.client.redis.eval(SUCCEEDED, keys.length, ...keys, account, KNOWN_ACCOUNT_TTL_MS);
      },
    };
  }
}
