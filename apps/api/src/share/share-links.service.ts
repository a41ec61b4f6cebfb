import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { ShareLinkEntity, UploadTokenEntity } from '@pulse/db';
import { KPI_FAMILIES, type ShareLinkDto } from '@pulse/contracts';
import { badRequest } from '../common/validation';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import type { CreateShareLinkDto } from './share.dto';

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
/** 256 random bits, URL-safe. */
export const newToken = () => randomBytes(32).toString('base64url');

/**
 * "Last used" is shown to the manager to the minute; writing it on every view made each
 * read of the vendor page a database write (the load benchmark's share view).
 */
export const LAST_USED_PRECISION_MS = 60_000;

export type ShareLinkCheck =
  { ok: true; link: ShareLinkEntity } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

@Injectable()
export class ShareLinksService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(ShareLinkEntity);
  }

  private toDto(link: ShareLinkEntity, token?: string): ShareLinkDto {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      id: link.id,
      families: link.families,
      allowDrillDown: link.allowDrillDown,
      expiresAt: iso(link.expiresAt),
      revokedAt: iso(link.revokedAt),
      createdAt: new Date(link.createdAt).toISOString(),
      lastUsedAt: iso(link.lastUsedAt),
      ...(token ? { token, url: `${this.config.PULSE_PUBLIC_URL ?? ''}/share/${token}` } : {}),
    };
  }

  async create(
    engagementId: string,
    userId: string,
    input: CreateShareLinkDto,
    now = Date.now(),
  ): Promise<ShareLinkDto> {
    const expiresAt = input.expiresAt ? Date.parse(input.expiresAt) : null;
    if (expiresAt !== null && expiresAt <= now)
      throw badRequest([{ field: 'expiresAt', message: 'must be in the future' }]);
    const token = newToken();
    const link: ShareLinkEntity = {
      id: randomUUID(),
      engagementId,
      tokenHash: sha256(token),
      families: input.families?.length ? [...new Set(input.families)] : [...KPI_FAMILIES],
      allowDrillDown: input.allowDrillDown ?? false,
      expiresAt,
      revokedAt: null,
      createdBy: userId,
      createdAt: now,
      lastUsedAt: null,
    };
    await this.repo.insert(link);
    return this.toDto(link, token);
  }

  async list(engagementId: string): Promise<ShareLinkDto[]> {
    const rows = await this.repo.find({ where: { engagementId }, order: { createdAt: 'DESC' } });
    return rows.map((r) => this.toDto(r));
  }

  async revoke(engagementId: string, id: string, now = Date.now()): Promise<void> {
    const result = await this.repo.update({ id, engagementId, revokedAt: IsNull() }, { revokedAt: now });
    if (!result.affected && !(await this.repo.existsBy({ id, engagementId })))
      throw new NotFoundException(`No share link ${id}`);
  }

  async check(token: string, now = Date.now()): Promise<ShareLinkCheck> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, reason: 'unknown' };
    const link = await this.repo.findOneBy({ tokenHash: sha256(token) });
    if (!link) return { ok: false, reason: 'unknown' };
    if (link.revokedAt !== null) return { ok: false, reason: 'revoked' };
    if (link.expiresAt !== null && link.expiresAt <= now) return { ok: false, reason: 'expired' };
    if (link.lastUsedAt === null || now - link.lastUsedAt >= LAST_USED_PRECISION_MS) {
      await this.repo.update({ id: link.id }, { lastUsedAt: now });
      link.lastUsedAt = now;
    }
    return { ok: true, link };
  }

  /** A new coverage upload token for the engagement; replaces the previous one. */
  async rotateUploadToken(engagementId: string, now = Date.now()): Promise<{ token: string }> {
    const token = `pulse_up_${newToken()}`;
    await this.dataSource
      .getRepository(UploadTokenEntity)
      .save({ engagementId, tokenHash: sha256(token), createdAt: now });
    return { token };
  }

  async engagementForUploadToken(token: string): Promise<string | null> {
    if (!token.startsWith('pulse_up_')) return null;
    const row = await this.dataSource
      .getRepository(UploadTokenEntity)
      .findOneBy({ tokenHash: sha256(token) });
    return row?.engagementId ?? null;
  }
}
