import { Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { DigestPreviewDto, DigestRecordDto, DigestSettingsDto, UserDto } from '@pulse/contracts';
import type { EngagementEntity } from '@pulse/db';
import { CurrentEngagement, EngagementAccess } from '../access/engagement-access.guard';
import { AuditActor } from '../audit/audit-actor.decorator';
import { AuditService, type AuditActor as Actor } from '../audit/audit.service';
import { CurrentUser } from '../auth/auth.decorators';
import { uuid } from '../common/schema-parts';
import { ZodBody, ZodParam, ZodQuery } from '../common/zod-validation';
import {
  digestAudience,
  putDigestSettingsSchema,
  sendDigestSchema,
  type PutDigestSettingsDto,
  type SendDigestDto,
} from './digest.dto';
import { DigestService } from './digest.service';

/** The weekly Slack digest of an engagement: settings, preview, send now, history. */
@ApiTags('digest')
@Controller('api/engagements')
export class DigestController {
  constructor(
    private readonly digests: DigestService,
    private readonly audit: AuditService,
  ) {}

  /** The client digest names roster people, so its preview needs editor rights like the roster. */
  @Get(':id/digest/preview')
  @EngagementAccess('edit')
  async preview(
    @ZodParam('id', uuid) _id: string,
    @CurrentEngagement() engagement: EngagementEntity,
    @ZodQuery('audience', digestAudience) audience: 'client' | 'vendor',
  ): Promise<DigestPreviewDto> {
    return this.digests.preview(engagement, audience);
  }

  @Post(':id/digest/send')
  @HttpCode(202)
  @EngagementAccess('edit')
  async send(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) _id: string,
    @CurrentEngagement() engagement: EngagementEntity,
    @ZodBody(sendDigestSchema) body: SendDigestDto,
  ): Promise<{ jobId: string; isoWeek: string }> {
    return this.digests.sendNow(engagement, body.audience, user.id);
  }

  @Get(':id/digests')
  @EngagementAccess('read')
  async history(@ZodParam('id', uuid) id: string): Promise<DigestRecordDto[]> {
    return this.digests.history(id);
  }

  @Get(':id/digest/settings')
  @EngagementAccess('read')
  async settings(
    @ZodParam('id', uuid) _id: string,
    @CurrentEngagement() engagement: EngagementEntity,
  ): Promise<DigestSettingsDto> {
    return this.digests.settings(engagement);
  }

  @Put(':id/digest/settings')
  @EngagementAccess('edit')
  async putSettings(
    @ZodParam('id', uuid) id: string,
    @CurrentEngagement() engagement: EngagementEntity,
    @ZodBody(putDigestSettingsSchema) body: PutDigestSettingsDto,
    @AuditActor() actor: Actor,
  ): Promise<DigestSettingsDto> {
    const before = await this.digests.settings(engagement);
    const after = await this.digests.putSettings(engagement, body);
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of [
      'clientChannelId',
      'vendorChannelId',
      'weekday',
      'timeOfDay',
      'vendorShareLinkSet',
    ] as const)
      if (before[field] !== after[field]) changed[field] = { from: before[field], to: after[field] };
    // The share link itself is a credential: only whether one is set is recorded.
    if (body.vendorShareLink !== undefined && before.vendorShareLinkSet && after.vendorShareLinkSet)
      changed['vendorShareLink'] = { from: 'set', to: 'replaced' };
    await this.audit.record(actor, {
      action: 'digest.settings_changed',
      engagementId: id,
      target: { type: 'digest', id },
      summary: changed,
    });
    return after;
  }
}
