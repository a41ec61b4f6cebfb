import { Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { InvitationDto, InvitationPreviewDto, UserDto } from '@pulse/contracts';
import { Public, Roles } from '../auth/auth.decorators';
import { setSessionCookie } from '../auth/session-cookie';
import { SessionService } from '../auth/session.service';
import { AuditActor } from '../audit/audit-actor.decorator';
import type { AuditActor as Actor } from '../audit/audit.service';
import { uuid } from '../common/schema-parts';
import { ZodBody, ZodParam } from '../common/zod-validation';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { InvitationsService } from './invitations.service';
import { acceptInvitationSchema, invitationToken, type AcceptInvitationBody } from './users.dto';

/**
 * Invitation and reset links. Opening one (GET) says what it is for; POST sets the password
 * and signs in. Admins list and revoke them.
 */
@ApiTags('users')
@Controller('api/invitations')
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly sessions: SessionService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get()
  @Roles('admin')
  @ApiOkResponse({ description: 'Invitations and reset links, newest first (no tokens)' })
  list(): Promise<InvitationDto[]> {
    return this.invitations.list();
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: the link no longer works' })
  revoke(@ZodParam('id', uuid) id: string, @AuditActor() actor: Actor): Promise<void> {
    return this.invitations.revoke(actor, id);
  }

  @Public()
  @Get(':token')
  @ApiOkResponse({ description: 'Who the link is for and until when; 404 unknown, 410 used/revoked/expired' })
  preview(@ZodParam('token', invitationToken) token: string): Promise<InvitationPreviewDto> {
    return this.invitations.preview(token);
  }

  @Public()
  @Post(':token')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Password set; signed in (sets the session cookie)' })
  async accept(
    @ZodParam('token', invitationToken) token: string,
    @ZodBody(acceptInvitationSchema) body: AcceptInvitationBody,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UserDto> {
    const user = await this.invitations.accept(req.ip ?? null, token, body);
    setSessionCookie(res, req, this.config, await this.sessions.create(user.id));
    return user;
  }
}
