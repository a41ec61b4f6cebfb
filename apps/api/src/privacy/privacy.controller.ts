import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ErasureResultDto } from '@pulse/contracts';
import { Roles } from '../auth/auth.decorators';
import { AuditActor } from '../audit/audit-actor.decorator';
import type { AuditActor as Actor } from '../audit/audit.service';
import { uuid } from '../common/schema-parts';
import { badRequest } from '../common/validation';
import { ZodBody, ZodParam, ZodQuery } from '../common/zod-validation';
import { EngagementsService } from '../engagements/engagements.service';
import { toCsv } from './csv';
import { ErasureService } from './erasure.service';
import { exportTable, ExportService, type ExportDocument } from './export.service';
import {
  erasureSchema,
  exportFormat,
  exportTableQuery,
  externalIdQuery,
  personIdQuery,
  sourceQuery,
  type ErasureBody,
} from './privacy.dto';
import type { SubjectQuery } from './identity-subject';

const FORMAT_HELP = 'json (default: every table in one document) or csv (one table, named by `table`)';

/** JSON as a download; CSV one table at a time (docs/privacy.md). */
function send(
  res: Response,
  doc: ExportDocument,
  format: 'json' | 'csv',
  table: string | undefined,
  name: string,
) {
  if (format === 'csv') {
    const rows = exportTable(doc, table);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name}-${table}.csv"`);
    return toCsv(rows);
  }
  res.setHeader('Content-Disposition', `attachment; filename="${name}.json"`);
  return doc;
}

/** Right to erasure and right of access for one person (admins only). */
@ApiTags('privacy')
@Controller('api/privacy')
@Roles('admin')
export class PrivacyController {
  constructor(
    private readonly erasures: ErasureService,
    private readonly exports: ExportService,
  ) {}

  @Post('erasures')
  @HttpCode(200)
  erase(@AuditActor() actor: Actor, @ZodBody(erasureSchema) body: ErasureBody): Promise<ErasureResultDto> {
    return this.erasures.erase(actor, body);
  }

  @Get('export')
  async export(
    @Res({ passthrough: true }) res: Response,
    @ZodQuery('source', sourceQuery, 'github, jira or slack (with externalId)')
    source?: 'github' | 'jira' | 'slack',
    @ZodQuery('externalId', externalIdQuery, 'GitHub login, Jira accountId or Slack user id')
    externalId?: string,
    @ZodQuery('personId', personIdQuery, 'Or a roster person: every identity linked to them')
    personId?: string,
    @ZodQuery('format', exportFormat, FORMAT_HELP) format: 'json' | 'csv' = 'json',
    @ZodQuery('table', exportTableQuery, 'The table to return with format=csv') table?: string,
  ): Promise<ExportDocument | string> {
    let query: SubjectQuery;
    if (personId !== undefined && source === undefined && externalId === undefined) query = { personId };
    else if (personId === undefined && source !== undefined && externalId !== undefined)
      query = { source, externalId };
    else
      throw badRequest([
        { field: 'source', message: 'send source and externalId together, or personId alone' },
      ]);
    return send(res, await this.exports.identity(query), format, table, 'pulse-identity-export');
  }
}

/** Everything Pulse holds about one engagement (admins only). */
@ApiTags('privacy')
@Controller('api/engagements')
@Roles('admin')
export class EngagementExportController {
  constructor(
    private readonly engagements: EngagementsService,
    private readonly exports: ExportService,
  ) {}

  @Get(':id/export')
  async export(
    @Res({ passthrough: true }) res: Response,
    @ZodParam('id', uuid) id: string,
    @ZodQuery('format', exportFormat, FORMAT_HELP) format: 'json' | 'csv' = 'json',
    @ZodQuery('table', exportTableQuery, 'The table to return with format=csv') table?: string,
  ): Promise<ExportDocument | string> {
    const engagement = await this.engagements.getById(id);
    return send(res, await this.exports.engagement(engagement), format, table, `pulse-engagement-${id}`);
  }
}
