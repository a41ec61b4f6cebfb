import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type {
  UnassignedIdentityDto,
  ConnectionTestDto,
  ConnectionPickerDto,
  ShareLinkDto,
  ConnectionDto,
  EngagementDto,
  PersonDto,
  SyncNowDto,
  SyncRunDto,
  ThresholdDto,
  UserDto,
} from '@pulse/contracts';
import type { EngagementEntity } from '@pulse/db';
import { CurrentEngagement, CurrentGrant, EngagementAccess } from '../access/engagement-access.guard';
import type { EngagementGrant } from '../access/engagement-access.service';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { AuditActor } from '../audit/audit-actor.decorator';
import { AuditService, type AuditActor as Actor } from '../audit/audit.service';
import { z } from 'zod';
import { uuid } from '../common/schema-parts';
import { ZodBody, ZodParam, ZodQuery } from '../common/zod-validation';
import { createShareLinkSchema, type CreateShareLinkDto } from '../share/share.dto';
import { ShareLinksService } from '../share/share-links.service';
import { SyncService } from '../sync/sync.service';
import { ConnectionsService, parseKind } from './connections.service';
import {
  connectionOptionsSchema,
  createEngagementSchema,
  pickerParam,
  putConnectionSchema,
  putPeopleSchema,
  putThresholdsSchema,
  updateEngagementSchema,
  type ConnectionOptionsDto,
  type CreateEngagementDto,
  type PutConnectionDto,
  type PutPeopleDto,
  type PutThresholdsDto,
  type UpdateEngagementDto,
} from './engagement.dto';
import { EngagementsService, toEngagementDto } from './engagements.service';
import { RosterService } from './roster.service';
import { assertCanSeePeople } from '../privacy/people-access';

const runsLimit = z
  .string()
  .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 200')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200'))
  .optional()
  .transform((n) => n ?? 20);

@ApiTags('engagements')
@Controller('api/engagements')
export class EngagementsController {
  constructor(
    private readonly engagements: EngagementsService,
    private readonly connections: ConnectionsService,
    private readonly roster: RosterService,
    private readonly sync: SyncService,
    private readonly shares: ShareLinksService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  list(@CurrentUser() user: UserDto): Promise<EngagementDto[]> {
    return this.engagements.list(user);
  }

  @Post()
  @Roles('manager')
  async create(
    @CurrentUser() user: UserDto,
    @ZodBody(createEngagementSchema) body: CreateEngagementDto,
    @AuditActor() actor: Actor,
  ): Promise<EngagementDto> {
    const created = await this.engagements.create(user, body);
    await this.audit.record(actor, {
      action: 'engagement.created',
      engagementId: created.id,
      target: { type: 'engagement', id: created.id },
      summary: { name: created.name },
    });
    return created;
  }

  @Get(':id')
  @EngagementAccess('read')
  get(
    @ZodParam('id', uuid) _id: string,
    @CurrentUser() user: UserDto,
    @CurrentGrant() grant: EngagementGrant,
  ): EngagementDto {
    return toEngagementDto(grant.engagement, user, grant.levels);
  }

  @Patch(':id')
  @EngagementAccess('edit')
  async update(
    @ZodParam('id', uuid) id: string,
    @CurrentUser() user: UserDto,
    @CurrentGrant() grant: EngagementGrant,
    @ZodBody(updateEngagementSchema) body: UpdateEngagementDto,
    @AuditActor() actor: Actor,
  ): Promise<EngagementDto> {
    const updated = await this.engagements.update(grant.engagement, body, { user, levels: grant.levels });
    await this.audit.record(actor, {
      action: 'engagement.updated',
      engagementId: id,
      target: { type: 'engagement', id },
      summary: {
        fields: Object.keys(body),
        ...(body.settings ? { settings: Object.keys(body.settings) } : {}),
      },
    });
    return updated;
  }

  @Delete(':id')
  @HttpCode(204)
  @EngagementAccess('manage')
  async remove(
    @ZodParam('id', uuid) id: string,
    @CurrentEngagement() engagement: EngagementEntity,
    @AuditActor() actor: Actor,
  ): Promise<void> {
    await this.engagements.remove(engagement);
    await this.audit.record(actor, {
      action: 'engagement.deleted',
      engagementId: id,
      target: { type: 'engagement', id },
      summary: { name: engagement.name, vendorName: engagement.vendorName },
    });
  }

  @Get(':id/connections')
  @EngagementAccess('read')
  async listConnections(@ZodParam('id', uuid) id: string): Promise<ConnectionDto[]> {
    return this.connections.list(id);
  }

  @Get(':id/connections/:kind')
  @EngagementAccess('read')
  async getConnection(@ZodParam('id', uuid) id: string, @Param('kind') kind: string): Promise<ConnectionDto> {
    return this.connections.get(id, parseKind(kind));
  }

  @Put(':id/connections/:kind')
  @EngagementAccess('edit')
  async putConnection(
    @ZodParam('id', uuid) id: string,
    @Param('kind') kind: string,
    @ZodBody(putConnectionSchema) body: PutConnectionDto,
    @AuditActor() actor: Actor,
  ): Promise<ConnectionDto> {
    const connectionKind = parseKind(kind);
    const before = await this.connections.get(id, connectionKind).catch(() => null);
    const after = await this.connections.put(id, connectionKind, body);
    const target = { type: 'connection', id: after.id };
    const changed = Object.keys({ ...before?.settings, ...after.settings }).filter(
      (k) => JSON.stringify(before?.settings[k]) !== JSON.stringify(after.settings[k]),
    );
    if (!before || changed.length > 0)
      await this.audit.record(actor, {
        action: before ? 'connection.changed' : 'connection.created',
        engagementId: id,
        target,
        // Names of the settings that changed; settings never hold the API token.
        summary: { kind: connectionKind, settings: changed },
      });
    if (before && body.secret)
      await this.audit.record(actor, {
        action: 'connection.secret_replaced',
        engagementId: id,
        target,
        summary: { kind: connectionKind },
      });
    return after;
  }

  @Delete(':id/connections/:kind')
  @HttpCode(204)
  @EngagementAccess('edit')
  async deleteConnection(
    @ZodParam('id', uuid) id: string,
    @Param('kind') kind: string,
    @AuditActor() actor: Actor,
  ): Promise<void> {
    const connectionKind = parseKind(kind);
    await this.connections.remove(id, connectionKind);
    await this.audit.record(actor, {
      action: 'connection.deleted',
      engagementId: id,
      target: { type: 'connection', id: null },
      summary: { kind: connectionKind },
    });
  }

  @Get(':id/people')
  @EngagementAccess('read')
  async people(
    @ZodParam('id', uuid) id: string,
    @CurrentUser() user: UserDto,
    @CurrentGrant() grant: EngagementGrant,
  ): Promise<PersonDto[]> {
    assertCanSeePeople(user, grant.engagement, grant.levels);
    return this.roster.people(id);
  }

  @Get(':id/people/unassigned')
  @EngagementAccess('read')
  async unassigned(
    @ZodParam('id', uuid) id: string,
    @CurrentUser() user: UserDto,
    @CurrentGrant() grant: EngagementGrant,
  ): Promise<UnassignedIdentityDto[]> {
    assertCanSeePeople(user, grant.engagement, grant.levels);
    return this.roster.unassigned(id);
  }

  @Put(':id/people')
  @EngagementAccess('edit')
  async putPeople(
    @ZodParam('id', uuid) id: string,
    @ZodBody(putPeopleSchema) body: PutPeopleDto,
    @CurrentUser() user: UserDto,
    @CurrentGrant() grant: EngagementGrant,
  ): Promise<PersonDto[]> {
    assertCanSeePeople(user, grant.engagement, grant.levels);
    return this.roster.putPeople(id, body.people);
  }

  @Get(':id/thresholds')
  @EngagementAccess('read')
  async thresholds(@ZodParam('id', uuid) id: string): Promise<ThresholdDto[]> {
    return this.roster.thresholds(id);
  }

  @Put(':id/thresholds')
  @EngagementAccess('edit')
  async putThresholds(
    @ZodParam('id', uuid) id: string,
    @ZodBody(putThresholdsSchema) body: PutThresholdsDto,
    @AuditActor() actor: Actor,
  ): Promise<ThresholdDto[]> {
    const before = new Map((await this.roster.thresholds(id)).map((t) => [t.kpiKey, t]));
    const after = await this.roster.putThresholds(id, body.thresholds);
    const pick = (t: ThresholdDto | undefined) =>
      t ? { warn: t.warn, breach: t.breach, minN: t.minN } : null;
    const changes = after
      .filter((t) => JSON.stringify(pick(before.get(t.kpiKey))) !== JSON.stringify(pick(t)))
      .map((t) => ({ kpiKey: t.kpiKey, from: pick(before.get(t.kpiKey)), to: pick(t) }));
    if (changes.length > 0)
      await this.audit.record(actor, {
        action: 'thresholds.changed',
        engagementId: id,
        target: { type: 'engagement', id },
        summary: { changes },
      });
    return after;
  }

  @Post(':id/sync')
  @HttpCode(202)
  @EngagementAccess('edit')
  async syncNow(@CurrentUser() user: UserDto, @ZodParam('id', uuid) id: string): Promise<SyncNowDto> {
    return this.sync.enqueue(id, 'manual', user.id);
  }

  @Post(':id/rollup')
  @HttpCode(202)
  @EngagementAccess('edit')
  async rollupNow(@ZodParam('id', uuid) id: string): Promise<{ jobId: string }> {
    return this.sync.enqueueRollup(id, []);
  }

  @Post(':id/connections/:kind/test')
  @HttpCode(200)
  @EngagementAccess('edit')
  async testConnection(
    @ZodParam('id', uuid) id: string,
    @Param('kind') kind: string,
  ): Promise<ConnectionTestDto> {
    return this.connections.test(id, parseKind(kind));
  }

  /**
   * Values for a settings field read from the source (projects, boards…) with the form's
   * draft settings; nothing is saved. Source failures are 422/424/429 with the error class.
   */
  @Post(':id/connections/:kind/options/:picker')
  @HttpCode(200)
  @EngagementAccess('edit')
  async connectionOptions(
    @ZodParam('id', uuid) id: string,
    @Param('kind') kind: string,
    @ZodParam('picker', pickerParam) picker: string,
    @ZodBody(connectionOptionsSchema) body: ConnectionOptionsDto,
  ): Promise<ConnectionPickerDto> {
    return this.connections.pick(id, parseKind(kind), picker, body);
  }

  /** Full resync of one connection: forget its cursor and ETags, then sync now. */
  @Post(':id/connections/:kind/resync')
  @HttpCode(202)
  @EngagementAccess('edit')
  async resyncConnection(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @Param('kind') kind: string,
  ): Promise<SyncRunDto> {
    await this.connections.resetCursor(id, parseKind(kind));
    return (await this.sync.enqueue(id, 'manual', user.id)).run;
  }

  @Get(':id/share-links')
  @EngagementAccess('read')
  async shareLinks(@ZodParam('id', uuid) id: string): Promise<ShareLinkDto[]> {
    return this.shares.list(id);
  }

  @Post(':id/share-links')
  @EngagementAccess('edit')
  async createShareLink(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @ZodBody(createShareLinkSchema) body: CreateShareLinkDto,
    @AuditActor() actor: Actor,
  ): Promise<ShareLinkDto> {
    const link = await this.shares.create(id, user.id, body);
    await this.audit.record(actor, {
      action: 'share_link.created',
      engagementId: id,
      target: { type: 'share_link', id: link.id },
      summary: { families: link.families, allowDrillDown: link.allowDrillDown, expiresAt: link.expiresAt },
    });
    return link;
  }

  @Delete(':id/share-links/:linkId')
  @HttpCode(204)
  @EngagementAccess('edit')
  async revokeShareLink(
    @ZodParam('id', uuid) id: string,
    @ZodParam('linkId', uuid) linkId: string,
    @AuditActor() actor: Actor,
  ): Promise<void> {
    await this.shares.revoke(id, linkId);
    await this.audit.record(actor, {
      action: 'share_link.revoked',
      engagementId: id,
      target: { type: 'share_link', id: linkId },
    });
  }

  @Post(':id/upload-token')
  @EngagementAccess('edit')
  async uploadToken(
    @ZodParam('id', uuid) id: string,
    @AuditActor() actor: Actor,
  ): Promise<{ token: string }> {
    const rotated = await this.shares.rotateUploadToken(id);
    await this.audit.record(actor, {
      action: 'upload_token.rotated',
      engagementId: id,
      target: { type: 'engagement', id },
    });
    return rotated;
  }

  @Get(':id/sync-runs')
  @EngagementAccess('read')
  async syncRuns(
    @ZodParam('id', uuid) id: string,
    @ZodQuery('limit', runsLimit, 'How many runs, newest first (1–200, default 20)') limit: number,
  ): Promise<SyncRunDto[]> {
    return this.sync.runs(id, limit);
  }
}
