import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AUDIT_ACTIONS, type AuditAction, type AuditPageDto } from '@pulse/contracts';
import { EngagementAccess } from '../access/engagement-access.guard';
import { isoInstant, uuid } from '../common/schema-parts';
import { ZodQuery } from '../common/zod-validation';
import { AuditService } from './audit.service';

const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .optional()
    .transform((n) => n ?? fallback);

const instant = isoInstant.optional().transform((v) => (v === undefined ? undefined : Date.parse(v)));

/** Who did what: the whole trail for admins, one engagement's events for its editors. */
@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @EngagementAccess('edit', { query: 'engagementId' })
  @ApiOkResponse({ description: 'Audit events, newest first' })
  list(
    @ZodQuery('engagementId', uuid.optional(), 'Only this engagement (required unless you are an admin)')
    engagementId: string | undefined,
    @ZodQuery('actorId', uuid.optional(), 'Only what this user did') actorId: string | undefined,
    @ZodQuery('action', z.enum(AUDIT_ACTIONS).optional(), 'Only this action') action: AuditAction | undefined,
    @ZodQuery('from', instant, 'Not before this instant (ISO 8601)') from: number | undefined,
    @ZodQuery('to', instant, 'Not after this instant (ISO 8601)') to: number | undefined,
    @ZodQuery('page', wholeNumber(1, 100_000, 1), 'Page number, from 1') page: number,
    @ZodQuery('pageSize', wholeNumber(1, 200, 50), 'Events per page (1–200, default 50)') pageSize: number,
  ): Promise<AuditPageDto> {
    return this.audit.list({ engagementId, actorId, action, from, to, page, pageSize });
  }
}
