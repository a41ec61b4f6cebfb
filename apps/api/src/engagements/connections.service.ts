import {
  BadRequestException,
  ConflictException,
  HttpException,
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
  type ConnectionPickerDto,
  type ConnectionTestDto,
  type SyncErrorClass,
} from '@pulse/contracts';
import { badRequest } from '../common/validation';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import type { ConnectionOptionsDto, PutConnectionDto } from './engagement.dto';

/**
 * A picker's failure at the source as a 4xx (never a 5xx: the API itself did not fail):
 * 422 when the settings or token do not work there, 429 when the source rate-limits,
 * 424 when the source could not be reached or failed.
 */
const PICKER_FAILURE: Record<SyncErrorClass, { status: number; error: string }> = {
  auth: { status: 422, error: 'Unprocessable Entity' },
  forbidden: { status: 422, error: 'Unprocessable Entity' },
  not_found: { status: 422, error: 'Unprocessable Entity' },
  invalid_config: { status: 422, error: 'Unprocessable Entity' },
  rate_limited: { status: 429, error: 'Too Many Requests' },
  temporary: { status: 424, error: 'Failed Dependency' },
  unreachable: { status: 424, error: 'Failed Dependency' },
};

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
    statusNote: c.statusNote ?? null,
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
        statusNote: null,
        createdAt: now,
      } as ConnectionEntity);
    const settingsChanged = existing && JSON.stringify(existing.settings) !== JSON.stringify(parsed.settings);
    row.settings = parsed.settings;
    row.updatedAt = now;
    if (input.secret || settingsChanged) {
      // New credentials or a new target: the old error (and the old note on how the last
      // sync ran, e.g. a GraphQL fallback for a token without the scope) no longer describe
      // this connection.
      Object.assign(row, {
        lastErrorClass: null,
        lastErrorMessage: null,
        lastErrorAt: null,
        retryAfterAt: null,
        failureCount: 0,
        statusNote: null,
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
   * Values a settings field may take, read from the source with the form's draft settings
   * (nothing is stored). The token is the typed one, or the saved one when the draft points
   * at the saved connection's host; every request goes through the outbound policy.
   */
  async pick(
    engagementId: string,
    kind: ConnectionKind,
    pickerName: string,
    input: ConnectionOptionsDto,
  ): Promise<ConnectionPickerDto> {
    const connector = connectorFor(kind);
    const pickers = connector?.pickers ?? {};
    const picker = Object.hasOwn(pickers, pickerName) ? pickers[pickerName] : undefined;
    if (!connector || !picker) {
      const known = Object.keys(pickers);
      throw badRequest([
        {
          field: 'picker',
          message: known.length
            ? `${kind} has no picker "${pickerName}"; it has: ${known.join(', ')}`
            : `${kind} settings have no pickers`,
        },
      ]);
    }
    await this.checkTarget(input.settings);
    const secret = input.secret ?? (await this.savedSecretFor(engagementId, kind, input.settings));
    const result = await picker({ settings: input.settings, secret, outbound: this.outbound });
    if (result.ok) return { picker: pickerName, options: result.options, truncated: result.truncated };
    if ('problems' in result) throw badRequest(result.problems);
    const failure = PICKER_FAILURE[result.error.class];
    throw new HttpException(
      {
        statusCode: failure.status,
        error: failure.error,
        message: result.error.message,
        class: result.error.class,
        ...(result.error.retryAfter !== undefined
          ? { retryAfter: new Date(result.error.retryAfter).toISOString() }
          : {}),
      },
      failure.status,
    );
  }

  /** The saved token, only for the host it was saved for (else the form must send one). */
  private async savedSecretFor(
    engagementId: string,
    kind: ConnectionKind,
    draft: Record<string, unknown>,
  ): Promise<string> {
    const row = await this.repo
      .createQueryBuilder('c')
      .addSelect('c.secretCiphertext')
      .where('c.engagement_id = :engagementId AND c.kind = :kind', { engagementId, kind })
      .getOne();
    if (!row?.secretCiphertext) {
      throw badRequest([
        { field: 'secret', message: 'enter the API token to read the values from the site' },
      ]);
    }
    const target = originOf(draft);
    if (originOf(row.settings) !== target) {
      throw badRequest([
        {
          field: 'secret',
          message: `the form points at another host (${target ?? 'none'}) than the saved connection: enter the API token to use it there`,
        },
      ]);
    }
    try {
      return this.secrets.decrypt(row.secretCiphertext);
    } catch {
      throw badRequest([
        {
          field: 'secret',
          message: 'the saved token cannot be decrypted (was PULSE_SECRET_KEY changed?): enter it again',
        },
      ]);
    }
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
