import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConnectionEntity, SecretBox, SyncRunEntity } from '@pulse/db';
import {
  connectorFor,
  createOutboundPolicy,
  OutboundRefusedError,
  type OutboundPolicy,
  parseConnectionSettings,
  upstreamOrigin,
} from '@pulse/connectors';
import {
  CONNECTION_KINDS,
  type ConnectionDto,
  type ConnectionKind,
  type ConnectionTestDto,
} from '@pulse/contracts';
import { badRequest } from '../common/validation';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import type { PutConnectionDto } from './engagement.dto';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The only shape a connection leaves the API in: no secret, just whether one is set. */
export function toConnectionDto(c: ConnectionEntity, hasSecret: boolean): ConnectionDto {
  return {
    id: c.id,
    kind: c.kind,
    settings: c.settings,
    hasSecret,
    sync: {
      lastSuccessAt: iso(c.lastSuccessAt),
      lastAttemptAt: iso(c.lastAttemptAt),
      lastErrorClass: c.lastErrorClass,
      lastErrorMessage: c.lastErrorMessage,
      lastErrorAt: iso(c.lastErrorAt),
      retryAfter: iso(c.retryAfterAt),
      failureCount: c.failureCount,
    },
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}

export function parseKind(kind: string): ConnectionKind {
  if (!(CONNECTION_KINDS as readonly string[]).includes(kind)) {
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: `kind: must be one of ${CONNECTION_KINDS.join(', ')}`,
      details: [{ field: 'kind', message: `must be one of ${CONNECTION_KINDS.join(', ')}` }],
    });
  }
  return kind as ConnectionKind;
}

/** The host a connection's token is sent to, from its settings' `baseUrl` (every kind has one). */
function originOf(settings: Record<string, unknown> | null | undefined): string | null {
  const baseUrl = settings?.['baseUrl'];
  return typeof baseUrl === 'string' ? upstreamOrigin(baseUrl) : null;
}

@Injectable()
export class ConnectionsService {
  private readonly outbound: OutboundPolicy;

  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.outbound = createOutboundPolicy({ allowedHosts: config.PULSE_ALLOWED_UPSTREAM_HOSTS });
  }

  /** Refuses (400) a base URL the outbound policy forbids, after resolving its host. */
  private async checkTarget(settings: Record<string, unknown>): Promise<void> {
    const baseUrl = settings['baseUrl'];
    if (typeof baseUrl !== 'string') return;
    try {
      await this.outbound.check(baseUrl);
    } catch (e) {
      if (e instanceof OutboundRefusedError)
        throw badRequest([{ field: 'settings.baseUrl', message: e.message }]);
      throw e;
    }
  }

  private get repo() {
    return this.dataSource.getRepository(ConnectionEntity);
  }

  private async hasSecret(id: string): Promise<boolean> {
    const row = await this.repo
      .createQueryBuilder('c')
      .select('c.id', 'id')
      .where('c.id = :id AND c.secret_ciphertext IS NOT NULL', { id })
      .getRawOne<{ id: string }>();
    return !!row;
  }

  async list(engagementId: string): Promise<ConnectionDto[]> {
    const rows = await this.repo.find({ where: { engagementId }, order: { kind: 'ASC' } });
    return Promise.all(rows.map(async (r) => toConnectionDto(r, await this.hasSecret(r.id))));
  }

  async get(engagementId: string, kind: ConnectionKind): Promise<ConnectionDto> {
    const row = await this.repo.findOneBy({ engagementId, kind });
    if (!row) throw new NotFoundException(`No ${kind} connection on this engagement`);
    return toConnectionDto(row, await this.hasSecret(row.id));
  }

  async put(
    engagementId: string,
    kind: ConnectionKind,
    input: PutConnectionDto,
    now = Date.now(),
  ): Promise<ConnectionDto> {
    const parsed = parseConnectionSettings(kind, input.settings);
    if (!parsed.ok) throw badRequest(parsed.problems);
    const existing = await this.repo.findOneBy({ engagementId, kind });
    if (!existing && !input.secret) {
      throw badRequest([{ field: 'secret', message: `a new ${kind} connection needs its API token` }]);
    }
    const target = originOf(parsed.settings);
    if (existing && !input.secret && originOf(existing.settings) !== target) {
      // The stored token was given for the old host; sending it to another one would hand
      // it to whoever runs that host.
      throw badRequest([
        {
          field: 'secret',
          message: `the connection now points at another host (${target ?? 'none'}): enter the API token again to use it there`,
        },
      ]);
    }
    await this.checkTarget(parsed.settings);
    const row: ConnectionEntity =
      existing ??
      ({
        id: randomUUID(),
        engagementId,
        kind,
        cursor: null,
        lastSuccessAt: null,
        lastAttemptAt: null,
        lastErrorClass: null,
        lastErrorMessage: null,
        lastErrorAt: null,
        retryAfterAt: null,
        failureCount: 0,
        createdAt: now,
      } as ConnectionEntity);
    const settingsChanged = existing && JSON.stringify(existing.settings) !== JSON.stringify(parsed.settings);
    row.settings = parsed.settings;
    row.updatedAt = now;
    if (input.secret || settingsChanged) {
      // New credentials or a new target: the old error no longer describes this connection.
      Object.assign(row, {
        lastErrorClass: null,
        lastErrorMessage: null,
        lastErrorAt: null,
        retryAfterAt: null,
        failureCount: 0,
      });
    }
    await this.dataSource.transaction(async (tx) => {
      await tx.getRepository(ConnectionEntity).save(row);
      if (input.secret) {
        await tx
          .getRepository(ConnectionEntity)
          .update({ id: row.id }, { secretCiphertext: this.secrets.encrypt(input.secret) });
      }
    });
    return this.get(engagementId, kind);
  }

  /** Try the stored credentials against the source now; nothing is stored. */
  async test(engagementId: string, kind: ConnectionKind): Promise<ConnectionTestDto> {
    const row = await this.repo
      .createQueryBuilder('c')
      .addSelect('c.secretCiphertext')
      .where('c.engagement_id = :engagementId AND c.kind = :kind', { engagementId, kind })
      .getOne();
    if (!row) throw new NotFoundException(`No ${kind} connection on this engagement`);
    let token: string;
    try {
      token = this.secrets.decrypt(row.secretCiphertext ?? '');
    } catch {
      return {
        ok: false,
        message: 'The stored token cannot be decrypted (was PULSE_SECRET_KEY changed?). Enter it again.',
      };
    }
    const connector = connectorFor(kind);
    if (!connector) {
      return {
        ok: false,
        message: `Testing ${kind} connections is not available yet: ${kind} is not collected so far.`,
      };
    }
    const settings = connector.settingsSchema.safeParse(row.settings);
    if (!settings.success) {
      return {
        ok: false,
        message: `The stored ${connector.label} settings are invalid (${settings.error.issues[0]?.message ?? 'unknown'}); save them again.`,
      };
    }
    const result = await connector.test(settings.data, token, { outbound: this.outbound });
    return {
      ok: result.ok,
      message: result.message,
      details: {
        checks: result.checks,
        ...(result.error ? { class: result.error.class } : {}),
        ...result.details,
      },
    };
  }

  /**
   * Forgets the connection's incremental state (cursor, ETags, remembered skipped records),
   * so the next sync reads everything again. Refused while a sync of the engagement runs:
   * that sync would write its cursor back over the reset.
   */
  async resetCursor(engagementId: string, kind: ConnectionKind, now = Date.now()): Promise<void> {
    const running = await this.dataSource
      .getRepository(SyncRunEntity)
      .countBy({ engagementId, status: 'running' });
    if (running > 0) {
      throw new ConflictException(
        'A sync of this engagement is running: start the full resync when it has finished.',
      );
    }
    const result = await this.repo.update({ engagementId, kind }, { cursor: null, updatedAt: now } as never);
    if (!result.affected) throw new NotFoundException(`No ${kind} connection on this engagement`);
  }

  async remove(engagementId: string, kind: ConnectionKind): Promise<void> {
    const result = await this.repo.delete({ engagementId, kind });
    if (!result.affected) throw new NotFoundException(`No ${kind} connection on this engagement`);
  }
}
