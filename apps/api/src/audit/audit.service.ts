import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Between, DataSource, type FindOptionsWhere } from 'typeorm';
import { AuditEventEntity } from '@pulse/db';
import type { AuditAction, AuditEventDto, AuditPageDto, UserDto } from '@pulse/contracts';

/** Who acted and from where; built from the request by @AuditActor(). */
export interface AuditActor {
  id: string | null;
  email: string | null;
  ip: string | null;
}

export interface AuditRecord {
  action: AuditAction;
  engagementId?: string | null;
  target?: { type: string; id: string | null };
  /** What changed. Never pass a secret: keys that look like one are dropped anyway. */
  summary?: Record<string, unknown>;
}

export interface AuditQuery {
  engagementId?: string;
  actorId?: string;
  action?: AuditAction;
  from?: number;
  to?: number;
  page: number;
  pageSize: number;
}

// Defence in depth: whatever a caller passes, a value under one of these keys is never stored.
const SECRET_KEY = /secret|token|password|hash|cookie|authorization|ciphertext|credential/i;

function scrub(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => scrub(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !SECRET_KEY.test(k))
        .map(([k, v]) => [k, scrub(v, depth + 1)]),
    );
  }
  if (typeof value === 'string' && value.length > 500) return `${value.slice(0, 500)}…`;
  return value;
}

export const actorOf = (user: UserDto | undefined, ip: string | undefined): AuditActor => ({
  id: user?.id ?? null,
  email: user?.email ?? null,
  ip: ip ?? null,
});

/**
 * The append-only audit trail. Other modules call `record(actor, { action, ... })` after a
 * change succeeded; nothing updates or deletes events.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(private readonly dataSource: DataSource) {}

  async record(actor: AuditActor, event: AuditRecord, now = Date.now()): Promise<void> {
    const row: AuditEventEntity = {
      id: randomUUID(),
      at: now,
      actorId: actor.id,
      actorEmail: actor.email?.slice(0, 320) ?? null,
      ip: actor.ip?.slice(0, 64) ?? null,
      action: event.action,
      engagementId: event.engagementId ?? null,
      targetType: event.target?.type ?? null,
      targetId: event.target?.id?.slice(0, 100) ?? null,
      summary: scrub(event.summary ?? {}) as Record<string, unknown>,
    };
    try {
      await this.dataSource.getRepository(AuditEventEntity).insert(row as never);
    } catch (e) {
      // The change itself has happened; losing its audit line must be loud, not a 500.
      this.logger.error(`could not record audit event ${event.action}: ${(e as Error).message}`);
    }
  }

  async list(query: AuditQuery): Promise<AuditPageDto> {
    const where: FindOptionsWhere<AuditEventEntity> = {};
    if (query.engagementId) where.engagementId = query.engagementId;
    if (query.actorId) where.actorId = query.actorId;
    if (query.action) where.action = query.action;
    if (query.from !== undefined || query.to !== undefined)
      where.at = Between(query.from ?? 0, query.to ?? Number.MAX_SAFE_INTEGER);
    const [rows, total] = await this.dataSource.getRepository(AuditEventEntity).findAndCount({
      where,
      order: { at: 'DESC', id: 'DESC' },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    });
    return { events: rows.map(toAuditEventDto), total, page: query.page, pageSize: query.pageSize };
  }
}

export function toAuditEventDto(e: AuditEventEntity): AuditEventDto {
  return {
    id: e.id,
    at: new Date(e.at).toISOString(),
    actorId: e.actorId,
    actorEmail: e.actorEmail,
    ip: e.ip,
    action: e.action as AuditAction,
    engagementId: e.engagementId,
    targetType: e.targetType,
    targetId: e.targetId,
    summary: e.summary,
  };
}
