import {
  Body,
  Controller,
  DefaultValuePipe,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type {
  UnassignedIdentityDto,
  ConnectionTestDto,
  ShareLinkDto,
  ConnectionDto,
  EngagementDto,
  PersonDto,
  SyncRunDto,
  ThresholdDto,
  UserDto,
} from '@pulse/contracts';
import { CurrentUser } from '../auth/auth.decorators';
import { CreateShareLinkDto } from '../share/share.dto';
import { ShareLinksService } from '../share/share-links.service';
import { SyncService } from '../sync/sync.service';
import { ConnectionsService, parseKind } from './connections.service';
import {
  CreateEngagementDto,
  PutConnectionDto,
  PutPeopleDto,
  PutThresholdsDto,
  UpdateEngagementDto,
} from './engagement.dto';
import { EngagementsService, toEngagementDto } from './engagements.service';
import { RosterService } from './roster.service';

const uuid = new ParseUUIDPipe({ version: '4' });

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
  create(@CurrentUser() user: UserDto, @Body() body: CreateEngagementDto): Promise<EngagementDto> {
    return this.engagements.create(user, body);
  }

  @Get(':id')
  async get(@CurrentUser() user: UserDto, @Param('id', uuid) id: string): Promise<EngagementDto> {
    return toEngagementDto(await this.engagements.getAccessible(user, id));
  }

  @Patch(':id')
  update(
    @CurrentUser() user: UserDto,
    @Param('id', uuid) id: string,
    @Body() body: UpdateEngagementDto,
  ): Promise<EngagementDto> {
    return this.engagements.update(user, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentUser() user: UserDto, @Param('id', uuid) id: string): Promise<void> {
    return this.engagements.remove(user, id);
  }

  @Get(':id/connections')
  async listConnections(
    @CurrentUser() user: UserDto,
    @Param('id', uuid) id: string,
  ): Promise<ConnectionDto[]> {
    await this.engagements.getAccessible(user, id);
    return this.connections.list(id);
  }

  @Get(':id/connections/:kind')
  async getConnection(
    @CurrentUser() user: UserDto,
    @Param('id', uuid) id: string,
    @Param('kind') kind: string,
  ): Promise<ConnectionDto> {
    await this.engagements.getAccessible(user, id);
    return this.connections.get(id, parseKind(kind));
  }

  @Put(':id/connections/:kind')
  async putConnection(
    @CurrentUser() user: UserDto,
    @Param('id', uuid) id: string,
    @Param('kind') kind: string,
    @Body() body: PutConnectionDto,
  ): Promise<ConnectionDto> {
    await this.engagements.getAccessible(user, id);
    return this.connections.put(id, parseKind(kind), body);
  }

  @Delete(':id/connections/:kind')
  @HttpCode(204)
  async deleteConnection(
    @CurrentUser() user: UserDto,
    @Param('id', uuid) id: string,
    @Param('kind') kind: string,
  ): Promise<void> {
    await this.engagements.getAccessible(user, id);
    await this.connections.remove(id, parseKind(kind));
  }

  @Get(':id/people')
  async people(@CurrentUser() user: UserDto, @Param('id', uuid) id: string): Promise<PersonDto[]> {
    await this.engagements.getAccessible(user, id);
    return this.roster.people(id);
  }

  @Get(':id/people/unassigned')
  async unassigned(
    @CurrentUser() user: UserDto,
    @Param('id', uuid) id: string,
  ): Promise<UnassignedIdentityDto[]> {
    await this.engagements.getAccessible(user, id);
    return this.roster.unassigned(id);
  }

  @Put(':id/people')
  async putPeople(
    @CurrentUser() user: UserDto,
    @Param('id', uuid) id: string,
    @Body() body: PutPeopleDto,
  ): Promise<PersonDto[]> {
    await this.engagements.getAccessible(user, id);
    return this.roster.putPeople(id, body.people);
  }

  @Get(':id/thresholds')
  async thresholds(@CurrentUser() user: UserDto, @Param('id', uuid) id: string): Promise<ThresholdDto[]> {
    await this.engagements.getAccessible(user, id);
    return this.roster.thresholds(id);
  }

  @Put(':id/thresholds')
  async putThresholds(
    @CurrentUser() user: UserDto,
    @Param('id', uuid) id: string,
    @Body() body: PutThresholdsDto,
  ): Promise<ThresholdDto[]> {
    await this.engagements.getAccessible(user, id);
    return this.roster.putThresholds(id, body.thresholds);
  }

  @Post(':id/sync')
  @HttpCode(202)
  async syncNow(@CurrentUser() user: UserDto, @Param('id', uuid) id: string): Promise<SyncRunDto> {
    await this.engagements.getAccessible(user, id);
    return (await this.sync.enqueue(id, 'manual', user.id)).run;
  }

  @Post(':id/rollup')
  @HttpCode(202)
  async rollupNow(@CurrentUser() user: UserDto, @Param('id', uuid) id: string): Promise<{ jobId: string }> {
    await this.engagements.getAccessible(user, id);
    return this.sync.enqueueRollup(id, []);
  }

  @Post(':id/connections/:kind/test')
  @HttpCode(200)
  async testConnection(
    @CurrentUser() user: UserDto,
    @Param('id', uuid) id: string,
    @Param('kind') kind: string,
  ): Promise<ConnectionTestDto> {
    await this.engagements.getAccessible(user, id);
    return this.connections.test(id, parseKind(kind));
  }

  @Get(':id/share-links')
  async shareLinks(@CurrentUser() user: UserDto, @Param('id', uuid) id: string): Promise<ShareLinkDto[]> {
    await this.engagements.getAccessible(user, id);
    return this.shares.list(id);
  }

  @Post(':id/share-links')
  async createShareLink(
    @CurrentUser() user: UserDto,
    @Param('id', uuid) id: string,
    @Body() body: CreateShareLinkDto,
  ): Promise<ShareLinkDto> {
    await this.engagements.getAccessible(user, id);
    return this.shares.create(id, user.id, body);
  }

  @Delete(':id/share-links/:linkId')
  @HttpCode(204)
  async revokeShareLink(
    @CurrentUser() user: UserDto,
    @Param('id', uuid) id: string,
    @Param('linkId', uuid) linkId: string,
  ): Promise<void> {
    await this.engagements.getAccessible(user, id);
    await this.shares.revoke(id, linkId);
  }

  @Post(':id/upload-token')
  async uploadToken(@CurrentUser() user: UserDto, @Param('id', uuid) id: string): Promise<{ token: string }> {
    await this.engagements.getAccessible(user, id);
    return this.shares.rotateUploadToken(id);
  }

  @Get(':id/sync-runs')
  async syncRuns(
    @CurrentUser() user: UserDto,
    @Param('id', uuid) id: string,
    @Query('limit', new DefaultValuePipe(20), ParseIntPipe) limit: number,
  ): Promise<SyncRunDto[]> {
    await this.engagements.getAccessible(user, id);
    return this.sync.runs(id, limit);
  }
}
