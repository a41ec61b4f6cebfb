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

/** Server-side sessions: the cookie holds 256 random bits, the table only their SHA-256. */
@Injectable()
export class SessionService {
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
    const session = await this.dataSource
      .getRepository(SessionEntity)
      .findOneBy({ tokenHash: sha256(token) });
    if (!session || session.expiresAt <= now) return null;
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id: session.userId });
    if (!user || user.disabled) return null;
    return toUserDto(user);
  }

  async destroy(token: string | undefined): Promise<void> {
    if (token) await this.dataSource.getRepository(SessionEntity).delete({ tokenHash: sha256(token) });
  }
}
