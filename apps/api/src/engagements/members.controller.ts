import { Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { MEMBER_RIGHTS, type EngagementMembersDto, type MemberCandidateDto } from '@pulse/contracts';
import type { EngagementEntity } from '@pulse/db';
import { CurrentEngagement, EngagementAccess } from '../access/engagement-access.guard';
import { AuditActor } from '../audit/audit-actor.decorator';
import type { AuditActor as Actor } from '../audit/audit.service';
import { uuid } from '../common/schema-parts';
import { ZodBody, ZodParam } from '../common/zod-validation';
import { MembersService } from './members.service';

const putMembersSchema = z.strictObject({
  members: z.array(z.strictObject({ userId: uuid, rights: z.enum(MEMBER_RIGHTS) })).max(500),
});

/** An engagement's owner and members; the owner and admins change the list. */
@ApiTags('engagements')
@Controller('api/engagements')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get(':id/members')
  @EngagementAccess('read')
  @ApiOkResponse({ description: 'The owner and the members with their rights' })
  list(
    @ZodParam('id', uuid) _id: string,
    @CurrentEngagement() engagement: EngagementEntity,
  ): Promise<EngagementMembersDto> {
    return this.members.get(engagement);
  }

  /** Who can be added: for the owner's and admins' member picker (others cannot list users). */
  @Get(':id/members/candidates')
  @EngagementAccess('manage')
  @ApiOkResponse({ description: 'Active users other than the owner, by e-mail' })
  candidates(
    @ZodParam('id', uuid) _id: string,
    @CurrentEngagement() engagement: EngagementEntity,
  ): Promise<MemberCandidateDto[]> {
    return this.members.candidates(engagement);
  }

  @Put(':id/members')
  @EngagementAccess('manage')
  @ApiOkResponse({ description: 'The new member list (replaces the previous one)' })
  put(
    @ZodParam('id', uuid) _id: string,
    @CurrentEngagement() engagement: EngagementEntity,
    @ZodBody(putMembersSchema) body: z.infer<typeof putMembersSchema>,
    @AuditActor() actor: Actor,
  ): Promise<EngagementMembersDto> {
    return this.members.put(actor, engagement, body.members);
  }
}
