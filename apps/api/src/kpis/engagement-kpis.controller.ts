import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { EngagementHealthDto, KpiDrillDownDto, UserDto } from '@pulse/contracts';
import type { EngagementEntity } from '@pulse/db';
import { CurrentEngagement, CurrentGrant, EngagementAccess } from '../access/engagement-access.guard';
import type { EngagementGrant } from '../access/engagement-access.service';
import { CurrentUser } from '../auth/auth.decorators';
import { dateQuery, kpiKeyParam, uuid } from '../common/schema-parts';
import { ZodParam, ZodQuery } from '../common/zod-validation';
import { DrillDownService } from './drill-down.service';
import { canSeePeople, withoutPeople } from '../privacy/people-access';
import { KpisService } from './kpis.service';
import { sendKeptAnswer } from './kept-answer.http';

/** An engagement's KPI values, health and the items behind each value. */
@ApiTags('kpis')
@Controller('api/engagements')
export class EngagementKpisController {
  constructor(
    private readonly kpis: KpisService,
    private readonly drillDown: DrillDownService,
  ) {}

  /**
   * The charts' series (`EngagementKpisDto`), served from the last answer built while nothing
   * it depends on changed (`KpisService.seriesAnswer`): with an ETag (a matching
   * `If-None-Match` gets 304) and gzip for clients that accept it.
   */
  @Get(':id/kpis')
  @EngagementAccess('read')
  @ApiOkResponse({ description: 'EngagementKpisDto: every KPI’s weekly series and trailing value, rated' })
  async series(
    @ZodParam('id', uuid) _id: string,
    @CurrentEngagement() engagement: EngagementEntity,
    @Req() req: Request,
    @Res() res: Response,
    @ZodQuery('from', dateQuery) from?: string,
    @ZodQuery('to', dateQuery) to?: string,
  ): Promise<void> {
    await sendKeptAnswer(req, res, await this.kpis.seriesAnswer(engagement, from, to), this.kpis);
  }

  @Get(':id/health')
  @EngagementAccess('read')
  async health(
    @ZodParam('id', uuid) _id: string,
    @CurrentEngagement() engagement: EngagementEntity,
  ): Promise<EngagementHealthDto> {
    return this.kpis.health(engagement);
  }

  /** Without `week`: the trailing window of the headline value; with it: that ISO week. */
  @Get(':id/kpis/:key/drill-down')
  @EngagementAccess('read')
  async items(
    @ZodParam('id', uuid) _id: string,
    @CurrentUser() user: UserDto,
    @CurrentGrant() grant: EngagementGrant,
    @ZodParam('key', kpiKeyParam) key: string,
    @ZodQuery('week', dateQuery) week?: string,
  ): Promise<KpiDrillDownDto> {
    const table = await this.drillDown.kpi(grant.engagement, key, week);
    return canSeePeople(user, grant.engagement, grant.levels) ? table : withoutPeople(table);
  }
}
