import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type {
  UnassignedIdentityDto,
  ConnectionTestDto,
  ShareLinkDto,
  ConnectionDto,
  EngagementDto,
  PersonDto,
  SyncNowDto,
  SyncRunDto,
  ThresholdDto,
  UserDto,
} from '@pulse/contracts';
import { CurrentUser } from '../auth/auth.decorators';
import { z } from 'zod';
import { uuid } from '../common/schema-parts';
import { ZodBody, ZodParam, ZodQuery } from '../common/zod-validation';
import { createShareLinkSchema, type CreateShareLinkDto } from '../share/share.dto';
import { ShareLinksService } from '../share/share-links.service';
import { SyncService } from '../sync/sync.service';
import { ConnectionsService, parseKind } from './connections.service';
import {
  createEngagementSchema,
  putConnectionSchema,
  putPeopleSchema,
  putThresholdsSchema,
  updateEngagementSchema,
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
  ) {}

  @Get()
  list(@CurrentUser() user: UserDto): Promise<EngagementDto[]> {
    return this.engagements.list(user);
  }

  @Post()
  create(
    @CurrentUser() user: UserDto,
    @ZodBody(createEngagementSchema) body: CreateEngagementDto,
  ): Promise<EngagementDto> {
    return this.engagements.create(user, body);
  }

  @Get(':id')
  async get(@CurrentUser() user: UserDto, @ZodParam('id', uuid) id: string): Promise<EngagementDto> {
    return toEngagementDto(await this.engagements.getAccessible(user, id), user);
  }

  @Patch(':id')
  update(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @ZodBody(updateEngagementSchema) body: UpdateEngagementDto,
  ): Promise<EngagementDto> {
    return this.engagements.update(user, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentUser() user: UserDto, @ZodParam('id', uuid) id: string): Promise<void> {
    return this.engagements.remove(user, id);
  }

  @Get(':id/connections')
  async listConnections(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
  ): Promise<ConnectionDto[]> {
    await this.engagements.getAccessible(user, id);
    return this.connections.list(id);
  }

  @Get(':id/connections/:kind')
  async getConnection(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @Param('kind') kind: string,
  ): Promise<ConnectionDto> {
    await this.engagements.getAccessible(user, id);
    return this.connections.get(id, parseKind(kind));
  }

  @Put(':id/connections/:kind')
  async putConnection(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @Param('kind') kind: string,
    @ZodBody(putConnectionSchema) body: PutConnectionDto,
  ): Promise<ConnectionDto> {
    await this.engagements.getAccessible(user, id);
    return this.connections.put(id, parseKind(kind), body);
  }

  @Delete(':id/connections/:kind')
  @HttpCode(204)
  async deleteConnection(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @Param('kind') kind: string,
  ): Promise<void> {
    await this.engagements.getAccessible(user, id);
    await this.connections.remove(id, parseKind(kind));
  }

  @Get(':id/people')
  async people(@CurrentUser() user: UserDto, @ZodParam('id', uuid) id: string): Promise<PersonDto[]> {
    assertCanSeePeople(user, await this.engagements.getAccessible(user, id));
    return this.roster.people(id);
  }

  @Get(':id/people/unassigned')
  async unassigned(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
  ): Promise<UnassignedIdentityDto[]> {
    assertCanSeePeople(user, await this.engagements.getAccessible(user, id));
    return this.roster.unassigned(id);
  }

  @Put(':id/people')
  async putPeople(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @ZodBody(putPeopleSchema) body: PutPeopleDto,
  ): Promise<PersonDto[]> {
    assertCanSeePeople(user, await this.engagements.getAccessible(user, id));
    return this.roster.putPeople(id, body.people);
  }

  @Get(':id/thresholds')
  async thresholds(@CurrentUser() user: UserDto, @ZodParam('id', uuid) id: string): Promise<ThresholdDto[]> {
    await this.engagements.getAccessible(user, id);
    return this.roster.thresholds(id);
  }

  @Put(':id/thresholds')
  async putThresholds(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @ZodBody(putThresholdsSchema) body: PutThresholdsDto,
  ): Promise<ThresholdDto[]> {
    await this.engagements.getAccessible(user, id);
    return this.roster.putThresholds(id, body.thresholds);
  }

  @Post(':id/sync')
  @HttpCode(202)
  async syncNow(@CurrentUser() user: UserDto, @ZodParam('id', uuid) id: string): Promise<SyncNowDto> {
    await this.engagements.getAccessible(user, id);
    return this.sync.enqueue(id, 'manual', user.id);
  }

  @Post(':id/rollup')
  @HttpCode(202)
  async rollupNow(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
  ): Promise<{ jobId: string }> {
    await this.engagements.getAccessible(user, id);
    return this.sync.enqueueRollup(id, []);
  }

  @Post(':id/connections/:kind/test')
  @HttpCode(200)
  async testConnection(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @Param('kind') kind: string,
  ): Promise<ConnectionTestDto> {
    await this.engagements.getAccessible(user, id);
    return this.connections.test(id, parseKind(kind));
  }

  /** Full resync of one connection: forget its cursor and ETags, then sync now. */
  @Post(':id/connections/:kind/resync')
  @HttpCode(202)
  async resyncConnection(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @Param('kind') kind: string,
  ): Promise<SyncRunDto> {
    await this.engagements.getAccessible(user, id);
    await this.connections.resetCursor(id, parseKind(kind));
    return (await this.sync.enqueue(id, 'manual', user.id)).run;
  }

  @Get(':id/share-links')
  async shareLinks(@CurrentUser() user: UserDto, @ZodParam('id', uuid) id: string): Promise<ShareLinkDto[]> {
    await this.engagements.getAccessible(user, id);
    return this.shares.list(id);
  }

  @Post(':id/share-links')
  async createShareLink(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @ZodBody(createShareLinkSchema) body: CreateShareLinkDto,
  ): Promise<ShareLinkDto> {
    await this.engagements.getAccessible(user, id);
    return this.shares.create(id, user.id, body);
  }

  @Delete(':id/share-links/:linkId')
  @HttpCode(204)
  async revokeShareLink(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @ZodParam('linkId', uuid) linkId: string,
  ): Promise<void> {
    await this.engagements.getAccessible(user, id);
    await this.shares.revoke(id, linkId);
  }

  @Post(':id/upload-token')
  async uploadToken(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
  ): Promise<{ token: string }> {
    await this.engagements.getAccessible(user, id);
    return this.shares.rotateUploadToken(id);
  }

  @Get(':id/sync-runs')
  async syncRuns(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @ZodQuery('limit', runsLimit, 'How many runs, newest first (1–200, default 20)') limit: number,
  ): Promise<SyncRunDto[]> {
    await this.engagements.getAccessible(user, id);
    return this.sync.runs(id, limit);
  }
}
