import { Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { IssuedInvitationDto, UserAccountDto } from '@pulse/contracts';
import { Roles } from '../auth/auth.decorators';
import { AuditActor } from '../audit/audit-actor.decorator';
import type { AuditActor as Actor } from '../audit/audit.service';
import { uuid } from '../common/schema-parts';
import { ZodBody, ZodParam } from '../common/zod-validation';
import { InvitationsService } from './invitations.service';
import { inviteUserSchema, updateUserSchema, type InviteUserBody, type UpdateUserBody } from './users.dto';
import { UsersService } from './users.service';

/** The People page: admins list, invite, change and (de)activate users. */
@ApiTags('users')
@Controller('api/users')
@Roles('admin')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly invitations: InvitationsService,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'Every user, active or not' })
  list(): Promise<UserAccountDto[]> {
    return this.users.list();
  }

  /** Invites by e-mail: the answer holds the single-use link (shown once). */
  @Post()
  @ApiCreatedResponse({
    description: 'The invitation and its link (the token is not stored and not shown again)',
  })
  invite(
    @ZodBody(inviteUserSchema) body: InviteUserBody,
    @AuditActor() actor: Actor,
  ): Promise<IssuedInvitationDto> {
    return this.invitations.invite(actor, body);
  }

  /** Role, active (false deactivates and ends the user's sessions at once), display name. */
  @Patch(':id')
  @ApiOkResponse({ description: 'The user as changed; 409 when it would leave no active admin' })
  update(
    @ZodParam('id', uuid) id: string,
    @ZodBody(updateUserSchema) body: UpdateUserBody,
    @AuditActor() actor: Actor,
  ): Promise<UserAccountDto> {
    return this.users.update(actor, id, body);
  }

  @Post(':id/reset-link')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'A single-use link that sets a new password (shown once)' })
  resetLink(@ZodParam('id', uuid) id: string, @AuditActor() actor: Actor): Promise<IssuedInvitationDto> {
    return this.invitations.resetLink(actor, id);
  }
}
