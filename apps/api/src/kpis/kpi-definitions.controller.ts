import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { KPI_DEFINITIONS, type KpiDefinitionMeta } from '@pulse/contracts';

/** The KPI registry (docs/kpis.md): what the dashboard renders, so new KPIs need no UI change. */
@ApiTags('kpis')
@Controller('api/kpi-definitions')
export class KpiDefinitionsController {
  @Get()
  list(): readonly KpiDefinitionMeta[] {
    return KPI_DEFINITIONS;
  }
}
