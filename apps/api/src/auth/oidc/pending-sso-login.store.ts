import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { API_CONFIG, type ApiConfig } from '../../config/api-config';
import { RedisClient } from '../../queue/redis.provider';
import type { PendingSsoLogin } from './oidc-client.service';

/** How long a person may take at the provider before the sign-in must start over. */
export const PENDING_SSO_TTL_SECONDS = 10 * 60;

/**
 * Sign-ins that went to the provider and have not come back. The browser holds a random
 * handle in a cookie and Redis holds the state, nonce and PKCE verifier under its hash, so
 * the callback only completes in the browser that started it (no login CSRF) and only once.
 */
@Injectable()
export class PendingSsoLoginStore {
  constructor(
    private readonly client: RedisClient,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  private key(handle: string): string {
    return `${this.config.QUEUE_PREFIX}:oidc-pending:${createHash('sha256').update(handle).digest('hex')}`;
  }

  /** Stores the pending sign-in; returns the handle for the browser's cookie. */
  async save(pending: PendingSsoLogin): Promise<string> {
    const handle = randomBytes(32).toString('base64url');
    await this.client.redis.set(this.key(handle), JSON.stringify(pending), 'EX', PENDING_SSO_TTL_SECONDS);
    return handle;
  }

  /** The pending sign-in of this handle, removed in the same step (single use); null when unknown or expired. */
  async take(handle: string | undefined): Promise<PendingSsoLogin | null> {
    if (!handle || handle.length > 100) return null;
    const raw = await this.client.redis.getdel(this.key(handle));
    return raw ? (JSON.parse(raw) as PendingSsoLogin) : null;
  }
}
