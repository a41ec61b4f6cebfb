import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { EngagementHealthDto, EngagementKpisDto, KpiDrillDownDto, UserDto } from '@pulse/contracts';
import type { EngagementEntity } from '@pulse/db';
import { CurrentEngagement, CurrentGrant, EngagementAccess } from '../access/engagement-access.guard';
import type { EngagementGrant } from '../access/engagement-access.service';
import { CurrentUser } from '../auth/auth.decorators';
import { dateQuery, kpiKeyParam, uuid } from '../common/schema-parts';
import { ZodParam, ZodQuery } from '../common/zod-validation';
import { DrillDownService } from './drill-down.service';
import { canSeePeople, withoutPeople } from '../privacy/people-access';
import { KpisService } from './kpis.service';

/** An engagement's KPI values, health and the items behind each value. */
@ApiTags('kpis')
@Controller('api/engagements')
export class EngagementKpisController {
  constructor(
    private readonly kpis: KpisService,
    private readonly drillDown: DrillDownService,
  ) {}

  @Get(':id/kpis')
  @EngagementAccess('read')
  async series(
    @ZodParam('id', uuid) _id: string,
    @CurrentEngagement() engagement: EngagementEntity,
    @ZodQuery('from', dateQuery) from?: string,
    @ZodQuery('to', dateQuery) to?: string,
  ): Promise<EngagementKpisDto> {
    return this.kpis.series(engagement, from, to);
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
