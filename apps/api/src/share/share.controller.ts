import { Controller, Get, GoneException, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { z } from 'zod';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { EngagementEntity } from '@pulse/db';
import { isKpiKey, kpiDefinition, type KpiDrillDownDto } from '@pulse/contracts';
import { Public } from '../auth/auth.decorators';
import { consumeRateLimit } from '../common/rate-limit';
import { dateQuery, kpiKeyParam } from '../common/schema-parts';
import { ZodParam, ZodQuery } from '../common/zod-validation';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { DrillDownService } from '../kpis/drill-down.service';
import { KpisService } from '../kpis/kpis.service';
import { sendKeptAnswer } from '../kpis/kept-answer.http';
import { withoutPeople } from '../privacy/people-access';
import { RedisClient } from '../queue/redis.provider';
import { ShareLinksService } from './share-links.service';

const SHARE_REQUESTS_PER_MINUTE = 120;

/** A share token as issued (base64url); anything else cannot be a link. */
const shareToken = z
  .string()
  .regex(/^[\w-]{16,128}$/, 'is not a share-link token: check the link you were given');

/**
 * The vendor's read-only view. Public (the token is the credential), rate limited per IP,
 * and answers only what the shared page shows: no people, no settings, no other engagement.
 */
@ApiTags('share')
@Controller('api/share')
export class ShareController {
  constructor(
    private readonly links: ShareLinksService,
    private readonly kpis: KpisService,
    private readonly drillDown: DrillDownService,
    private readonly dataSource: DataSource,
    private readonly redis: RedisClient,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  private async resolve(token: string, req: Request) {
    await consumeRateLimit(
      this.redis.redis,
      `${this.config.QUEUE_PREFIX}:share:${req.ip ?? 'unknown'}`,
      SHARE_REQUESTS_PER_MINUTE,
      60,
    );
    const check = await this.links.check(token);
    if (!check.ok) {
      if (check.reason === 'unknown') throw new NotFoundException('This link is not valid');
      throw new GoneException(`This link is no longer valid (${check.reason})`);
    }
    const engagement = await this.dataSource
      .getRepository(EngagementEntity)
      .findOneBy({ id: check.link.engagementId });
    if (!engagement) throw new GoneException('This link is no longer valid');
    return { link: check.link, engagement };
  }

  /** `SharedViewDto`, kept while nothing it shows changed (`KpisService.sharedViewAnswer`). */
  @Public()
  @Get(':token')
  @ApiOkResponse({ description: 'SharedViewDto: the shared families’ health and series, naming nobody' })
  async view(
    @ZodParam('token', shareToken) token: string,
    @Req() req: Request,
    @Res() res: Response,
    @ZodQuery('from', dateQuery) from?: string,
    @ZodQuery('to', dateQuery) to?: string,
  ): Promise<void> {
    const { link, engagement } = await this.resolve(token, req);
    await sendKeptAnswer(req, res, await this.kpis.sharedViewAnswer(engagement, link, from, to), this.kpis);
  }

  /** The items behind a shared value, when the link allows item lists and shares its family. */
  @Public()
  @Get(':token/kpis/:key/drill-down')
  async items(
    @ZodParam('token', shareToken) token: string,
    @ZodParam('key', kpiKeyParam) key: string,
    @Req() req: Request,
    @ZodQuery('week', dateQuery) week?: string,
  ): Promise<KpiDrillDownDto> {
    const { link, engagement } = await this.resolve(token, req);
    const family = isKpiKey(key) ? kpiDefinition(key).family : null;
    if (!link.allowDrillDown || family === null || !link.families.includes(family)) {
      throw new NotFoundException('Item lists are not shared on this link');
    }
    // The vendor view never names anyone (docs/privacy.md), whatever the engagement allows:
    // client people become "client", and no person column keeps a name.
    return withoutPeople(await this.drillDown.kpi(engagement, key, week, { vendorView: true }));
  }
}
