import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { EngagementHealthDto, EngagementKpisDto, KpiDrillDownDto, UserDto } from '@pulse/contracts';
import { CurrentUser } from '../auth/auth.decorators';
import { dateQuery, kpiKeyParam, uuid } from '../common/schema-parts';
import { ZodParam, ZodQuery } from '../common/zod-validation';
import { EngagementsService } from '../engagements/engagements.service';
import { DrillDownService } from './drill-down.service';
import { canSeePeople, withoutPeople } from '../privacy/people-access';
import { KpisService } from './kpis.service';

/** An engagement's KPI values, health and the items behind each value. */
@ApiTags('kpis')
@Controller('api/engagements')
export class EngagementKpisController {
  constructor(
    private readonly engagements: EngagementsService,
    private readonly kpis: KpisService,
    private readonly drillDown: DrillDownService,
  ) {}

  @Get(':id/kpis')
  async series(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @ZodQuery('from', dateQuery) from?: string,
    @ZodQuery('to', dateQuery) to?: string,
  ): Promise<EngagementKpisDto> {
    return this.kpis.series(await this.engagements.getAccessible(user, id), from, to);
  }

  @Get(':id/health')
  async health(@CurrentUser() user: UserDto, @ZodParam('id', uuid) id: string): Promise<EngagementHealthDto> {
    return this.kpis.health(await this.engagements.getAccessible(user, id));
  }

  /** Without `week`: the trailing window of the headline value; with it: that ISO week. */
  @Get(':id/kpis/:key/drill-down')
  async items(
    @CurrentUser() user: UserDto,
    @ZodParam('id', uuid) id: string,
    @ZodParam('key', kpiKeyParam) key: string,
    @ZodQuery('week', dateQuery) week?: string,
  ): Promise<KpiDrillDownDto> {
    const engagement = await this.engagements.getAccessible(user, id);
    const table = await this.drillDown.kpi(engagement, key, week);
    return canSeePeople(user, engagement) ? table : withoutPeople(table);
  }
}
