import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, LessThan } from 'typeorm';
import { SessionEntity, UserEntity } from '@pulse/db';
import type { UserDto } from '@pulse/contracts';
import { API_CONFIG, type ApiConfig } from '../config/api-config';

export const SESSION_COOKIE = 'pulse_session';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export function toUserDto(user: UserEntity): UserDto {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role };
}

/**
 * How long a resolved session is trusted without asking the database again. Every
 * dashboard request resolves the session (two queries); a page opens ~10 requests at once
 * and the load benchmark showed the lookups as a large share of a cheap route's time.
 * Sign-out on this instance takes effect at once; a session deleted or a user disabled
 * directly in the database (or signed out on another API instance) stays valid here for
 * at most this long.
 */
export const SESSION_CACHE_MS = 5_000;
/** Bounds the memory of the cache; the oldest entries go first. */
const SESSION_CACHE_MAX = 10_000;

interface CachedSession {
  user: UserDto;
  expiresAt: number;
  checkedAt: number;
}

/** Server-side sessions: the cookie holds 256 random bits, the table only their SHA-256. */
@Injectable()
export class SessionService {
  /** Keyed by the token's SHA-256, like the table; only sessions that resolved to a user. */
  private readonly cache = new Map<string, CachedSession>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  get ttlMs(): number {
    return this.config.SESSION_TTL_HOURS * 3600 * 1000;
  }

  async create(userId: string, now = Date.now()): Promise<{ token: string; expiresAt: number }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + this.ttlMs;
    await this.dataSource
      .getRepository(SessionEntity)
      .insert({ tokenHash: sha256(token), userId, createdAt: now, expiresAt });
    // Opportunistic clean-up keeps the table small without a separate job.
    await this.dataSource.getRepository(SessionEntity).delete({ expiresAt: LessThan(now) });
    return { token, expiresAt };
  }

  async resolve(token: string | undefined, now = Date.now()): Promise<UserDto | null> {
    if (!token || token.length > 200) return null;
    const tokenHash = sha256(token);
    const hit = this.cache.get(tokenHash);
    if (hit && now >= hit.checkedAt && now - hit.checkedAt < SESSION_CACHE_MS) {
      if (hit.expiresAt > now) return hit.user;
      this.cache.delete(tokenHash);
      return null;
    }
    const session = await this.dataSource.getRepository(SessionEntity).findOneBy({ tokenHash });
    if (!session || session.expiresAt <= now) return this.forget(tokenHash);
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id: session.userId });
    if (!user || user.disabled) return this.forget(tokenHash);
    const dto = toUserDto(user);
    this.cache.delete(tokenHash);
    if (this.cache.size >= SESSION_CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(tokenHash, { user: dto, expiresAt: session.expiresAt, checkedAt: now });
    return dto;
  }

  async destroy(token: string | undefined): Promise<void> {
    if (!token) return;
    const tokenHash = sha256(token);
    this.cache.delete(tokenHash);
    await this.dataSource.getRepository(SessionEntity).delete({ tokenHash });
  }

  /**
   * Ends every session of a user at once (deactivation, password change or reset), except
   * the one whose token is `keep` (the browser that changed its own password).
   */
  async endAllFor(userId: string, keep?: string): Promise<void> {
    const keepHash = keep ? sha256(keep) : undefined;
    this.forgetUser(userId, keepHash);
    const query = this.dataSource
      .createQueryBuilder()
      .delete()
      .from(SessionEntity)
      .where('user_id = :userId', { userId });
    if (keepHash) query.andWhere('token_hash <> :keepHash', { keepHash });
    await query.execute();
    // A request that resolved the session just before the delete may have cached it again.
    this.forgetUser(userId, keepHash);
  }

  /** Drops a user's cached sessions, so that a new role or state applies to the next request. */
  forgetUser(userId: string, keepHash?: string): void {
    for (const [hash, entry] of this.cache) {
      if (entry.user.id === userId && hash !== keepHash) this.cache.delete(hash);
    }
  }

  private forget(tokenHash: string): null {
    this.cache.delete(tokenHash);
    return null;
  }
}
