import { Controller, Get, NotFoundException } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { UserEntity } from '@pulse/db';
import { EngagementAccess } from '../access/engagement-access.guard';
import { uuid } from '../common/schema-parts';
import { ZodParam, ZodQuery } from '../common/zod-validation';

export interface MemberCandidateDto {
  userId: string;
  email: string;
  displayName: string;
}

/**
 * Lets an engagement's owner add a member by e-mail without the admin-only user list: one
 * exact address in, one active user (or 404) out. It reveals whether an address has an
 * account, to the people who may share an engagement, and nothing else about users.
 */
@ApiTags('engagements')
@Controller('api/engagements')
export class MemberCandidatesController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id/member-candidates')
  @EngagementAccess('manage')
  @ApiOkResponse({ description: 'The active user with exactly this e-mail, to add with PUT …/members' })
  @ApiNotFoundResponse({ description: 'No active user has this e-mail (an admin can invite them)' })
  async find(
    @ZodParam('id', uuid) _id: string,
    @ZodQuery('email', z.email('must be an e-mail address such as dana@example.com').max(320)) email: string,
  ): Promise<MemberCandidateDto> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ email: email.toLowerCase() });
    if (!user || user.disabled)
      throw new NotFoundException(
        `No active Pulse user has the e-mail ${email}: an admin can invite them on the People page`,
      );
    return { userId: user.id, email: user.email, displayName: user.displayName };
  }
}
