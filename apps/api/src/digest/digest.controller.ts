import { Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { DigestPreviewDto, DigestRecordDto, DigestSettingsDto, UserDto } from '@pulse/contracts';
import { CurrentUser } from '../auth/auth.decorators';
import { uuid } from '../common/schema-parts';
import { ZodBody, ZodParam, ZodQuery } from '../common/zod-validation';
import { EngagementsService } from '../engagements/engagements.service';
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
    private readonly engagements: EngagementsService,
    private readonly digests: DigestService,
  ) {}

  @Get(':id/digest/preview')
  async preview(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @ZodQuery('audience', digestAudience) audience: 'client' | 'vendor',
  ): Promise<DigestPreviewDto> {
    return this.digests.preview(await this.engagements.getAccessible(user, id), audience);
  }

  @Post(':id/digest/send')
  @HttpCode(202)
  async send(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @ZodBody(sendDigestSchema) body: SendDigestDto,
  ): Promise<{ jobId: string; isoWeek: string }> {
    const engagement = await this.engagements.getAccessible(user, id);
    return this.digests.sendNow(engagement, body.audience, user.id);
  }

  @Get(':id/digests')
  async history(@CurrentUser() user: UserDto, @ZodParam('id', uuid) id: string): Promise<DigestRecordDto[]> {
    await this.engagements.getAccessible(user, id);
    return this.digests.history(id);
  }

  @Get(':id/digest/settings')
  async settings(@CurrentUser() user: UserDto, @ZodParam('id', uuid) id: string): Promise<DigestSettingsDto> {
    return this.digests.settings(await this.engagements.getAccessible(user, id));
  }

  /** Owner or admin (like every settings route today). */
  @Put(':id/digest/settings')
  async putSettings(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @ZodBody(putDigestSettingsSchema) body: PutDigestSettingsDto,
  ): Promise<DigestSettingsDto> {
    return this.digests.putSettings(await this.engagements.getAccessible(user, id), body);
  }
}
