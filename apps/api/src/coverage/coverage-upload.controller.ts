import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Post,
  Res,
  UploadedFile,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { DataSource, Between } from 'typeorm';
import { DateTime } from 'luxon';
import { CoverageSampleEntity } from '@pulse/db';
import {
  CoverageParserBusyError,
  isCoverageParseError,
  parseCoverageReportInWorker,
  type CoverageTotals,
} from '@pulse/connectors';
import type { Response } from 'express';
import { EngagementAccess } from '../access/engagement-access.guard';
import { Public } from '../auth/auth.decorators';
import { dateQuery, uuid } from '../common/schema-parts';
import { assertStorableCounts, badRequest } from '../common/validation';
import { ZodParam, ZodPipe, ZodQuery } from '../common/zod-validation';
import { EngagementsService } from '../engagements/engagements.service';
import { SyncService } from '../sync/sync.service';
import { coverageUploadDocSchema, coverageUploadSchema, type CoverageUploadDto } from './coverage-upload.dto';
import { MAX_REPORT_BYTES, ReportTooLargeFilter } from './report-too-large.filter';
import { UploadTokenGuard } from './upload-token.guard';

export interface CoverageSampleDto {
  repo: string;
  branch: string;
  isDefaultBranch: boolean;
  sha: string;
  committedAt: string;
  linesCovered: number;
  linesValid: number;
  lineRate: number | null;
  branchesCovered: number | null;
  branchesValid: number | null;
  source: string;
}

@ApiTags('coverage')
@Controller('api/engagements/:id/coverage')
export class CoverageUploadController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sync: SyncService,
    private readonly engagements: EngagementsService,
  ) {}

  /**
   * CI uploads a coverage report (Cobertura XML, lcov, coverage.py JSON or istanbul
   * summary) with the engagement's upload token as a bearer token.
   */
  @Public()
  @Post()
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: coverageUploadDocSchema })
  @UseGuards(UploadTokenGuard)
  @UseFilters(ReportTooLargeFilter)
  @UseInterceptors(
    FileInterceptor('report', { limits: { fileSize: MAX_REPORT_BYTES, files: 1, fields: 10 } }),
  )
  async upload(
    @ZodParam('id', uuid) id: string,
    @Body(new ZodPipe(coverageUploadSchema)) body: CoverageUploadDto,
    @UploadedFile() file: { buffer: Buffer; originalname: string; size: number } | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CoverageSampleDto> {
    if (!file)
      throw badRequest([
        { field: 'report', message: 'attach the coverage report file as form field "report"' },
      ]);
    let totals: CoverageTotals;
    try {
      // Off the event loop, with its own time and memory budget: a hostile report must not
      // freeze or bloat the API (a 500 000-attribute XML took 12 s and 1 GB in-process).
      totals = await parseCoverageReportInWorker(file.buffer, {
        filename: file.originalname,
        maxBytes: MAX_REPORT_BYTES,
      });
    } catch (e) {
      if (isCoverageParseError(e)) throw badRequest([{ field: 'report', message: e.message }]);
      if (e instanceof CoverageParserBusyError) {
        res.setHeader('Retry-After', String(e.retryAfterSeconds));
        throw new HttpException(
          { statusCode: 503, error: 'Service Unavailable', message: e.message },
          HttpStatus.SERVICE_UNAVAILABLE,
        );
      }
      throw e;
    }
    assertStorableCounts('report', {
      linesCovered: totals.linesCovered,
      linesValid: totals.linesValid,
      branchesCovered: totals.branchesCovered,
      branchesValid: totals.branchesValid,
    });
    const committedAt = body.committedAt ? Date.parse(body.committedAt) : Date.now();
    const isDefaultBranch = body.defaultBranch ?? ['main', 'master'].includes(body.branch);
    const repo = this.dataSource.getRepository(CoverageSampleEntity);
    const existing = await repo.findOneBy({
      engagementId: id,
      repo: body.repo,
      sha: body.sha,
      source: 'upload',
    });
    const sample: CoverageSampleEntity = {
      id: existing?.id ?? randomUUID(),
      engagementId: id,
      repo: body.repo,
      branch: body.branch,
      isDefaultBranch,
      sha: body.sha,
      committedAt,
      linesCovered: totals.linesCovered,
      linesValid: totals.linesValid,
      branchesCovered: totals.branchesCovered,
      branchesValid: totals.branchesValid,
      source: 'upload',
    };
    await repo.save(sample);
    const engagement = await this.engagements.getById(id);
    const week = DateTime.fromMillis(committedAt, { zone: engagement.reportingTimeZone })
      .startOf('week')
      .toISODate()!;
    await this.sync.enqueueRollup(id, [week]);
    return toCoverageDto(sample);
  }

  @Get()
  @EngagementAccess('read')
  async list(
    @ZodParam('id', uuid) id: string,
    @ZodQuery('from', dateQuery) from?: string,
    @ZodQuery('to', dateQuery) to?: string,
  ): Promise<CoverageSampleDto[]> {
    const start = from ? Date.parse(from) : 0;
    const end = to ? Date.parse(to) + 86_400_000 : Number.MAX_SAFE_INTEGER;
    if (Number.isNaN(start) || Number.isNaN(end))
      throw badRequest([{ field: 'from', message: 'from/to must be dates yyyy-mm-dd' }]);
    const rows = await this.dataSource.getRepository(CoverageSampleEntity).find({
      where: { engagementId: id, committedAt: Between(start, end) },
      order: { committedAt: 'DESC' },
      take: 1000,
    });
    return rows.map(toCoverageDto);
  }
}

function toCoverageDto(s: CoverageSampleEntity): CoverageSampleDto {
  return {
    repo: s.repo,
    branch: s.branch,
    isDefaultBranch: s.isDefaultBranch,
    sha: s.sha,
    committedAt: new Date(s.committedAt).toISOString(),
    linesCovered: s.linesCovered,
    linesValid: s.linesValid,
    lineRate: s.linesValid > 0 ? Math.round((s.linesCovered / s.linesValid) * 10000) / 100 : null,
    branchesCovered: s.branchesCovered,
    branchesValid: s.branchesValid,
    source: s.source,
  };
}
